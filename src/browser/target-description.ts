/**
 * How an approval names the element a browser action targets: its role and name from the page's latest
 * snapshot (`button “Sign in”`), the page it is on, and whether it is a password field (whose typed text
 * the approval then masks). Looks only at a browser that is already open; never launches one, never
 * throws — an unknown target is named by its ref or selector.
 */
import type { Page } from "playwright-core";
import type { ToolServices } from "../agent/tool-contract.ts";
import { elementLabel, snapshotElement } from "./snapshot-refs.ts";
import { normalizeRef, type TargetRequest } from "./targets.ts";

export interface TargetDescription {
  /** `button “Sign in”` when the latest snapshot names the ref; else the reference itself. */
  label: string;
  /** `[ref=e4]` or `selector #login`: what the call names. */
  reference: string;
  /** False when a ref is given but the latest snapshot of the current tab does not contain it. */
  known: boolean;
  /** `Test Page — http://…` of the current tab, when a browser is open. */
  page?: string;
  /** The target is an `<input type="password">` (or, unseen, a text box named like one). */
  password: boolean;
}

/** Time allowed for the live look at the element (is it a password field?) before giving up. */
const lookTimeoutMs = 1500;
const PASSWORD_NAME = /pass ?(word|code|phrase)|passwort|mot de passe|contraseña|密码|口令|パスワード/i;

export async function describeTarget(
  services: ToolServices,
  request: TargetRequest,
): Promise<TargetDescription> {
  const reference = referenceOf(request);
  const fallback: TargetDescription = { label: reference, reference, known: false, password: false };
  const browser = services.browser;
  if (!browser || typeof browser.peek !== "function") return fallback;
  try {
    const described = await Promise.race([
      browser.peek(async (session) => describeOn(session.currentTab().page, request, reference)),
      Bun.sleep(lookTimeoutMs * 2).then(() => undefined),
    ]);
    return described ?? fallback;
  } catch {
    return fallback;
  }
}

async function describeOn(page: Page, request: TargetRequest, reference: string): Promise<TargetDescription> {
  const title = await page.title().catch(() => "");
  const where = `${title || "(untitled)"} — ${page.url()}`;
  if (request.ref?.trim()) {
    const ref = normalizeRef(request.ref);
    const element = snapshotElement(page, ref);
    const password =
      (await isPasswordInput(page.getByRef(ref))) ??
      (element?.role === "textbox" && PASSWORD_NAME.test(element.name));
    return {
      label: element ? elementLabel(element) : reference,
      reference,
      known: element !== undefined,
      page: where,
      password,
    };
  }
  const selector = request.selector?.trim() ?? "";
  const password = selector ? ((await isPasswordInput(page.locator(selector).first())) ?? false) : false;
  return { label: reference, reference, known: true, page: where, password };
}

/** Whether the element is a password input; undefined when it cannot be looked at (gone, timeout). */
async function isPasswordInput(locator: ReturnType<Page["locator"]>): Promise<boolean | undefined> {
  try {
    if ((await locator.count()) === 0) return undefined;
    return await locator.evaluate(
      (element) => element instanceof HTMLInputElement && element.type.toLowerCase() === "password",
      undefined,
      { timeout: lookTimeoutMs },
    );
  } catch {
    return undefined;
  }
}

function referenceOf(request: TargetRequest): string {
  if (request.ref?.trim()) {
    try {
      return `[ref=${normalizeRef(request.ref)}]`;
    } catch {
      return `[ref=${request.ref.trim()}]`;
    }
  }
  return request.selector?.trim() ? `selector ${request.selector.trim()}` : "(no element named)";
}

/** The approval's lines about the target: the element (and its reference), then the page. */
export function targetLines(target: TargetDescription): string[] {
  const element =
    target.label === target.reference
      ? target.known
        ? target.reference
        : `${target.reference} (not in the latest snapshot of the current tab)`
      : `${target.label} ${target.reference}`;
  return [`Element: ${element}`, ...(target.page ? [`Page: ${target.page}`] : [])];
}

/** Text shown in place of a secret: one dot per character (at most 12) and the length. */
export function maskedText(text: string): string {
  const length = Array.from(text).length;
  return `${"•".repeat(Math.min(length, 12))} (${length} character${length === 1 ? "" : "s"}, hidden: password field)`;
}
