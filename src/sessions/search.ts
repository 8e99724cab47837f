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

/** A last word shorter than this is matched whole only (a prefix of one or two letters matches most words). */
export const MIN_PREFIX = 3;

/**
 * Turn user input into a safe FTS5 query: each word quoted; with `prefix`, the last one (of at least
 * `MIN_PREFIX` characters) also matches longer words. Undefined when the input has no word, or when
 * `prefix` is asked and the last word is too short for it.
 */
export function ftsQuery(input: string, prefix = true): string | undefined {
  const words = input.match(/[\p{L}\p{N}_][\p{L}\p{N}_'-]*/gu);
  if (!words?.length) return undefined;
  const quoted = words.map((word) => `"${word.replaceAll('"', "")}"`);
  if (!prefix) return quoted.join(" ");
  if ((words.at(-1) as string).length < MIN_PREFIX) return undefined;
  return `${quoted.join(" ")}*`;
}

export function searchSessions(db: Database, userId: string, input: string, limit = 30): SearchHit[] {
  const exact = ftsQuery(input, false);
  if (!exact) return [];
  const like = `%${input.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const titleHits = db
    .query(
      `SELECT id AS sessionId, title, NULL AS messageId, title AS snippet, updated_at AS updatedAt
       FROM sessions WHERE user_id = ? AND deleted_at IS NULL AND title LIKE ? ESCAPE '\\'
       ORDER BY updated_at DESC LIMIT ?`,
    )
    .all(userId, like, limit) as SearchHit[];
  // Whole words first: cheap at any size. A prefix query merges the index entries of every word it
  // matches (all of "the…" for "the"), so it runs only when whole words did not fill the page.
  let textHits = textSearch(db, userId, exact, limit);
  const prefixed = textHits.length < limit ? ftsQuery(input, true) : undefined;
  if (prefixed) textHits = textSearch(db, userId, prefixed, limit);
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

/** Parts matching `query`, newest first; FTS5 walks its index in that order and stops at `limit`. */
function textSearch(db: Database, userId: string, query: string, limit: number): SearchHit[] {
  return db
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
}

function markTitle(title: string, input: string): string {
  const needle = input.trim();
  const index = title.toLowerCase().indexOf(needle.toLowerCase());
  if (index < 0 || !needle) return title;
  return `${title.slice(0, index)}«${title.slice(index, index + needle.length)}»${title.slice(index + needle.length)}`;
}
