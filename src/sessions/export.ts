/**
 * Export a session's active branch as Markdown (to read) or JSON (to import back), and import JSON. The
 * JSON format is `sage.session.v1` (src/sessions/export-format.ts). Both include the sub-agents' chats
 * the session started (bounded, see export-format.ts): Markdown as a section per chat after the
 * conversation (the delegate call says which), JSON nested under `children`. Importing restores them
 * as sub-agents' chats linked to the imported session's delegate calls.
 *
 * Messages are in order; import gives them fresh ids (compaction summaries are relinked, delegate cards
 * point to the imported children). Keys and secrets are never in it. A step retried automatically is
 * one message: the attempts a retry superseded are not on the active branch, so they are not exported;
 * `attempts` lists their errors (code, message, time).
 */

import type { Database } from "bun:sqlite";
import { Value } from "@sinclair/typebox/value";
import type { AgentRepository } from "../agent-configs/repository.ts";
import { ValidationError } from "../core/errors.ts";
import { newId } from "../core/ids.ts";
import { childSessionOf } from "../shared/delegation.ts";
import type { Message, Part } from "../shared/parts.ts";
import {
  EXPORT_CHILD_MESSAGES_LIMIT,
  EXPORT_CHILDREN_LIMIT,
  type ExportedMessage,
  exportedMessage,
  SessionExport,
  type SubAgentExport,
} from "./export-format.ts";
import type { SessionManager } from "./manager.ts";
import type { SessionRepository } from "./repository.ts";
import type { SessionRecord } from "./session-rows.ts";

export { SessionExport } from "./export-format.ts";

/** What exporting reads: the session, its active branch, its sub-agents' chats and agents' names. */
export interface ExportDeps {
  /** `messages`: the stored page, after a running turn saved its streamed text (see TurnRecorder). */
  sessions: Pick<SessionManager, "get" | "messages">;
  repo: Pick<SessionRepository, "childSessions">;
  agents: Pick<AgentRepository, "find">;
}

/** What importing writes (in one transaction) and whom it tells: the new session is broadcast. */
export interface ImportDeps {
  db: Pick<Database, "transaction">;
  repo: Pick<
    SessionRepository,
    "createSession" | "createChildSession" | "insertMessage" | "savePart" | "update"
  >;
  agents: Pick<AgentRepository, "list" | "defaultAgent">;
  sessions: Pick<SessionManager, "get" | "broadcast">;
}

function allMessages(deps: Pick<ExportDeps, "sessions">, sessionId: string): Message[] {
  return deps.sessions.messages(sessionId, { limit: 1_000_000 }).messages;
}

/** How many more sub-agents' chats the export takes, and how many it left out. */
interface ChildBudget {
  left: number;
  omitted: number;
}

/** A sub-agent's chat read for the export, with its own children (depth-first, oldest first). */
interface ChildChat {
  record: SessionRecord;
  name: string;
  messages: Message[];
  messagesOmitted: number;
  children: ChildChat[];
}

function childChats(deps: ExportDeps, sessionId: string, budget: ChildBudget): ChildChat[] {
  const chats: ChildChat[] = [];
  for (const record of deps.repo.childSessions(sessionId)) {
    if (budget.left <= 0) {
      budget.omitted += 1 + treeSize(deps, record.id);
      continue;
    }
    budget.left--;
    const all = allMessages(deps, record.id);
    chats.push({
      record,
      name: record.delegation?.subagent?.name ?? deps.agents.find(record.agentId)?.config.name ?? "Sub-agent",
      messages: all.slice(0, EXPORT_CHILD_MESSAGES_LIMIT),
      messagesOmitted: Math.max(0, all.length - EXPORT_CHILD_MESSAGES_LIMIT),
      children: childChats(deps, record.id, budget),
    });
  }
  return chats;
}

/** A session's sub-agents' chats at any depth (what an omitted child takes with it). */
function treeSize(deps: Pick<ExportDeps, "repo">, sessionId: string): number {
  return deps.repo.childSessions(sessionId).reduce((n, child) => n + 1 + treeSize(deps, child.id), 0);
}

