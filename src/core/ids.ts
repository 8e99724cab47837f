/**
 * Identifiers: a short type prefix, a time component (so ids sort roughly by creation) and 64 random
 * bits. Example: "msg_lz3k9q2a8f1c0e9b7d6a".
 */
let lastTime = 0;
let counter = 0;

export function newId(prefix: string): string {
  const now = Date.now();
  counter = now === lastTime ? counter + 1 : 0;
  lastTime = now;
  const time = now.toString(36).padStart(9, "0") + counter.toString(36).padStart(2, "0");
  const random = Buffer.from(crypto.getRandomValues(new Uint8Array(8))).toString("hex");
  return `${prefix}_${time}${random}`;
}
