/**
 * browser_type: put text into a field named by a snapshot ref (or a selector). Text fields are
 * replaced (or typed key by key with `slowly`); for a <select>, the option with that label or value is
 * chosen. `submit` presses Enter afterwards. Needs `ctx.services.browser`. Details: `{ tabId, url,
 * title, navigated, newTabs, snapshotTruncated }`.
 */
import { Type as T } from "@sinclair/typebox";
import type { Locator } from "playwright-core";
import { defineTool, ToolError } from "../agent/tool-contract.ts";
import { describeTarget, maskedText, targetLines } from "../browser/target-description.ts";
import { refParameter, resolveTarget, selectorParameter } from "../browser/targets.ts";
import { actionResult, markBefore, runBrowserAction, settleAfterAction } from "../browser/tool-support.ts";

const description = `Type text into a form field in the current browser tab (replacing what it held), then show the updated page.
- Name the field by its ref from browser_snapshot (preferred), or by a selector.
- For a drop-down (select), text is the option to choose.
- submit: true presses Enter afterwards (submits most forms). slowly: true types one key at a time, for pages that react to each key.`;

export const browserTypeTool = defineTool({
  name: "browser_type",
  description,
  kind: "browser",
  parameters: T.Object({
    ref: refParameter,
    selector: selectorParameter,
    text: T.String({ description: "The text to enter." }),
    submit: T.Optional(T.Boolean({ description: "Press Enter after typing." })),
    slowly: T.Optional(T.Boolean({ description: "Type key by key instead of filling the field at once." })),
  }),
  async describe(params, ctx) {
    const target = await describeTarget(ctx.services ?? {}, params);
    const text = target.password ? maskedText(params.text) : JSON.stringify(shortened(params.text));
    return {
      title: `Type into ${target.label}`,
      detail: [`Text: ${text}`, ...(params.submit ? ["Then: press Enter"] : []), ...targetLines(target)].join(
        "\n",
      ),
      detailKind: "url",
    };
  },
  async execute(params, ctx) {
    return runBrowserAction(ctx, async (session) => {
      const tab = session.currentTab();
      const target = await resolveTarget(tab.page, params);
      const before = markBefore(session, tab);
      const { tagName, password } = await target.locator.evaluate((element) => ({
        tagName: element.tagName.toLowerCase(),
        password: element instanceof HTMLInputElement && element.type.toLowerCase() === "password",
      }));
      // A password is not repeated back in the result (the transcript keeps results).
      const typed = password
        ? `${Array.from(params.text).length} characters (hidden) into the password field`
        : `${JSON.stringify(params.text)} into`;
      let summary: string;
      if (tagName === "select") {
        const chosen = await chooseOption(target.locator, params.text);
        summary = `Chose "${chosen}" in ${target.label}.`;
      } else if (params.slowly) {
        await target.locator.fill("");
        await target.locator.pressSequentially(params.text);
        summary = `Typed ${typed} ${target.label}.`;
      } else {
        await target.locator.fill(params.text);
        summary = `Typed ${typed} ${target.label}.`;
      }
      if (params.submit) {
        await target.locator.press("Enter");
        summary += " Pressed Enter.";
      }
      const outcome = await settleAfterAction(session, tab, before);
      return actionResult(summary, outcome);
    });
  },
});

/** Choose the option whose label (or else value) is `text`, failing at once with the choices when none is. */
async function chooseOption(locator: Locator, text: string): Promise<string> {
  const options = await locator.evaluate((element) =>
    Array.from((element as HTMLSelectElement).options).map((option) => ({
      label: option.label,
      value: option.value,
    })),
  );
  const wanted = text.trim();
  const option =
    options.find((candidate) => candidate.label.trim() === wanted) ??
    options.find((candidate) => candidate.value === text) ??
    options.find((candidate) => candidate.label.trim().toLowerCase() === wanted.toLowerCase());
  if (!option) {
    throw new ToolError(
      `The drop-down has no option "${text}". Its options: ${options.map((candidate) => candidate.label).join(", ")}.`,
    );
  }
  await locator.selectOption({ value: option.value });
  return option.label;
}

/** Long text is shown in the approval up to this many characters. */
const shownCharacters = 2000;

function shortened(text: string): string {
  return text.length > shownCharacters
    ? `${text.slice(0, shownCharacters)}… (${text.length} characters)`
    : text;
}