function subAgentExport(deps: ExportDeps, chat: ChildChat): SubAgentExport {
  const { record } = chat;
  const delegation = record.delegation;
  const workspace = delegation ? deps.agents.find(delegation.workspaceAgentId)?.config.name : undefined;
  const agentName = deps.agents.find(record.agentId)?.config.name;
  return {
    sessionId: record.id,
    callPartId: delegation?.parentPartId ?? "",
    title: record.title,
    ...(agentName ? { agentName } : {}),
    ...(workspace ? { workspaceAgentName: workspace } : {}),
    depth: delegation?.depth ?? 1,
    ...(delegation?.subagent ? { subagent: delegation.subagent } : {}),
    createdAt: record.createdAt,
    messages: chat.messages.map(exportedMessage),
    ...(chat.messagesOmitted ? { messagesOmitted: chat.messagesOmitted } : {}),
    ...(chat.children.length ? { children: chat.children.map((c) => subAgentExport(deps, c)) } : {}),
  };
}

export function exportJson(deps: ExportDeps, sessionId: string): SessionExport {
  const session = deps.sessions.get(sessionId);
  const agent = deps.agents.find(session.agentId);
  const budget: ChildBudget = { left: EXPORT_CHILDREN_LIMIT, omitted: 0 };
  const children = childChats(deps, sessionId, budget);
  return {
    format: "sage.session.v1",
    exportedAt: Date.now(),
    session: { title: session.title, agentName: agent?.config.name, createdAt: session.createdAt },
    messages: allMessages(deps, sessionId).map(exportedMessage),
    ...(children.length ? { children: children.map((c) => subAgentExport(deps, c)) } : {}),
    ...(budget.omitted ? { childrenOmitted: budget.omitted } : {}),
  };
}

const when = (at: number) => new Date(at).toISOString().replace("T", " ").slice(0, 16);

export function exportMarkdown(deps: ExportDeps, sessionId: string): string {
  const session = deps.sessions.get(sessionId);
  const lines = [
    `# ${session.title || "Untitled session"}`,
    "",
    `_Exported from Sage on ${new Date().toISOString().slice(0, 10)}_`,
    "",
  ];
  const budget: ChildBudget = { left: EXPORT_CHILDREN_LIMIT, omitted: 0 };
  const children = childChats(deps, sessionId, budget);
  const flat: ChildChat[] = [];
  const walk = (chats: ChildChat[]) => {
    for (const chat of chats) {
      flat.push(chat);
      walk(chat.children);
    }
  };
  walk(children);
  const byCall = new Map(flat.map((chat) => [chat.record.delegation?.parentPartId ?? "", chat]));
  markdownMessages(lines, allMessages(deps, sessionId), "Sage", byCall);
  // A section per sub-agent's chat, after the conversation, in call order (a sub-agent's own after it).
  for (const chat of flat) {
    lines.push("---", "", `# ${sectionTitle(chat)}`, "");
    const parent = chat.record.delegation?.parentSessionId;
    const from = parent === sessionId ? "this conversation" : `“${titleOf(flat, parent)}”`;
    lines.push(`_Sub-agent ${chat.name}, working on a task delegated by ${from}._`, "");
    markdownMessages(lines, chat.messages, chat.name, byCall);
    if (chat.messagesOmitted)
      lines.push(`_${chat.messagesOmitted} later messages of this chat are not included._`, "");
  }
  if (budget.omitted)
    lines.push(
      `_${budget.omitted} more sub-agents' chats are not included (over ${EXPORT_CHILDREN_LIMIT})._`,
      "",
    );
  return lines.join("\n");
}

function sectionTitle(chat: ChildChat): string {
  return `Sub-agent chat: ${chat.record.title || chat.name}`;
}

function titleOf(flat: ChildChat[], sessionId: string | undefined): string {
  const chat = flat.find((c) => c.record.id === sessionId);
  return chat ? chat.record.title || chat.name : "another chat";
}

