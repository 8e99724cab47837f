/**
 * Tool cards end to end (compiled app, fake model process): a shell command asks first, then shows its
 * output live while it runs (sandboxed by bubblewrap) and says "Stopped" when the user stops it; a file
 * write shows its diff in the approval and in the card, and its changes can be undone; a denial with a reason reaches the model; `ask_user`
 * questions are answered inline and the answers reach the model.
 */
import { expect, type RecordedRequest, test, textOf } from "./chat-fixtures.ts";

/** The content of the tool results in the model's last request. */
function toolResults(requests: RecordedRequest[]): string {
  const last = requests.at(-1);
  return JSON.stringify((last?.body?.messages ?? []).filter((message) => message.role === "tool"));
}

test("shell: asks first, then shows its output live while running, then the exit code", async ({
  chat,
  model,
  page,
}) => {
  const command = "echo first-line; sleep 1.5; echo second-line";
  await model.enqueue(
    {
      text: "Running it.",
      toolCalls: [{ name: "shell", arguments: { command, description: "Print two lines slowly" } }],
    },
    { text: "The command printed two lines." },
  );
  await chat.newChat();
  await chat.send("Run the two-line command");

  const card = chat.toolCard("shell");
  await expect(card).toHaveAttribute("data-status", "awaiting-approval");
  const approval = card.getByTestId("approval-prompt");
  await expect(approval).toContainText(command);
  // The prompt shows the command; the card does not repeat it under the prompt.
  await expect(card.getByTestId("shell-command")).toHaveCount(0);
  await expect(card.getByTestId("approve-once")).toBeFocused();
  await expect(page.getByTestId("session-row").getByTestId("running-indicator")).toBeVisible();
  // The turn is not over while its call waits: no footer (usage, copy, regenerate) under it yet.
  await expect(page.getByTestId("turn-footer")).toHaveCount(0);
  await card.getByTestId("approve-once").click();
  await expect(approval).toHaveCount(0);

  // The first line while the command still sleeps.
  await expect(card.getByTestId("shell-output")).toContainText("first-line");
  await expect(card).toHaveAttribute("data-status", "running");
  expect(await textOf(card.getByTestId("shell-output"))).not.toContain("second-line");
  await expect(card.getByTestId("tool-status")).toContainText("Running");

  await expect(card).toHaveAttribute("data-status", "completed", { timeout: 15_000 });
  // A finished shell card folds to its header line; opening it shows the command, output and exit code.
  await expect(card.getByTestId("shell-output")).toHaveCount(0);
  await card.getByRole("button", { name: /shell/ }).click();
  await expect(card.getByTestId("shell-command")).toContainText(command);
  await expect(card.getByTestId("shell-output")).toContainText("first-line");
  await expect(card.getByTestId("shell-output")).toContainText("second-line");
  await expect(card.getByTestId("exit-code")).toHaveText("exit 0");
  await expect(card.getByTestId("tool-status")).toContainText(/Done · \d+\.\ds/);
  await expect(chat.lastAssistant()).toContainText("The command printed two lines.");
  await chat.idle();
  await expect(page.getByTestId("turn-footer")).toHaveCount(1);
  expect(toolResults(await model.requests())).toContain("second-line");
  const stored = await chat.api<{ messages: { parts: { type: string; output?: { details?: object } }[] }[] }>(
    `/api/sessions/${await chat.sessionId()}/messages?limit=20`,
  );
  const shellPart = stored.messages.flatMap((message) => message.parts).find((part) => part.type === "tool");
  expect(shellPart?.output?.details).toMatchObject({ exitCode: 0, sandbox: "bubblewrap" });
});

test("stop while a shell command runs: the card says Stopped and keeps the output so far", async ({
  chat,
  model,
  page,
}) => {
  await model.enqueue({
    toolCalls: [{ name: "shell", arguments: { command: "echo before-stop; sleep 30; echo never" } }],
  });
  await chat.newChat();
  await chat.send("Run the slow command");
  const card = chat.toolCard("shell");
  await card.getByTestId("approve-once").click();
  await expect(card.getByTestId("shell-output")).toContainText("before-stop");
  await page.getByTestId("stop").click();

  await expect(card).toHaveAttribute("data-status", "error", { timeout: 10_000 });
  await expect(card.getByTestId("tool-status")).toContainText("Stopped");
  await expect(card.getByTestId("tool-status")).not.toContainText("Failed");
  await expect(card.getByTestId("shell-output")).toContainText("before-stop");
  await expect(card.getByTestId("shell-output")).not.toContainText("never");
  await expect(card.getByTestId("tool-error")).toHaveCount(0);
  // Killed by the stop, the command has no exit code to show (not "exit null").
  await expect(card.getByTestId("exit-code")).toHaveCount(0);
  await chat.idle();
});

