/**
 * Where API keys go, tested for real in child processes (test/fixtures/keychain/key-storage-check.ts):
 *
 * - keychain: inside `dbus-run-session` with gnome-keyring unlocked (a private HOME, so a fresh login
 *   keyring), the backend picks the OS keychain; the key is found by `secret-tool`, is not in the
 *   encrypted file, survives a restart; a key an earlier keychain-less run left in the file is moved
 *   into the keychain; Bun.secrets works inside a Worker (window mode's server worker).
 * - fallback: with no session bus at all, the backend uses the encrypted file (0600, no plain key) and
 *   says so; the key survives a restart.
 * Skipped, with the reason printed, only when dbus-run-session or gnome-keyring-daemon is missing.
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const REPO = join(import.meta.dir, "..", "..");
const SCRIPT = join(REPO, "test", "fixtures", "keychain", "key-storage-check.ts");
const BUN = process.execPath;

interface Observations {
  keyStorage: string;
  setupKeyStorage: string;
  createdHasKey: boolean;
  responsesContainKey: boolean;
  secretToolFound: boolean;
  keychainDirect: boolean;
  fileExists: boolean;
  fileMode: string;
  fileRefs: string[];
  fileHasPlainKey: boolean;
  rereadMatches: boolean;
  earlierMatches: boolean;
  logHasKey: boolean;
  worker: string;
}

async function runCheck(command: string[], env: Record<string, string | undefined>): Promise<Observations> {
  const child = Bun.spawn(command, { cwd: REPO, env, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  const line = stdout.split("\n").find((candidate) => candidate.startsWith("{"));
  if (code !== 0 || !line) throw new Error(`check failed (exit ${code}):\n${stdout}\n${stderr}`);
  return JSON.parse(line) as Observations;
}

function baseEnv(home: string): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    HOME: home,
    XDG_DATA_HOME: join(home, ".local", "share"),
  };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  delete env.DBUS_SESSION_BUS_ADDRESS;
  delete env.SAGE_HOME;
  return env;
}

const missing = ["dbus-run-session", "gnome-keyring-daemon", "secret-tool"].filter(
  (tool) => !Bun.which(tool),
);
if (missing.length > 0) {
  console.warn(
    `key-storage: skipping the keychain test: ${missing.join(", ")} not installed (apt install dbus gnome-keyring libsecret-tools)`,
  );
}

describe("key storage", () => {
  test.skipIf(missing.length > 0)(
    "OS keychain under a real Secret Service (gnome-keyring in dbus-run-session)",
    async () => {
      const home = mkdtempSync(join(tmpdir(), "sage-keyring-home-"));
      const data = mkdtempSync(join(tmpdir(), "sage-keyring-data-"));
      try {
        const script = `echo -n sage-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "${BUN}" "${SCRIPT}" keychain "${data}"`;
        const seen = await runCheck(["dbus-run-session", "--", "sh", "-c", script], baseEnv(home));
        expect(seen).toMatchObject({
          keyStorage: "keychain",
          setupKeyStorage: "keychain",
          createdHasKey: true,
          responsesContainKey: false,
          secretToolFound: true,
          keychainDirect: true,
          fileRefs: [],
          fileHasPlainKey: false,
          rereadMatches: true,
          earlierMatches: true,
          logHasKey: false,
          worker: "keychain",
        });
      } finally {
        rmSync(home, { recursive: true, force: true });
        rmSync(data, { recursive: true, force: true });
      }
    },
    60_000,
  );

  test("no keychain (no session bus): the encrypted file in the data dir, said so", async () => {
    const home = mkdtempSync(join(tmpdir(), "sage-nokeyring-home-"));
    const data = mkdtempSync(join(tmpdir(), "sage-nokeyring-data-"));
    try {
      const env = { ...baseEnv(home), DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/sage-test-bus" };
      const seen = await runCheck([BUN, SCRIPT, "fallback", data], env);
      expect(seen).toMatchObject({
        keyStorage: "encrypted-file",
        setupKeyStorage: "encrypted-file",
        createdHasKey: true,
        responsesContainKey: false,
        fileExists: true,
        fileMode: "600",
        fileHasPlainKey: false,
        rereadMatches: true,
        earlierMatches: true,
        logHasKey: false,
      });
      expect(seen.fileRefs).toHaveLength(2);
      expect(seen.worker).toStartWith("unavailable:");
    } finally {
      rmSync(home, { recursive: true, force: true });
      rmSync(data, { recursive: true, force: true });
    }
  }, 60_000);
});
