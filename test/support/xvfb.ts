/**
 * Test helper: a private virtual desktop — an Xvfb display plus its own D-Bus session bus.
 *
 * Picks a free display number from :90 up (no socket in /tmp/.X11-unix and no lock file), starts Xvfb on
 * it without TCP and waits until it accepts clients. Two suites racing for one number is handled: Xvfb
 * refuses a taken number and the next one is tried.
 *
 * Why the bus: GTK asks for a session bus at start. Without DBUS_SESSION_BUS_ADDRESS it autolaunches one
 * through dbus-launch, which costs ~6 s on a fresh display and leaves daemons behind. A real desktop has
 * a bus, so the tests give the app one (`env`) and stop it, with whatever it activated, afterwards.
 * The bus can start the system's session services except the keychain ones (Secret Service, GNOME
 * keyring and its prompters): with no unlocked default keyring, Sage's keychain probe would open a
 * "choose a password for the new keyring" dialog over the window. So this desktop has no keychain, and
 * Sage uses its encrypted-file fallback, as on a session without one.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type PrivateBus, startPrivateBus } from "../fixtures/fake-desktop/private-bus.ts";

const SYSTEM_SERVICES = "/usr/share/dbus-1/services";
const KEYCHAIN_SERVICES = /secret|keyring/i;

export interface VirtualDisplay {
  /** ":91" */
  display: string;
  width: number;
  height: number;
  /** DISPLAY and, when dbus-daemon exists, DBUS_SESSION_BUS_ADDRESS: what an app on this desktop needs. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

export class DisplayError extends Error {
  override readonly name = "DisplayError";
}

export function hasXvfb(): boolean {
  return Bun.which("Xvfb") !== null && Bun.which("xdotool") !== null && Bun.which("xwd") !== null;
}

export async function startXvfb(size = { width: 1400, height: 900 }): Promise<VirtualDisplay> {
  for (let number = 90; number < 160; number++) {
    if (existsSync(`/tmp/.X11-unix/X${number}`) || existsSync(`/tmp/.X${number}-lock`)) continue;
    const server = Bun.spawn(
      ["Xvfb", `:${number}`, "-screen", "0", `${size.width}x${size.height}x24`, "-nolisten", "tcp"],
      { stdout: "ignore", stderr: "ignore" },
    );
    if (!(await waitForSocket(number, server))) continue;
    const display = `:${number}`;
    const bus = await startSessionBus(display);
    return {
      display,
      ...size,
      env: { DISPLAY: display, ...(bus ? { DBUS_SESSION_BUS_ADDRESS: bus.address } : {}) },
      async stop() {
        if (bus) await bus.stop();
        server.kill("SIGTERM");
        await server.exited;
      },
    };
  }
  throw new DisplayError("No free X display number between :90 and :159");
}

/**
 * True once our Xvfb serves display `number`; false when another server holds the number (Xvfb
 * writes its pid into /tmp/.X<n>-lock, so a socket that appeared for someone else's is not mistaken for
 * ours).
 */
async function waitForSocket(number: number, child: Bun.Subprocess): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false; // the number was taken after all
    if (lockOwner(number) !== undefined && lockOwner(number) !== child.pid) {
      child.kill("SIGKILL");
      await child.exited;
      return false;
    }
    if (lockOwner(number) === child.pid && existsSync(`/tmp/.X11-unix/X${number}`)) {
      const probe = Bun.spawnSync(["xdotool", "getdisplaygeometry"], {
        env: { ...process.env, DISPLAY: `:${number}` },
        stdout: "ignore",
        stderr: "ignore",
      });
      if (probe.exitCode === 0) return true;
    }
    await Bun.sleep(50);
  }
  child.kill("SIGKILL");
  throw new DisplayError(`Xvfb :${number} did not come up within 10 s`);
}

function lockOwner(number: number): number | undefined {
  try {
    const pid = Number(readFileSync(`/tmp/.X${number}-lock`, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The display's session bus: the system's activatable services (accessibility, portals ...) minus the
 * keychain's, so a test never reaches a real keyring; undefined without dbus-daemon.
 */
async function startSessionBus(display: string): Promise<PrivateBus | undefined> {
  if (!Bun.which("dbus-daemon")) return undefined;
  const services = mkdtempSync(join(tmpdir(), "sage-test-bus-services-"));
  if (existsSync(SYSTEM_SERVICES)) {
    for (const file of readdirSync(SYSTEM_SERVICES)) {
      if (!KEYCHAIN_SERVICES.test(file)) symlinkSync(join(SYSTEM_SERVICES, file), join(services, file));
    }
  }
  try {
    const bus = await startPrivateBus({ services, env: { DISPLAY: display } });
    return {
      address: bus.address,
      async stop() {
        await bus.stop();
        rmSync(services, { recursive: true, force: true });
      },
    };
  } catch {
    rmSync(services, { recursive: true, force: true });
    return undefined;
  }
}
