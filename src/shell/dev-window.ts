/**
 * `DEV_WINDOW=1 bun run dev`: the native window pointed at the Vite dev server (HMR inside the real
 * webview). Usage: bun src/shell/dev-window.ts <url> <token>
 */
import { VERSION } from "../core/version.ts";
import { checkWindowAvailability, preferPlainRenderingWithoutGpu } from "./display.ts";
import { NativeWindow, SizeHint } from "./webview-native.ts";
import { DEFAULT_SIZE, MIN_SIZE } from "./window-state.ts";

const [url, token] = process.argv.slice(2);
const availability = checkWindowAvailability(process.env);
if (!url || !token) {
  console.error("usage: bun src/shell/dev-window.ts <url> <token>");
  process.exit(2);
}
if (!availability.ok) {
  console.error(`${availability.reason}\n${availability.hint}`);
  process.exit(1);
}
preferPlainRenderingWithoutGpu(process.env);
const window = new NativeWindow(true);
window.setTitle("Sage (dev)");
window.setSize(MIN_SIZE.width, MIN_SIZE.height, SizeHint.min);
window.setSize(DEFAULT_SIZE.width, DEFAULT_SIZE.height, SizeHint.none);
window.init(`window.__SAGE__ = ${JSON.stringify({ token, shell: "window", version: VERSION })};`);
window.onSignal("SIGTERM", () => window.terminate());
window.onSignal("SIGINT", () => window.terminate());
window.navigate(url);
window.run();
window.destroy();
process.exit(0);
