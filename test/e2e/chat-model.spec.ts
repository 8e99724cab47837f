/**
 * The composer's model picker, end to end (compiled app, fake model process): it names the agent's
 * default, a pick sends the chat's next turns to that model and survives a reload, other chats keep the
 * default, and "Default" goes back.
 */
import { API_KEY, expect, test } from "./chat-fixtures.ts";

test("pick a model for one chat; it is used, kept on reload, and only for that chat", async ({
  chat,
  model,
  page,
}) => {
  await chat.newChat();
  const picker = page.getByTestId("model-picker");
  await expect(picker).toHaveAccessibleName("Model for this chat");
  await expect(picker.locator("option:checked")).toHaveText("Default (fake-model)");
  await expect(picker.locator("optgroup[label='Fake'] option")).toHaveText([
    "fake-model",
    "fake-model-large",
  ]);

  await picker.selectOption({ label: "fake-model-large" });
  await model.enqueue({ text: "Answered by the large one." });
  await chat.exchange("Which model are you?", "Answered by the large one.");
  expect((await model.requests()).at(-1)?.body?.model).toBe("fake-model-large");

  await page.reload();
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");
  await expect(page.getByTestId("model-picker").locator("option:checked")).toHaveText("fake-model-large");

  // Another chat starts on the default.
  await chat.newChat();
  await expect(page.getByTestId("model-picker").locator("option:checked")).toHaveText("Default (fake-model)");
  await model.enqueue({ text: "Answered by the default." });
  await chat.exchange("And you?", "Answered by the default.");
  expect((await model.requests()).at(-1)?.body?.model).toBe("fake-model");

  // Back in the first chat, "Default" undoes the pick.
  await page.getByTestId("session-row").last().click();
  const first = page.getByTestId("model-picker");
  await expect(first.locator("option:checked")).toHaveText("fake-model-large");
  await first.selectOption({ index: 0 });
  await expect(first.locator("option:checked")).toHaveText("Default (fake-model)");
  await model.enqueue({ text: "Default once more." });
  await chat.exchange("Again?", "Default once more.");
  expect((await model.requests()).at(-1)?.body?.model).toBe("fake-model");

  // A pick whose provider is deleted shows (and works) as the default again.
  const other = await chat.api<{ id: string }>("/api/providers", {
    json: {
      name: "Other",
      kind: "openai-compatible",
      baseUrl: model.url,
      apiKey: API_KEY,
      models: [{ id: "other-model" }],
      defaultModel: "other-model",
      isDefault: false,
    },
  });
  await page.reload();
  const again = page.getByTestId("model-picker");
  await again.selectOption({ label: "other-model" });
  await expect(again.locator("option:checked")).toHaveText("other-model");
  await chat.api(`/api/providers/${other.id}`, { method: "DELETE" });
  await page.reload();
  await expect(page.getByTestId("model-picker").locator("option:checked")).toHaveText("Default (fake-model)");
});
