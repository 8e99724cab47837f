/**
 * Saving a file the user asked for (exports, workspace files). In a browser it downloads as usual. The
 * native window (WebKitGTK through webview) cannot download: there the server asks the desktop's "save
 * as" dialog (the portal) where to write exports, or, without one, writes the file into the Downloads
 * folder — sent as bytes (exports), or copied on the server (workspace files) — and a toast names it
 * (and offers to show it in Downloads). Every path ends in a toast on failure; none throws.
 */
import { t } from "../i18n/index.ts";
import { authHeaders } from "../lib/api.ts";
import { call } from "../lib/api-client.ts";
import { inNativeWindow } from "../lib/env.ts";
import { notify, notifyError } from "../state/toasts.ts";

/** Download the response of `url` (a GET on the Sage server) as `fileName` (or the server's name). */
export async function saveFromUrl(url: string, fileName: string): Promise<void> {
  try {
    const response = await fetch(url, { headers: authHeaders(), credentials: "same-origin" });
    if (!response.ok) throw new Error(await failure(response));
    await saveBlob(await response.blob(), serverFileName(response) ?? fileName);
  } catch (error) {
    notifyError((error as Error).message);
  }
}

/** Save bytes the page already holds. */
export async function saveBlob(blob: Blob, fileName: string): Promise<void> {
  if (inNativeWindow()) {
    try {
      const saved = await call("POST /api/settings/save-download", {
        json: { fileName, base64: await toBase64(blob), ask: true, title: t("settings.save.dialogTitle") },
      });
      if ("cancelled" in saved) return;
      if (saved.chosen) notify(t("settings.save.savedTo", { path: saved.path }));
      else savedTo(saved.path);
    } catch (error) {
      notifyError((error as Error).message);
    }
    return;
  }
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** The toast after the server saved a file into Downloads: its path, and a button to show it. */
export function savedTo(path: string): void {
  notify(t("settings.save.savedTo", { path }), {
    action: {
      label: t("settings.save.show"),
      run: () =>
        void call("POST /api/settings/open-folder", { json: { folder: "downloads", path } }).catch(() => {}),
    },
  });
}

async function failure(response: Response): Promise<string> {
  const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
  return body?.error?.message ?? t("settings.save.failed", { status: response.status });
}

function serverFileName(response: Response): string | undefined {
  const header = response.headers.get("content-disposition") ?? "";
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (utf8?.[1]) return decodeURIComponent(utf8[1]);
  return /filename="([^"]+)"/i.exec(header)?.[1];
}

async function toBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = "";
  for (let index = 0; index < bytes.length; index += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  }
  return btoa(binary);
}
