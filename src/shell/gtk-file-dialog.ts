/**
 * GTK's own file dialog in the window (GtkFileChooserNative: GTK 4.8, which Debian 12's WebKitGTK 6
 * uses, has no GtkFileDialog yet), shown by the window thread when the server worker asks
 * (WindowCommand.fileDialog) because no desktop portal answered. Contract:
 * - main thread only, while the window's event loop runs; one dialog at a time (the worker queues);
 * - `done` is called exactly once: the chosen local paths (GTK asks about replacing an existing file
 *   itself), cancelled (closed, Escape, or a second request while one is open), or unavailable (no
 *   GTK: macOS, Windows);
 * - the dialog is modal for the window and opens in `folder` (save) when given.
 */
import { CString, dlopen, FFIType, JSCallback, type Pointer } from "bun:ffi";
import { currentOs } from "../core/platform.ts";
import type { FileDialogAnswer, FileDialogRequest } from "../desktop/file-dialog.ts";
import { cstring } from "./webview-native.ts";

const ACTION_OPEN = 0;
const ACTION_SAVE = 1;
const RESPONSE_ACCEPT = -3;

function openGtk() {
  const gtk = dlopen("libgtk-4.so.1", {
    gtk_file_chooser_native_new: {
      args: [FFIType.ptr, FFIType.ptr, FFIType.i32, FFIType.ptr, FFIType.ptr],
      returns: FFIType.ptr,
    },
    gtk_native_dialog_set_modal: { args: [FFIType.ptr, FFIType.i32], returns: FFIType.void },
    gtk_native_dialog_show: { args: [FFIType.ptr], returns: FFIType.void },
    gtk_native_dialog_destroy: { args: [FFIType.ptr], returns: FFIType.void },
    gtk_file_chooser_set_current_name: { args: [FFIType.ptr, FFIType.ptr], returns: FFIType.void },
    gtk_file_chooser_set_current_folder: {
      args: [FFIType.ptr, FFIType.ptr, FFIType.ptr],
      returns: FFIType.i32,
    },
    gtk_file_chooser_set_select_multiple: { args: [FFIType.ptr, FFIType.i32], returns: FFIType.void },
    gtk_file_chooser_add_filter: { args: [FFIType.ptr, FFIType.ptr], returns: FFIType.void },
    gtk_file_chooser_get_files: { args: [FFIType.ptr], returns: FFIType.ptr },
    gtk_file_filter_new: { args: [], returns: FFIType.ptr },
    gtk_file_filter_set_name: { args: [FFIType.ptr, FFIType.ptr], returns: FFIType.void },
    gtk_file_filter_add_pattern: { args: [FFIType.ptr, FFIType.ptr], returns: FFIType.void },
  });
  const gio = dlopen("libgio-2.0.so.0", {
    g_file_new_for_path: { args: [FFIType.ptr], returns: FFIType.ptr },
    g_file_get_path: { args: [FFIType.ptr], returns: FFIType.ptr },
    g_list_model_get_n_items: { args: [FFIType.ptr], returns: FFIType.u32 },
    g_list_model_get_item: { args: [FFIType.ptr, FFIType.u32], returns: FFIType.ptr },
  });
  const gobject = dlopen("libgobject-2.0.so.0", {
    g_object_unref: { args: [FFIType.ptr], returns: FFIType.void },
    g_signal_connect_data: {
      args: [FFIType.ptr, FFIType.ptr, FFIType.function, FFIType.ptr, FFIType.ptr, FFIType.i32],
      returns: FFIType.u64,
    },
  });
  const glib = dlopen("libglib-2.0.so.0", { g_free: { args: [FFIType.ptr], returns: FFIType.void } });
  return { gtk: gtk.symbols, gio: gio.symbols, gobject: gobject.symbols, glib: glib.symbols };
}

type Gtk = ReturnType<typeof openGtk>;

/** Shows GTK file dialogs for one window; keeps its one response callback alive for the window's life. */
export class GtkFileDialogs {
  private readonly toolkit: Gtk | null;
  private readonly response: JSCallback | undefined;
  private open: { dialog: Pointer; done: (answer: FileDialogAnswer) => void } | undefined;

