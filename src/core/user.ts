/**
 * The single local user (the original's desktop user injection). Every request's context carries it
 * and every user-owned row stores its id, so more users can come later without a schema rewrite.
 */
import type { Database } from "bun:sqlite";
import { userInfo } from "node:os";

export interface LocalUser {
  id: string;
  name: string;
}

export const LOCAL_USER_ID = "local";

export function ensureLocalUser(db: Database): LocalUser {
  let name = "me";
  try {
    name = userInfo().username || name;
  } catch {
    // No passwd entry (containers): keep the default.
  }
  db.query("INSERT OR IGNORE INTO users (id, name, created_at) VALUES (?, ?, ?)").run(
    LOCAL_USER_ID,
    name,
    Date.now(),
  );
  const row = db.query("SELECT id, name FROM users WHERE id = ?").get(LOCAL_USER_ID) as LocalUser;
  return row;
}
