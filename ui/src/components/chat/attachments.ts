/** Upload files the user attached (picker, drop, paste) into the session agent's workspace. */
import type { Attachment } from "../../../../src/shared/client-messages.ts";
import { ApiError, authHeaders } from "../../lib/api.ts";

export async function uploadAttachments(sessionId: string, files: File[]): Promise<Attachment[]> {
  const form = new FormData();
  for (const file of files) form.append("files", file, file.name || `pasted-${Date.now()}.png`);
  const response = await fetch(`/api/sessions/${encodeURIComponent(sessionId)}/attachments`, {
    method: "POST",
    body: form,
    headers: authHeaders(),
    credentials: "same-origin",
  });
  const body = (await response.json().catch(() => ({}))) as {
    attachments?: Attachment[];
    error?: { message?: string; code?: string };
  };
  if (!response.ok)
    throw new ApiError(
      body.error?.message ?? `Upload failed (${response.status}).`,
      response.status,
      body.error?.code ?? "error",
    );
  return body.attachments ?? [];
}
