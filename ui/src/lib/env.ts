/**
 * What the host gave the page: the access token and which shell runs it. The window and `bun run dev`
 * inject `window.__SAGE__` before the page's scripts; in serve mode ui/public/boot.js fills it from the
 * printed URL's `?token=` (kept in this origin's localStorage). No cookie is involved.
 */
export interface HostInfo {
  token?: string;
  shell: "window" | "serve" | "dev";
  version?: string;
}

declare global {
  interface Window {
    __SAGE__?: { token?: string; shell?: HostInfo["shell"]; version?: string };
  }
}

/**
 * True in the native window, whose engine (WebKitGTK through webview) neither downloads files nor opens
 * new windows: saves go through the server and links to the system browser or file manager.
 */
export const inNativeWindow = (): boolean => host.shell === "window";

export const host: HostInfo = {
  token: window.__SAGE__?.token,
  shell: window.__SAGE__?.shell ?? "serve",
  version: window.__SAGE__?.version,
};
