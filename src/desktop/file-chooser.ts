/**
 * "Save as" and "Open" through the desktop portal's file chooser (`org.freedesktop.portal.FileChooser`
 * on `org.freedesktop.portal.Desktop`): the dialog the desktop itself draws, which also works inside
 * sandboxes and on every desktop that ships xdg-desktop-portal. Contract of `saveFile`:
 * - resolves `{ kind: "chosen", path }` with a local path the user picked (the portal already asked
 *   about replacing an existing file), `{ kind: "cancelled" }` when the user closed the dialog, and
 *   `{ kind: "unavailable" }` when no portal answers — the caller then saves into Downloads as before;
 * - `openFiles` is the same for picking files to read: `{ kind: "chosen", paths }` (one or more local
 *   paths; non-file URIs are dropped), cancelled, or unavailable (the page then uses its own file input);
 * - the request's Response signal is subscribed before the call (its path is predictable from our
 *   unique name and a handle token), so a fast answer is never missed.
 */
import { fileURLToPath } from "node:url";
import { type Message, type MessageBus, Variant } from "dbus-next";
import { addMatch, callMethod, nameHasOwner } from "./session-bus.ts";

export const PORTAL_NAME = "org.freedesktop.portal.Desktop";
export const PORTAL_PATH = "/org/freedesktop/portal/desktop";
const FILE_CHOOSER = "org.freedesktop.portal.FileChooser";
const REQUEST = "org.freedesktop.portal.Request";

export type SaveChoice = { kind: "chosen"; path: string } | { kind: "cancelled" } | { kind: "unavailable" };
export type OpenChoice =
  | { kind: "chosen"; paths: string[] }
  | { kind: "cancelled" }
  | { kind: "unavailable" };

/** A named set of glob patterns the dialog offers ("JSON files": ["*.json"]). */
export interface FileFilter {
  name: string;
  patterns: string[];
}

type RequestAnswer = { kind: "answered"; uris: string[] } | { kind: "cancelled" } | { kind: "unavailable" };

export class PortalFileChooser {
  private counter = 0;
  private readonly waiting = new Map<string, (message: Message) => void>();

  private constructor(private readonly bus: MessageBus) {
    bus.on("message", (message: Message) => {
      if (message.interface !== REQUEST || message.member !== "Response") return;
      this.waiting.get(message.path)?.(message);
    });
  }

  static async open(bus: MessageBus): Promise<PortalFileChooser> {
    await addMatch(bus, `type='signal',interface='${REQUEST}',member='Response'`);
    return new PortalFileChooser(bus);
  }

  async saveFile(options: { title: string; currentName: string }): Promise<SaveChoice> {
    const answer = await this.request("SaveFile", options.title, {
      current_name: new Variant("s", options.currentName),
    });
    if (answer.kind !== "answered") return answer;
    const path = answer.uris.map(localPath).find((candidate) => candidate !== undefined);
    return path ? { kind: "chosen", path } : { kind: "cancelled" };
  }

  async openFiles(options: {
    title: string;
    multiple: boolean;
    filters?: FileFilter[];
  }): Promise<OpenChoice> {
    const filters = (options.filters ?? []).map(
      (filter) => [filter.name, filter.patterns.map((pattern) => [0, pattern])] as const,
    );
    const answer = await this.request("OpenFile", options.title, {
      multiple: new Variant("b", options.multiple),
      ...(filters.length > 0 ? { filters: new Variant("a(sa(us))", filters) } : {}),
    });
    if (answer.kind !== "answered") return answer;
    const paths = answer.uris.map(localPath).filter((path) => path !== undefined);
    return paths.length > 0 ? { kind: "chosen", paths } : { kind: "cancelled" };
  }

  /** One portal request: call `member`, then wait for its Response signal. */
  private async request(
    member: "SaveFile" | "OpenFile",
    title: string,
    extra: Record<string, Variant>,
  ): Promise<RequestAnswer> {
    if (!(await nameHasOwner(this.bus, PORTAL_NAME))) return { kind: "unavailable" };
    const token = `sage_${process.pid}_${++this.counter}`;
    const sender = (this.bus as MessageBus & { name?: string }).name ?? "";
    const expected = `${PORTAL_PATH}/request/${sender.replace(/^:/, "").replace(/\./g, "_")}/${token}`;
    const answered = new Promise<Message>((resolve) => this.waiting.set(expected, resolve));
    let listening = expected;
    try {
      const [handle] = await callMethod(this.bus, {
        destination: PORTAL_NAME,
        path: PORTAL_PATH,
        interface: FILE_CHOOSER,
        member,
        signature: "ssa{sv}",
        body: ["", title, { handle_token: new Variant("s", token), modal: new Variant("b", true), ...extra }],
      });
      // An old portal may not honour handle_token: then it answers on the path it returned.
      if (typeof handle === "string" && handle !== expected) {
        const resolve = this.waiting.get(expected);
        this.waiting.delete(expected);
        if (resolve) this.waiting.set(handle, resolve);
        listening = handle;
      }
      const reply = await answered;
      const [response, results] = reply.body as [number, Record<string, { value: unknown }>];
      if (response !== 0) return { kind: "cancelled" };
      return { kind: "answered", uris: (results.uris?.value as string[] | undefined) ?? [] };
    } catch {
      return { kind: "unavailable" };
    } finally {
      this.waiting.delete(listening);
    }
  }
}

function localPath(uri: string): string | undefined {
  return uri.startsWith("file://") ? fileURLToPath(uri) : undefined;
}
