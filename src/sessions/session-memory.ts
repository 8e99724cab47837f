/**
 * Memory over the user's past chats: a full-text search (the `parts_fts` index over this folder's
 * tables, messages and parts) for the search_memory tool. It lives with the tables it reads (one owner
 * per table); the words it asks for are src/memory/memory-words.ts's. Unlike the sidebar's search (every word required, newest first), memory asks
 * in the model's words — "what was the cabin's wifi password" — so any word may match and hits are
 * ranked by relevance (FTS5's bm25). Only what the chat shows is searched: text and summaries of
 * messages on a live branch, not tool output or reasoning, not deleted chats, not superseded retries.
 * Each hit is a citation: the chat (id, title), the message (id, role, date) and a snippet around the
 * matches.
 */
import type { Database } from "bun:sqlite";
import { memoryQuery } from "../memory/memory-words.ts";

export interface SessionMemoryHit {
  sessionId: string;
  title: string;
  agentId: string;
  messageId: string;
  role: "user" | "assistant";
  /** When the message was written (ms since the epoch). */
  at: number;
  /** Text around the matches, matches wrapped in «». */
  snippet: string;
}

/**
 * Matches ranked before the chats' rules (deleted chats, the asking chat, one agent, tool output) filter
 * them: plenty for a handful of results, and it keeps a search over common words fast.
 */
export const CANDIDATES = 300;

export class SessionMemory {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
  ) {}

  /**
   * The best matches for `query`, most relevant first, at most one per message. `excludeSessionId`
   * leaves out the asking chat (it would find its own question); `agentId` keeps one agent's chats only.
   */
  search(
    query: string,
    options: { limit: number; excludeSessionId?: string; agentId?: string },
  ): SessionMemoryHit[] {
    const match = memoryQuery(query);
    if (!match) return [];
    // The best CANDIDATES matches first (FTS5 ranks inside the index, which is fast even when common
    // words match thousands of parts), then the chats' own rules filter them.
    const rows = this.db
      .query(
        `WITH best AS (
           SELECT rowid, rank, snippet(parts_fts, 0, '«', '»', '…', 24) AS snippet
           FROM parts_fts WHERE parts_fts MATCH ? ORDER BY rank LIMIT ?
         )
         SELECT s.id AS sessionId, s.title AS title, s.agent_id AS agentId, m.id AS messageId,
                m.role AS role, m.created_at AS at, best.snippet AS snippet
         FROM best
         JOIN parts p ON p.rowid = best.rowid
         JOIN messages m ON m.id = p.message_id
         JOIN sessions s ON s.id = p.session_id
         WHERE s.user_id = ? AND s.deleted_at IS NULL
           AND m.superseded_by IS NULL AND p.type IN ('text', 'compaction')
           AND s.id IS NOT ? AND (? IS NULL OR s.agent_id = ?)
         ORDER BY best.rank, m.created_at DESC
         LIMIT ?`,
      )
      .all(
        match,
        CANDIDATES,
        this.userId,
        options.excludeSessionId ?? null,
        options.agentId ?? null,
        options.agentId ?? null,
        options.limit * 3,
      ) as SessionMemoryHit[];
    const seen = new Set<string>();
    const hits: SessionMemoryHit[] = [];
    for (const row of rows) {
      if (seen.has(row.messageId)) continue;
      seen.add(row.messageId);
      hits.push({ ...row, snippet: row.snippet.replace(/\s+/g, " ").trim() });
      if (hits.length >= options.limit) break;
    }
    return hits;
  }
}

declare module "../agent/tool-contract.ts" {
  interface ToolServices {
    /** The user's past chats, for search_memory (wired in src/app/lifecycle.ts). */
    memory?: SessionMemory;
  }
}
