/**
 * Undo a turn's file changes: put back the files the turn's tools snapshotted before they first
 * changed them (saved by the tool guard into ./file-snapshots.ts).
 *
 * Contract of `undoTurn`:
 * - A file that existed before the turn gets its old content back; a file the turn created is
 *   deleted. Files already in their old state are reported as unchanged and left alone.
 * - Not restorable, reported with a reason and skipped: files too large to snapshot, paths that are a
 *   folder now, and paths that no longer lead inside the agent's workspace (moved workspace, a
 *   symlink put in the way).
 * - Refused (`ConflictError`) unless `force`: when a newer turn (of any session: sessions of one
 *   agent share its workspace) snapshotted the same file and the file has changed since, i.e. newer
 *   work would be thrown away. A newer turn that left the file as this turn did is no conflict.
 *   Changes made outside snapshotting tools (the shell, the user's editor) cannot be detected.
 * - Refused (`ConflictError`) while a turn runs in the session; `NotFoundError` for an unknown session
 *   or a turn of another session.
 * - On success a `workspace.changed` event names the restored and deleted paths (workspace-relative),
 *   and a turn that changed files is marked undone (`turns.undone_at`, reported as `undoneAt`) so the
 *   chat stops offering its Undo. The snapshots stay: undoing the same turn again only repeats what is
 *   needed.
 *
 * `turnFileChanges` lists, per turn of a session that changed files, what its Undo would restore and
 * whether it was already used.
 */
import { lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Workspace } from "../agent/tool-contract.ts";
import type { AgentRepository } from "../agent-configs/repository.ts";
import { ConflictError, NotFoundError } from "../core/errors.ts";
import type { Paths } from "../core/paths.ts";
import { formatBytes } from "../shared/byte-size.ts";
import type { TurnFileChanges, UndoReport } from "../shared/tools-api.ts";
import type { EventLog } from "../store/event-log.ts";
import { workspaceFor } from "../workspace/agent-workspace.ts";
import { type FileSnapshot, type FileSnapshotStore, SNAPSHOT_LIMIT } from "./file-snapshots.ts";
import type { SessionRepository } from "./repository.ts";

export interface UndoDeps {
  snapshots: Pick<FileSnapshotStore, "forTurn" | "firstNewer" | "filesOfSession">;
  paths: Paths;
  /** The credential folder entries (the workspace hides them, as in a turn). */
  credentialFolders(): readonly string[];
  repo: Pick<SessionRepository, "getSession" | "turnSessionId" | "markTurnUndone">;
  agents: Pick<AgentRepository, "find" | "defaultAgent">;
  events: Pick<EventLog, "append">;
  isRunning(sessionId: string): boolean;
}

export interface UndoRequest {
  sessionId: string;
  turnId: string;
  /** Undo even when newer turns changed the same files afterwards (their changes are lost). */
  force?: boolean;
}

/** What is at a path now: a file with its bytes, nothing, or something else (folder, socket ...). */
type CurrentState = { kind: "file"; size: number } | { kind: "missing" } | { kind: "other" };

export function undoTurn(deps: UndoDeps, request: UndoRequest): UndoReport {
  const session = deps.repo.getSession(request.sessionId);
  if (deps.repo.turnSessionId(request.turnId) !== request.sessionId)
    throw new NotFoundError("Turn", request.turnId);
  if (deps.isRunning(request.sessionId)) {
    throw new ConflictError(
      "A turn is running in this session. Wait for it to finish (or stop it), then undo.",
    );
  }
  const agent = deps.agents.find(session.agentId) ?? deps.agents.defaultAgent();
  const workspace = workspaceFor(deps, agent);
  const snapshots = deps.snapshots.forTurn(request.turnId);

  if (!request.force) {
    const conflicts = snapshots.filter((snapshot) =>
      changedByNewerTurn(deps.snapshots, request.turnId, snapshot),
    );
    if (conflicts.length > 0) {
      const names = conflicts.map((snapshot) => displayPath(workspace, snapshot.path)).join(", ");
      throw new ConflictError(
        `Newer turns changed ${conflicts.length === 1 ? "this file" : "these files"} after this turn: ${names}. ` +
          "Undoing now would throw their changes away. Undo the newer turns first, or undo anyway (force).",
      );
    }
  }

  const report: UndoReport = {
    turnId: request.turnId,
    restored: [],
    deleted: [],
    unchanged: [],
    notRestorable: [],
  };
  for (const snapshot of snapshots) {
    const path = displayPath(workspace, snapshot.path);
    const outcome = restore(workspace, snapshot);
    if (typeof outcome === "object") report.notRestorable.push({ path, reason: outcome.refused });
    else report[outcome].push(path);
  }

  if (snapshots.length > 0) {
    const undoneAt = Date.now();
    deps.repo.markTurnUndone(request.turnId, undoneAt);
    report.undoneAt = undoneAt;
  }
  const changed = [...report.restored, ...report.deleted];
  if (changed.length > 0) {
    deps.events.append({
      type: "workspace.changed",
      sessionId: request.sessionId,
      agentId: agent.id,
      paths: changed,
    });
  }
  return report;
}

