/**
 * search_memory: find what the user and the agent said in past chats, and what is written in the
 * agent's workspace files, with citations — the chat (title, id), the message (id, who, when), or the
 * file and its line numbers. Read-only. An agent has it unless its settings turn memory search off
 * (AgentConfig.memory.search; the turn leaves the tool out).
 */
import { Type as T } from "@sinclair/typebox";
import { defineTool, ToolError } from "../agent/tool-contract.ts";
import { memoryWords } from "../memory/memory-words.ts";
import { searchWorkspaceFiles } from "./memory-files.ts";

const description = `Search the user's past chats and your workspace files, e.g. when the user refers to something from before. Any word of \`query\` may match; results are cited (chat title and id, who, date; file:lines): cite them.`;

const DEFAULT_LIMIT = 8;

export const searchMemoryTool = defineTool({
  name: "search_memory",
  description,
  kind: "read",
  parameters: T.Object({
    query: T.String({ minLength: 1, maxLength: 500 }),
    where: T.Optional(T.Union([T.Literal("all"), T.Literal("chats"), T.Literal("files")])),
    this_agent_only: T.Optional(T.Boolean()),
    limit: T.Optional(T.Integer({ minimum: 1, maximum: 30 })),
  }),
  async execute(params, ctx) {
    if (memoryWords(params.query).length === 0)
      throw new ToolError(
        "The query has no words to look for (common words like 'the' or 'what' are ignored).",
      );
    const where = params.where ?? "all";
    const limit = params.limit ?? DEFAULT_LIMIT;
    const sections: string[] = [];
    let number = 0;
    const chats =
      where === "files"
        ? []
        : (() => {
            const memory = ctx.services.memory;
            if (!memory)
              throw new ToolError("Past chats cannot be searched here (no chat history is available).");
            return memory.search(params.query, {
              limit,
              excludeSessionId: ctx.sessionId,
              ...(params.this_agent_only ? { agentId: ctx.agentId } : {}),
            });
          })();
    if (where !== "files") {
      sections.push(
        chats.length === 0
          ? "Past chats: nothing found."
          : `Past chats (${chats.length}):\n${chats
              .map(
                (hit) =>
                  `[${++number}] chat "${hit.title || "Untitled"}" ${hit.sessionId}, message ${hit.messageId}, ${hit.role}, ${new Date(hit.at).toISOString().slice(0, 16).replace("T", " ")} UTC:\n    ${hit.snippet}`,
              )
              .join("\n")}`,
      );
    }
    const files =
      where === "chats"
        ? []
        : await searchWorkspaceFiles(ctx.workspace, params.query, { limit, signal: ctx.signal });
    if (where !== "chats") {
      sections.push(
        files.length === 0
          ? "Workspace files: nothing found."
          : `Workspace files (${files.length}):\n${files
              .map(
                (hit) =>
                  `[${++number}] ${hit.path}:${hit.startLine}-${hit.endLine}\n${hit.excerpt.replace(/^/gm, "    ")}`,
              )
              .join("\n")}`,
      );
    }
    return {
      text: `${sections.join("\n\n")}\n\nMatches are between « and ».`,
      details: {
        chats: chats.map((hit) => ({
          sessionId: hit.sessionId,
          messageId: hit.messageId,
          title: hit.title,
          role: hit.role,
          at: hit.at,
          snippet: hit.snippet,
        })),
        files: files.map((hit) => ({ path: hit.path, startLine: hit.startLine, endLine: hit.endLine })),
      },
    };
  },
});
