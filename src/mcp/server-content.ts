/**
 * What a server offers: its tools (listed for the connection), resources (attached to a message from
 * the composer) and prompts (offered as slash commands `/<server>:<prompt>`). Each call starts the server when needed; lists are
 * read page by page (at most 10,000 entries). A prompt's messages become plain text for the composer.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  type GetPromptResult,
  type Prompt,
  type Resource,
  type Tool,
  ToolSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod/v4";
import type {
  McpPromptInfo,
  McpPromptText,
  McpResourceContents,
  McpResourceInfo,
  McpServerInput,
} from "../shared/mcp.ts";

/**
 * What reading a server's resources and prompts needs of its connection (McpConnection, connection.ts,
 * which lists its offers with `listOffers` here): its settings and a started client.
 */
export interface ServerConnection {
  readonly config: McpServerInput;
  readyClient(workspaceRoot: string): Promise<Client>;
}

const MAX_ENTRIES = 10_000;
const LooseToolList = z.object({ tools: z.array(z.unknown()) }).passthrough();

export interface Offers {
  /** Valid tool definitions. */
  tools: Tool[];
  /** Tools whose definition the protocol's schema rejects, with why (one bad tool hides no other). */
  skipped: { name: string; reason: string }[];
  counts: { tools: number; resources: number; prompts: number };
}

/** Tools (each checked on its own), and how many resources and prompts the server has (first page). */
export async function listOffers(client: Client, timeout: number): Promise<Offers> {
  const capabilities = client.getServerCapabilities() ?? {};
  const tools: Tool[] = [];
  const skipped: { name: string; reason: string }[] = [];
  if (capabilities.tools) {
    let cursor: string | undefined;
    do {
      const page = await client.request(
        { method: "tools/list", params: cursor ? { cursor } : {} },
        LooseToolList,
        { timeout },
      );
      for (const raw of page.tools) {
        const parsed = ToolSchema.safeParse(raw);
        const name =
          typeof (raw as { name?: unknown })?.name === "string" ? (raw as { name: string }).name : "?";
        if (parsed.success) tools.push(parsed.data);
        else
          skipped.push({
            name,
            reason: `invalid tool definition: ${parsed.error.issues[0]?.message ?? "schema"}`,
          });
      }
      cursor = typeof page.nextCursor === "string" ? page.nextCursor : undefined;
    } while (cursor && tools.length < MAX_ENTRIES);
  }
  const count = async (method: "resources/list" | "prompts/list", key: "resources" | "prompts") => {
    try {
      const page = await client.request({ method, params: {} }, z.object({}).passthrough(), { timeout });
      const list = (page as Record<string, unknown>)[key];
      return Array.isArray(list) ? list.length : 0;
    } catch {
      return 0;
    }
  };
  return {
    tools,
    skipped,
    counts: {
      tools: tools.length,
      resources: capabilities.resources ? await count("resources/list", "resources") : 0,
      prompts: capabilities.prompts ? await count("prompts/list", "prompts") : 0,
    },
  };
}

export async function listResources(
  connection: ServerConnection,
  workspaceRoot: string,
): Promise<McpResourceInfo[]> {
  const client = await connection.readyClient(workspaceRoot);
  if (!client.getServerCapabilities()?.resources) return [];
  const timeout = connection.config.initTimeoutSec * 1000;
  const out: Resource[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listResources(cursor ? { cursor } : {}, { timeout });
    out.push(...page.resources);
    cursor = page.nextCursor;
  } while (cursor && out.length < MAX_ENTRIES);
  return out.map((resource) => ({
    server: connection.config.name,
    uri: resource.uri,
    name: resource.name,
    ...(resource.title ? { title: resource.title } : {}),
    ...(resource.description ? { description: resource.description } : {}),
    ...(resource.mimeType ? { mimeType: resource.mimeType } : {}),
  }));
}

export async function readResource(
  connection: ServerConnection,
  uri: string,
  workspaceRoot: string,
): Promise<McpResourceContents> {
  const client = await connection.readyClient(workspaceRoot);
  const result = await client.readResource({ uri }, { timeout: connection.config.callTimeoutSec * 1000 });
  return {
    contents: result.contents.map((content) => ({
      uri: content.uri,
      ...(content.mimeType ? { mimeType: content.mimeType } : {}),
      ...("text" in content && typeof content.text === "string" ? { text: content.text } : {}),
      ...("blob" in content && typeof content.blob === "string" ? { blob: content.blob } : {}),
    })),
  };
}

export async function listPrompts(
  connection: ServerConnection,
  workspaceRoot: string,
): Promise<McpPromptInfo[]> {
  const client = await connection.readyClient(workspaceRoot);
  if (!client.getServerCapabilities()?.prompts) return [];
  const timeout = connection.config.initTimeoutSec * 1000;
  const out: Prompt[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listPrompts(cursor ? { cursor } : {}, { timeout });
    out.push(...page.prompts);
    cursor = page.nextCursor;
  } while (cursor && out.length < MAX_ENTRIES);
  const server = connection.config.name;
  return out.map((prompt) => ({
    server,
    name: prompt.name,
    command: `${server}:${prompt.name}`,
    ...(prompt.title ? { title: prompt.title } : {}),
    ...(prompt.description ? { description: prompt.description } : {}),
    arguments: (prompt.arguments ?? []).map((argument) => ({
      name: argument.name,
      ...(argument.description ? { description: argument.description } : {}),
      required: argument.required === true,
    })),
  }));
}

export async function getPromptText(
  connection: ServerConnection,
  name: string,
  args: Record<string, string>,
  workspaceRoot: string,
): Promise<McpPromptText> {
  const client = await connection.readyClient(workspaceRoot);
  const result = await client.getPrompt(
    { name, arguments: args },
    { timeout: connection.config.callTimeoutSec * 1000 },
  );
  return promptText(result);
}

/** Text parts as they are, embedded text resources inline, other content named. */
export function promptText(result: GetPromptResult): McpPromptText {
  const messages = result.messages.map((message) => {
    const content = message.content;
    let text: string;
    if (content.type === "text") text = content.text;
    else if (
      content.type === "resource" &&
      "text" in content.resource &&
      typeof content.resource.text === "string"
    )
      text = `Resource ${content.resource.uri}:\n${content.resource.text}`;
    else if (content.type === "resource_link") text = `[resource ${content.uri}]`;
    else text = `[${content.type}]`;
    return { role: message.role, text };
  });
  const text =
    messages.length === 1 && messages[0]?.role === "user"
      ? messages[0].text
      : messages
          .map((message) => `${message.role === "user" ? "User" : "Assistant"}: ${message.text}`)
          .join("\n\n");
  return { text, messages };
}
