/**
 * Our binding of the webview C library that ships inside webview-bun (its build/ folder), plus the few
 * GLib/GTK calls the shell needs.
 *
 * Why not webview-bun's own class: it does not expose `webview_dispatch` (the thread-safe way for the
 * server worker to ask the window thread to act), and its TypeScript source fails `tsc` (bigint vs
 * Pointer). Binding the stable C API directly is ~100 lines and keeps the typecheck clean.
 * The `with { type: "file" }` import makes `bun build --compile` embed the library.
 *
 * Threading contract: everything here runs on the main thread, except `dispatch` and `terminate`,
 * which the C library documents as safe from any thread (the worker uses them via `workerWindowApi`).
 */
import { CString, dlopen, FFIType, JSCallback, type Pointer } from "bun:ffi";
// scripts/build.ts swaps this import for the build target's library (.dylib, .dll, arm64 .so).
import libraryPath from "webview-bun/build/libwebview-x64.so" with { type: "file" };
import { currentOs, type OperatingSystem } from "../core/platform.ts";

export const SizeHint = { none: 0, min: 1, max: 2, fixed: 3 } as const;

/**
 * A NUL-terminated UTF-8 copy of `text`, passed to FFI calls as the array itself (not `ptr()` of it):
 * an argument array stays alive for the whole call, a bare pointer number does not keep it alive.
 */
export const cstring = (text: string): Uint8Array => new TextEncoder().encode(`${text}\0`);

function openWebviewLibrary() {
  return dlopen(libraryPath, {
    webview_create: { args: [FFIType.i32, FFIType.ptr], returns: FFIType.ptr },
    webview_destroy: { args: [FFIType.ptr], returns: FFIType.void },
    webview_run: { args: [FFIType.ptr], returns: FFIType.void },
    webview_terminate: { args: [FFIType.ptr], returns: FFIType.void },
    webview_dispatch: { args: [FFIType.ptr, FFIType.ptr, FFIType.ptr], returns: FFIType.void },
    webview_get_window: { args: [FFIType.ptr], returns: FFIType.ptr },
    webview_set_title: { args: [FFIType.ptr, FFIType.ptr], returns: FFIType.void },
    webview_set_size: { args: [FFIType.ptr, FFIType.i32, FFIType.i32, FFIType.i32], returns: FFIType.void },
    webview_navigate: { args: [FFIType.ptr, FFIType.ptr], returns: FFIType.void },
    webview_set_html: { args: [FFIType.ptr, FFIType.ptr], returns: FFIType.void },
    webview_init: { args: [FFIType.ptr, FFIType.ptr], returns: FFIType.void },
    webview_eval: { args: [FFIType.ptr, FFIType.ptr], returns: FFIType.void },
    webview_bind: { args: [FFIType.ptr, FFIType.ptr, FFIType.function, FFIType.ptr], returns: FFIType.void },
    webview_return: { args: [FFIType.ptr, FFIType.ptr, FFIType.i32, FFIType.ptr], returns: FFIType.void },
  });
}

type Toolkit = ReturnType<typeof openGtkToolkit>;

/**
 * GLib/GTK, which the webview library uses on Linux. macOS (Cocoa) and Windows (Win32) have no GTK:
 * there the toolkit is null and the calls that need it (icon, size, hide/present, close-request,
 * signals, timers while the window runs) do nothing. Those platforms are built, not run, here.
 */
function openToolkit(os: OperatingSystem = currentOs()): Toolkit | null {
  return os === "linux" ? openGtkToolkit() : null;
}

