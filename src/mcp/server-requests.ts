/**
 * What a connected MCP server may ask of Sage and tell it, set on its client before it connects:
 * - sampling (`sampling/createMessage`): answered by the sampler of the newest tool call of this server
 *   running now (a chat's model, once the user allowed it: sampling.ts); with no call running it is
 *   refused, so a server cannot use the model on its own;
 * - log messages: kept in the server's log (shown in the panel), cut at 2,000 characters;
 * - "tools changed": the connection lists its tools again.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  CreateMessageRequestSchema,
  ErrorCode,
  LoggingMessageNotificationSchema,
  McpError,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { McpSampler } from "./sampling.ts";
import type { ServerLog } from "./server-log.ts";

export interface ServerRequestHandlers {
  log: ServerLog;
  /** The sampler of the newest running call, if any. */
  currentSampler(): McpSampler | undefined;
  /** The server said its tools changed. */
  toolsChanged(): void;
}

export function handleServerRequests(client: Client, handlers: ServerRequestHandlers): void {
  const { log } = handlers;
  client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
    const sampler = handlers.currentSampler();
    log.info(`the server asks for sampling (${request.params.maxTokens} tokens at most)`);
    if (!sampler)
      throw new McpError(
        ErrorCode.InvalidRequest,
        "Sage answers sampling requests only while one of this server's tools runs in a chat.",
      );
    return sampler(request.params);
  });
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
    const { level, data, logger } = notification.params;
    const text = typeof data === "string" ? data : JSON.stringify(data);
    log.push("server", `${level}${logger ? ` ${logger}` : ""}: ${text.slice(0, 2000)}`);
  });
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => handlers.toolsChanged());
}
