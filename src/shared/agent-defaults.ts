/**
 * The default agent's settings (the one every user starts with) and the default network mode. Apart from
 * agent.ts's TypeBox schemas: the chat's first screen reads the default agent's name, and the UI's entry
 * chunk needs no TypeBox.
 */
import type { AgentConfig, NetworkMode } from "./agent.ts";

export const DEFAULT_NETWORK_MODE: NetworkMode = "internet";

export const DEFAULT_AGENT_CONFIG: AgentConfig = {
  name: "Sage",
  emoji: "🌿",
  description: "A general assistant that works in its workspace with files, a shell, the web and a browser.",
  systemPrompt: "",
  tools: "all",
  skills: "all",
  mcpServers: [],
  approvals: {},
  network: DEFAULT_NETWORK_MODE,
  stepLimit: 40,
};
