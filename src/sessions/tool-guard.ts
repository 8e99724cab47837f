/**
 * The session layer's `ToolGuard`: approval rules (per agent, remembered for the session or always,
 * each for the scope the user chose — see src/sandbox/approval-scopes.ts), undo snapshots of files a
 * turn changes, and the audit log of every tool run. Remembered approvals belong to one agent: another
 * agent (even in the same session) is asked again.
 */
import type { Database } from "bun:sqlite";
import { existsSync, readFileSync, statSync } from "node:fs";
import type { AnyTool, Workspace } from "../agent/tool-contract.ts";
import type { ToolGuard } from "../agent/types.ts";
import { newId } from "../core/ids.ts";
import { decideRule } from "../sandbox/approval-policy.ts";
import { approvalScopes, approvalSubject, patternCovers } from "../sandbox/approval-scopes.ts";
import type { AgentConfig } from "../shared/agent.ts";

/**
 * Files larger than this are not snapshotted: their row has `existed = 1` and `content = NULL`, and undo
 * reports them as not restorable (src/sessions/undo.ts).
 */
export const SNAPSHOT_LIMIT = 20 * 1024 * 1024;

export interface GuardScope {
  db: Database;
  userId: string;
  sessionId: string;
  agentId: string;
  turnId: string;
  agent: AgentConfig;
  /** The turn's workspace: file scopes are the symlink-resolved paths a call would change in it. */
  workspace: Workspace;
  sandboxed: boolean;
  /**
   * Approvals remembered for this session (owned by the session runner, lives as long as it), as
   * `sessionApprovalKey` strings: agent, tool and pattern, so they never carry over to another agent.
   */
  sessionApprovals: Set<string>;
}

/** The key of a session-remembered approval in `GuardScope.sessionApprovals`. */
export function sessionApprovalKey(agentId: string, tool: string, pattern: string): string {
  return `${agentId}\u0000${tool}\u0000${pattern}`;
}

export function createToolGuard(scope: GuardScope): ToolGuard {
  const subjectOf = (tool: AnyTool, input: unknown) => approvalSubject(tool, input, scope.workspace);
  const sessionPatterns = (tool: AnyTool): string[] => {
    const prefix = sessionApprovalKey(scope.agentId, tool.name, "");
    return [...scope.sessionApprovals]
      .filter((key) => key.startsWith(prefix))
      .map((key) => key.slice(prefix.length));
  };
  const storedPatterns = (tool: AnyTool): string[] =>
    (
      scope.db
        .query("SELECT pattern FROM approvals WHERE user_id = ? AND agent_id = ? AND tool = ?")
        .all(scope.userId, scope.agentId, tool.name) as { pattern: string }[]
    ).map((row) => row.pattern);
  const snapshotted = new Set<string>();
  return {
    rule(tool, input) {
      const subject = subjectOf(tool, input);
      const remembered = [...sessionPatterns(tool), ...storedPatterns(tool)].some((pattern) =>
        patternCovers(pattern, subject),
      );
      return decideRule({
        tool,
        agentRule: scope.agent.approvals[tool.name],
        remembered,
        sandboxed: scope.sandboxed,
      });
    },
    scopes(tool, input) {
      return approvalScopes(tool, subjectOf(tool, input), scope.workspace);
    },
    remember(tool, input, via, chosen) {
      const offered = approvalScopes(tool, subjectOf(tool, input), scope.workspace);
      const pattern = (offered.find((option) => option.pattern === chosen) ?? offered[0])?.pattern;
      if (pattern === undefined) return;
      if (via === "session") {
        scope.sessionApprovals.add(sessionApprovalKey(scope.agentId, tool.name, pattern));
        return;
      }
      scope.db
        .query(
          "INSERT INTO approvals (id, user_id, agent_id, tool, pattern, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .run(newId("apv"), scope.userId, scope.agentId, tool.name, pattern, Date.now());
    },
    snapshot(paths) {
      for (const path of paths) {
        if (snapshotted.has(path)) continue;
        snapshotted.add(path);
        let existed = 0;
        let content: Uint8Array | null = null;
        if (existsSync(path) && statSync(path).isFile()) {
          existed = 1;
          if (statSync(path).size <= SNAPSHOT_LIMIT) content = readFileSync(path);
        } else if (existsSync(path)) {
          continue; // a directory: not ours to restore
        }
        scope.db
          .query(
            "INSERT OR IGNORE INTO file_snapshots (turn_id, session_id, path, existed, content, created_at) VALUES (?, ?, ?, ?, ?, ?)",
          )
          .run(scope.turnId, scope.sessionId, path, existed, content, Date.now());
      }
    },
    audit(entry) {
      scope.db
        .query(
          `INSERT INTO tool_runs (id, user_id, session_id, agent_id, turn_id, call_id, tool, input, decision, status, summary, started_at, ended_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          newId("run"),
          scope.userId,
          scope.sessionId,
          scope.agentId,
          scope.turnId,
          entry.callId,
          entry.tool,
          JSON.stringify(entry.input ?? {}).slice(0, 20_000),
          entry.decision,
          entry.status,
          entry.summary,
          entry.startedAt,
          Date.now(),
        );
    },
  };
}
