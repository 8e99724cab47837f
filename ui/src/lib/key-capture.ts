/**
 * Keys typed between a shortcut that opens a box (Ctrl+K: the command palette) and that box taking the
 * focus. The box's code may still be loading and its dialog focuses its field a moment after it mounts;
 * a fast typist's first keys would otherwise go to whatever had the focus (the message box) or nowhere.
 *
 * Contract: `startKeyCapture` holds every printable key (and Backspace, Enter, Escape) typed anywhere
 * except in the element `accepts` approves, until `takeCapturedKeys` hands them over — call it when that
 * element gets the focus, so the held keys come before any key it receives itself, in the order typed.
 * Escape stops the capture and calls `onCancel` (the box should not open any more). Keys with Ctrl, Alt
 * or Meta, and keys of an input method's composition, pass through untouched. A capture that nobody
 * takes ends on its own after `CAPTURE_LIMIT_MS`, so a box that never shows cannot eat the keyboard.
 */

/** What was typed while the capture ran. */
export interface CapturedKeys {
  /** The text, with Backspaces applied. */
  text: string;
  /** Enter was pressed: run the box's first choice. Keys after it are not kept. */
  submit: boolean;
}

export const CAPTURE_LIMIT_MS = 5000;

interface Capture {
  text: string;
  submit: boolean;
  accepts(target: EventTarget | null): boolean;
  onCancel(): void;
  timer: ReturnType<typeof setTimeout>;
}

let capture: Capture | undefined;

function onKeyDown(event: KeyboardEvent): void {
  const current = capture;
  if (!current || current.accepts(event.target)) return;
  if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
  const printable = event.key.length === 1 || [...event.key].length === 1;
  if (!printable && !["Backspace", "Enter", "Escape"].includes(event.key)) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  if (event.key === "Escape") {
    stopKeyCapture();
    current.onCancel();
  } else if (current.submit) {
    // After Enter the box runs its choice and closes: later keys have no box to go to.
  } else if (event.key === "Enter") {
    current.submit = true;
  } else if (event.key === "Backspace") {
    current.text = [...current.text].slice(0, -1).join("");
  } else {
    current.text += event.key;
  }
}

/** Start holding keys (a capture already running is replaced, its keys dropped). */
export function startKeyCapture(options: {
  accepts(target: EventTarget | null): boolean;
  onCancel(): void;
}): void {
  stopKeyCapture();
  capture = {
    text: "",
    submit: false,
    accepts: options.accepts,
    onCancel: options.onCancel,
    timer: setTimeout(stopKeyCapture, CAPTURE_LIMIT_MS),
  };
  // Capture phase on the window: before the focused element and the app's own shortcut handler.
  window.addEventListener("keydown", onKeyDown, true);
}

/** The keys held so far; ends the capture. Empty when none ran. */
export function takeCapturedKeys(): CapturedKeys {
  const taken = { text: capture?.text ?? "", submit: capture?.submit ?? false };
  stopKeyCapture();
  return taken;
}

/** End the capture, dropping what it held. */
export function stopKeyCapture(): void {
  if (!capture) return;
  clearTimeout(capture.timer);
  capture = undefined;
  window.removeEventListener("keydown", onKeyDown, true);
}
