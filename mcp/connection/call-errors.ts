/**
 * Turns what a failed tool call threw into an `McpClientError` that says what happened
 * in words a person (and the model reading the tool result) can act on.
 */
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { McpClientError } from "../errors.js";

export interface CallErrorContext {
  serverId: string;
  toolName: string;
  timeoutMs: number;
  /** The caller's signal had aborted. */
  cancelled: boolean;
  /** The last error the transport reported (a crash's exit code, a dropped socket). */
  transportError: Error | undefined;
  /** The server's last log lines. */
  stderr: string[];
}

export function toCallError(error: unknown, context: CallErrorContext): McpClientError {
  const { serverId, toolName } = context;
  if (error instanceof McpClientError) return error;
  const where = `tool "${toolName}" on server "${serverId}"`;
  if (context.cancelled) {
    return new McpClientError("call_cancelled", `${where} was cancelled`, { serverId, cause: error });
  }
  if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
    return new McpClientError("tool_timeout", `${where} did not answer within ${formatSeconds(context.timeoutMs)}; the call was cancelled`, {
      serverId,
      cause: error,
    });
  }
  if (error instanceof McpError && error.code === ErrorCode.ConnectionClosed) {
    const reason = context.transportError?.message ?? "the connection closed";
    const stderr = context.stderr.length > 0 && !reason.includes(context.stderr.at(-1)!) ? ` (last output: ${context.stderr.join(" | ")})` : "";
    return new McpClientError("connection_closed", `${where} failed: ${reason}${stderr}`, { serverId, cause: error });
  }
  if (error instanceof McpError) {
    return new McpClientError("call_failed", `${where} failed: ${error.message}`, { serverId, cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new McpClientError("connection_closed", `${where} failed: ${message}`, { serverId, cause: error });
}

function formatSeconds(milliseconds: number): string {
  const seconds = milliseconds / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
