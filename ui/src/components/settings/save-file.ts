/**
 * Saving an export. In a browser the file downloads as usual. The native window (WebKitGTK through
 * webview) cannot download, so there the file is fetched and handed to the server, which writes it to
 * the Downloads folder; a toast names the file and offers to show it.
 */
import { t } from "../../i18n/index.ts";
import { authHeaders } from "../../lib/api.ts";
import { host } from "../../lib/env.ts";
import { notify, notifyError } from "../../state/toasts.ts";
import { errorText } from "./field.tsx";
import { settingsApi } from "./settings-api.ts";

/** Download the response of `url` (a GET on the Sage server) as `fileName`. */
export async function saveFromUrl(url: string, fileName: string): Promise<void> {
  try {
    const response = await fetch(url, { headers: authHeaders(), credentials: "same-origin" });
    if (!response.ok) throw new Error(t("settings.save.failed", { status: response.status }));
    await saveBlob(await response.blob(), serverFileName(response) ?? fileName);
  } catch (error) {
    notifyError(errorText(error));
  }
}

export async function saveBlob(blob: Blob, fileName: string): Promise<void> {
  if (host.shell === "window") {
    const { path } = await settingsApi.saveDownload(fileName, await toBase64(blob));
    notify(t("settings.save.savedTo", { path }), {
      action: { label: t("settings.save.show"), run: () => void settingsApi.openFolder("downloads", path) },
    });
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

/** Read a file the user picked as text (imports). */
export function readText(file: File): Promise<string> {
  return file.text();
}
