/**
 * Looking at the database file before anything writes to it.
 *
 * Contract: `inspectDatabaseFile` changes nothing and leaves no new file — it opens the database
 * `immutable` (no locks, no -wal/-shm) unless a crash left a non-empty -wal, whose commits belong to the
 * database (then it opens read-only, which may add the missing -shm beside that -wal). It refuses, with
 * DatabaseDamagedError, a file that is not an SQLite database, whose schema cannot be read, or that fails
 * `PRAGMA quick_check`; with DatabaseTooNewError one from a newer Sage. The full check is skipped only for
 * a file exactly as Sage's last clean close left it (see clean-close.ts).
 * A 0-byte file (with no -wal) is reported as `empty`: SQLite would silently take it as a new database.
 */
import { constants, Database } from "bun:sqlite";
import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { DatabaseDamagedError } from "../core/errors.ts";
import { unchangedSinceCleanClose } from "./clean-close.ts";
import { assertNotTooNew, type Migration } from "./migrations.ts";

export type DatabaseFileState =
  | { kind: "missing" }
  /** 0 bytes, no -wal: nothing to lose, but worth telling the user (see lifecycle). */
  | { kind: "empty" }
  /** A sound database; `fullCheck` says whether quick_check read all of it this time. */
  | { kind: "existing"; fullCheck: boolean };

const HEADER = "SQLite format 3\0";

export function inspectDatabaseFile(
  path: string,
  migrations: Migration[],
  options: { fullCheck?: "auto" | "always" } = {},
): DatabaseFileState {
  if (!existsSync(path)) return { kind: "missing" };
  const size = statSync(path).size;
  const walSize = sizeOf(`${path}-wal`);
  if (size === 0 && walSize === 0) return { kind: "empty" };
  if (size > 0 && readHeader(path) !== HEADER)
    throw new DatabaseDamagedError(path, "it does not start with the SQLite header", undefined);
  const fullCheck = options.fullCheck === "always" || walSize > 0 || !unchangedSinceCleanClose(path);
  let probe: Database | undefined;
  try {
    probe =
      walSize > 0
        ? new Database(path, { readonly: true })
        : new Database(
            `file:${encodeURI(path).replaceAll("?", "%3f").replaceAll("#", "%23")}?immutable=1`,
            constants.SQLITE_OPEN_READONLY | constants.SQLITE_OPEN_URI,
          );
    assertNotTooNew(probe, migrations, path);
    probe.query("SELECT count(*) FROM sqlite_schema").get();
    if (fullCheck) {
      const problem = firstProblem(probe);
      if (problem) throw new DatabaseDamagedError(path, problem, undefined);
    }
  } catch (error) {
    const damage = damageOf(error);
    if (damage) throw new DatabaseDamagedError(path, damage, undefined);
    throw error;
  } finally {
    probe?.close();
  }
  return { kind: "existing", fullCheck };
}

/** `PRAGMA quick_check`'s complaint (its first lines), or undefined when it says "ok". */
export function firstProblem(db: Database): string | undefined {
  const rows = db.query("PRAGMA quick_check(10)").all() as { quick_check: string }[];
  if (rows.length === 1 && rows[0]?.quick_check === "ok") return undefined;
  const lines = rows
    .flatMap((row) => row.quick_check.split("\n"))
    .map((line) => line.trim())
    .filter((line) => line && !/^\*\*\* in database \w+ \*\*\*$/.test(line));
  const more = lines.length > 2 ? ` and ${lines.length - 2} more problem(s)` : "";
  return `quick_check: ${lines.slice(0, 2).join("; ")}${more}`;
}

/** SQLite's words when `error` says the file is damaged (corrupt, not a database); else undefined. */
export function damageOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return undefined;
  return code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB" ? (error as Error).message : undefined;
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function readHeader(path: string): string {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(HEADER.length);
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read).toString("latin1");
  } finally {
    closeSync(fd);
  }
}