function openGtkToolkit() {
  const glib = dlopen("libglib-2.0.so.0", {
    g_unix_signal_add: { args: [FFIType.i32, FFIType.function, FFIType.ptr], returns: FFIType.u32 },
    g_timeout_add: { args: [FFIType.u32, FFIType.function, FFIType.ptr], returns: FFIType.u32 },
    g_set_prgname: { args: [FFIType.ptr], returns: FFIType.void },
    g_set_application_name: { args: [FFIType.ptr], returns: FFIType.void },
  });
  const gobject = dlopen("libgobject-2.0.so.0", {
    g_signal_connect_data: {
      args: [FFIType.ptr, FFIType.ptr, FFIType.function, FFIType.ptr, FFIType.ptr, FFIType.i32],
      returns: FFIType.u64,
    },
  });
  const gtk = dlopen("libgtk-4.so.1", {
    gtk_window_present: { args: [FFIType.ptr], returns: FFIType.void },
    gtk_window_set_icon_name: { args: [FFIType.ptr, FFIType.ptr], returns: FFIType.void },
    gtk_window_get_default_size: { args: [FFIType.ptr, FFIType.ptr, FFIType.ptr], returns: FFIType.void },
    gtk_widget_get_width: { args: [FFIType.ptr], returns: FFIType.i32 },
    gtk_widget_get_height: { args: [FFIType.ptr], returns: FFIType.i32 },
    gtk_widget_set_visible: { args: [FFIType.ptr, FFIType.i32], returns: FFIType.void },
    gtk_window_close: { args: [FFIType.ptr], returns: FFIType.void },
  });
  return { glib: glib.symbols, gtk: gtk.symbols, gobject: gobject.symbols };
}

/** The window, on the main thread. Construct only after `canOpenWindow()` said yes. */
export class NativeWindow {
  private readonly lib = openWebviewLibrary().symbols;
  private readonly toolkit: Toolkit | null = openToolkit();
  /** JSCallbacks must stay referenced for as long as native code may call them. */
  private readonly callbacks: JSCallback[] = [];
  readonly handle: Pointer;

  constructor(debug = false) {
    const handle = this.lib.webview_create(debug ? 1 : 0, null);
    if (!handle) throw new Error("The window could not be created (no usable display).");
    this.handle = handle as Pointer;
  }

  /** Set the program name before anything else so the window manager groups it with sage.desktop. */
  static setProgramName(name: string): void {
    const toolkit = openToolkit();
    if (!toolkit) return;
    const { glib } = toolkit;
    glib.g_set_prgname(cstring(name));
    glib.g_set_application_name(cstring("Sage"));
  }

  get nativeWindow(): Pointer | null {
    return this.lib.webview_get_window(this.handle) as Pointer | null;
  }

  setTitle(title: string): void {
    this.lib.webview_set_title(this.handle, cstring(title));
  }

  setSize(width: number, height: number, hint: number = SizeHint.none): void {
    this.lib.webview_set_size(this.handle, width, height, hint);
  }

  setIconName(name: string): void {
    const window = this.nativeWindow;
    if (window && this.toolkit) this.toolkit.gtk.gtk_window_set_icon_name(window, cstring(name));
  }

  /** The window's current size (call before destroy). */
  size(): { width: number; height: number } | undefined {
    const window = this.nativeWindow;
    if (!window || !this.toolkit) return undefined;
    const width = this.toolkit.gtk.gtk_widget_get_width(window);
    const height = this.toolkit.gtk.gtk_widget_get_height(window);
    return width > 0 && height > 0 ? { width, height } : undefined;
  }

