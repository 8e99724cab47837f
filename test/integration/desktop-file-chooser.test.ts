/**
 * "Save as" through the desktop portal's file chooser, on a private session bus with a fake portal
 * (real HTTP, real D-Bus messages): the portal is asked with the file's name and the dialog's title,
 * and the file lands where it answered (an export sent as bytes, or a workspace file copied); a
 * cancelled dialog writes nothing; without a portal on the bus the file goes into Downloads as before.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeFileChooserPortal } from "../fixtures/fake-desktop/file-chooser-portal.ts";
import { type PrivateBus, startPrivateBus } from "../fixtures/fake-desktop/private-bus.ts";
import { useBackend } from "../support/backend.ts";
import { workspaceRoot } from "../support/session-steps.ts";

let bus: PrivateBus;
let portal: FakeFileChooserPortal;
const chosenDir = mkdtempSync(join(tmpdir(), "sage-chosen-"));

beforeAll(async () => {
  bus = await startPrivateBus();
});
const app = useBackend(() => ({ env: { DBUS_SESSION_BUS_ADDRESS: bus.address } }));
beforeAll(async () => {
  await app().running.desktop.ready;
});

afterAll(async () => {
  portal?.stop();
  await bus?.stop();
});

const save = (fileName: string, text: string) =>
  app().api<{ path?: string; chosen?: boolean; cancelled?: boolean }>("/api/settings/save-download", {
    json: { fileName, base64: Buffer.from(text).toString("base64"), ask: true, title: "Save file" },
  });

describe("save as", () => {
  test("without a portal on the bus the file goes into Downloads", async () => {
    const { status, body } = await save("notes.md", "to downloads");
    expect(status).toBe(200);
    expect(body.chosen).toBeUndefined();
    // The Downloads of the home this Sage runs for (the test's private HOME), not the real one.
    expect(body.path).toStartWith(join(process.env.HOME ?? "", "Downloads"));
    expect(readFileSync(body.path ?? "", "utf8")).toBe("to downloads");
  });

  test("the portal's dialog is asked and the file lands where it answered", async () => {
    portal = await FakeFileChooserPortal.start(bus.address);
    const target = join(chosenDir, "picked name.md");
    portal.answer = target;
    const { status, body } = await save("chat export.md", "# Exported");
    expect(status).toBe(200);
    expect(body).toEqual({ path: target, chosen: true });
    expect(readFileSync(target, "utf8")).toBe("# Exported");
    expect(portal.calls).toHaveLength(1);
    expect(portal.calls[0]).toMatchObject({ title: "Save file", currentName: "chat export.md" });
  });

  test("a cancelled dialog writes nothing", async () => {
    portal.answer = "cancel";
    const before = portal.calls.length;
    const { status, body } = await save("never.md", "nope");
    expect(status).toBe(200);
    expect(body).toEqual({ cancelled: true });
    expect(portal.calls).toHaveLength(before + 1);
    expect(existsSync(join(chosenDir, "never.md"))).toBe(false);
  });

  test("a workspace file is copied where the portal answered", async () => {
    const root = workspaceRoot(app());
    mkdirSync(join(root, "out"), { recursive: true });
    writeFileSync(join(root, "out", "report.csv"), "a,b\n1,2\n");
    const target = join(chosenDir, "report copy.csv");
    portal.answer = target;
    const agentId = app().running.backend.context.agents.defaultAgent().id;
    const { status, body } = await app().api<{ path?: string; chosen?: boolean }>(
      `/api/agents/${agentId}/workspace/save-download`,
      { json: { path: "out/report.csv", ask: true, title: "Save file" } },
    );
    expect(status).toBe(200);
    expect(body).toEqual({ path: target, chosen: true });
    expect(readFileSync(target, "utf8")).toBe("a,b\n1,2\n");
    expect(portal.calls.at(-1)).toMatchObject({ currentName: "report.csv" });
  });
});
