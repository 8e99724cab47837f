/**
 * Full-text search over session titles and message text (SQLite FTS5). Results name the session and
 * the message to jump to, with a snippet whose matches are wrapped in «» (the UI turns them into
 * highlights, after escaping the rest). Attempts an automatic retry superseded are not searched: they
 * are kept for the record but are not in the chat, so a hit could not be shown.
 *
 * Text hits come newest first. Cost stays flat as the history grows (scripts/bench/year-of-use.ts):
 * FTS5 walks its index newest first and stops at `limit` hits, making snippets only for those. Relevance ranking (bm25) is not used: it reads every match of each word to weigh it, so a
 * common word ("the" is in most of a year's parts) cost seconds on a heavy user's history.
 */
import type { Database } from "bun:sqlite";
import type { SessionSearchHit } from "../shared/session.ts";

export type SearchHit = SessionSearchHit;

/** Turn user input into a safe FTS5 query: each word quoted, prefix match on the last one. */
export function ftsQuery(input: string): string | undefined {
  const words = input.match(/[\p{L}\p{N}_][\p{L}\p{N}_'-]*/gu);
  if (!words?.length) return undefined;
  return words
    .map((word, i) => `"${word.replaceAll('"', "")}"${i === words.length - 1 ? "*" : ""}`)
    .join(" ");
}

export function searchSessions(db: Database, userId: string, input: string, limit = 30): SearchHit[] {
  const query = ftsQuery(input);
  if (!query) return [];
  const like = `%${input.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const titleHits = db
    .query(
      `SELECT id AS sessionId, title, NULL AS messageId, title AS snippet, updated_at AS updatedAt
       FROM sessions WHERE user_id = ? AND deleted_at IS NULL AND title LIKE ? ESCAPE '\\'
       ORDER BY updated_at DESC LIMIT ?`,
    )
    .all(userId, like, limit) as SearchHit[];
  const textHits = db
    .query(
      `SELECT s.id AS sessionId, s.title AS title, p.message_id AS messageId,
              snippet(parts_fts, 0, '«', '»', '…', 12) AS snippet, s.updated_at AS updatedAt
       FROM parts_fts
       JOIN parts p ON p.rowid = parts_fts.rowid
       JOIN sessions s ON s.id = p.session_id
       JOIN messages m ON m.id = p.message_id
       WHERE parts_fts MATCH ? AND s.user_id = ? AND s.deleted_at IS NULL AND m.superseded_by IS NULL
       ORDER BY parts_fts.rowid DESC LIMIT ?`,
    )
    .all(query, userId, limit) as SearchHit[];
  const seen = new Set<string>();
  const hits: SearchHit[] = [];
  for (const hit of [
    ...titleHits.map((h) => ({ ...h, snippet: markTitle(h.snippet, input) })),
    ...textHits,
  ]) {
    const key = `${hit.sessionId}:${hit.messageId ?? ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    hits.push(hit);
  }
  return hits.slice(0, limit);
}

function markTitle(title: string, input: string): string {
  const needle = input.trim();
  const index = title.toLowerCase().indexOf(needle.toLowerCase());
  if (index < 0 || !needle) return title;
  return `${title.slice(0, index)}«${title.slice(index, index + needle.length)}»${title.slice(index + needle.length)}`;
}
