/**
 * A full disk answers 507 "disk_full" wherever it strikes (creating a session, importing one, attaching a
 * file), not 500: the compiled executable runs with its data folder on a small tmpfs that the test fills.
 * Mounting needs root; elsewhere this file is skipped and test/unit/http-errors.test.ts still checks the
 * mapping with real SQLITE_FULL and ENOSPC errors.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type HostileServer, startHostileServer } from "./hostile-server.ts";

const mountPoint = mkdtempSync(join(tmpdir(), "sage-full-disk-"));
const mounted =
  process.getuid?.() === 0 &&
  spawnSync("mount", ["-t", "tmpfs", "-o", "size=24m", "tmpfs", mountPoint]).status === 0;
if (!mounted) console.warn(`disk-full.test.ts: cannot mount a tmpfs here (needs root); skipped`);

let server: HostileServer;
const filler = join(mountPoint, "filler");

/** Fill the file system to the last byte. */
function fillDisk(): void {
  spawnSync("dd", ["if=/dev/zero", `of=${filler}`, "bs=1M"], { stdio: "ignore" });
  const free = spawnSync("df", ["--output=avail", mountPoint]).stdout.toString().split("\n")[1]?.trim();
  expect(free).toBe("0");
}

beforeAll(async () => {
  if (!mounted) return;
  const dataDir = join(mountPoint, "data");
  mkdirSync(dataDir);
  server = await startHostileServer({ dataDir });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (mounted) spawnSync("umount", [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

test.skipIf(!mounted)(
  "on a full disk: new session, session import and attachments answer 507 disk_full",
  async () => {
    const created = await server.call("/api/sessions", { json: {} });
    expect(created.status).toBe(200);
    const { id } = (await created.json()) as { id: string };
    const exported = await (await server.call(`/api/sessions/${id}/export?format=json`)).text();

    fillDisk();
    const attempts = [
      () => server.call("/api/sessions", { json: {} }),
      () =>
        server.call("/api/sessions/import", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: exported,
        }),
      () =>
        server.call(`/api/sessions/${id}/attachments`, {
          method: "POST",
          headers: { "x-file-name": "notes.txt", "content-type": "text/plain" },
          body: "x".repeat(256 * 1024),
        }),
    ];
    for (const attempt of attempts) {
      const response = await attempt();
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(response.status).toBe(507);
      expect(body.error).toEqual({
        code: "disk_full",
        message: "The disk is full. Free some space and try again.",
      });
    }
    expect((await server.call("/api/health")).status).toBe(200);

    // Space again: the same requests work.
    rmSync(filler);
    expect((await server.call("/api/sessions", { json: {} })).status).toBe(200);
    expect(server.process.logText()).not.toContain("request failed");
  },
  60_000,
);
