/**
 * Loop detection: a model that keeps making the same failing call is stuck, and more steps only burn
 * tokens. The loop pauses the turn and asks the user (Continue / Stop here) once a call has failed
 * REPEAT_LIMIT times in a row.
 *
 * "The same call" is the same tool with the same arguments up to trivial differences: key order,
 * whitespace inside strings, a leading "./" or a trailing "/" on a path, and numbers (an offset, a
 * line count, a timeout: a field with a number value counts as absent). A success of the same call ends its streak; calls of other tools in between
 * do not (a model alternating one failing call with a harmless one is still stuck).
 */
import type { RepeatedCall } from "../shared/events.ts";

export const REPEAT_LIMIT = 3;

interface Streak {
  count: number;
  tool: string;
  input: unknown;
  error: string;
}

/** The call with trivial differences normalised away. */
export function callSignature(tool: string, input: unknown): string {
  return `${tool}\u0000${JSON.stringify(normalise(input))}`;
}

function normalise(value: unknown): unknown {
  if (typeof value === "number") return "#";
  if (typeof value === "string")
    return value
      .trim()
      .replace(/\s+/g, " ")
      .replace(/^\.\/+/, "")
      .replace(/(.)\/+$/, "$1");
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.keys(value)
        .filter((key) => typeof (value as Record<string, unknown>)[key] !== "number")
        .sort()
        .map((key) => [key, normalise((value as Record<string, unknown>)[key])]),
    );
  return value;
}

export class RepeatedFailures {
  private readonly streaks = new Map<string, Streak>();

  /** Record one finished call. */
  record(tool: string, input: unknown, failed: boolean, error = ""): void {
    const key = callSignature(tool, input);
    if (!failed) {
      this.streaks.delete(key);
      return;
    }
    const count = (this.streaks.get(key)?.count ?? 0) + 1;
    this.streaks.set(key, { count, tool, input, error });
  }

  /** The call that has failed REPEAT_LIMIT times in a row (the longest streak), if any. */
  detected(): (RepeatedCall & { key: string }) | undefined {
    let found: [string, Streak] | undefined;
    for (const entry of this.streaks)
      if (entry[1].count >= REPEAT_LIMIT && (!found || entry[1].count > found[1].count)) found = entry;
    if (!found) return undefined;
    const [key, streak] = found;
    return {
      key,
      tool: streak.tool,
      input: JSON.stringify(streak.input ?? {}),
      error: streak.error.slice(0, 2000),
      count: streak.count,
    };
  }

  /** The user said to go on: this call's streak starts again from zero. */
  forgive(key: string): void {
    this.streaks.delete(key);
  }
}
