/**
 * The lifecycle of one server connection, as a discriminated union (the shape VS Code's
 * MCP client uses): the UI shows it, and the pool only routes calls to `running` servers.
 */
import type { McpClientErrorCode } from "../errors.js";

export type ServerState =
  | { status: "stopped" }
  | { status: "starting"; /** 1 for the first try, then counts restarts. */ attempt: number }
  | { status: "running"; /** Epoch milliseconds. */ since: number }
  | {
      status: "error";
      code: McpClientErrorCode;
      message: string;
      /** Whether trying again may help; non-retryable errors need the user to fix something. */
      retryable: boolean;
      /** The server's last stderr lines (and stray stdout lines), oldest first. */
      stderr: string[];
      /** When a restart is scheduled: the delay from `at`, in milliseconds. */
      retryInMs?: number;
      /** Epoch milliseconds. */
      at: number;
    };

export type ServerStatus = ServerState["status"];

/** Errors a restart cannot fix: the config or the environment must change first. */
const PERMANENT: ReadonlySet<McpClientErrorCode> = new Set([
  "spawn_failed",
  "auth_failed",
  "env_missing",
  "config_invalid",
]);

/** Whether an error of this code is worth retrying automatically. */
export function isRetryable(code: McpClientErrorCode): boolean {
  return !PERMANENT.has(code);
}
