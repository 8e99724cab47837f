/**
 * Picking files to open (attachments, chat/agent/settings imports, skill packages). In the native
 * window the server asks the desktop's own "Open" dialog (the portal, POST /api/app/open-files) and
 * hands back the chosen files' bytes, which become `File`s for the same code path as the page's file
 * input. In a browser, or where no portal answers (remembered for the rest of the page's life), the
 * page's own `<input type="file">` is clicked instead and its change handler gets the files.
 * A cancelled dialog does nothing; a failure ends in a toast.
 */
import { type AnswerOf, call } from "../lib/api-client.ts";
import { inNativeWindow } from "../lib/env.ts";
import { notifyError } from "../state/toasts.ts";

export interface OpenDialog {
  title: string;
  multiple?: boolean;
  /** Offered in the dialog, e.g. { name: "JSON", patterns: ["*.json"] }. */
  filters?: { name: string; patterns: string[] }[];
}

type OpenResult = AnswerOf<"POST /api/app/open-files">;

let portalMissing = false;

/**
 * Show an Open dialog: the desktop's (window) or `fallback`'s (browser, no portal). `use` gets the
 * chosen files from the desktop's dialog; the fallback input's own change handler gets them otherwise.
 */
export async function chooseFiles(
  fallback: HTMLInputElement,
  dialog: OpenDialog,
  use: (files: File[]) => void,
): Promise<void> {
  if (!inNativeWindow() || portalMissing) {
    fallback.click();
    return;
  }
  let result: OpenResult;
  try {
    result = await call("POST /api/app/open-files", {
      json: { title: dialog.title, multiple: dialog.multiple ?? false, filters: dialog.filters ?? [] },
    });
  } catch (error) {
    notifyError((error as Error).message);
    return;
  }
  if (result.kind === "unavailable") {
    portalMissing = true;
    fallback.click();
    return;
  }
  if (result.kind === "chosen") use(result.files.map(toFile));
}

function toFile(file: { name: string; base64: string }): File {
  const binary = atob(file.base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return new File([bytes], file.name, { type: mimeOf(file.name) });
}

/** What a browser's file input would say for the kinds of files Sage reads by type. */
function mimeOf(name: string): string {
  const extension = name.toLowerCase().split(".").pop() ?? "";
  const types: Record<string, string> = {
    png: "image/png",
    jpg: "image/jpeg",
    jpeg: "image/jpeg",
    gif: "image/gif",
    webp: "image/webp",
    svg: "image/svg+xml",
    pdf: "application/pdf",
    json: "application/json",
    yaml: "application/yaml",
    yml: "application/yaml",
    zip: "application/zip",
    md: "text/markdown",
    txt: "text/plain",
    csv: "text/csv",
  };
  return types[extension] ?? "";
}
