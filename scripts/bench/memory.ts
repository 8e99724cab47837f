/**
 * Benchmark for search_memory: a database of past chats (default 2,000 chats of 20 messages, ~40,000
 * messages of ~40 words) with one fact hidden in an old chat, and a workspace of 2,000 text files. Times
 * the chat search (full-text, any word, ranked) and the workspace file scan, and checks the fact is the
 * first hit.
 *
 *   bun scripts/bench/memory.ts [chats] [files]
 *
 * Target: a chat search well under 100 ms at this size; the file scan under one second.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureLocalUser } from "../../src/core/user.ts";
import { createWorkspace } from "../../src/sandbox/workspace.ts";
import { SessionRepository } from "../../src/sessions/repository.ts";
import { SessionMemory } from "../../src/sessions/session-memory.ts";
import type { Part } from "../../src/shared/parts.ts";
import { closeDatabase, openDatabase } from "../../src/store/database.ts";
import { searchWorkspaceFiles } from "../../src/tools/memory-files.ts";

const chats = Number(process.argv[2] ?? 2000);
const fileCount = Number(process.argv[3] ?? 2000);
const PER_CHAT = 20;
const base = mkdtempSync(join(tmpdir(), "sage-bench-memory-"));

const WORDS =
  "project report meeting budget design review deploy server client invoice travel garden recipe music photo backup email calendar weekend family school doctor train flight hotel market coffee".split(
    " ",
  );
let seed = 7;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const sentence = (count: number) =>
  Array.from({ length: count }, () => WORDS[Math.floor(random() * WORDS.length)]).join(" ");

try {
  const { db } = openDatabase(join(base, "sage.db"));
  const user = ensureLocalUser(db);
  const repo = new SessionRepository(db, user.id);
  const memory = new SessionMemory(db, user.id);
  const filling = performance.now();
  let counter = 0;
  db.transaction(() => {
    for (let chat = 0; chat < chats; chat++) {
      const sessionId = `ses_${chat}`;
      repo.createSession(sessionId, "agt_bench", `Chat ${chat}`);
      let parent: string | null = null;
      for (let i = 0; i < PER_CHAT; i++) {
        const id = `msg_${++counter}`;
        repo.insertMessage({
          id,
          sessionId,
          role: i % 2 === 0 ? "user" : "assistant",
          parentId: parent,
          turnId: null,
          kind: "normal",
          status: "completed",
          createdAt: counter,
        });
        const text =
          chat === 3 && i === 4
            ? "The storage unit door code is 8841-OSPREY, by the north gate."
            : sentence(40);
        repo.savePart(sessionId, id, 0, { id: `prt_${counter}`, type: "text", text } as Part);
        parent = id;
      }
    }
  })();
  console.log(
    `${chats} chats, ${counter} messages written in ${(performance.now() - filling).toFixed(0)} ms`,
  );

  const queries = [
    "storage unit door code",
    "budget meeting with the doctor",
    "flight hotel weekend",
    "osprey",
  ];
  const times: number[] = [];
  for (let round = 0; round < 10; round++) {
    for (const query of queries) {
      const started = performance.now();
      const hits = memory.search(query, { limit: 8 });
      times.push(performance.now() - started);
      if (query === "storage unit door code" && hits[0]?.sessionId !== "ses_3")
        throw new Error(`the fact was not the first hit: ${JSON.stringify(hits[0])}`);
    }
  }
  times.sort((a, b) => a - b);
  console.log(
    `chat search: median ${times[Math.floor(times.length / 2)]?.toFixed(1)} ms, max ${times.at(-1)?.toFixed(1)} ms over ${times.length} searches; the fact ranks first`,
  );
  closeDatabase(db);

  const root = join(base, "workspace");
  for (let i = 0; i < fileCount; i++) {
    const folder = join(root, `notes${i % 40}`);
    if (i < 40) mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(folder, `note${i}.md`),
      `${Array.from({ length: 30 }, () => sentence(12)).join("\n")}\n`,
    );
  }
  writeFileSync(join(root, "notes7", "boat.md"), "# Boat\nmooring 77 at Kestrel Marina\n");
  const workspace = createWorkspace(root);
  const scanStarted = performance.now();
  const files = await searchWorkspaceFiles(workspace, "kestrel marina mooring", {
    limit: 8,
    signal: new AbortController().signal,
  });
  const scan = performance.now() - scanStarted;
  if (files[0]?.path !== "notes7/boat.md")
    throw new Error(`the file was not the first hit: ${files[0]?.path}`);
  console.log(`workspace scan: ${fileCount + 1} files in ${scan.toFixed(0)} ms; the right file ranks first`);
} finally {
  rmSync(base, { recursive: true, force: true });
}
