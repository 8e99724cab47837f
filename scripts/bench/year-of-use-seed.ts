/**
 * Seeding a data folder like a heavy user's year (scripts/bench/year-of-use.ts), through the app's own
 * migrations and repositories so the schema, indexes and full-text triggers are the real ones.
 *
 * Per `sessions`: ~10 turns each (2 to 40), a user message and an assistant message per turn (text, a
 * third of them with a tool call and its output), ~6 events per turn as the event log stores them, the
 * dates spread over the last year; a few sessions pinned, 2% deleted. Plus one session of 10,000
 * messages, `skills` skill folders, `agents` agents, and a workspace of `workspaceBytes` in sparse
 * files (size on disk ~0, but every file is there to list and stat). Text comes from a fixed
 * vocabulary with a skewed distribution (a few words everywhere, most rare) and one rare word per
 * session, so searches hit both common and rare terms.
 */
import { closeSync, ftruncateSync, mkdirSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AgentRepository } from "../../src/agent-configs/repository.ts";
import { resolvePaths } from "../../src/core/paths.ts";
import { ensureLocalUser } from "../../src/core/user.ts";
import { SessionRepository } from "../../src/sessions/repository.ts";
import type { MessageInfo, Part } from "../../src/shared/parts.ts";
import { closeDatabase, openDatabase } from "../../src/store/database.ts";

export interface SeedOptions {
  sessions: number;
  skills: number;
  agents: number;
  workspaceBytes: number;
  /** Messages of the one very long session (0: none). */
  longSession: number;
}

export interface SeedResult {
  messages: number;
  parts: number;
  events: number;
  longSessionId?: string;
  seconds: number;
}

const DAY = 86_400_000;

/** A deterministic generator (the same folder every run). */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMON =
  "the a to of and in is it that for on with this you be as are can file code function test".split(" ");
const SYLLABLES = "ka lo mi ne ru sa ti vo ze pa qu re sto mer lin dor gal fen wix bra".split(" ");

/** 4,000 words: the first few very common, most rare (index drawn from a skewed distribution). */
const VOCABULARY = [
  ...COMMON,
  ..."deploy pipeline config server database query index cache error build release branch commit review".split(
    " ",
  ),
  ...Array.from({ length: 3960 }, (_, i) => {
    let word = "";
    let n = i + 7;
    for (let k = 0; k < 3; k++) {
      word += SYLLABLES[n % SYLLABLES.length];
      n = Math.floor(n / SYLLABLES.length) + k * 3;
    }
    return word;
  }),
];

function sentence(random: () => number, words: number, extra?: string): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    const index = Math.floor(VOCABULARY.length * random() ** 3);
    out.push(VOCABULARY[index] as string);
  }
  if (extra) out.splice(Math.floor(random() * out.length), 0, extra);
  return `${out.join(" ")}.`;
}

let counter = 0;
/** Ids shaped like the app's (prefix + time-ordered unique part) without the cost of random bytes. */
function id(prefix: string): string {
  counter++;
  return `${prefix}_${counter.toString(36).padStart(12, "0")}`;
}

