/**
 * Errors raised by Hearth's MCP client. Branch on `code`, never on the message text:
 * messages are for people and may change.
 */
export type McpClientErrorCode =
  /** mcp-config.json (or an mcpServers import) failed validation; see `issues`. */
  | "config_invalid"
  /** A config file could not be read or written. */
  | "config_io"
  /** `${env:NAME}` named a variable that is not set. */
  | "env_missing"
  /** The server's process could not be started (command not found, not executable…). */
  | "spawn_failed"
  /** The connection closed or the process exited (crash) while something was waiting on it. */
  | "connection_closed"
  /** The server answered 401 or 403. */
  | "auth_failed"
  /** The server did not complete the MCP handshake in time, or broke the protocol. */
  | "handshake_failed"
  /** The server is not running (stopped, starting, or in error). */
  | "server_unavailable"
  /** No exposed tool has that name. */
  | "tool_not_found"
  /** The call ran past `tool_timeout_secs`; `notifications/cancelled` was sent. */
  | "tool_timeout"
  /** The caller's AbortSignal fired; `notifications/cancelled` was sent. */
  | "call_cancelled"
  /** The server answered the call with a JSON-RPC error. */
  | "call_failed";

/** An error with a stable `code`, and the server it concerns when there is one. */
export class McpClientError extends Error {
  override readonly name = "McpClientError";
  constructor(
    readonly code: McpClientErrorCode,
    message: string,
    readonly details: { serverId?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }

  /** The server this error concerns, if any. */
  get serverId(): string | undefined {
    return this.details.serverId;
  }
}
