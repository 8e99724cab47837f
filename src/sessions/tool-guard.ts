/**
 * The session layer's `ToolGuard`: approval rules (per agent, remembered for the session or always,
 * each for the scope the user chose — see src/sandbox/approval-scopes.ts), undo snapshots of files a
 * turn changes, and the audit log of every tool run. Remembered approvals belong to one agent: another
 * agent (even in the same session) is asked again. The tables belong to their stores: approvals to
 * src/store/approval-store.ts, file_snapshots to ./file-snapshots.ts, tool_runs to ./audit-log.ts.
 */
import type { Database } from "bun:sqlite";
import type { AnyTool, Workspace } from "../agent/tool-contract.ts";
import type { ToolGuard } from "../agent/types.ts";
import { decideRule } from "../sandbox/approval-policy.ts";
import { approvalScopes, approvalSubject, patternCovers } from "../sandbox/approval-scopes.ts";
import type { AgentConfig, ApprovalRule } from "../shared/agent.ts";
import { ApprovalStore } from "../store/approval-store.ts";
import { AuditLog } from "./audit-log.ts";
import { FileSnapshotStore } from "./file-snapshots.ts";

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
  /**
   * A sub-agent's turn: the agents that delegated its task, nearest first. A call is never allowed
   * more easily than any of them would allow it themselves (their rules and their "always" approvals),
   * so delegating to an agent with looser rules cannot widen what the delegating agent may do unasked.
   */
  delegators?: readonly { agentId: string; agent: AgentConfig }[];
}

const STRICTNESS: Record<ApprovalRule, number> = { allow: 0, ask: 1, deny: 2 };

/** The stricter of two rules (allow < ask < deny). */
export function stricterRule(left: ApprovalRule, right: ApprovalRule): ApprovalRule {
  return STRICTNESS[left] >= STRICTNESS[right] ? left : right;
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
  const approvals = new ApprovalStore(scope.db, scope.userId);
  const snapshots = new FileSnapshotStore(scope.db);
  const auditLog = new AuditLog(scope.db, scope.userId);
  const storedPatterns = (tool: AnyTool): string[] => approvals.patterns(scope.agentId, tool.name);
  const snapshotted = new Set<string>();
  return {
    rule(tool, input) {
      const subject = subjectOf(tool, input);
      const remembered = [...sessionPatterns(tool), ...storedPatterns(tool)].some((pattern) =>
        patternCovers(pattern, subject),
      );
      let rule = decideRule({
        tool,
        agentRule: scope.agent.approvals[tool.name],
        remembered,
        sandboxed: scope.sandboxed,
      });
      for (const delegator of scope.delegators ?? []) {
        const allowedBefore = approvals
          .patterns(delegator.agentId, tool.name)
          .some((pattern) => patternCovers(pattern, subject));
        const theirs = decideRule({
          tool,
          agentRule: delegator.agent.approvals[tool.name],
          remembered: allowedBefore,
          sandboxed: scope.sandboxed,
        });
        rule = stricterRule(rule, theirs);
      }
      return rule;
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
      approvals.add(scope.agentId, tool.name, pattern);
    },
    snapshot(paths) {
      for (const path of paths) {
        if (snapshotted.has(path)) continue;
        snapshotted.add(path);
        snapshots.save(scope.turnId, scope.sessionId, path);
      }
    },
    audit(entry) {
      auditLog.record({
        ...entry,
        sessionId: scope.sessionId,
        agentId: scope.agentId,
        turnId: scope.turnId,
        endedAt: Date.now(),
      });
    },
  };
}
