/**
 * `sage:` links: `sage://session/ID` opens that chat, `sage://new?prompt=TEXT&agent=NAME_OR_ID` starts
 * a new chat (with the default agent when none is named) with TEXT put in its message box, NOT sent:
 * a link from a web page or another program must never make the agent act without the user. Parsing is
 * pure; anything else is a named error with a message for the user.
 */

/** The longest prompt a link may carry (the whole link is capped at 4 KiB by the route anyway). */
export const MAX_LINK_PROMPT = 4000;

export type DeepLink =
  | { kind: "session"; sessionId: string }
  | { kind: "new"; agent?: string; prompt?: string };

export class DeepLinkError extends Error {
  override readonly name = "DeepLinkError";
}

export function parseDeepLink(text: string): DeepLink {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DeepLinkError(`Not a link: ${text}`);
  }
  if (url.protocol !== "sage:") throw new DeepLinkError(`Not a sage: link: ${text}`);
  // sage://session/ID parses as host "session", path "/ID"; sage:session/ID as path "session/ID".
  const parts = [url.host, ...url.pathname.split("/")].filter(Boolean).map(decodeURIComponent);
  const [what, id] = parts;
  if (what === "session" && id && parts.length === 2 && /^[\w-]{1,200}$/.test(id))
    return { kind: "session", sessionId: id };
  if (what === "new" && parts.length === 1) {
    const agent = url.searchParams.get("agent") || undefined;
    const prompt = url.searchParams.get("prompt") || undefined;
    if (prompt && prompt.length > MAX_LINK_PROMPT) {
      throw new DeepLinkError(`The prompt in this link is longer than ${MAX_LINK_PROMPT} characters.`);
    }
    return { kind: "new", ...(agent ? { agent } : {}), ...(prompt ? { prompt } : {}) };
  }
  throw new DeepLinkError(`Sage does not know this link: ${text} (try sage://session/ID or sage://new)`);
}
