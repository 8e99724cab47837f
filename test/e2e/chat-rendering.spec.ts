/**
 * How an answer is rendered, end to end (compiled app, fake model process): GFM (headings, task lists,
 * tables), code blocks highlighted in the worker with a working Copy button, the turn's Copy (its
 * Markdown), KaTeX math inline and as a block, a mermaid diagram drawn once the answer is complete, HTML
 * that tries to run script sanitised away, and links that open outside the app (a new tab in serve
 * mode), never in the app's own page.
 */
import { expect, test } from "./chat-fixtures.ts";

const ANSWER = [
  "## Plan",
  "",
  "- [x] read the files",
  "- [ ] write the summary",
  "",
  "| file | lines |",
  "|---|---:|",
  "| alpha.ts | 12 |",
  "",
  "```ts",
  "export const answer: number = 42;",
  "```",
  "",
  "Euler: $e^{i\\pi} + 1 = 0$, and a block:",
  "",
  "$$\\int_0^1 x^2\\,dx = \\frac{1}{3}$$",
  "",
  "```mermaid",
  "graph TD",
  "  Start --> Finish",
  '  Finish --> Area["$$\\pi r^2$$"]',
  "```",
  "",
  '<img src="x" onerror="window.__injected = 1"><script>window.__injected = 2</script>',
  "",
  "Read [the docs](https://docs.example.test/guide) next.",
].join("\n");

test("Markdown, code, math, diagrams, sanitised HTML and external links", async ({
  chat,
  model,
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  // KaTeX's fonts load as woff2, the only format the executable embeds (scripts/build.ts).
  const fonts: { url: string; status: number }[] = [];
  page.on("response", (response) => {
    if (/\.(woff2?|ttf)$/.test(response.url()))
      fonts.push({ url: response.url(), status: response.status() });
  });
  await model.enqueue({ text: ANSWER });
  await chat.newChat();
  await chat.exchange("Show me everything", "next.");
  const answer = chat.lastAssistant();

  // GFM: heading, task list (static marks that say their state, no inputs), table with alignment.
  await expect(answer.getByRole("heading", { name: "Plan" })).toBeVisible();
  await expect(answer.locator("input")).toHaveCount(0);
  await expect(answer.getByRole("img", { name: "Done", exact: true })).toHaveText("☑");
  await expect(answer.getByRole("img", { name: "Not done" })).toHaveText("☐");
  await expect(answer.getByRole("cell", { name: "alpha.ts" })).toBeVisible();
  await expect(answer.locator("td").nth(1)).toHaveCSS("text-align", "right");

  // Code: highlighted into coloured spans, and Copy puts the plain code on the clipboard.
  const code = answer.locator(".code-block");
  await expect(code.locator("code[data-highlighted] span[style]").first()).toBeVisible();
  await expect(code.locator("code")).toHaveText("export const answer: number = 42;");
  await code.getByRole("button", { name: "Copy" }).click();
  await expect
    .poll(() => page.evaluate(() => navigator.clipboard.readText()))
    .toBe("export const answer: number = 42;");

  // Copy on the turn's footer: the answer's Markdown source, not the rendered text.
  await page.getByTestId("turn-footer").last().getByTestId("copy-turn").click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(ANSWER);

  // Math: KaTeX, inline and display.
  await expect(answer.locator(".katex:not(.mermaid-block .katex)")).toHaveCount(2);
  await expect(answer.locator(".math-block .katex-display")).toHaveCount(1);
  await expect(answer.locator(".math-pending")).toHaveCount(0);
  await expect.poll(() => fonts.filter((font) => /KaTeX_Main/.test(font.url)).length).toBeGreaterThan(0);
  expect(fonts.filter((font) => font.status !== 200 || !font.url.endsWith(".woff2"))).toEqual([]);

  // Mermaid: an SVG diagram with both labelled nodes, styled (its own <style> kept: nodes are not black).
  const diagram = answer.locator(".mermaid-block svg");
  await expect(diagram).toBeVisible({ timeout: 15_000 });
  await expect(diagram).toContainText("Start");
  await expect(diagram).toContainText("Finish");
  // Math in a diagram's label: mermaid renders it with the chat's own KaTeX (one copy in the bundle).
  await expect(diagram.locator(".katex")).toHaveCount(1);
  await expect(diagram).toContainText("π");
  await expect(diagram.locator("style")).toHaveCount(1);
  await expect(diagram.locator(".node rect").first()).not.toHaveCSS("fill", "rgb(0, 0, 0)");

  // Sanitised: no script element, no event handler, nothing ran.
  await expect(answer.locator("script")).toHaveCount(0);
  await expect(answer.locator("img[onerror]")).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __injected?: number }).__injected)).toBeUndefined();

  // A link opens outside the app (a new tab here); the app's page stays where it was.
  await context.route("https://docs.example.test/**", (route) =>
    route.fulfill({ contentType: "text/html", body: "<title>Docs</title>docs" }),
  );
  const at = page.url();
  const opened = context.waitForEvent("page");
  await answer.getByRole("link", { name: "the docs" }).click();
  const tab = await opened;
  await expect.poll(() => tab.url()).toContain("docs.example.test/guide");
  await tab.close();
  expect(page.url()).toBe(at);
});
