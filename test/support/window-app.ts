/**
 * What the desktop-window tests share: the window's environment on a virtual display (X11 only, English,
 * test hooks on), the display's session bus address, and starting the executable's window on a data
 * folder seeded with the fake model as its provider.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FakeModel } from "../fixtures/fake-model/index.ts";
import { seedDataDir } from "../integration/executable-app.ts";
import { type AppProcess, spawnApp } from "./app-process.ts";
import type { VirtualDisplay } from "./xvfb.ts";

/** The window's environment on `screen`: no Wayland, English, test hooks on. */
export function windowEnv(screen: VirtualDisplay): Record<string, string | undefined> {
  return { ...screen.env, WAYLAND_DISPLAY: undefined, LANG: "en_US.UTF-8", SAGE_TEST_HOOKS: "1" };
}

/** The display's session bus (desktop services are registered there); throws when it has none. */
export function sessionBusOf(screen: VirtualDisplay): string {
  const address = screen.env.DBUS_SESSION_BUS_ADDRESS;
  if (!address) throw new Error("The virtual display has no session bus (dbus-daemon missing)");
  return address;
}

/** Sage's window on `screen`, on a new data folder (`prefix`) with `fake` as its provider. */
export async function startSeededWindow(
  executable: string,
  screen: VirtualDisplay,
  fake: FakeModel,
  prefix: string,
): Promise<AppProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  await seedDataDir(dataDir, fake);
  return spawnApp({ executable, dataDir, env: windowEnv(screen) });
}