  /**
   * Decide what closing the window (the window manager's close button, GTK's close-request) does:
   * `handler` returns "close" to let it close (and Sage quit), "hide" to hide it instead, "keep" to
   * leave it as it is (the page asks the user first). webview itself quits on "destroy", which a
   * kept or hidden window never reaches.
   */
  onCloseRequest(handler: () => "close" | "hide" | "keep"): void {
    const window = this.nativeWindow;
    const toolkit = this.toolkit;
    if (!window || !toolkit) return;
    const callback = new JSCallback(
      () => {
        const outcome = handler();
        if (outcome === "close") return 0;
        if (outcome === "hide") toolkit.gtk.gtk_widget_set_visible(window, 0);
        return 1;
      },
      { args: [FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
    );
    this.callbacks.push(callback);
    toolkit.gobject.g_signal_connect_data(window, cstring("close-request"), callback.ptr, null, null, 0);
  }

  /** Hide the window (it keeps running; `present()` shows it again). */
  hide(): void {
    const window = this.nativeWindow;
    if (window && this.toolkit) this.toolkit.gtk.gtk_widget_set_visible(window, 0);
  }

  /** Close as the window manager's close button does (emits close-request). */
  close(): void {
    const window = this.nativeWindow;
    if (window && this.toolkit) this.toolkit.gtk.gtk_window_close(window);
  }

  present(): void {
    const window = this.nativeWindow;
    if (window && this.toolkit) this.toolkit.gtk.gtk_window_present(window);
  }

  navigate(url: string): void {
    this.lib.webview_navigate(this.handle, cstring(url));
  }

  setHtml(html: string): void {
    this.lib.webview_set_html(this.handle, cstring(html));
  }

  /** Run JavaScript in the current page (main thread only). */
  eval(script: string): void {
    this.lib.webview_eval(this.handle, cstring(script));
  }

  /** JavaScript run before every page load (before the page's own scripts). */
  init(script: string): void {
    this.lib.webview_init(this.handle, cstring(script));
  }

  /** Expose `name(...args)` to the page; `handler` gets the arguments and its result is returned. */
  bind(name: string, handler: (...args: unknown[]) => unknown): void {
    const callback = new JSCallback(
      (seq: Pointer, request: Pointer) => {
        const seqText = new CString(seq).toString();
        let status = 0;
        let result: unknown;
        try {
          result = handler(...(JSON.parse(new CString(request).toString()) as unknown[]));
        } catch (error) {
          status = 1;
          result = error instanceof Error ? error.message : String(error);
        }
        this.lib.webview_return(
          this.handle,
          cstring(seqText),
          status,
          cstring(JSON.stringify(result ?? null)),
        );
      },
      { args: [FFIType.ptr, FFIType.ptr, FFIType.ptr], returns: FFIType.void },
    );
    this.callbacks.push(callback);
    this.lib.webview_bind(this.handle, cstring(name), callback.ptr, null);
  }

  /** A main-thread function the worker can trigger with `dispatch(handle, pointer, code)`. */
  dispatchTarget(handler: (code: number) => void): Pointer {
    const callback = new JSCallback((_webview: Pointer, arg: Pointer | null) => handler(Number(arg ?? 0)), {
      args: [FFIType.ptr, FFIType.ptr],
      returns: FFIType.void,
    });
    this.callbacks.push(callback);
    return callback.ptr as Pointer;
  }

  /** Run `handler` on the main thread when the process gets `signal` (only while `run()` blocks). */
  onSignal(signal: "SIGTERM" | "SIGINT" | "SIGHUP", handler: () => void): void {
    const toolkit = this.toolkit;
    if (!toolkit) return;
    const number = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal];
    const callback = new JSCallback(
      () => {
        handler();
        return 1; // keep the source installed
      },
      { args: [FFIType.ptr], returns: FFIType.i32 },
    );
    this.callbacks.push(callback);
    toolkit.glib.g_unix_signal_add(number, callback.ptr, null);
  }

  /** Call `handler` every `ms` milliseconds on the main thread while `run()` blocks. */
  every(ms: number, handler: () => void): void {
    const toolkit = this.toolkit;
    if (!toolkit) return;
    const callback = new JSCallback(
      () => {
        handler();
        return 1;
      },
      { args: [FFIType.ptr], returns: FFIType.i32 },
    );
    this.callbacks.push(callback);
    toolkit.glib.g_timeout_add(ms, callback.ptr, null);
  }

  /** Block in the window's event loop until it is closed or terminated. */
  run(): void {
    this.lib.webview_run(this.handle);
  }

  terminate(): void {
    this.lib.webview_terminate(this.handle);
  }

  destroy(): void {
    this.lib.webview_destroy(this.handle);
    for (const callback of this.callbacks) callback.close();
  }
}

/** The two calls the server worker may make on the window from its own thread. */
export function workerWindowApi(handle: number) {
  const lib = openWebviewLibrary().symbols;
  return {
    dispatch: (target: number, code: number) =>
      lib.webview_dispatch(handle as Pointer, target as Pointer, code as Pointer),
    terminate: () => lib.webview_terminate(handle as Pointer),
  };
}

export { libraryPath as webviewLibraryPath };