/** The messages as Markdown sections; a delegate call names the section of the chat it started. */
function markdownMessages(
  lines: string[],
  messages: Message[],
  assistant: string,
  byCall: Map<string, ChildChat>,
): void {
  for (const message of messages) {
    const who =
      message.info.kind === "summary"
        ? "Summary"
        : message.info.role === "user"
          ? message.info.kind === "guidance"
            ? "You (guidance)"
            : message.info.plan
              ? "You (plan mode)"
              : "You"
          : assistant;
    lines.push(`## ${who} — ${when(message.info.createdAt)}`, "");
    for (const part of message.parts) markdownPart(lines, part, byCall);
    const retried = message.info.attempts?.length ?? 0;
    if (retried > 0)
      lines.push(`_Retried ${retried === 1 ? "once" : `${retried} times`} automatically._`, "");
  }
}

function markdownPart(lines: string[], part: Part, byCall: Map<string, ChildChat>): void {
  switch (part.type) {
    case "text":
      lines.push(part.text, "");
      break;
    case "reasoning":
      if (part.text.trim()) lines.push(...reasoningBlock(part.text));
      break;
    case "tool": {
      lines.push(
        `**Tool \`${part.tool}\`** (${part.status})`,
        "",
        "```json",
        JSON.stringify(part.input ?? {}, null, 2),
        "```",
        "",
      );
      if (part.output?.text || part.error)
        lines.push("```", (part.output?.text ?? part.error ?? "").slice(0, 20_000), "```", "");
      const child = byCall.get(part.id);
      if (child) lines.push(`_Its chat: see “${sectionTitle(child)}” below._`, "");
      break;
    }
    case "file":
      lines.push(`📎 ${part.name} (\`${part.path}\`)`, "");
      break;
    case "compaction":
      lines.push(
        part.mode === "prune"
          ? `_${part.replacedCount} older tool outputs were pruned from the model's context (kept here in full)._`
          : part.summary,
        "",
      );
      break;
    case "error":
      lines.push(`> ⚠️ ${part.message}`, "");
      break;
  }
}

/**
 * The model's reasoning as a labelled, collapsed block: `<details>` with a "Reasoning" summary (folded on
 * GitHub and most Markdown viewers, still labelled as plain text). Blank lines around the text let it
 * render as Markdown; a closing tag inside the text cannot end the block early.
 */
export function reasoningBlock(text: string): string[] {
  const body = text.trim().replace(/<\/details/gi, "&lt;/details");
  return ["<details>", "<summary>Reasoning</summary>", "", body, "", "</details>", ""];
}

/**
 * Import an exported session as a new session, with its sub-agents' chats linked to its delegate calls
 * (a child whose call is not among its parent's messages is left out). Validates everything before
 * writing anything; writes in one transaction.
 */