  constructor(private readonly parent: () => Pointer | null) {
    this.toolkit = currentOs() === "linux" ? openGtk() : null;
    this.response = this.toolkit
      ? new JSCallback((dialog: Pointer, response: number) => this.onResponse(dialog, response), {
          args: [FFIType.ptr, FFIType.i32, FFIType.ptr],
          returns: FFIType.void,
        })
      : undefined;
  }

  show(request: FileDialogRequest, done: (answer: FileDialogAnswer) => void): void {
    const { toolkit, response } = this;
    if (!toolkit || !response) {
      done({ kind: "unavailable" });
      return;
    }
    if (this.open) {
      done({ kind: "cancelled" });
      return;
    }
    const { gtk, gio, gobject } = toolkit;
    const save = request.kind === "save";
    const dialog = gtk.gtk_file_chooser_native_new(
      cstring(request.title),
      this.parent(),
      save ? ACTION_SAVE : ACTION_OPEN,
      cstring(save ? "_Save" : "_Open"),
      cstring("_Cancel"),
    ) as Pointer | null;
    if (!dialog) {
      done({ kind: "unavailable" });
      return;
    }
    if (request.kind === "save") {
      if (request.folder) {
        const folder = gio.g_file_new_for_path(cstring(request.folder)) as Pointer | null;
        if (folder) {
          gtk.gtk_file_chooser_set_current_folder(dialog, folder, null);
          gobject.g_object_unref(folder);
        }
      }
      gtk.gtk_file_chooser_set_current_name(dialog, cstring(request.currentName));
    } else {
      gtk.gtk_file_chooser_set_select_multiple(dialog, request.multiple ? 1 : 0);
      for (const filter of request.filters) {
        const gtkFilter = gtk.gtk_file_filter_new() as Pointer | null;
        if (!gtkFilter) continue;
        gtk.gtk_file_filter_set_name(gtkFilter, cstring(filter.name));
        for (const pattern of filter.patterns) gtk.gtk_file_filter_add_pattern(gtkFilter, cstring(pattern));
        // The chooser keeps its own reference in its filter list.
        gtk.gtk_file_chooser_add_filter(dialog, gtkFilter);
        gobject.g_object_unref(gtkFilter);
      }
    }
    gtk.gtk_native_dialog_set_modal(dialog, 1);
    gobject.g_signal_connect_data(dialog, cstring("response"), response.ptr, null, null, 0);
    this.open = { dialog, done };
    gtk.gtk_native_dialog_show(dialog);
  }

  /** The window is going away: an open dialog answers cancelled, and the callback is freed. */
  close(): void {
    const open = this.open;
    this.open = undefined;
    if (open) {
      this.toolkit?.gtk.gtk_native_dialog_destroy(open.dialog);
      this.toolkit?.gobject.g_object_unref(open.dialog);
      open.done({ kind: "cancelled" });
    }
    this.response?.close();
  }

  private onResponse(dialog: Pointer, response: number): void {
    const open = this.open;
    const toolkit = this.toolkit;
    if (!open || !toolkit || open.dialog !== dialog) return;
    this.open = undefined;
    const paths = response === RESPONSE_ACCEPT ? chosenPaths(toolkit, dialog) : [];
    toolkit.gtk.gtk_native_dialog_destroy(dialog);
    toolkit.gobject.g_object_unref(dialog);
    open.done(paths.length > 0 ? { kind: "chosen", paths } : { kind: "cancelled" });
  }
}

/** The local paths of the chosen files (files without one, e.g. remote locations, are left out). */
function chosenPaths({ gtk, gio, gobject, glib }: Gtk, dialog: Pointer): string[] {
  const files = gtk.gtk_file_chooser_get_files(dialog) as Pointer | null;
  if (!files) return [];
  const paths: string[] = [];
  const count = gio.g_list_model_get_n_items(files);
  for (let index = 0; index < count; index++) {
    const file = gio.g_list_model_get_item(files, index) as Pointer | null;
    if (!file) continue;
    const path = gio.g_file_get_path(file) as Pointer | null;
    if (path) {
      paths.push(new CString(path).toString());
      glib.g_free(path);
    }
    gobject.g_object_unref(file);
  }
  gobject.g_object_unref(files);
  return paths;
}
