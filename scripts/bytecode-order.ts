/**
 * Profile-guided bytecode layout for the executable (Bun's `compile.bytecodeOrder`): run a fresh build
 * once the way people start it — `--serve` on an empty data folder, until /api/health and the page
 * answer — with `BUN_BYTECODE_ORDER_OUT`, so Bun records which functions start-up uses; the second
 * build places their bytecode together at the front of the executable. Start-up then touches fewer of
 * the executable's pages (measured: idle RSS ~2 MiB lower, scripts/bench/startup.ts).
 *
 * Contract: `recordBytecodeOrder` resolves true when `orderFile` was written; on any failure (the app
 * does not start within the time limit, no profile written) it stops the app, warns and resolves false,
 * and the caller keeps the build it has. The run never touches the user's data (a temp folder).
 */
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.ts";

const START_LIMIT_MS = 20_000;

export async function recordBytecodeOrder(executable: string, orderFile: string): Promise<boolean> {
  const dataDir = mkdtempSync(join(tmpdir(), "sage-bytecode-order-"));
  rmSync(orderFile, { force: true });
  const port = freePort();
  const token = Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString("base64url");
  const child = Bun.spawn(
    [executable, "--serve", "--port", String(port), "--no-open", "--data-dir", dataDir],
    {
      env: {
        ...process.env,
        BUN_BYTECODE_ORDER_OUT: orderFile,
        SAGE_DEV_TOKEN: token,
        DISPLAY: "",
        WAYLAND_DISPLAY: "",
        DBUS_SESSION_BUS_ADDRESS: "",
      },
      stdin: "ignore",
      stdout: "ignore",
      stderr: "ignore",
    },
  );
  const base = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${token}` };
  try {
    const deadline = Date.now() + START_LIMIT_MS;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error(`no answer within ${START_LIMIT_MS} ms`);
      const ok = await fetch(`${base}/api/health`, { headers }).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) break;
      await Bun.sleep(20);
    }
    // What a browser asks for first: the page, the sidebar, the settings.
    for (const path of ["/", "/api/sessions?limit=50", "/api/settings", "/api/agents", "/api/providers"])
      await (await fetch(`${base}${path}`, { headers })).arrayBuffer();
    child.kill("SIGTERM");
    await child.exited;
    if (!existsSync(orderFile) || statSync(orderFile).size === 0) throw new Error("no profile was written");
    return true;
  } catch (error) {
    console.warn(`bytecode order not recorded (${(error as Error).message}); building without it`);
    child.kill("SIGKILL");
    await child.exited;
    return false;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
