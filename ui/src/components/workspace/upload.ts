/**
 * Attachments for the composer: files from the picker, drag and drop or the clipboard are stored in the
 * session agent's workspace (attachments/<date>/...) and come back as `Attachment`s for `submit`.
 *
 * Contract: files over the size limit are refused here, before anything is sent. With `pasted`, names
 * are not sent (the browser calls clipboard images "image.png"), so the server names each file
 * `pasted-<date>-<time>.<ext>` from its content type. Failures throw `ApiError` with a message ready to
 * show.
 */

import { ATTACHMENT_MAX_BYTES, ATTACHMENT_MAX_FILES } from "../../../../src/shared/attachment-limits.ts";
import { formatBytes } from "../../../../src/shared/byte-size.ts";
import type { Attachment } from "../../../../src/shared/client-messages.ts";
import { t } from "../../i18n/index.ts";
import { ApiError } from "../../lib/api.ts";
import { call } from "../../lib/api-client.ts";

export { ATTACHMENT_MAX_BYTES, ATTACHMENT_MAX_FILES };

export async function uploadAttachments(
  sessionId: string,
  files: File[],
  options: { pasted?: boolean } = {},
): Promise<Attachment[]> {
  if (files.length === 0) return [];
  if (files.length > ATTACHMENT_MAX_FILES) {
    throw new ApiError(t("workspace.tooManyFiles", { count: ATTACHMENT_MAX_FILES }), 400, "invalid");
  }
  const tooLarge = files.find((file) => file.size > ATTACHMENT_MAX_BYTES);
  if (tooLarge) {
    throw new ApiError(
      t("workspace.tooLarge", {
        name: tooLarge.name || "image",
        limit: formatBytes(ATTACHMENT_MAX_BYTES),
      }),
      413,
      "too_large",
    );
  }
  const form = new FormData();
  for (const file of files) {
    if (options.pasted) form.append("files", new Blob([file], { type: file.type }));
    else form.append("files", file, file.name);
  }
  try {
    const answer = await call("POST /api/sessions/:id/attachments", {
      params: { id: sessionId },
      body: form,
    });
    return answer.attachments;
  } catch (error) {
    // An answer without Sage's error body (a proxy, a cut connection) still says what failed, in the
    // user's language.
    if (error instanceof ApiError && error.code === "error") {
      throw new ApiError(t("workspace.uploadFailed", { status: error.status }), error.status, "error");
    }
    throw error;
  }
}

/** The image files of a paste event (screenshots, copied images); empty when it pasted only text. */
export function pastedImages(event: ClipboardEvent): File[] {
  const files: File[] = [];
  for (const item of event.clipboardData?.items ?? []) {
    if (item.kind !== "file" || !item.type.startsWith("image/")) continue;
    const file = item.getAsFile();
    if (file) files.push(file);
  }
  return files;
}
