import { t } from "../i18n/index.ts";
import { call } from "../lib/api-client.ts";
import { importFailureText } from "../lib/import-failure.ts";
import { navigate } from "../lib/router.ts";
import { upsertSession } from "../state/sessions.ts";
import { notify, notifyError } from "../state/toasts.ts";
import { chooseFiles } from "./open-files.ts";

/** Open a file chooser (the desktop's in the window) for one .json file and import it. */
export function pickAndImportChat(): void {
  const input = document.createElement("input");
  input.type = "file";
  input.accept = ".json,application/json";
  input.onchange = () => {
    const file = input.files?.[0];
    if (file) void importChatFile(file);
  };
  const dialog = { title: t("chats.import"), filters: [{ name: "JSON", patterns: ["*.json"] }] };
  void chooseFiles(input, dialog, ([file]) => file && void importChatFile(file));
}

export async function importChatFile(file: File): Promise<void> {
  let body: unknown;
  try {
    body = JSON.parse(await file.text());
  } catch {
    notifyError(importFailureText(file.name, t("chats.importNotJson")));
    return;
  }
  try {
    const session = await call("POST /api/sessions/import", { json: body });
    upsertSession(session);
    navigate(`/s/${session.id}`);
    notify(t("chats.imported", { title: session.title || t("sidebar.untitled") }));
  } catch (error) {
    notifyError(importFailureText(file.name, (error as Error).message));
  }
}
