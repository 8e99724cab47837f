/**
 * The built-in agent's words in the UI language. Sage stores the default agent's description in
 * English (DEFAULT_AGENT_CONFIG); while the user has not changed it, the UI shows it translated, and
 * the agent form saves the translation back as the stored English text, so switching language later
 * still translates it. A description the user wrote is shown as written. (The name, "Sage", is the
 * app's name in every language.)
 */
import type { AgentConfig } from "../../../src/shared/agent.ts";
import { DEFAULT_AGENT_CONFIG } from "../../../src/shared/agent-defaults.ts";
import { t } from "../i18n/index.ts";

/** The description to show: translated while it is the built-in one. */
export function agentDescription(config: Pick<AgentConfig, "description"> | undefined): string | undefined {
  if (!config) return undefined;
  return config.description === DEFAULT_AGENT_CONFIG.description
    ? t("agent.builtinDescription")
    : config.description;
}

/** A config as the form shows it: the built-in description translated. */
export function localizedAgentConfig(config: AgentConfig): AgentConfig {
  return { ...config, description: agentDescription(config) ?? config.description };
}

/** A config as it is saved: an unchanged translated built-in description goes back to the stored one. */
export function storedAgentConfig(config: AgentConfig): AgentConfig {
  return config.description === t("agent.builtinDescription")
    ? { ...config, description: DEFAULT_AGENT_CONFIG.description }
    : config;
}
