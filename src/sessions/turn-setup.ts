/**
 * Everything a turn needs besides the conversation: the agent, its model (provider + key), workspace,
 * enabled tools, tool services (plan, skills, sandbox, shell jobs) and the system prompt extras.
 */
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { loadAiSdk } from "../agent/ai-sdk.ts";
import { createLanguageModel, preloadProviderPackage } from "../agent/providers.ts";
import type { AnyTool, ToolServices, Workspace } from "../agent/tool-contract.ts";
import type { ResolvedModel } from "../agent/types.ts";
import type { AgentRepository } from "../agent-configs/repository.ts";
import type { Logger } from "../core/logger.ts";
import type { Paths } from "../core/paths.ts";
import { createSamplingService } from "../mcp/sampling.ts";
import { selectMcpTools } from "../mcp/tool-selection.ts";
import type { McpToolProvider } from "../mcp/types.ts";
import type { ProviderRepository } from "../providers/repository.ts";
import { secretStorePaths } from "../sandbox/bubblewrap.ts";
import { buildShellEnvironment } from "../sandbox/environment.ts";
import { protectedPaths } from "../sandbox/protected-paths.ts";
import type { ShellJobs } from "../sandbox/shell-jobs.ts";
import type { SandboxStatus, ShellSandboxConfig } from "../sandbox/types.ts";
import type { Agent } from "../shared/agent.ts";
import type { SessionDelegation } from "../shared/delegation.ts";
import type { TodoItem } from "../shared/events.ts";
import type { SessionModel } from "../shared/session.ts";
import { renderLoadedSkill, renderSkillList } from "../skills/load-skill-tool.ts";
import type { SkillService } from "../skills/service.ts";
import { enabledTools } from "../tools/registry.ts";
import { workspaceFor } from "../workspace/agent-workspace.ts";
import { readProjectContext } from "./project-context.ts";

export class NoModelConfiguredError extends Error {
  override readonly name = "NoModelConfiguredError";
  constructor() {
    super(
      "No model is configured yet. Add a provider in Settings → Providers (or finish the first-run setup).",
    );
  }
}

export interface TurnSetupDeps {
  paths: Paths;
  agents: AgentRepository;
  providers: ProviderRepository;
  skills: SkillService;
  tools: readonly AnyTool[];
  /**
   * The machine's sandbox status: probed once per process, asynchronously (the probe runs processes;
   * src/sandbox/bubblewrap.ts `sandboxStatus`), so awaiting it never blocks other requests.
   */
  sandbox(): Promise<SandboxStatus>;
  /** Environment variables the user configured for tools (Settings → Environment). */
  userEnvironment(): Record<string, string>;
  /** The credential folder entries of Settings → Tools & approvals, read at each turn. */
  credentialFolders(): readonly string[];
  /** Extra per-agent services (browser ...), created lazily by the app. */
  agentServices?(agent: Agent, workspace: Workspace): ToolServices;
  /** The tools of the agent's MCP servers (started when needed; src/mcp/manager.ts). */
  mcp?: McpToolProvider;
}

export interface TurnSetup {
  agent: Agent;
  model: ResolvedModel;
  workspace: Workspace;
  tools: AnyTool[];
  services: ToolServices;
  systemExtras: string[];
  readAttachment(path: string): Promise<{ data: string; mime: string } | undefined>;
}

const IMAGE_TYPES: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
};

/** The model picked for a session, while its provider still exists; `{}` (the agent's default) otherwise. */
export function pickedModel(
  providers: Pick<ProviderRepository, "find">,
  picked: SessionModel | undefined,
): { providerId?: string; model?: string } {
  return picked && providers.find(picked.providerId) ? picked : {};
}

export async function resolveModel(
  deps: Pick<TurnSetupDeps, "providers">,
  agent: Agent,
  override?: { providerId?: string; model?: string },
): Promise<ResolvedModel> {
  const providerId = override?.providerId ?? agent.config.providerId ?? deps.providers.defaultProvider()?.id;
  if (!providerId) throw new NoModelConfiguredError();
  const provider = deps.providers.get(providerId);
  // The agent's model names belong to the agent's provider: never ask another provider for them.
  const agentsProvider = providerId === (agent.config.providerId ?? deps.providers.defaultProvider()?.id);
  const modelId =
    override?.model ??
    (agentsProvider ? agent.config.model : undefined) ??
    provider.defaultModel ??
    provider.models[0]?.id;
  if (!modelId) throw new NoModelConfiguredError();
  const access = await deps.providers.access(providerId);
  const info = provider.models.find((m) => m.id === modelId) ?? { id: modelId };
  const fastId = (agentsProvider ? agent.config.fastModel : undefined) ?? provider.fastModel ?? modelId;
  return {
    provider: access,
    info,
    model: await createLanguageModel(access, modelId),
    fast: await createLanguageModel(access, fastId),
  };
}

/** The isolation settings of an agent's shell commands (see src/sandbox/types.ts). */
export async function shellSandboxFor(
  deps: Pick<TurnSetupDeps, "paths" | "sandbox" | "userEnvironment" | "credentialFolders">,
  agent: Agent,
): Promise<ShellSandboxConfig> {
  return {
    ...(await deps.sandbox()),
    // The same paths the file tools refuse, plus the user's runtime folder and keyrings. The workspace
    // stays visible and writable even when it lies inside the (hidden) data dir.
    hiddenPaths: [...protectedPaths(deps.paths, deps.credentialFolders()), ...secretStorePaths(process.env)],
    network: agent.config.network,
    env: buildShellEnvironment({ base: process.env, extra: deps.userEnvironment() }),
  };
}

