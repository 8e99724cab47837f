/**
 * What each ref of a page's latest snapshot named: its role and accessible name as the model saw them
 * (`- button "Sign in" [ref=e4]`). The snapshot code records every tree it takes; approvals read it back
 * to show "button “Sign in”" instead of `{"ref":"e4"}`.
 *
 * Contract: `rememberSnapshot(page, tree)` replaces the page's index (refs are only valid against the
 * latest snapshot of a page); `snapshotElement(page, ref)` answers from it, undefined for a ref the
 * latest snapshot did not contain or a page never snapshotted. Pages are held weakly.
 */
import type { Page } from "playwright-core";

export interface SnapshotElement {
  /** ARIA role: "button", "textbox", "link", "combobox", "generic" ... */
  role: string;
  /** Accessible name; "" when the element has none. */
  name: string;
  /** Inline text of an element without a name (`- paragraph [ref=e9]: Some text`). */
  text?: string;
}

const latest = new WeakMap<Page, Map<string, SnapshotElement>>();

export function rememberSnapshot(page: Page, tree: string): void {
  latest.set(page, parseSnapshotRefs(tree));
}

export function snapshotElement(page: Page, ref: string): SnapshotElement | undefined {
  return latest.get(page)?.get(ref);
}

/** `- role "name" [attr] [ref=e4] [cursor=pointer]: inline text` (playwright-core's AI snapshot lines). */
const LINE = /^\s*- ([a-z][\w-]*)(?: "((?:[^"\\]|\\.)*)")?((?: \[[^\]]*\])*)(?::\s*(.*))?$/;
const REF = /\[ref=((?:f\d+)?e\d+)\]/;

/** Every ref in a snapshot tree with its role, name and inline text. */
export function parseSnapshotRefs(tree: string): Map<string, SnapshotElement> {
  const elements = new Map<string, SnapshotElement>();
  for (const line of tree.split("\n")) {
    const match = LINE.exec(line);
    const ref = match?.[3] ? REF.exec(match[3])?.[1] : undefined;
    if (!match || !ref) continue;
    const inline = match[4]?.trim();
    elements.set(ref, {
      role: match[1] as string,
      name: match[2] === undefined ? "" : unquote(match[2]),
      ...(inline ? { text: inline.replace(/^"(.*)"$/, "$1") } : {}),
    });
  }
  return elements;
}

/** `button “Sign in”`, `textbox “Email”`, `paragraph “Some text”`, or just the role. */
export function elementLabel(element: SnapshotElement, maxCharacters = 80): string {
  const words = element.name || element.text || "";
  if (!words) return element.role;
  const short = words.length > maxCharacters ? `${words.slice(0, maxCharacters - 1)}…` : words;
  return `${element.role} “${short}”`;
}

function unquote(escaped: string): string {
  try {
    return JSON.parse(`"${escaped}"`) as string;
  } catch {
    return escaped;
  }
}
