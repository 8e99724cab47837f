/**
 * browser_evaluate: run JavaScript in the current tab's page and return the result as JSON. The page
 * may hold the user's signed-in sessions, so this tool is in `ALWAYS_ASK_TOOLS` (src/browser/types.ts):
 * the user approves every call.
 *
 * The script is an expression (its value, awaited, is the result; a function expression is called),
 * or a function body with `return` statements. Elements in the result are replaced by their HTML.
 * Needs `ctx.services.browser`. Details: `{ tabId, url, title, resultType, cut }`.
 */
import { Type as T } from "@sinclair/typebox";
import { defineTool, ToolError } from "../agent/tool-contract.ts";
import { describeTab } from "../browser/snapshot.ts";
import { markBefore, runBrowserAction, settleAfterAction } from "../browser/tool-support.ts";

export const evaluateTimeoutMs = 30_000;
const maximumResultCharacters = 20_000;

const description = `Run JavaScript in the current browser tab and get the result (as JSON). The user is asked to approve every call.
- script is an expression, e.g. document.title or [...document.querySelectorAll("h2")].map(h => h.textContent), or a function body that uses return.
- Promises are awaited; the script must finish within ${evaluateTimeoutMs / 1000} s. Elements come back as their HTML.
- Prefer browser_snapshot to read the page and browser_click/browser_type to act on it.`;

export const browserEvaluateTool = defineTool({
  name: "browser_evaluate",
  description,
  kind: "browser",
  parameters: T.Object({
    script: T.String({ minLength: 1, description: "JavaScript expression or function body." }),
  }),
  describe(params) {
    return { title: "Run JavaScript in the browser page", detail: params.script, detailKind: "command" };
  },
  async execute(params, ctx) {
    const wrapped = wrapScript(params.script);
    return runBrowserAction(ctx, async (session) => {
      const tab = session.currentTab();
      const before = markBefore(session, tab);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new ToolError(
                `The script did not finish within ${evaluateTimeoutMs / 1000} s. The page may still be busy; reload it or close the tab if it stays stuck.`,
              ),
            ),
          evaluateTimeoutMs,
        );
      });
      let value: unknown;
      try {
        value = await Promise.race([tab.page.evaluate(wrapped), timeout]);
      } catch (error) {
        if (error instanceof ToolError) throw error;
        const message = error instanceof Error ? error.message : String(error);
        throw new ToolError(
          `The script failed: ${message.replace(/^(page\.)?evaluate:\s*/, "").split("\n")[0]}`,
        );
      } finally {
        clearTimeout(timer);
      }
      const json = value === undefined ? "undefined" : (JSON.stringify(value, null, 2) ?? String(value));
      const cut = json.length > maximumResultCharacters;
      const shown = cut
        ? `${json.slice(0, maximumResultCharacters)}\n[Result cut at ${maximumResultCharacters} of ${json.length} characters.]`
        : json;
      // A script may navigate or load things: say what changed, and what the address gate refused.
      const outcome = await settleAfterAction(session, tab, before);
      const notes = outcome.notes.length > 0 ? `\n\n${outcome.notes.join("\n")}` : "";
      const { heading, url, title } = await describeTab(outcome.tab);
      return {
        text: `${shown}${notes}\n\n${heading}`,
        details: {
          tabId: outcome.tab.id,
          url,
          title,
          resultType: value === null ? "null" : typeof value,
          cut,
        },
      };
    });
  },
});

/**
 * The expression sent to the page. Whether the script parses as an expression is checked here by
 * compiling (never running) it; otherwise it is taken as a function body. A syntax error in both forms
 * is reported before anything runs in the page.
 */
export function wrapScript(script: string): string {
  const settle = `const settle = (value) => value instanceof Element ? value.outerHTML.slice(0, 5000) : Array.isArray(value) ? value.map(settle) : value;`;
  if (parses(`return (${script}\n);`)) {
    return `(async () => { ${settle} let value = await (${script}\n); if (typeof value === "function") value = await value(); return settle(value); })()`;
  }
  if (parses(script)) {
    return `(async () => { ${settle} return settle(await (async () => { ${script}\n })()); })()`;
  }
  throw new ToolError("The script has a syntax error: give a JavaScript expression or a function body.");
}

function parses(body: string): boolean {
  try {
    // Compiles only; the function is never called.
    new Function(`return async () => { ${body} }`);
    return true;
  } catch {
    return false;
  }
}
