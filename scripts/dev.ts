/**
 * `bun run dev`: the server with reload on change (bun --watch) plus Vite with HMR, which proxies /api
 * and /ws to it. Open http://localhost:5173/. `DEV_WINDOW=1 bun run dev` also opens the native window
 * on the Vite URL. Data goes to $XDG_DATA_HOME/sage-dev unless SAGE_HOME is set.
 */
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import type { Subprocess } from "bun";

const root = resolve(import.meta.dir, "..");
const uiPort = Number(process.env.SAGE_DEV_UI_PORT ?? 5173);
const backendPort = Number(process.env.SAGE_DEV_PORT ?? 5174);
const token = Buffer.from(crypto.getRandomValues(new Uint8Array(24))).toString("base64url");
const dataDir =
  process.env.SAGE_HOME ?? join(process.env.XDG_DATA_HOME ?? join(homedir(), ".local", "share"), "sage-dev");
const uiUrl = `http://localhost:${uiPort}/`;

const env = {
  ...process.env,
  SAGE_HOME: dataDir,
  SAGE_DEV_TOKEN: token,
  SAGE_DEV_ORIGIN: `http://localhost:${uiPort},http://127.0.0.1:${uiPort}`,
  SAGE_DEV_BACKEND: `http://127.0.0.1:${backendPort}`,
  SAGE_DEV_UI_PORT: String(uiPort),
};

const children: Subprocess[] = [];
function start(command: string[]): Subprocess {
  const child = Bun.spawn(command, { cwd: root, env, stdio: ["inherit", "inherit", "inherit"] });
  children.push(child);
  return child;
}

start([process.execPath, "--watch", "src/main.ts", "--serve", "--port", String(backendPort), "--no-open"]);
start([
  process.execPath,
  join(root, "node_modules", "vite", "bin", "vite.js"),
  "--config",
  "ui/vite.config.ts",
]);
if (process.env.DEV_WINDOW === "1") {
  start([process.execPath, "src/shell/dev-window.ts", uiUrl, token]);
}
console.log(`\nSage dev: open ${uiUrl}  (server on :${backendPort}, data in ${dataDir})\n`);

function stopAll(): void {
  for (const child of children) child.kill("SIGTERM");
  setTimeout(() => process.exit(0), 500);
}
process.on("SIGINT", stopAll);
process.on("SIGTERM", stopAll);
await Promise.race(children.map((child) => child.exited));
stopAll();
