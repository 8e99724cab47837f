/**
 * When the backend cannot start: the exit code, and the page the window shows instead of the app (a
 * desktop start has no terminal, so the window is the only place the user reads why).
 */
import { errorName } from "../core/errors.ts";

/** sysexits' EX_DATAERR: the database is damaged or from a newer Sage (the message says what to do). */
export const EXIT_DATABASE_UNUSABLE = 65;

/** The exit code for a failed start; window mode passes the worker's error name as `failure`. */
export function startFailureCode(error: unknown): number {
  const name = (error as { failure?: unknown }).failure ?? errorName(error);
  return name === "DatabaseDamagedError" || name === "DatabaseTooNewError" ? EXIT_DATABASE_UNUSABLE : 1;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A self-contained page (no script, no external resources) with the start failure's message, verbatim
 * and selectable (it holds the commands to run), and where the log is.
 */
export function startFailurePage(message: string, logPath: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Sage could not start</title>
<style>body{font:15px system-ui,sans-serif;margin:0;display:grid;place-items:center;min-height:100vh;background:#f6f7f6;color:#1d2621}
main{max-width:680px;padding:32px}h1{font-size:20px}pre{white-space:pre-wrap;background:#e6ebe8;padding:12px;border-radius:6px;font-size:13px;user-select:text}
code{background:#e6ebe8;padding:2px 6px;border-radius:4px}</style></head>
<body><main><h1>Sage could not start</h1><pre id="reason">${escapeHtml(message)}</pre>
<p>The log has the details: <code>${escapeHtml(logPath)}</code></p>
<p>Close this window when you are done; start Sage again afterwards.</p></main></body></html>`;
}
