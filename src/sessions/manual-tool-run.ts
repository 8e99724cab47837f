/**
 * The "try it" runner of the Tools page: the user runs one tool by hand, with arguments they typed,
 * in a chosen agent's workspace (the default agent's when none is named).
 *
 * Contract:
 * - Unknown tool or agent: `NotFoundError`. Arguments the schema rejects: `ValidationError` naming
 *   the first problems (and an audit entry with status "error"). Nothing runs in either case.
 * - The approval policy applies, except that "ask" is answered by the run itself (the user clicked
 *   Run): such runs are audited with decision "manual". An agent rule "deny" is still honoured: the
 *   result is `status: "denied"` and the tool does not run (audited as "policy-denied").
 * - There is no session: services have no `todos`, and `ask` fails with a message that says so
 *   (see `sessionRequirement`). Files the tool changes are not snapshotted (no turn to undo).
 * - A failing tool is a result (`status: "error"`), never an exception. The text is cut at
 *   `MANUAL_OUTPUT_LIMIT` characters; images come back as data URLs.
 * - Shell jobs started here belong to the runner and end at `dispose()` (app shutdown).
 */
import { Value } from "@sinclair/typebox/value";
import { type AnyTool, type ToolContext, ToolError, type ToolResult } from "../agent/tool-contract.ts";
import type { AgentRepository } from "../agent-configs/repository.ts";
import { NotFoundError, ValidationError } from "../core/errors.ts";
import { newId } from "../core/ids.ts";
import { decideRule } from "../sandbox/approval-policy.ts";
import { ShellJobs } from "../sandbox/shell-jobs.ts";
import type { ToolRunResult } from "../shared/tools-api.ts";
import { ALL_SKILL_SOURCES_ON } from "../skills/live-sources.ts";
import { sessionRequirement } from "../tools/catalogue.ts";
import { workspaceFor } from "../workspace/agent-workspace.ts";
import type { AuditLog } from "./audit-log.ts";
import { baseServices, type TurnSetupDeps } from "./turn-setup.ts";

/** The runner returns at most this much text (the UI shows it; nothing goes to a model). */
export const MANUAL_OUTPUT_LIMIT = 200_000;
const PROGRESS_LIMIT = 50_000;

export interface ManualToolRunnerDeps
  extends Pick<
    TurnSetupDeps,
    | "paths"
    | "sandbox"
    | "userEnvironment"
    | "credentialFolders"
    | "skills"
    | "agentServices"
    | "tools"
    | "mcp"
  > {
  agents: AgentRepository;
  audit: AuditLog;
}

export interface ManualRunRequest {
  tool: string;
  agentId?: string;
  input: unknown;
  /** Aborted when the client goes away. */
  signal?: AbortSignal;
}

export class ManualToolRunner {
  readonly #shellJobs = new ShellJobs();

  constructor(private readonly deps: ManualToolRunnerDeps) {}

  find(name: string): AnyTool {
    const tool =
      this.deps.tools.find((candidate) => candidate.name === name) ??
      this.deps.mcp?.knownTools().find((candidate) => candidate.name === name);
    if (!tool) throw new NotFoundError("Tool", name);
    return tool;
  }

  async run(request: ManualRunRequest): Promise<ToolRunResult> {
    const tool = this.find(request.tool);
    const agent = request.agentId ? this.deps.agents.get(request.agentId) : this.deps.agents.defaultAgent();
    const started = Date.now();
    const callId = newId("man");
    const audit = (decision: string, status: string, summary: string) =>
      this.deps.audit.record({
        sessionId: "",
        agentId: agent.id,
        turnId: null,
        callId,
        tool: tool.name,
        input: request.input,
        decision,
        status,
        summary,
        startedAt: started,
        endedAt: Date.now(),
      });

    const problems = validationProblems(tool, request.input);
    if (problems) {
      const message = `Invalid arguments for ${tool.name}: ${problems}.`;
      audit("manual", "error", message);
      throw new ValidationError(message, "input");
    }

    const rule = decideRule({
      tool,
      agentRule: agent.config.approvals[tool.name],
      remembered: false,
      sandboxed: (await this.deps.sandbox()).mode !== "none",
    });
    const base = { tool: tool.name, agentId: agent.id, images: [], progress: "", truncated: false };
    if (rule === "deny") {
      const message = `The agent "${agent.config.name}" is set to deny ${tool.name}. Change its approval rule in Settings → Agents to run it.`;
      const auditId = audit("policy-denied", "denied", message);
      return {
        ...base,
        status: "denied",
        text: "",
        error: message,
        durationMs: Date.now() - started,
        auditId,
      };
    }

    const workspace = workspaceFor(this.deps, agent);
    await this.deps.skills.ready();
    let progress = "";
    const needsSession = sessionRequirement(tool.name);
    const ctx: ToolContext = {
      signal: request.signal ?? new AbortController().signal,
      workspace,
      sessionId: "",
      agentId: agent.id,
      turnId: "",
      callId,
      progress(update) {
        if (progress.length < PROGRESS_LIMIT) progress += update.text;
      },
      ask: () =>
        Promise.reject(
          new ToolError(
            needsSession ?? "This tool asks the user questions, which only works in a chat session.",
          ),
        ),
      // The same skills a turn sees, those read in place from the workspace and home included.
      services: await baseServices(
        this.deps,
        agent,
        workspace,
        this.#shellJobs,
        this.deps.skills.catalogFor(
          agent.config.skills,
          workspace.root,
          await this.deps.skills.liveSkills(
            workspace.root,
            agent.config.skillSources ?? ALL_SKILL_SOURCES_ON,
          ),
        ),
      ),
    };

    let result: ToolResult;
    try {
      result = await tool.execute(request.input, ctx);
    } catch (error) {
      const message = errorText(error);
      const auditId = audit("manual", ctx.signal.aborted ? "stopped" : "error", message);
      return {
        ...base,
        status: "error",
        text: "",
        error: message,
        progress: progress.slice(0, PROGRESS_LIMIT),
        durationMs: Date.now() - started,
        auditId,
      };
    }
    const truncated = result.text.length > MANUAL_OUTPUT_LIMIT;
    const text = truncated ? result.text.slice(0, MANUAL_OUTPUT_LIMIT) : result.text;
    const auditId = audit("manual", "completed", result.text);
    return {
      ...base,
      status: "completed",
      text,
      details: result.details,
      images: (result.images ?? []).map((image) => ({
        mime: image.mime,
        dataUrl: `data:${image.mime};base64,${image.data}`,
        ...(image.path ? { path: image.path } : {}),
      })),
      progress: progress.slice(0, PROGRESS_LIMIT),
      truncated,
      durationMs: Date.now() - started,
      auditId,
    };
  }

  /** End shell jobs started from the runner (app shutdown). */
  async dispose(): Promise<void> {
    await this.#shellJobs.dispose();
  }
}

function validationProblems(tool: AnyTool, input: unknown): string | undefined {
  if (tool.validate) return tool.validate(input);
  if (Value.Check(tool.parameters, input)) return undefined;
  const problems = [...Value.Errors(tool.parameters, input)]
    .slice(0, 5)
    .map((error) => `${error.path || "(root)"}: ${error.message}`);
  return problems.join("; ") || "they do not match the schema";
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
