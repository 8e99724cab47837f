/**
 * The user's D-Bus session bus, the channel to the desktop's services (notifications, the tray host,
 * the file-chooser portal). Connecting is optional: a headless box, a container or a bus Sage cannot
 * reach (an abstract socket, which needs a native module) leaves the desktop features off, never Sage.
 */
import { Message, type MessageBus, MessageType, sessionBus } from "dbus-next";

/** Thrown when no session bus is configured or it refuses the connection. */
export class SessionBusUnavailableError extends Error {
  override readonly name = "SessionBusUnavailableError";
}

/**
 * Connect to the bus named by `DBUS_SESSION_BUS_ADDRESS` and wait until the bus has given us a name,
 * so a failure surfaces here and not in the first call. Only `unix:path=` addresses are supported.
 */
export async function connectSessionBus(
  env: Record<string, string | undefined>,
  timeoutMs = 3000,
): Promise<MessageBus> {
  const address = env.DBUS_SESSION_BUS_ADDRESS;
  if (!address)
    throw new SessionBusUnavailableError("No D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset).");
  if (!address.split(";").some((part) => part.startsWith("unix:path=")))
    throw new SessionBusUnavailableError(`Unsupported D-Bus address (only unix:path= works): ${address}`);
  const bus = sessionBus({ busAddress: address });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("timed out")), timeoutMs);
      bus.once("connect", () => {
        clearTimeout(timer);
        resolve();
      });
      bus.once("error", (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  } catch (error) {
    bus.disconnect();
    throw new SessionBusUnavailableError(`The D-Bus session bus refused the connection: ${errorText(error)}`);
  }
  // Later socket errors (the bus went away) must not crash the server thread.
  bus.on("error", () => {});
  return bus;
}

/** Call a method and return the reply's body; D-Bus errors are thrown with their name in the text. */
export async function callMethod(
  bus: MessageBus,
  call: {
    destination: string;
    path: string;
    interface: string;
    member: string;
    signature?: string;
    body?: unknown[];
  },
): Promise<unknown[]> {
  const reply = await bus.call(new Message({ type: MessageType.METHOD_CALL, ...call }));
  return reply?.body ?? [];
}

/** Ask the bus to route matching signals to us (they then arrive as "message" events). */
export async function addMatch(bus: MessageBus, rule: string): Promise<void> {
  await callMethod(bus, {
    destination: "org.freedesktop.DBus",
    path: "/org/freedesktop/DBus",
    interface: "org.freedesktop.DBus",
    member: "AddMatch",
    signature: "s",
    body: [rule],
  });
}

/** Whether some client owns `name` on the bus right now. */
export async function nameHasOwner(bus: MessageBus, name: string): Promise<boolean> {
  const [owned] = await callMethod(bus, {
    destination: "org.freedesktop.DBus",
    path: "/org/freedesktop/DBus",
    interface: "org.freedesktop.DBus",
    member: "NameHasOwner",
    signature: "s",
    body: [name],
  });
  return owned === true;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
