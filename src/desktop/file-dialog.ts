/**
 * Which file dialog Sage asks, in order: the desktop portal's (src/desktop/file-chooser.ts: drawn by the
 * desktop, works in sandboxes), else the window's own GTK dialog (drawn in Sage's process by the window
 * thread, src/shell/gtk-file-dialog.ts; window mode on Linux only), else none — the caller then saves
 * into Downloads, or the page uses its own file input. Contract of `chooseSave` / `chooseOpen`:
 * - the GTK dialog is asked only when the portal is "unavailable" (never after a cancel: a cancel is
 *   the user's answer);
 * - a GTK answer without any path counts as cancelled; the first path is the save target.
 */
import type { FileFilter, OpenChoice, PortalFileChooser, SaveChoice } from "./file-chooser.ts";

/** What the window thread is asked to show (it travels between threads as JSON). */
export type FileDialogRequest =
  | {
      kind: "save";
      title: string;
      /** The file name the dialog proposes. */
      currentName: string;
      /** The folder it opens in, when that exists (Downloads). */
      folder?: string;
    }
  | { kind: "open"; title: string; multiple: boolean; filters: FileFilter[] };

/** What the window's dialog answered: local paths, a cancel, or no dialog there (no GTK, no window). */
export type FileDialogAnswer =
  | { kind: "chosen"; paths: string[] }
  | { kind: "cancelled" }
  | { kind: "unavailable" };

/** The window's own dialog, as the shell offers it (ShellControl.fileDialog). */
export type WindowFileDialog = (request: FileDialogRequest) => Promise<FileDialogAnswer>;

/** Which dialog answered, for the log. */
export type DialogSource = "portal" | "window" | "none";

export async function chooseSave(
  portal: Pick<PortalFileChooser, "saveFile"> | undefined,
  window: WindowFileDialog | undefined,
  request: Extract<FileDialogRequest, { kind: "save" }>,
): Promise<{ choice: SaveChoice; source: DialogSource }> {
  const asked = portal
    ? await portal.saveFile({ title: request.title, currentName: request.currentName })
    : ({ kind: "unavailable" } as const);
  if (asked.kind !== "unavailable") return { choice: asked, source: "portal" };
  if (!window) return { choice: asked, source: "none" };
  const answer = await window(request);
  if (answer.kind === "unavailable") return { choice: answer, source: "none" };
  const path = answer.kind === "chosen" ? answer.paths[0] : undefined;
  return { choice: path ? { kind: "chosen", path } : { kind: "cancelled" }, source: "window" };
}

export async function chooseOpen(
  portal: Pick<PortalFileChooser, "openFiles"> | undefined,
  window: WindowFileDialog | undefined,
  request: Extract<FileDialogRequest, { kind: "open" }>,
): Promise<{ choice: OpenChoice; source: DialogSource }> {
  const asked = portal
    ? await portal.openFiles({ title: request.title, multiple: request.multiple, filters: request.filters })
    : ({ kind: "unavailable" } as const);
  if (asked.kind !== "unavailable") return { choice: asked, source: "portal" };
  if (!window) return { choice: asked, source: "none" };
  const answer = await window(request);
  if (answer.kind === "unavailable") return { choice: answer, source: "none" };
  const paths = answer.kind === "chosen" ? answer.paths : [];
  return {
    choice:
      paths.length > 0
        ? { kind: "chosen", paths: request.multiple ? paths : paths.slice(0, 1) }
        : { kind: "cancelled" },
    source: "window",
  };
}