test("write_file and edit_file: the approval shows the diff, the card keeps it, undo restores", async ({
  chat,
  model,
  page,
}) => {
  await model.enqueue(
    { toolCalls: [{ name: "write_file", arguments: { path: "notes/plan.md", content: "alpha\nbeta\n" } }] },
    { text: "Wrote the plan." },
  );
  await chat.newChat();
  await chat.send("Write a plan");

  const write = chat.toolCard("write_file");
  await expect(write).toHaveAttribute("data-status", "awaiting-approval");
  const approvalDiff = write.getByTestId("approval-prompt").getByTestId("diff-view");
  await expect(approvalDiff).toContainText("+alpha");
  await expect(approvalDiff).toContainText("+beta");
  await write.getByTestId("approve-once").click();
  await expect(write).toHaveAttribute("data-status", "completed");
  await expect(write.getByTestId("approval-prompt")).toHaveCount(0);
  await expect(write.getByTestId("diff-view")).toContainText("+alpha");
  await expect(write).toContainText("notes/plan.md");
  await expect(write).toContainText("+2");
  await expect(chat.lastAssistant()).toContainText("Wrote the plan.");
  await chat.idle();

  await model.enqueue(
    {
      toolCalls: [
        {
          name: "edit_file",
          arguments: { path: "notes/plan.md", old_string: "beta", new_string: "gamma" },
        },
      ],
    },
    { text: "Changed beta to gamma." },
  );
  await chat.send("Change beta to gamma");
  const edit = chat.toolCard("edit_file");
  await expect(edit).toHaveAttribute("data-status", "awaiting-approval");
  const editDiff = edit.getByTestId("approval-prompt").getByTestId("diff-view");
  await expect(editDiff).toContainText("-beta");
  await expect(editDiff).toContainText("+gamma");
  // Enter on the focused first button allows once.
  await expect(edit.getByTestId("approve-once")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(edit).toHaveAttribute("data-status", "completed");
  await expect(edit.getByTestId("diff-view")).toContainText("+gamma");
  await expect(chat.lastAssistant()).toContainText("Changed beta to gamma.");
  await chat.idle();

  const agentId = (await chat.api<{ agentId: string }>(`/api/sessions/${await chat.sessionId()}`)).agentId;
  const fileText = async () => {
    const response = await page.request.get(
      `${chat.sage.baseURL}/api/agents/${agentId}/workspace/file?path=notes/plan.md`,
      { headers: { authorization: `Bearer ${chat.sage.token}` } },
    );
    return response.ok() ? await response.text() : `status ${response.status()}`;
  };
  expect(await fileText()).toBe("alpha\ngamma\n");

  // Each turn's Undo says what it will restore: the first created the file, the second changed it.
  const footers = page.getByTestId("turn-footer");
  await expect(footers.first().getByTestId("undo-files")).toHaveText(
    "Undo: restore 1 file changed by this turn: notes/plan.md (new)",
  );
  const footer = footers.last();
  await expect(footer.getByTestId("undo-files")).toHaveText(
    "Undo: restore 1 file changed by this turn: notes/plan.md",
  );
  await footer.getByTestId("undo-files").click();
  await expect(
    page.getByTestId("toast").filter({ hasText: "Undone, back as before the turn: notes/plan.md" }),
  ).toBeVisible();
  await expect.poll(fileText).toBe("alpha\nbeta\n");
  // Used once, the button is gone, also after a reload; the other turn still offers its own.
  await expect(footer.getByTestId("undo-files")).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("turn-footer")).toHaveCount(2);
  await expect(page.getByTestId("turn-footer").first().getByTestId("undo-files")).toBeVisible();
  await expect(page.getByTestId("turn-footer").last().getByTestId("undo-files")).toHaveCount(0);
});

test("deny with a reason: the card says denied and the model hears why", async ({ chat, model }) => {
  await model.enqueue(
    { toolCalls: [{ name: "shell", arguments: { command: "rm -rf build" } }] },
    { text: "Understood, I left the build folder alone." },
  );
  await chat.newChat();
  await chat.send("Clean the build");
  const card = chat.toolCard("shell");
  await card.getByTestId("deny").click();
  await card.getByTestId("deny-reason").fill("keep the build for now");
  await card.getByTestId("confirm-deny").click();
  await expect(card).toHaveAttribute("data-status", "denied");
  await expect(card.getByTestId("approval-prompt")).toHaveCount(0);
  await expect(chat.lastAssistant()).toContainText("I left the build folder alone.");
  await chat.idle();
  expect(toolResults(await model.requests())).toContain("keep the build for now");
});

test("ask_user: the questions are answered inline and the answers reach the model", async ({
  chat,
  model,
  page,
}) => {
  await model.enqueue(
    {
      text: "Two quick questions.",
      toolCalls: [
        {
          name: "ask_user",
          arguments: {
            questions: [
              { id: "colour", prompt: "Which colour?", kind: "single", options: ["Red", "Green"] },
              {
                id: "extras",
                prompt: "Which extras?",
                kind: "multiple",
                options: ["Cheese", "Olives", "Basil"],
              },
              { id: "note", prompt: "Anything else?", kind: "text" },
            ],
          },
        },
      ],
    },
    { text: "Green with olives and basil, noted." },
  );
  await chat.newChat();
  await chat.send("Plan my pizza");

  const card = page.getByTestId("question-card");
  await expect(card).toBeVisible();
  await expect(card).toContainText("Which colour?");
  await card.getByLabel("Green").check();
  await card.getByLabel("Olives").check();
  await card.getByLabel("Basil").check();
  await card.getByTestId("question-text").fill("Thin crust please");
  await card.getByTestId("question-submit").click();

  await expect(card).toHaveCount(0);
  await expect(chat.lastAssistant()).toContainText("Green with olives and basil, noted.");
  await chat.idle();
  await expect(chat.toolCard("ask_user")).toHaveAttribute("data-status", "completed");
  const results = toolResults(await model.requests());
  expect(results).toContain("Green");
  expect(results).toContain("Olives, Basil");
  expect(results).toContain("Thin crust please");
});
