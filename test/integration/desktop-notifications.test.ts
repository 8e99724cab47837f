/**
 * Desktop notifications on a private D-Bus session bus with a fake notification service that records
 * the Notify calls Sage sends over the wire (real HTTP, /ws, fake model server). While a page reports
 * focus nothing is sent; once no page has the focus, each finished, failed or waiting turn sends one
 * (unless its kind is switched off); clicking one (ActionInvoked) shows the window and tells every page
 * to open that chat.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import type { DesktopStatus } from "../../src/shared/desktop.ts";
import type { UserSettings } from "../../src/shared/settings.ts";
import { FakeNotificationService } from "../fixtures/fake-desktop/notification-service.ts";
import { type PrivateBus, startPrivateBus } from "../fixtures/fake-desktop/private-bus.ts";
import { useBackend } from "../support/backend.ts";
import { ended, openSession, runTurn, submit } from "../support/session-steps.ts";
import { TestSocket } from "../support/test-socket.ts";

let bus: PrivateBus;
let service: FakeNotificationService;
let activations = 0;

beforeAll(async () => {
  bus = await startPrivateBus();
  service = await FakeNotificationService.start(bus.address);
});
const app = useBackend(() => ({
  env: { DBUS_SESSION_BUS_ADDRESS: bus.address, LANG: "en_US.UTF-8" },
  shell: {
    kind: "window",
    activate: () => {
      activations++;
      return true;
    },
    quit: () => {},
  },
}));
beforeAll(async () => {
  await app().running.desktop.ready;
});

afterAll(async () => {
  service?.stop();
  await bus?.stop();
});

beforeEach(async () => {
  service.calls.length = 0;
  await app().api("/api/settings", {
    method: "PATCH",
    json: { notifyTurnEnded: true, notifyTurnFailed: true, notifyNeedsInput: true },
  });
});

const focus = (clientId: string, focused: boolean) =>
  app().api<{ focused: boolean }>("/api/app/focus", { json: { clientId, focused } });

describe("desktop notifications", () => {
  test("the status says a notification service is there", async () => {
    const { body } = await app().api<DesktopStatus>("/api/app/desktop");
    expect(body.notifications.status).toBe("ready");
  });

  test("none while a page has the focus; one per finished turn once none has", async () => {
    const session = await openSession(app());
    expect((await focus("window-1", true)).body.focused).toBe(true);
    app().fake.enqueue({ text: "Done while you watched." });
    await runTurn(session, "First");
    await Bun.sleep(300);
    expect(service.calls).toEqual([]);

    expect((await focus("window-1", false)).body.focused).toBe(false);
    app().fake.enqueue({ text: "Done while you were away." });
    await runTurn(session, "Second");
    const [call] = await service.waitForCalls(1);
    await Bun.sleep(300);
    expect(service.calls).toHaveLength(1);
    expect(call).toMatchObject({
      appName: "Sage",
      icon: "sage",
      summary: "Test",
      body: "Sage has finished.",
      actions: ["default", "Open"],
    });
    session.socket.close();
  });

  test("clicking a notification shows the window and tells the pages to open that chat", async () => {
    await focus("window-1", false);
    const session = await openSession(app());
    const watcher = await TestSocket.connect(app());
    app().fake.enqueue({ text: "All done." });
    await runTurn(session, "Work on it");
    const [call] = await service.waitForCalls(1);
    const before = activations;
    service.click(call?.id ?? -1);
    const opened = await watcher.waitFor("app.open-session");
    expect(opened.sessionId).toBe(session.sessionId);
    expect(activations).toBe(before + 1);
    watcher.close();
    session.socket.close();
  });

  test("a failed turn and a question each send one; a kind switched off sends none", async () => {
    await focus("window-1", false);
    const session = await openSession(app());
    app().fake.enqueue({ error: { status: 401 } });
    const failed = await runTurn(session, "Fail please");
    expect(failed.status).toBe("error");
    const [failure] = await service.waitForCalls(1);
    expect(failure?.body).toStartWith("The turn failed: ");
    expect(failure?.body).toContain("API key");

    app().fake.enqueue(
      {
        toolCalls: [
          {
            id: "call_q",
            name: "ask_user",
            arguments: { questions: [{ id: "n", prompt: "Name?", kind: "text" }] },
          },
        ],
      },
      { text: "Thanks." },
    );
    const started = await submit(session, "Ask me");
    const asked = await session.socket.waitFor("question.asked");
    const calls = await service.waitForCalls(2);
    expect(calls[1]?.body).toBe("Sage has a question for you.");
    session.socket.send({
      type: "answer",
      sessionId: session.sessionId,
      questionId: asked.questionId,
      answers: { n: "Ada" },
    });
    await ended(session, started.turnId);
    // The completed turn after the answer is the third.
    await service.waitForCalls(3);

    const { body } = await app().api<UserSettings>("/api/settings", {
      method: "PATCH",
      json: { notifyTurnEnded: false },
    });
    expect(body.notifyTurnEnded).toBe(false);
    app().fake.enqueue({ text: "Quietly done." });
    await runTurn(session, "Quiet");
    await Bun.sleep(300);
    expect(service.calls).toHaveLength(3);
    session.socket.close();
  });

  test("a sub-agent's chat is never notified: its approval notifies once, from the parent's chat", async () => {
    await focus("window-1", false);
    const session = await openSession(app());
    app().fake.enqueue(
      {
        toolCalls: [
          {
            name: "delegate",
            arguments: {
              task: "Write it",
              subagent: { name: "Scribe", instructions: "Write.", tools: ["write_file"] },
            },
          },
        ],
      },
      { toolCalls: [{ name: "write_file", arguments: { path: "n.txt", content: "n\n" } }] },
      { text: "Written." },
      { text: "The scribe wrote it." },
    );
    const started = await submit(session, "Delegate");
    const approval = await session.socket.waitFor(
      "approval.requested",
      (e) => e.sessionId === session.sessionId,
    );
    const [asked] = await service.waitForCalls(1);
    expect(asked?.body).toBe("Waiting for your approval: Scribe: Create n.txt");
    session.socket.send({
      type: "approve",
      sessionId: session.sessionId,
      approvalId: approval.approvalId,
      decision: "once",
    });
    await ended(session, started.turnId);
    const calls = await service.waitForCalls(2);
    await Bun.sleep(300);
    // One for the approval, one for the parent's finished turn: none for the child's chat.
    expect(service.calls).toHaveLength(2);
    expect(calls[1]).toMatchObject({ summary: "Test", body: "Sage has finished." });
    session.socket.close();
  });

  test("a scheduled run that waits for an approval notifies, titled with the task's name", async () => {
    await focus("window-1", false);
    const { body: task } = await app().api<{ id: string }>("/api/scheduled-tasks", {
      json: { name: "Nightly notes", prompt: "Write the notes", kind: "cron", cron: "0 3 * * *" },
    });
    app().fake.enqueue({
      toolCalls: [{ id: "call_n", name: "write_file", arguments: { path: "nightly.txt", content: "n\n" } }],
    });
    const { status, body: run } = await app().api<{ sessionId: string | null }>(
      `/api/scheduled-tasks/${task.id}/run`,
      { method: "POST" },
    );
    expect(status).toBe(201);
    const [call] = await service.waitForCalls(1);
    expect(call).toMatchObject({
      summary: "Nightly notes",
      body: "Waiting for your approval: Create nightly.txt",
    });
    // Stop the waiting run (its chat's Stop): the history records it as stopped.
    const socket = await TestSocket.connect(app());
    socket.send({ type: "stop", sessionId: run.sessionId ?? "" });
    const deadline = Date.now() + 5000;
    let latest: { status: string } | undefined;
    while (Date.now() < deadline) {
      [latest] = (
        await app().api<{ runs: { status: string }[] }>(`/api/scheduled-tasks/${task.id}/runs`)
      ).body.runs;
      if (latest?.status === "stopped") break;
      await Bun.sleep(25);
    }
    expect(latest?.status).toBe("stopped");
    socket.close();
  });
});