/** The session's turns that changed files, oldest first: the files (workspace-relative) and undone_at. */
export function turnFileChanges(
  deps: Pick<UndoDeps, "snapshots" | "paths" | "credentialFolders" | "agents"> & {
    repo: Pick<SessionRepository, "getSession">;
  },
  sessionId: string,
): TurnFileChanges[] {
  const session = deps.repo.getSession(sessionId);
  const workspace = workspaceFor(deps, deps.agents.find(session.agentId) ?? deps.agents.defaultAgent());
  const rows = deps.snapshots.filesOfSession(sessionId);
  const turns = new Map<string, TurnFileChanges>();
  for (const row of rows) {
    let turn = turns.get(row.turn_id);
    if (!turn) {
      turn = { turnId: row.turn_id, files: [], undoneAt: row.undone_at };
      turns.set(row.turn_id, turn);
    }
    turn.files.push({ path: displayPath(workspace, row.path), created: row.existed === 0 });
  }
  return [...turns.values()];
}

/**
 * Whether a newer turn snapshotted this file and the file changed since. The earliest newer snapshot
 * holds the file as this turn left it; if the file still has that content, nothing newer is lost.
 */
function changedByNewerTurn(
  snapshots: Pick<FileSnapshotStore, "firstNewer">,
  turnId: string,
  snapshot: FileSnapshot,
): boolean {
  const newer = snapshots.firstNewer(snapshot.path, turnId, snapshot.created_at);
  if (!newer) return false;
  const current = currentState(snapshot.path);
  if (newer.existed === 0) return current.kind !== "missing";
  if (newer.content === null || current.kind !== "file") return true;
  return !fileHolds(snapshot.path, current, newer.content);
}

type RestoreOutcome = "restored" | "deleted" | "unchanged" | { refused: string };

function restore(workspace: Workspace, snapshot: FileSnapshot): RestoreOutcome {
  let resolved: string;
  try {
    resolved = workspace.resolve(snapshot.path);
  } catch {
    return { refused: "It is no longer inside the agent's workspace." };
  }
  if (resolved !== snapshot.path) return { refused: "The path now leads through a link elsewhere." };
  if (snapshot.existed === 1 && snapshot.content === null) {
    return {
      refused: `It was too large to snapshot (over ${formatBytes(SNAPSHOT_LIMIT)}), so its old content was not kept.`,
    };
  }
  const current = currentState(snapshot.path);
  if (current.kind === "other") return { refused: "It is no longer a file (a folder or a special file)." };
  try {
    if (snapshot.existed === 0) {
      if (current.kind === "missing") return "unchanged";
      rmSync(snapshot.path, { force: true });
      return "deleted";
    }
    const content = snapshot.content as Uint8Array;
    if (current.kind === "file" && fileHolds(snapshot.path, current, content)) return "unchanged";
    mkdirSync(dirname(snapshot.path), { recursive: true });
    writeFileSync(snapshot.path, content);
    return "restored";
  } catch (error) {
    return { refused: `Writing failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function currentState(path: string): CurrentState {
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(path);
  } catch {
    return { kind: "missing" };
  }
  return stat.isFile() ? { kind: "file", size: stat.size } : { kind: "other" };
}

/** Whether the file at `path` holds exactly `expected` (read only when the sizes match). */
function fileHolds(path: string, current: { size: number }, expected: Uint8Array): boolean {
  if (current.size !== expected.byteLength) return false;
  return readFileSync(path).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength));
}

function displayPath(workspace: Workspace, absolutePath: string): string {
  return workspace.relative(absolutePath);
}
