/**
 * Streamable HTTP session management on top of the SDK's transport (MCP 2025-06-18,
 * Transports: Session Management): noticing an expired session, and ending ours.
 */
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";

/** How long a stop waits for the server to acknowledge the end of an HTTP session, in milliseconds. */
const END_SESSION_TIMEOUT_MS = 1000;

/** Whether `error` is a Streamable HTTP server answering 404 to our session id: the session has expired. */
export function isExpiredSession(error: unknown): boolean {
  return error instanceof StreamableHTTPError && error.code === 404;
}

/**
 * Tells a Streamable HTTP server we are done with the session (an HTTP DELETE), as the
 * spec asks of clients that no longer need one; the SDK's `Client.close()` does not.
 * Other transports are left alone. Failures are ignored: the server may already be gone,
 * or not support it (405).
 */
export async function endHttpSession(transport: Transport): Promise<void> {
  if (!(transport instanceof StreamableHTTPClientTransport) || !transport.sessionId) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, END_SESSION_TIMEOUT_MS)));
  await Promise.race([transport.terminateSession().catch(() => {}), timeout]);
  clearTimeout(timer);
}
