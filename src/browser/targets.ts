/**
 * Which element an action targets: a `ref` from the latest snapshot (preferred), or a selector as a
 * fallback (CSS, or Playwright's `text=...` / `role=...` forms). A target that matches nothing fails at
 * once with a hint, instead of waiting for the action timeout.
 */
import { Type as T } from "@sinclair/typebox";
import type { Locator, Page } from "playwright-core";
import { ToolError } from "../agent/tool-contract.ts";

export const refParameter = T.Optional(
  T.String({
    minLength: 1,
    description: 'Element reference from the latest browser_snapshot, e.g. "e12".',
  }),
);

export const selectorParameter = T.Optional(
  T.String({
    minLength: 1,
    description:
      'Fallback when there is no ref: a CSS selector, or "text=Sign in", or "role=button[name=\\"OK\\"]".',
  }),
);

export interface TargetRequest {
  ref?: string;
  selector?: string;
}

export interface ResolvedTarget {
  locator: Locator;
  /** How the target is named in results: "[ref=e12]" or "selector #login". */
  label: string;
}

/** `e12`, `ref=e12`, `[ref=e12]` and `f1e3` (inside a frame) are accepted; returns the bare ref. */
export function normalizeRef(text: string): string {
  const match = /^\[?(?:ref=)?((?:f\d+)?e\d+)\]?$/.exec(text.trim());
  if (!match) {
    throw new ToolError(`"${text}" is not an element reference; refs look like e12 (see browser_snapshot).`);
  }
  return match[1]!;
}

export function hasTarget(request: TargetRequest): boolean {
  return Boolean(request.ref?.trim() || request.selector?.trim());
}

export async function resolveTarget(page: Page, request: TargetRequest): Promise<ResolvedTarget> {
  if (request.ref?.trim()) {
    const ref = normalizeRef(request.ref);
    const locator = page.getByRef(ref);
    if ((await locator.count()) === 0) {
      throw new ToolError(
        `No element [ref=${ref}] on the current page. Refs come from the latest browser_snapshot of this tab and change when the page changes: take a new snapshot.`,
      );
    }
    return { locator, label: `[ref=${ref}]` };
  }
  const selector = request.selector?.trim();
  if (!selector) throw new ToolError("Name the element with ref (from browser_snapshot) or selector.");
  const matches = page.locator(selector);
  let count: number;
  try {
    count = await matches.count();
  } catch (error) {
    throw new ToolError(
      `Invalid selector ${selector}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
    );
  }
  if (count === 0) throw new ToolError(`No element matches the selector ${selector} on the current page.`);
  return {
    locator: matches.first(),
    label: count > 1 ? `selector ${selector} (first of ${count} matches)` : `selector ${selector}`,
  };
}
