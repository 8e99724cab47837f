/**
 * The default agent's settings (the one every user starts with) and the default network mode. Apart from
 * agent.ts's TypeBox schemas: the chat's first screen reads the default agent's name, and the UI's entry
 * chunk needs no TypeBox. This file imports nothing (agent.ts imports it): agent.ts checks these values
 * against the schema's `AgentConfig` type where it re-exports them.
 */

export const DEFAULT_NETWORK_MODE = "internet" as const;

export const DEFAULT_AGENT_CONFIG = {
  name: "Sage",
  emoji: "🌿",
  description: "A general assistant that works in its workspace with files, a shell, the web and a browser.",
  systemPrompt: "",
  tools: "all" as const,
  skills: "all" as const,
  mcpServers: [] as string[],
  approvals: {},
  network: DEFAULT_NETWORK_MODE,
  stepLimit: 40,
};
