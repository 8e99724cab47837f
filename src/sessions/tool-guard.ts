/**
 * The session layer's `ToolGuard`: approval rules (per agent, remembered for the session or always),
 * undo snapshots of files a turn changes, and the audit log of every tool run.
 */
import type { Database } from "bun:sqlite";
import { existsSync, readFileSync, statSync } from "node:fs";
import type { ToolGuard } from "../agent/types.ts";
import { newId } from "../core/ids.ts";
import { approvalPattern, decideRule } from "../sandbox/approval-policy.ts";
import type { AgentConfig } from "../shared/agent.ts";
import type { AnyTool } from "../tools/types.ts";

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
  sandboxed: boolean;
  /** Approvals remembered for this session (owned by the session runner, lives as long as it). */
  sessionApprovals: Set<string>;
}

export function createToolGuard(scope: GuardScope): ToolGuard {
  const key = (tool: AnyTool, input: unknown) => `${tool.name}\u0000${approvalPattern(tool, input)}`;
  const snapshotted = new Set<string>();
  return {
    rule(tool, input) {
      const pattern = approvalPattern(tool, input);
      const remembered =
        scope.sessionApprovals.has(key(tool, input)) ||
        scope.db
          .query(
            "SELECT 1 FROM approvals WHERE user_id = ? AND agent_id = ? AND tool = ? AND (pattern = ? OR pattern = '*') LIMIT 1",
          )
          .get(scope.userId, scope.agentId, tool.name, pattern) !== null;
      return decideRule({
        tool,
        agentRule: scope.agent.approvals[tool.name],
        remembered,
        sandboxed: scope.sandboxed,
      });
    },
    remember(tool, input, scopeName) {
      if (scopeName === "session") {
        scope.sessionApprovals.add(key(tool, input));
        return;
      }
      scope.db
        .query(
          "INSERT INTO approvals (id, user_id, agent_id, tool, pattern, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .run(newId("apv"), scope.userId, scope.agentId, tool.name, approvalPattern(tool, input), Date.now());
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