export function importJson(deps: ImportDeps, body: unknown) {
  if (!Value.Check(SessionExport, body)) {
    const first = [...Value.Errors(SessionExport, body)][0];
    throw new ValidationError(
      `This is not a Sage session export (sage.session.v1): ${first ? `${first.path || "(root)"} ${first.message}` : "unknown shape"}.`,
    );
  }
  const data = body;
  const agents = deps.agents.list();
  const agentNamed = (name: string | undefined) => agents.find((a) => a.config.name === name);
  const agent = agentNamed(data.session.agentName) ?? deps.agents.defaultAgent();
  const sessionId = newId("ses");
  // Every child whose call is among its parent's messages gets its new id first, so the delegate cards
  // can point to it; the others are left out (and their cards link to nothing).
  const childIds = new Map<string, string>();
  const assign = (messages: ExportedMessage[], children: SubAgentExport[] | undefined) => {
    const calls = new Set(messages.flatMap((m) => m.parts.map((p) => p.id)));
    for (const child of children ?? []) {
      if (!calls.has(child.callPartId) || childIds.has(child.sessionId)) continue;
      childIds.set(child.sessionId, newId("ses"));
      assign(child.messages, child.children);
    }
  };
  assign(data.messages, data.children);
  const importChildren = (
    parent: { id: string; agentId: string; workspaceAgentId: string },
    children: SubAgentExport[] | undefined,
    partIds: Map<string, string>,
  ) => {
    for (const child of children ?? []) {
      const callPartId = partIds.get(child.callPartId);
      const id = childIds.get(child.sessionId);
      if (!callPartId || !id) continue;
      const agentId = agentNamed(child.agentName)?.id ?? parent.agentId;
      const workspaceAgentId = agentNamed(child.workspaceAgentName)?.id ?? parent.workspaceAgentId;
      deps.repo.createChildSession(id, agentId, child.title.slice(0, 200), {
        parentSessionId: parent.id,
        parentPartId: callPartId,
        depth: child.depth,
        workspaceAgentId,
        ...(child.subagent ? { subagent: child.subagent } : {}),
      });
      const childParts = insertMessages(deps, id, child.messages, childIds);
      importChildren({ id, agentId, workspaceAgentId }, child.children, childParts);
    }
  };
  deps.db.transaction(() => {
    deps.repo.createSession(sessionId, agent.id, data.session.title.slice(0, 200));
    const partIds = insertMessages(deps, sessionId, data.messages, childIds);
    importChildren({ id: sessionId, agentId: agent.id, workspaceAgentId: agent.id }, data.children, partIds);
    deps.repo.update(sessionId, { titleSet: data.session.title.length > 0 });
  })();
  deps.sessions.broadcast(sessionId);
  return deps.sessions.get(sessionId);
}

/**
 * Insert exported messages as one branch of a session, with fresh ids. Returns the new id of every
 * exported part id. Compaction summaries are relinked; delegate calls name their imported child.
 */
function insertMessages(
  deps: Pick<ImportDeps, "repo">,
  sessionId: string,
  messages: ExportedMessage[],
  childIds: Map<string, string>,
): Map<string, string> {
  let parentId: string | null = null;
  const ids = new Map<string, string>();
  const partIds = new Map<string, string>();
  for (const message of messages) {
    const id = newId("msg");
    if (message.id) ids.set(message.id, id);
    deps.repo.insertMessage({
      id,
      sessionId,
      role: message.role,
      parentId,
      turnId: null,
      kind: message.kind,
      status: message.status === "streaming" ? "interrupted" : message.status,
      createdAt: message.createdAt,
      ...(message.model ? { model: message.model } : {}),
      ...(message.usage ? { usage: message.usage } : {}),
      ...(message.attempts?.length ? { attempts: message.attempts } : {}),
      ...(message.plan && message.role === "user" ? { plan: true } : {}),
    });
    message.parts.forEach((part, index) => {
      const fresh = relinked({ ...part, id: newId("prt") }, ids, childIds);
      partIds.set(part.id, fresh.id);
      deps.repo.savePart(sessionId, id, index, fresh);
    });
    parentId = id;
  }
  return partIds;
}

/** A part pointing at exported ids (a summary's last message, a delegate call's child) now points at the new ones. */
function relinked(part: Part, messageIds: Map<string, string>, childIds: Map<string, string>): Part {
  if (part.type === "compaction")
    return { ...part, upToMessageId: messageIds.get(part.upToMessageId) ?? part.upToMessageId };
  if (part.type !== "tool" || part.tool !== "delegate") return part;
  const old = childSessionOf(part.progress, part.output?.details);
  if (!old) return part;
  const child = childIds.get(old);
  // A child that was not imported: the card names no chat (it would open another session's, or none).
  const progress = child
    ? part.progress?.replaceAll(old, child)
    : part.progress
        ?.split("\n")
        .filter((line) => !line.includes(old))
        .join("\n");
  const details = part.output?.details ? { ...part.output.details } : undefined;
  if (details) {
    if (child) details.childSessionId = child;
    else delete details.childSessionId;
  }
  return {
    ...part,
    ...(progress !== undefined ? { progress } : {}),
    ...(part.output ? { output: { ...part.output, ...(details ? { details } : {}) } } : {}),
  };
}
