/**
 * Slash commands offered while typing "/…" at the start of the composer: built-ins, skills, and the
 * prompts of the agent's MCP servers (`/<server>:<prompt>`, see components/mcp/mcp-composer.ts).
 */
import { createResource, createRoot, createSignal } from "solid-js";
import type { McpPromptInfo } from "../../../../src/shared/mcp.ts";
import { type MessageKey, t } from "../../i18n/index.ts";
import { call } from "../../lib/api-client.ts";
import { cachedPrompts } from "../mcp/mcp-composer.ts";

export interface SlashCommand {
  name: string;
  description: string;
  kind: "builtin" | "skill" | "mcp";
  /** The MCP prompt behind an `mcp` command. */
  prompt?: McpPromptInfo;
}

const BUILTINS: { name: string; key: MessageKey }[] = [
  { name: "compact", key: "slash.compact" },
  { name: "clear", key: "slash.clear" },
  { name: "continue", key: "slash.continue" },
];

// Fetched the first time the menu opens (not at start-up), then refreshed each time it opens again.
// A module-level resource lives as long as the page: its own root (Solid warns about, and never
// disposes, computations created outside one).
const [wanted, setWanted] = createSignal(0);
const [skills] = createRoot(() =>
  createResource(wanted, async () => {
    try {
      const result = await call("GET /api/skills");
      return result.skills.filter((skill) => skill.valid !== false);
    } catch {
      return [];
    }
  }),
);

let lastOpen = 0;
const [promptsLoaded, setPromptsLoaded] = createSignal(0);

export function slashCommands(query: string, agentId?: string): SlashCommand[] {
  if (Date.now() - lastOpen > 5000) setWanted((n) => n + 1);
  lastOpen = Date.now();
  const q = query.toLowerCase();
  const all: SlashCommand[] = [
    ...BUILTINS.map((b) => ({ name: b.name, description: t(b.key), kind: "builtin" as const })),
    ...(skills() ?? []).map((s) => ({
      name: s.name,
      description: t("slash.skill", { description: s.description }),
      kind: "skill" as const,
    })),
  ];
  promptsLoaded();
  for (const prompt of cachedPrompts(agentId, () => setPromptsLoaded((n) => n + 1))) {
    all.push({
      name: prompt.command,
      description: t("slash.mcpPrompt", { description: prompt.title ?? prompt.description ?? prompt.name }),
      kind: "mcp",
      prompt,
    });
  }
  return all.filter((c) => c.name.toLowerCase().startsWith(q)).slice(0, 8);
}
