/**
 * Automatic retries, end to end (compiled app, fake model process): a step that failed with a 500 (or
 * whose stream was cut) and was retried is ONE assistant message saying "Retried N times", expandable to
 * each attempt's error; while it backs off the chat shows one message with the error and the countdown;
 * the Markdown export and the next model request hold the answer once; when every attempt fails, one
 * message shows the final error and Retry still works.
 */
import type { APIRequestContext } from "@playwright/test";
import { expect, type RecordedRequest, test } from "./chat-fixtures.ts";
import type { SageApp } from "./fixtures.ts";

const serverError = { error: { status: 500, retryAfterSeconds: 0 } };

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

async function markdownExport(request: APIRequestContext, sage: SageApp, sessionId: string): Promise<string> {
  const response = await request.get(`${sage.baseURL}/api/sessions/${sessionId}/export?format=md`, {
    headers: { authorization: `Bearer ${sage.token}` },
  });
  expect(response.status()).toBe(200);
  return response.text();
}

function conversation(request: RecordedRequest | undefined): string {
  return JSON.stringify(request?.body?.messages ?? []);
}

test("error:500 twice: one message that says 'Retried 2 times' and lists the errors", async ({
  chat,
  model,
  page,
  request,
  sage,
}) => {
  const answer = "The answer that came on the third try.";
  await model.enqueue(serverError, serverError, { text: answer });
  const sessionId = await chat.newChat();
  await chat.exchange("Hello", answer);

  await expect(chat.messages("assistant")).toHaveCount(1);
  await expect(page.getByTestId("error-part")).toHaveCount(0);
  const retried = chat.lastAssistant().getByTestId("retried");
  await expect(retried).toContainText("Retried 2 times");
  await expect(retried.getByTestId("retried-attempts")).toHaveCount(0);
  await retried.getByTestId("retried-toggle").click();
  const attempts = retried.getByTestId("retried-attempts").locator("li");
  await expect(attempts).toHaveCount(2);
  await expect(attempts.nth(0)).toContainText("Attempt 1 failed at");
  await expect(attempts.nth(0)).toContainText("server error (500)");
  await expect(attempts.nth(1)).toContainText("Attempt 2 failed at");

  // A reload shows the same single message (the stored page agrees with the live view).
  await page.reload();
  await expect(chat.lastAssistant()).toContainText(answer);
  await expect(chat.messages("assistant")).toHaveCount(1);
  await expect(chat.lastAssistant().getByTestId("retried")).toContainText("Retried 2 times");

  expect(count(await markdownExport(request, sage, sessionId), answer)).toBe(1);
  await model.reset();
  await model.enqueue({ text: "Second turn done." });
  await chat.exchange("And then?", "Second turn done.");
  const [next] = await model.requests();
  expect(count(conversation(next), answer)).toBe(1);
  expect(conversation(next)).not.toContain("server error");
});

test("a cut stream: the partial sentence once, and one message while it backs off", async ({
  chat,
  model,
  page,
  request,
  sage,
}) => {
  const sentence = "Alpha beta gamma delta epsilon.";
  // Cut after "Alpha " and "beta " (paced, so at least "Alpha " arrives before the reset); the retry
  // waits about a second (no Retry-After on a cut).
  await model.enqueue(
    { text: sentence, cutAfterChunks: 3, tokenDelayMs: 40 },
    { text: sentence, tokenDelayMs: 30 },
  );
  const sessionId = await chat.newChat();
  await chat.send("Explain");
  // During the back-off (about a second, so checked in one look at the page): one message with the
  // partial text and the error, and the countdown below it.
  await page.waitForFunction(() => {
    const notice = document.querySelector('[data-testid="retry-notice"]');
    const answers = document.querySelectorAll('[data-testid="message"][data-role="assistant"]');
    const error = answers[0]?.querySelector('[data-testid="error-part"]');
    return (
      notice?.textContent?.includes("Retrying in") === true &&
      answers.length === 1 &&
      error?.textContent?.includes("broke off") === true &&
      answers[0]?.textContent?.includes("Alpha") === true
    );
  });
  // The retry replaces it: still one message, now without the error.
  await expect(chat.lastAssistant()).toContainText(sentence, { timeout: 15_000 });
  await chat.idle();
  await expect(chat.messages("assistant")).toHaveCount(1);
  await expect(page.getByTestId("error-part")).toHaveCount(0);
  await expect(page.getByTestId("retry-notice")).toHaveCount(0);
  await expect(chat.lastAssistant().getByTestId("retried")).toContainText("Retried once");
  await expect(chat.messages().filter({ hasText: "Alpha" })).toHaveCount(1);
  expect(count((await chat.lastAssistant().textContent()) ?? "", "Alpha")).toBe(1);

  expect(count(await markdownExport(request, sage, sessionId), "Alpha")).toBe(1);
  await model.reset();
  await model.enqueue({ text: "Next answer." });
  await chat.exchange("Go on", "Next answer.");
  const [next] = await model.requests();
  expect(count(conversation(next), "Alpha")).toBe(1);
});

test("every attempt fails: one message with the final error and 'Retried 4 times'; Retry works", async ({
  chat,
  model,
  page,
}) => {
  await model.enqueue(serverError, serverError, serverError, serverError, serverError);
  await chat.newChat();
  await chat.send("Try hard");
  const error = page.getByTestId("error-part");
  await expect(error).toContainText("server error (500)");
  await chat.idle();
  await expect(chat.messages("assistant")).toHaveCount(1);
  await expect(error).toHaveCount(1);
  await expect(chat.lastAssistant().getByTestId("retried")).toContainText("Retried 4 times");
  // The turn has no text: its footer offers no Copy (it would copy nothing), Regenerate stays.
  const footer = chat.lastAssistant().getByTestId("turn-footer");
  await expect(footer.getByTestId("regenerate")).toBeVisible();
  await expect(footer.getByTestId("copy-turn")).toHaveCount(0);

  await model.enqueue({ text: "Worked after all." });
  await error.getByTestId("retry-button").click();
  await expect(chat.lastAssistant()).toContainText("Worked after all.");
  await chat.idle();
  await expect(chat.messages("assistant")).toHaveCount(1);
  await expect(chat.messages("user")).toHaveCount(1);
  // The failed answer is the other version, not five.
  await expect(chat.lastAssistant().getByTestId("versions")).toContainText("2 of 2");
  await expect(footer.getByTestId("copy-turn")).toBeVisible();
});
