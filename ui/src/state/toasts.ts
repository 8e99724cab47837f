/** Short notices at the bottom of the window (errors, "deleted — undo"). Announced to screen readers. */
import { createStore } from "solid-js/store";

export interface Toast {
  id: number;
  kind: "info" | "error";
  text: string;
  action?: { label: string; run(): void };
}

const [toasts, setToasts] = createStore<Toast[]>([]);
let nextId = 1;

export { toasts };

export function notify(
  text: string,
  options: { kind?: Toast["kind"]; action?: Toast["action"]; timeoutMs?: number } = {},
): number {
  const id = nextId++;
  setToasts((list) => [...list, { id, kind: options.kind ?? "info", text, action: options.action }]);
  setTimeout(() => dismiss(id), options.timeoutMs ?? (options.action ? 8000 : 5000));
  return id;
}

export function notifyError(text: string): number {
  return notify(text, { kind: "error", timeoutMs: 8000 });
}

export function dismiss(id: number): void {
  setToasts((list) => list.filter((toast) => toast.id !== id));
}
