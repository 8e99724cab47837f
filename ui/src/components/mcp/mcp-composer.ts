/**
 * The composer's MCP pieces: the prompts of the agent's servers as slash commands (`/<server>:<prompt>`,
 * arguments typed as `name=value`, quoted when they hold spaces) and their expansion into the prompt's
 * text; and reading a resource as a `File`, so it is attached like an uploaded file. Lists are fetched
 * when first needed and kept for 30 s per agent.
 */
import type { McpAgentResources, McpPromptInfo } from "../../../../src/shared/mcp.ts";
import { call } from "../../lib/api-client.ts";
import { mcpApi } from "./mcp-api.ts";

const KEEP_MS = 30_000;
const promptCache = new Map<string, { at: number; prompts: McpPromptInfo[] }>();

/** The agent's MCP prompts, from the cache (refreshed in the background when stale). */
export function cachedPrompts(agentId: string | undefined, onLoaded: () => void): McpPromptInfo[] {
  if (!agentId) return [];
  const cached = promptCache.get(agentId);
  if (!cached || Date.now() - cached.at > KEEP_MS) {
    promptCache.set(agentId, { at: Date.now(), prompts: cached?.prompts ?? [] });
    void call("GET /api/mcp/agents/:agentId/prompts", { params: { agentId } }).then(
      (result) => {
        promptCache.set(agentId, { at: Date.now(), prompts: result.prompts });
        onLoaded();
      },
      () => {},
    );
  }
  return promptCache.get(agentId)?.prompts ?? [];
}

/** What the composer shows after picking a prompt: its text at once, or the command with its arguments. */
export function promptTemplate(prompt: McpPromptInfo): string {
  const args = prompt.arguments.map((argument) => `${argument.name}=`).join(" ");
  return `/${prompt.command}${args ? ` ${args}` : " "}`;
}

/** `city=Lisbon note="two words"` -> { city: "Lisbon", note: "two words" } (empty values left out). */
export function parsePromptArguments(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of text.matchAll(/([\w.-]+)=(?:"((?:[^"\\]|\\.)*)"|(\S*))/g)) {
    const value = match[2] !== undefined ? match[2].replace(/\\(.)/g, "$1") : (match[3] ?? "");
    if (match[1] && value !== "") out[match[1]] = value;
  }
  return out;
}

/**
 * When `text` is `/<server>:<prompt> args…` for one of the agent's prompts, its expanded text (the server
 * fills it in); otherwise undefined. Missing required arguments throw with their names.
 */
export async function expandPromptCommand(
  text: string,
  agentId: string | undefined,
): Promise<string | undefined> {
  const match = /^\/([\w-]+):(\S+)(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!match || !agentId) return undefined;
  const prompts = promptCache.get(agentId)?.prompts ?? [];
  const prompt = prompts.find((candidate) => candidate.server === match[1] && candidate.name === match[2]);
  if (!prompt) return undefined;
  const args = parsePromptArguments(match[3] ?? "");
  const missing = prompt.arguments.filter((argument) => argument.required && !args[argument.name]);
  if (missing.length > 0) throw new MissingPromptArguments(missing.map((argument) => argument.name));
  const result = await call("POST /api/mcp/servers/:name/prompts/get", {
    params: { name: prompt.server },
    json: { name: prompt.name, arguments: args, agentId },
  });
  return result.text;
}

export class MissingPromptArguments extends Error {
  override readonly name = "MissingPromptArguments";
  constructor(readonly names: string[]) {
    super(names.join(", "));
  }
}

export function agentResources(agentId: string): Promise<McpAgentResources> {
  return call("GET /api/mcp/agents/:agentId/resources", { params: { agentId } });
}

/** A resource's contents as a file to attach (text as UTF-8, blobs decoded), named after its URI. */
export async function resourceFile(
  server: string,
  uri: string,
  name: string,
  agentId: string,
): Promise<File> {
  const { contents } = await mcpApi.readResource(server, uri, agentId);
  const first = contents[0];
  const mime = first?.mimeType ?? "text/plain";
  const parts: BlobPart[] = contents.map((content) =>
    content.blob !== undefined
      ? Uint8Array.from(atob(content.blob), (char) => char.charCodeAt(0))
      : (content.text ?? ""),
  );
  return new File(parts, fileName(name || uri, mime), { type: mime });
}

function fileName(name: string, mime: string): string {
  const base =
    name
      .replace(/^[a-z]+:\/\//i, "")
      .replace(/[^\w.-]+/g, "_")
      .slice(-80) || "resource";
  if (/\.[A-Za-z0-9]{1,5}$/.test(base)) return base;
  if (mime.startsWith("text/") || mime === "application/json")
    return `${base}${mime === "application/json" ? ".json" : ".txt"}`;
  const known: Record<string, string> = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "application/pdf": ".pdf",
  };
  return `${base}${known[mime] ?? ".bin"}`;
}
