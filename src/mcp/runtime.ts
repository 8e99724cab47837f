/**
 * The parts of the MCP client that load the SDK (its zod schemas, transports and Ajv): ~16 ms and ~5 MB
 * at start-up if imported eagerly. `McpManager` loads this module on first use — a server starts, an
 * agent with servers runs a turn, a sign-in — so a Sage with no MCP server never pays for it.
 */
export { McpConnection } from "./connection.ts";
export { McpOAuthAccounts } from "./oauth-accounts.ts";
export { getPromptText, listPrompts, listResources, readResource } from "./server-content.ts";
export { adaptTool } from "./tool-adapter.ts";