/**
 * The services every tool run of an agent gets, with or without a session: skills, the shell sandbox,
 * shell jobs, and the app's per-agent services (browser, web_fetch settings). A session adds `todos`
 * (and the turn its `ask`); the "try it" runner has neither.
 */
export async function baseServices(
  deps: Pick<
    TurnSetupDeps,
    "paths" | "sandbox" | "userEnvironment" | "credentialFolders" | "skills" | "agentServices"
  >,
  agent: Agent,
  workspace: Workspace,
  shellJobs: ShellJobs,
  skills = deps.skills.catalogFor(agent.config.skills, workspace.root),
): Promise<ToolServices> {
  return {
    skills,
    sandbox: await shellSandboxFor(deps, agent),
    shellJobs,
    ...deps.agentServices?.(agent, workspace),
  };
}

/** A sub-agent defined on the spot runs as its parent's agent with its own name and instructions. */
function asSubAgent(agent: Agent, delegation: SessionDelegation | undefined): Agent {
  const spec = delegation?.subagent;
  if (!spec) return agent;
  return { ...agent, config: { ...agent.config, name: spec.name, systemPrompt: spec.instructions } };
}

function subAgentNote(name: string): string {
  return (
    `You are working as "${name}", a sub-agent: another agent gave you the task in the user message and ` +
    "waits for your result. Work on your own (the user may not be watching). Your last message is your " +
    "answer and is all the other agent gets back: make it complete and self-contained."
  );
}

export async function setUpTurn(
  deps: TurnSetupDeps,
  session: {
    agentId: string;
    todos: { get(): TodoItem[]; set(items: TodoItem[]): void };
    shellJobs: ShellJobs;
    /** Set for a sub-agent's session: its workspace, and for one defined on the spot its instructions and tools. */
    delegation?: SessionDelegation;
  },
  options: { providerId?: string; model?: string; pinnedSkills: string[]; signal?: AbortSignal },
): Promise<TurnSetup> {
  const configured = deps.agents.find(session.agentId) ?? deps.agents.defaultAgent();
  const agent = asSubAgent(configured, session.delegation);
  const model = await resolveModel(deps, agent, options);
  const workspace = workspaceFor(
    deps,
    session.delegation ? (deps.agents.find(session.delegation.workspaceAgentId) ?? agent) : agent,
  );
  await deps.skills.ready();
  const project = await readProjectContext(deps, agent, workspace.root);
  const skills = deps.skills.catalogFor(agent.config.skills, workspace.root, project.live);
  const services: ToolServices = {
    todos: session.todos,
    // MCP servers' sampling requests, once the user allowed them in the chat (src/mcp/sampling.ts).
    mcpSampling: createSamplingService(model.model, model.info.id),
    ...(await baseServices(deps, agent, workspace, session.shellJobs, skills)),
  };
  const systemExtras = [project.instructions.prompt, renderSkillList(skills.list())];
  if (session.delegation) systemExtras.push(subAgentNote(agent.config.name));
  // A sub-agent defined on the spot gets the subset of its parent's tools it was given.
  const toolChoice = session.delegation?.subagent?.tools ?? agent.config.tools;
  // MCP servers start here when needed (each bounded by its init timeout); one that cannot start
  // leaves a note for the model instead of failing the turn.
  const mcp = deps.mcp
    ? await deps.mcp.toolsForAgent(agent, workspace, options.signal)
    : { tools: [], notes: [] };
  if (mcp.notes.length > 0)
    systemExtras.push(`MCP servers:\n${mcp.notes.map((note) => `- ${note}`).join("\n")}`);
  for (const name of options.pinnedSkills) {
    const skill = skills.get(name);
    if (!skill) continue;
    const folder = await skills.materialize?.(skill);
    systemExtras.push(
      `The user pinned this skill for the current request; follow it:\n${renderLoadedSkill(skill, folder)}`,
    );
  }
  return {
    agent,
    model,
    workspace,
    // web_search is offered only when a provider is set up (an unusable setup still offers it: it says why);
    // search_memory unless the agent's settings turn memory search off.
    tools: [
      ...enabledTools(deps.tools, toolChoice).filter(
        (tool) =>
          (tool.name !== "web_search" || services.webSearch !== undefined) &&
          (tool.name !== "search_memory" || agent.config.memory?.search !== false),
      ),
      ...selectMcpTools(mcp.tools, toolChoice),
    ],
    services,
    systemExtras,
    async readAttachment(path) {
      try {
        const absolute = workspace.resolve(path);
        const mime = IMAGE_TYPES[extname(absolute).toLowerCase()] ?? "application/octet-stream";
        return { data: (await readFile(absolute)).toString("base64"), mime };
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * Load, in the background, the code a first turn needs (the AI SDK and the default provider's package)
 * and decide where keys are kept (the keychain probe: a read-only lookup that opens no dialog), so the
 * user's first submit waits for neither; an idle Sage that nobody uses does neither. Keys themselves are
 * not read here (see src/providers/key-cache.ts).
 */
export function preloadTurnCode(deps: Pick<TurnSetupDeps, "providers"> & { logger: Logger }): void {
  const provider = deps.providers.defaultProvider();
  void Promise.all([
    loadAiSdk(),
    provider ? preloadProviderPackage(provider.kind) : undefined,
    provider?.hasKey ? deps.providers.keyStorage() : undefined,
  ]).catch((error) => deps.logger.warn("could not preload the model SDK", error));
}
