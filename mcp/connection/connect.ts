/**
 * Opens an MCP client session for one server definition: builds the transport for its
 * source, runs the initialize handshake, and maps transport failures to
 * `McpClientError` codes a person can act on.
 *
 * Http sources try Streamable HTTP first and fall back to the legacy HTTP+SSE transport
 * when the server rejects the POST with 400, 404 or 405, as the spec's backwards
 * compatibility section advises (MCP 2025-06-18, Transports: Backwards Compatibility).
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import type { HttpSource, ServerDefinition } from "../config/schema.js";
import { McpClientError } from "../errors.js";
import { createKeepAliveFetch } from "../transports/http-fetch.js";
import { ProcessClientTransport } from "../transports/process-client-transport.js";
import { WebSocketClientTransport } from "../transports/websocket-client-transport.js";
import type { StderrLog } from "./stderr-log.js";

/** Which wire a connected session uses. */
export type TransportKind = "process" | "streamable-http" | "sse" | "websocket";

/** A connected, initialized client session and what it holds. */
export interface OpenedSession {
  client: Client;
  transport: Transport;
  kind: TransportKind;
  /** Releases what the session holds beyond the transport (the HTTP connection pool). */
  release(): Promise<void>;
}

/** What {@link connectSession} connects, and how. */
export interface ConnectOptions {
  /** A definition whose `${env:…}` references are already resolved. */
  definition: ServerDefinition;
  /** Makes a fresh SDK client; a failed handshake leaves a client unusable. */
  makeClient: () => Client;
  /** Limit on the handshake, in milliseconds. */
  timeoutMs: number;
  log: StderrLog;
  /** Abandons the handshake (the server is being stopped). */
  signal?: AbortSignal;
  /**
   * Puts something in the client's path to the transport (the message tap); the client
   * talks through what it returns, while `OpenedSession.transport` stays the transport.
   */
  wrapTransport?: (transport: Transport) => Transport;
}

/** Connects and initializes; throws `McpClientError` on failure, with nothing left running. */
export async function connectSession(options: ConnectOptions): Promise<OpenedSession> {
  const { definition } = options;
  const source = definition.source;
  switch (source.type) {
    case "Process": {
      const transport = new ProcessClientTransport({
        command: source.command,
        args: source.args,
        workDir: source.work_dir,
        env: source.env,
        stderrLog: options.log,
        serverId: definition.id,
      });
      return handshake(options, transport, "process", async () => {});
    }
    case "WebSocket": {
      const transport = new WebSocketClientTransport(new URL(source.url), {
        headers: requestHeaders(definition),
        handshakeTimeoutMs: options.timeoutMs,
      });
      return handshake(options, transport, "websocket", async () => {});
    }
    case "Http":
      return connectHttp(options, source);
  }
}

async function connectHttp(options: ConnectOptions, source: HttpSource): Promise<OpenedSession> {
  const { definition } = options;
  const url = new URL(source.url);
  const headers = requestHeaders(definition);
  const fetch = createKeepAliveFetch();
  const release = () => fetch.close();
  try {
    const streamable = new StreamableHTTPClientTransport(url, { fetch, requestInit: { headers } });
    return await handshake(options, streamable, "streamable-http", release);
  } catch (error) {
    if (!isLegacyServerAnswer(error)) {
      await release();
      throw error;
    }
    options.log.appendLine(`[hearth] Streamable HTTP was refused (${describe(error)}); trying the legacy SSE transport`);
  }
  try {
    const sse = new SSEClientTransport(url, { fetch, requestInit: { headers } });
    return await handshake(options, sse, "sse", release);
  } catch (error) {
    await release();
    throw error;
  }
}

async function handshake(
  options: ConnectOptions,
  transport: Transport,
  kind: TransportKind,
  release: () => Promise<void>,
): Promise<OpenedSession> {
  const client = options.makeClient();
  try {
    await client.connect(options.wrapTransport?.(transport) ?? transport, { timeout: options.timeoutMs, signal: options.signal });
    return { client, transport, kind, release };
  } catch (error) {
    await client.close().catch(() => {});
    await transport.close().catch(() => {});
    throw toConnectError(error, options, kind);
  }
}

/** The headers every HTTP request or WebSocket handshake carries. */
function requestHeaders(definition: ServerDefinition): Record<string, string> {
  const source = definition.source;
  const headers: Record<string, string> = source.type === "Process" ? {} : { ...source.headers };
  if (definition.bearer_token) headers.Authorization = `Bearer ${definition.bearer_token}`;
  return headers;
}

/** A Streamable HTTP POST refused in the way old HTTP+SSE servers refuse it. */
function isLegacyServerAnswer(error: unknown): boolean {
  const cause = error instanceof McpClientError ? error.cause : error;
  return cause instanceof StreamableHTTPError && [400, 404, 405].includes(cause.code ?? 0);
}

function httpStatus(error: unknown): number | undefined {
  if (error instanceof StreamableHTTPError) return error.code;
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "number" && code >= 100 && code < 600 ? code : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Maps whatever the handshake threw to an error that says what to do about it. */
function toConnectError(error: unknown, options: ConnectOptions, kind: TransportKind): McpClientError {
  const serverId = options.definition.id;
  if (error instanceof McpClientError) {
    return new McpClientError(error.code, `server "${serverId}": ${error.message}`, { serverId, cause: error });
  }
  const status = httpStatus(error);
  if (status === 401 || status === 403) {
    const hint = options.definition.bearer_token ? "check its bearer_token" : "it needs a bearer_token";
    return new McpClientError("auth_failed", `server "${serverId}" answered ${status} ${status === 401 ? "Unauthorized" : "Forbidden"}: ${hint}`, {
      serverId,
      cause: error,
    });
  }
  if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
    const stray = options.log.tail(5).filter((line) => line.startsWith("[stdout]"));
    const evidence = stray.length > 0 ? `; it wrote non-JSON to stdout: ${stray.join(" | ")}` : "";
    return new McpClientError("handshake_failed", `server "${serverId}" did not answer initialize within ${options.timeoutMs} ms${evidence}`, {
      serverId,
      cause: error,
    });
  }
  const code = error instanceof McpError && error.code !== ErrorCode.ConnectionClosed ? "handshake_failed" : "connection_closed";
  return new McpClientError(code, `server "${serverId}" (${kind}): ${describe(error)}`, { serverId, cause: error });
}
