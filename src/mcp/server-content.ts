/**
 * What a server offers besides tools: resources (attached to a message from the composer) and prompts
 * (offered as slash commands `/<server>:<prompt>`). Each call starts the server when needed; lists are
 * read page by page (at most 10,000 entries). A prompt's messages become plain text for the composer.
 */
import type { GetPromptResult, Prompt, Resource } from "@modelcontextprotocol/sdk/types.js";
import type { McpPromptInfo, McpPromptText, McpResourceContents, McpResourceInfo } from "../shared/mcp.ts";
import type { McpConnection } from "./connection.ts";

const MAX_ENTRIES = 10_000;

export async function listResources(
  connection: McpConnection,
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
  connection: McpConnection,
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
  connection: McpConnection,
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
  connection: McpConnection,
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