/** Seed `dataDir` (created if needed); returns what was written. */
export function seedYearOfUse(dataDir: string, options: SeedOptions, seed = 1): SeedResult {
  const started = performance.now();
  const random = rng(seed);
  const paths = resolvePaths({}, dataDir);
  mkdirSync(paths.data, { recursive: true });
  const { db } = openDatabase(paths.database);
  // Seeding only: no fsync per transaction and a larger page cache (the app's own settings return
  // with the next open).
  db.exec("PRAGMA synchronous = OFF; PRAGMA cache_size = -200000");
  // The full-text index is built in one pass at the end ('rebuild'), which is several times faster than
  // its per-row triggers; the triggers are put back exactly as the migrations wrote them.
  const triggers = db
    .query("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'parts'")
    .all() as { name: string; sql: string }[];
  for (const trigger of triggers) db.exec(`DROP TRIGGER ${trigger.name}`);
  const user = ensureLocalUser(db);
  const agentsRepo = new AgentRepository(db, user.id);
  const base = agentsRepo.defaultAgent();
  const agentIds = [base.id];
  for (let i = 1; i < options.agents; i++) agentIds.push(agentsRepo.duplicate(base.id).id);
  const repo = new SessionRepository(db, user.id);
  const insertEvent = db.prepare("INSERT INTO events (session_id, seq, type, data) VALUES (?, ?, ?, ?)");
  const finishSession = db.prepare(
    "UPDATE sessions SET last_seq = ?, pinned = ?, deleted_at = ?, title_set = 1, updated_at = ? WHERE id = ?",
  );
  const insertTurn = db.prepare(
    "INSERT INTO turns (id, session_id, client_turn_id, status, user_message_id, started_at, ended_at) VALUES (?, ?, ?, 'completed', ?, ?, ?)",
  );
  let messages = 0;
  let parts = 0;
  let events = 0;
  const now = Date.now();

  /** One session of `turns` turns ending at `end`; returns its id. */
  const writeSession = (agentId: string, title: string, turns: number, end: number, rare: string): string => {
    const sessionId = id("ses");
    const start = end - turns * 60_000;
    repo.createSession(sessionId, agentId, title, start);
    let parent: string | null = null;
    let seq = 0;
    const event = (type: string, data: Record<string, unknown>) => {
      seq++;
      events++;
      insertEvent.run(sessionId, seq, type, JSON.stringify({ type, sessionId, seq, ...data }));
    };
    for (let turn = 0; turn < turns; turn++) {
      const at = start + turn * 60_000;
      const turnId = id("trn");
      event("turn.started", { turnId, clientTurnId: turnId, at });
      for (const role of ["user", "assistant"] as const) {
        const info: MessageInfo = {
          id: id("msg"),
          sessionId,
          role,
          parentId: parent,
          turnId,
          kind: "normal",
          status: "completed",
          createdAt: at,
          ...(role === "assistant"
            ? { model: "fake-model", usage: { inputTokens: 1800, outputTokens: 240 } }
            : {}),
        };
        repo.insertMessage(info, at);
        messages++;
        event("message.created", { message: info });
        const messageParts: Part[] = [
          {
            id: id("prt"),
            type: "text",
            text:
              role === "user"
                ? sentence(random, 12 + Math.floor(random() * 20), turn === 0 ? rare : undefined)
                : `${sentence(random, 40 + Math.floor(random() * 80))}\n\n${sentence(random, 30)}`,
          },
        ];
        if (role === "assistant" && random() < 0.33) {
          messageParts.push({
            id: id("prt"),
            type: "tool",
            callId: id("call"),
            tool: random() < 0.5 ? "shell" : "read_file",
            input: { command: `grep -rn ${VOCABULARY[Math.floor(random() * 200)]} src` },
            status: "completed",
            output: { text: sentence(random, 60), details: { exitCode: 0 } },
            startedAt: at,
            endedAt: at + 40,
          });
        }
        messageParts.forEach((part, index) => {
          repo.savePart(sessionId, info.id, index, part);
          parts++;
        });
        if (role === "assistant") {
          const text = messageParts[0] as Extract<Part, { type: "text" }>;
          event("message.part.delta", {
            messageId: info.id,
            partId: text.id,
            delta: text.text.slice(0, 120),
          });
          event("message.part.updated", { messageId: info.id, part: text });
        }
        parent = info.id;
      }
      event("turn.ended", { turnId, status: "completed", usage: { inputTokens: 1800, outputTokens: 240 } });
      insertTurn.run(turnId, sessionId, turnId, null, at, at + 5000);
    }
    const pinned = random() < 0.005 ? 1 : 0;
    const deleted = random() < 0.02 ? end : null;
    finishSession.run(seq, pinned, deleted, end, sessionId);
    return sessionId;
  };

  const batch = 200;
  for (let first = 0; first < options.sessions; first += batch) {
    db.transaction(() => {
      for (let i = first; i < Math.min(options.sessions, first + batch); i++) {
        const end = now - Math.floor(random() * 365 * DAY);
        const turns = 2 + Math.floor(random() ** 2 * 38);
        const agentId = agentIds[i % agentIds.length] as string;
        writeSession(agentId, sentence(random, 4).slice(0, 60), turns, end, `quokka${i}`);
      }
    })();
  }
  let longSessionId: string | undefined;
  if (options.longSession > 0) {
    db.transaction(() => {
      longSessionId = writeSession(
        base.id,
        "A very long session",
        options.longSession / 2,
        now - DAY,
        "longsession",
      );
    })();
  }
  db.exec("INSERT INTO parts_fts (parts_fts) VALUES ('rebuild')");
  for (const trigger of triggers) db.exec(trigger.sql);
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  closeDatabase(db);

  for (let i = 0; i < options.skills; i++) {
    const dir = join(paths.skills, `skill-${String(i).padStart(3, "0")}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "SKILL.md"),
      `---\nname: skill-${String(i).padStart(3, "0")}\ndescription: ${sentence(random, 20)}\n---\n\n# Skill ${i}\n\n${sentence(random, 200)}\n`,
    );
  }

  // The workspace: sparse files of 1 MiB in folders of 100 (ls, stat and glob see real files).
  const workspace = join(paths.workspaces, base.id);
  const fileBytes = 1024 * 1024;
  const files = Math.ceil(options.workspaceBytes / fileBytes);
  for (let i = 0; i < files; i++) {
    const dir = join(workspace, `folder-${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(dir, { recursive: true });
    const fd = openSync(join(dir, `data-${i}.bin`), "w");
    ftruncateSync(fd, fileBytes);
    closeSync(fd);
  }
  return { messages, parts, events, longSessionId, seconds: (performance.now() - started) / 1000 };
}
