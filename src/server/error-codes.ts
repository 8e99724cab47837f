/**
 * The one table from named errors to the codes clients see. HTTP (src/server/http-errors.ts) answers with
 * the status and `{ error: { code } }`; the WebSocket hub (src/server/ws-hub.ts) sends the same code in its
 * `error` event. Errors are matched by `error.name`, never `instanceof` (they cross worker and module
 * boundaries).
 *
 * Every named error class in src/ is either here or in `UNMAPPED_ERRORS` (test/unit/error-codes.test.ts
 * checks it), so a new error class is a decision, not an accident.
 */

export type ErrorMapping = readonly [status: number, code: string];

/** The code of an error that is in neither table: a bug or an unexpected failure (HTTP 500). */
export const INTERNAL_CODE = "internal";

export const ERROR_CODES: Readonly<Record<string, ErrorMapping>> = {
  // The app's shared errors (src/core/errors.ts): also what the body reader and archive reader throw.
  ValidationError: [400, "invalid"],
  NotFoundError: [404, "not_found"],
  ConflictError: [409, "conflict"],
  DatabaseTooNewError: [409, "database_too_new"],
  // A message, edit or regeneration sent to a sub-agent's chat (src/sessions/manager.ts).
  SubAgentChatReadOnlyError: [409, "sub_agent_chat_read_only"],
  ContentTooLargeError: [413, "too_large"],
  UnsupportedMediaTypeError: [415, "unsupported_media_type"],
  // Workspace browser and attachments (src/workspace/errors.ts) and the sandbox's confinement.
  WorkspaceEscapeError: [403, "outside_workspace"],
  WorkspaceNotFoundError: [404, "not_found"],
  NotAFolderError: [400, "invalid"],
  NotAFileError: [400, "invalid"],
  AttachmentRequestError: [400, "invalid"],
  AttachmentTooLargeError: [413, "too_large"],
  RangeNotSatisfiableError: [416, "range_not_satisfiable"],
  // "Continue in a new chat": the summary request failed (src/sessions/continue-chat.ts).
  SummaryFailedError: [502, "summary_failed"],
  // An MCP server that cannot start or answered with an error (src/mcp/types.ts; the SDK's McpError).
  McpServerError: [502, "mcp_server"],
  McpError: [502, "mcp_server"],
  // Paths in requests (src/workspace/request-path.ts).
  UnsafePathError: [400, "invalid_path"],
  PathOutsideRootError: [403, "outside_root"],
  // Storage (src/core/errors.ts, src/store/backup-service.ts).
  DiskFullError: [507, "disk_full"],
  BackupFailedError: [500, "backup_failed"],
};

/**
 * Named errors deliberately not in `ERROR_CODES`: they never reach a request (start-up, the desktop shell,
 * the agent's tools, which turn failures into tool results), or the route that can meet them catches them
 * and answers itself. Should one escape, it is a 500 "internal" over HTTP (message hidden, logged) and an
 * "internal" error event over the WebSocket.
 */
export const UNMAPPED_ERRORS: ReadonlySet<string> = new Set([
  "BadArchiveError",
  "BlockedAddressError",
  "BrowserDisposedError",
  "BrowserLaunchError",
  "BrowserNotFoundError",
  "BrowserTabError",
  "BuiltinSkillsError",
  "DataFolderError",
  "DatabaseDamagedError",
  "DeadlineError",
  "DeepLinkError",
  "EmptySummaryError",
  "FetchConnectionError",
  "FetchRefusedError",
  "HostResolutionError",
  "InstanceBusyError",
  "KeychainUnavailableError",
  "McpCommandNotFoundError",
  "McpSignInError",
  "MigrationError",
  "MissingKeyError",
  "ModelListError",
  "NoModelConfiguredError",
  "RestoreError",
  "SandboxUnavailableError",
  "SearchFormatError",
  "SecretFileCorruptError",
  "SecretLeakError",
  "ServerStartError",
  "SessionBusUnavailableError",
  "ShellJobLimitError",
  "ShellJobNotFoundError",
  "ShellJobsDisposedError",
  "ShellStartError",
  "SkillDiffError",
  "SkillExportError",
  "SkillImportError",
  "SkillSyncError",
  "ToolError",
  "V4APatchError",
  "WebSearchError",
]);

/** The status and code of a named error, or undefined when it has none (a 500 "internal"). */
export function errorMapping(name: string): ErrorMapping | undefined {
  return Object.hasOwn(ERROR_CODES, name) ? ERROR_CODES[name] : undefined;
}

/** The code clients see for an error of this name: its mapped code, else "internal". */
export function errorCode(name: string): string {
  return errorMapping(name)?.[1] ?? INTERNAL_CODE;
}
