/**
 * One owner per table: every statement that writes a table (INSERT, UPDATE, DELETE) is in the one module
 * that owns it, and every query that reads it is in the owner's folder, unless listed below with why.
 * The SQL is found by its upper-case keywords in src/ (the code writes SQL that way; prose says "from"
 * in lower case). A table created by a migration that is missing here fails the test: a new table is
 * given an owner on purpose.
 */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const repo = resolve(import.meta.dir, "../..");

/** Each table and the module that owns its SQL. */
const OWNERS: Record<string, string> = {
  agents: "src/agent-configs/repository.ts",
  approvals: "src/store/approval-store.ts",
  events: "src/store/event-log.ts",
  file_snapshots: "src/sessions/file-snapshots.ts",
  messages: "src/sessions/repository.ts",
  parts: "src/sessions/repository.ts",
  parts_fts: "src/sessions/search.ts",
  providers: "src/providers/repository.ts",
  scheduled_runs: "src/schedule/task-repository.ts",
  scheduled_tasks: "src/schedule/task-repository.ts",
  scheduler_state: "src/schedule/task-repository.ts",
  sessions: "src/sessions/repository.ts",
  settings: "src/settings/repository.ts",
  tool_runs: "src/sessions/audit-log.ts",
  turns: "src/sessions/turn-store.ts",
  users: "src/core/user.ts",
};

/** Reads from outside the owner's folder, each with why. */
const OUTSIDE_READS: Record<string, string> = {
  "src/store/event-log.ts sessions":
    "an event is appended only while its session exists (EXISTS in the INSERT), so a removed chat gets none",
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (name.endsWith(".ts")) out.push(full);
  }
  return out;
}

function migrationTables(): string[] {
  const dir = join(repo, "db/migrations");
  const tables = new Set<string>();
  for (const name of readdirSync(dir)) {
    const sql = readFileSync(join(dir, name), "utf8");
    for (const match of sql.matchAll(/CREATE (?:VIRTUAL )?TABLE (?:IF NOT EXISTS )?(\w+)/g))
      tables.add(match[1] as string);
  }
  return [...tables].sort();
}

/** Where each table is written and read, as "file" lists keyed by table. */
function sqlUses(files: string[], tables: string[]) {
  const writes = new Map<string, Set<string>>();
  const reads = new Map<string, Set<string>>();
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const rel = relative(repo, file);
    for (const table of tables) {
      const written = new RegExp(`(?:INSERT(?: OR \\w+)? INTO|UPDATE|DELETE FROM)\\s+${table}\\b`).test(text);
      const read = new RegExp(`(?:FROM|JOIN)\\s+${table}\\b`).test(text);
      if (written) writes.set(table, (writes.get(table) ?? new Set()).add(rel));
      if (read) reads.set(table, (reads.get(table) ?? new Set()).add(rel));
    }
  }
  return { writes, reads };
}

describe("one owner per table", () => {
  const tables = migrationTables();
  const { writes, reads } = sqlUses(sourceFiles(join(repo, "src")), tables);

  test("every table the migrations create has an owner", () => {
    expect(tables.filter((table) => !(table in OWNERS))).toEqual([]);
    expect(tables.length).toBeGreaterThan(10);
  });

  test("only the owner writes a table", () => {
    const strangers = tables.flatMap((table) =>
      [...(writes.get(table) ?? [])]
        .filter((file) => file !== OWNERS[table])
        .map((file) => `${file} ${table}`),
    );
    expect(strangers).toEqual([]);
    // The check sees writes: the owners of the busiest tables do write them.
    expect([...(writes.get("tool_runs") ?? [])]).toEqual(["src/sessions/audit-log.ts"]);
    expect([...(writes.get("approvals") ?? [])]).toEqual(["src/store/approval-store.ts"]);
  });

  test("a table is read only in its owner's folder (or where listed, with why)", () => {
    const strangers = tables.flatMap((table) =>
      [...(reads.get(table) ?? [])]
        .filter((file) => dirname(file) !== dirname(OWNERS[table] as string))
        .map((file) => `${file} ${table}`)
        .filter((use) => !(use in OUTSIDE_READS)),
    );
    expect(strangers).toEqual([]);
  });

  test("a write or read elsewhere is caught (the patterns match the code's SQL)", () => {
    const sample = join(repo, "test/fixtures/table-owners/rogue.ts");
    const { writes: w, reads: r } = sqlUses([sample], ["tool_runs", "approvals", "sessions"]);
    expect([...(w.get("tool_runs") ?? [])]).toEqual(["test/fixtures/table-owners/rogue.ts"]);
    expect([...(w.get("approvals") ?? [])]).toEqual(["test/fixtures/table-owners/rogue.ts"]);
    expect([...(r.get("sessions") ?? [])]).toEqual(["test/fixtures/table-owners/rogue.ts"]);
  });
});
