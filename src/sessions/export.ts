/**
 * Export a session's active branch as Markdown (to read) or JSON (to import back), and import JSON.
 *
 * JSON format `sage.session.v1`:
 *   { format: "sage.session.v1", exportedAt, session: { title, agentName, createdAt },
 *     messages: [{ role, kind, status, createdAt, model?, usage?, attempts?, parts: Part[] }] }
 * Messages are in order; import gives them fresh ids (compaction summaries are relinked). Keys and secrets are never in it.
 * A step retried automatically is one message: the attempts a retry superseded are not on the active
 * branch, so they are not exported; `attempts` lists their errors (code, message, time).
 */

import type { Database } from "bun:sqlite";
import { type Static, Type as T } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import type { AgentRepository } from "../agent-configs/repository.ts";
import { ValidationError } from "../core/errors.ts";
import { newId } from "../core/ids.ts";
import { type Message, MessageStatus, Part, Usage } from "../shared/parts.ts";
import type { SessionManager } from "./manager.ts";
import type { SessionRepository } from "./repository.ts";

export const SessionExport = T.Object({
  format: T.Literal("sage.session.v1"),
  exportedAt: T.Number(),
  session: T.Object({
    title: T.String({ maxLength: 500 }),
    agentName: T.Optional(T.String()),
    createdAt: T.Number(),
  }),
  messages: T.Array(
    T.Object({
      /** The id in the exporting app; used only to relink compaction summaries on import. */
      id: T.Optional(T.String()),
      role: T.Union([T.Literal("user"), T.Literal("assistant")]),
      kind: T.Union([T.Literal("normal"), T.Literal("guidance"), T.Literal("summary")]),
      status: MessageStatus,
      createdAt: T.Number(),
      model: T.Optional(T.String()),
      usage: T.Optional(Usage),
      /** Earlier automatic attempts at this step that failed. */
      attempts: T.Optional(
        T.Array(T.Object({ code: T.String(), message: T.String(), at: T.Number() }), { maxItems: 100 }),
      ),
      parts: T.Array(Part),
    }),
    { maxItems: 200_000 },
  ),
});
export type SessionExport = Static<typeof SessionExport>;

/** What exporting reads: the session, its active branch and its agent's name. */
export interface ExportDeps {
  sessions: Pick<SessionManager, "get">;
  repo: Pick<SessionRepository, "activePath">;
  agents: Pick<AgentRepository, "find">;
}

/** What importing writes (in one transaction) and whom it tells: the new session is broadcast. */
export interface ImportDeps {
  db: Pick<Database, "transaction">;
  repo: Pick<SessionRepository, "createSession" | "insertMessage" | "savePart" | "update">;
  agents: Pick<AgentRepository, "list" | "defaultAgent">;
  sessions: Pick<SessionManager, "get" | "broadcast">;
}

function allMessages(deps: Pick<ExportDeps, "repo">, sessionId: string): Message[] {
  return deps.repo.activePath(sessionId, { limit: 1_000_000 });
}

export function exportJson(deps: ExportDeps, sessionId: string): SessionExport {
  const session = deps.sessions.get(sessionId);
  const agent = deps.agents.find(session.agentId);
  return {
    format: "sage.session.v1",
    exportedAt: Date.now(),
    session: { title: session.title, agentName: agent?.config.name, createdAt: session.createdAt },
    messages: allMessages(deps, sessionId).map((m) => ({
      id: m.info.id,
      role: m.info.role,
      kind: m.info.kind,
      status: m.info.status,
      createdAt: m.info.createdAt,
      ...(m.info.model ? { model: m.info.model } : {}),
      ...(m.info.usage ? { usage: m.info.usage } : {}),
      ...(m.info.attempts?.length
        ? { attempts: m.info.attempts.map(({ code, message, at }) => ({ code, message, at })) }
        : {}),
      parts: m.parts,
    })),
  };
}

export function exportMarkdown(deps: Omit<ExportDeps, "agents">, sessionId: string): string {
  const session = deps.sessions.get(sessionId);
  const lines = [
    `# ${session.title || "Untitled session"}`,
    "",
    `_Exported from Sage on ${new Date().toISOString().slice(0, 10)}_`,
    "",
  ];
  for (const message of allMessages(deps, sessionId)) {
    const who =
      message.info.kind === "summary"
        ? "Summary"
        : message.info.role === "user"
          ? message.info.kind === "guidance"
            ? "You (guidance)"
            : "You"
          : "Sage";
    lines.push(
      `## ${who} — ${new Date(message.info.createdAt).toISOString().replace("T", " ").slice(0, 16)}`,
      "",
    );
    for (const part of message.parts) {
      switch (part.type) {
        case "text":
          lines.push(part.text, "");
          break;
        case "reasoning":
          if (part.text.trim()) lines.push(...reasoningBlock(part.text));
          break;
        case "tool":
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
          break;
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
    const retried = message.info.attempts?.length ?? 0;
    if (retried > 0)
      lines.push(`_Retried ${retried === 1 ? "once" : `${retried} times`} automatically._`, "");
  }
  return lines.join("\n");
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

/** Import an exported session as a new session. Validates everything before writing anything. */
export function importJson(deps: ImportDeps, body: unknown) {
  if (!Value.Check(SessionExport, body)) {
    const first = [...Value.Errors(SessionExport, body)][0];
    throw new ValidationError(
      `This is not a Sage session export (sage.session.v1): ${first ? `${first.path || "(root)"} ${first.message}` : "unknown shape"}.`,
    );
  }
  const data = body;
  const agent =
    deps.agents.list().find((a) => a.config.name === data.session.agentName) ?? deps.agents.defaultAgent();
  const sessionId = newId("ses");
  deps.db.transaction(() => {
    deps.repo.createSession(sessionId, agent.id, data.session.title.slice(0, 200));
    let parentId: string | null = null;
    const ids = new Map<string, string>();
    for (const message of data.messages) {
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
      });
      message.parts.forEach((part, index) => {
        const fresh = { ...part, id: newId("prt") };
        if (fresh.type === "compaction")
          fresh.upToMessageId = ids.get(fresh.upToMessageId) ?? fresh.upToMessageId;
        deps.repo.savePart(sessionId, id, index, fresh);
      });
      parentId = id;
    }
    deps.repo.update(sessionId, { titleSet: data.session.title.length > 0 });
  })();
  deps.sessions.broadcast(sessionId);
  return deps.sessions.get(sessionId);
}
