/**
 * MCP over WebSocket, client side, on the `ws` package rather than a browser-style
 * WebSocket: Hearth sends `Authorization: Bearer …` in the opening handshake, and the
 * WHATWG WebSocket API has no way to set request headers.
 *
 * Wire format (the SDK's own WebSocket transport uses the same): subprotocol `mcp`, one
 * JSON-RPC message (or batch array) per WebSocket message. Many requests in flight are
 * simply multiplexed on the one socket; the SDK's Protocol matches answers by id.
 * Reconnecting is the connection layer's job: it makes a fresh transport with backoff.
 */
import WebSocket from "ws";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { JSONRPCMessageSchema, type JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { McpClientError } from "../errors.js";

/** Options for {@link WebSocketClientTransport}. */
export interface WebSocketClientTransportOptions {
  /**
   * Headers sent with the opening handshake (Hearth puts `Authorization: Bearer …` here).
   * Their values never appear in error messages. Default: none.
   */
  headers?: Record<string, string>;
  /** Limit on the opening handshake (TCP, TLS and HTTP upgrade), in milliseconds. Default 10,000. */
  handshakeTimeoutMs?: number;
}

/** The WebSocket subprotocol MCP servers expect (the SDK's WebSocket transports use it). */
export const MCP_WEBSOCKET_SUBPROTOCOL = "mcp";

const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
/** How long `close()` waits for the server's closing frame before cutting the TCP connection. */
const CLOSE_GRACE_MS = 500;

type State = "new" | "connecting" | "open" | "closing" | "closed";

/**
 * A client `Transport` over one WebSocket connection.
 *
 * Lifecycle: `start()` resolves once the socket is open, or rejects with an
 * `McpClientError` (`auth_failed` on a 401/403 handshake answer, `connection_closed` for
 * anything else); a failed start fires no callbacks. `onclose` fires exactly once: when an
 * open connection drops (after `onerror` with a `connection_closed` error carrying the
 * close code and reason) or when `close()` is called, whichever comes first. A message
 * that is not JSON-RPC goes to `onerror` (SyntaxError or TypeError) and the connection stays.
 */
export class WebSocketClientTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;

  private state: State = "new";
  private socket: WebSocket | undefined;
  private closedNotified = false;
  private closing: Promise<void> | undefined;
  /** The last socket error after open, reported as the cause of the drop. */
  private lastSocketError: Error | undefined;
  /** The URL as error messages show it: no userinfo, query or fragment, which may hold secrets. */
  private readonly shownUrl: string;

  /**
   * @param url `ws:` or `wss:` URL of the server's MCP endpoint.
   * @param options Handshake headers and timeout; see {@link WebSocketClientTransportOptions}.
   */
  constructor(
    private readonly url: URL,
    private readonly options: WebSocketClientTransportOptions = {},
  ) {
    this.shownUrl = `${url.protocol}//${url.host}${url.pathname}`;
  }

  /** Opens the connection; resolves once it is open. Called by `Client.connect()`. */
  start(): Promise<void> {
    if (this.state === "closed" && this.socket === undefined) {
      return Promise.reject(new McpClientError("connection_closed", `the transport for ${this.shownUrl} was closed before it started`));
    }
    if (this.state !== "new") {
      // A programmer error, as in the SDK's transports: one transport, one connection.
      return Promise.reject(new Error("WebSocketClientTransport already started; make a new transport to reconnect"));
    }
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url, MCP_WEBSOCKET_SUBPROTOCOL, {
        headers: this.options.headers,
        handshakeTimeout: this.options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
        // Messages are small JSON; compressing each costs more latency than it saves.
        perMessageDeflate: false,
      });
    } catch (error) {
      // A URL ws cannot use (say, a scheme other than ws/wss/http/https).
      this.state = "closed";
      return Promise.reject(new McpClientError("connection_closed", `cannot open a WebSocket to ${this.shownUrl}: ${(error as Error).message}`, { cause: error }));
    }
    this.state = "connecting";
    this.socket = socket;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (error: McpClientError) => {
        if (settled) return;
        settled = true;
        reject(error);
      };
      socket.on("unexpected-response", (_request, response) => {
        const status = response.statusCode ?? 0;
        fail(this.handshakeRefused(status, response.statusMessage ?? ""));
        // Listening to this event makes aborting the handshake our job (ws docs);
        // terminate() also makes ws emit "close", which settles the state.
        socket.terminate();
      });
      socket.on("open", () => {
        if (this.state !== "connecting") return;
        this.state = "open";
        settled = true;
        resolve();
      });
      socket.on("message", (data, isBinary) => this.receive(data, isBinary));
      socket.on("error", (error) => {
        if (!settled) {
          fail(new McpClientError("connection_closed", `could not connect to ${this.shownUrl}: ${describeSocketError(error)}`, { cause: error }));
        } else {
          // ws always follows an error with "close"; report both there, once.
          this.lastSocketError = error;
        }
      });
      socket.on("close", (code, reason) => {
        fail(new McpClientError("connection_closed", `${this.shownUrl} closed the connection during the handshake (code ${code})`));
        this.socketClosed(code, reason.toString("utf8"));
      });
    });
  }

  /** Sends one JSON-RPC message (or batch); rejects with `connection_closed` unless open. */
  send(message: JSONRPCMessage | JSONRPCMessage[]): Promise<void> {
    const socket = this.socket;
    if (this.state !== "open" || socket === undefined) {
      return Promise.reject(new McpClientError("connection_closed", `the WebSocket connection to ${this.shownUrl} is not open`));
    }
    return new Promise<void>((resolve, reject) => {
      socket.send(JSON.stringify(message), (error) => {
        if (error) reject(new McpClientError("connection_closed", `could not send to ${this.shownUrl}: ${error.message}`, { cause: error }));
        else resolve();
      });
    });
  }

  /**
   * Closes the connection: sends a closing frame, and cuts the TCP connection if the
   * server has not answered within 500 ms. Idempotent; resolves once closed.
   */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    const socket = this.socket;
    if (this.state === "new" || this.state === "closed" || socket === undefined) {
      this.state = "closed";
      this.notifyClosed();
      this.closing = Promise.resolve();
      return this.closing;
    }
    const wasOpen = this.state === "open";
    this.state = "closing";
    this.closing = new Promise<void>((resolve) => {
      socket.once("close", () => resolve());
      if (!wasOpen) {
        // Still handshaking: abandon it; start() rejects with connection_closed.
        socket.terminate();
        return;
      }
      const grace = setTimeout(() => socket.terminate(), CLOSE_GRACE_MS);
      socket.once("close", () => clearTimeout(grace));
      socket.close(1000, "client closing");
    });
    return this.closing;
  }

  private handshakeRefused(status: number, statusText: string): McpClientError {
    const answer = `${status}${statusText ? ` ${statusText}` : ""}`;
    if (status === 401 || status === 403) {
      const sentAuthorization = Object.keys(this.options.headers ?? {}).some((name) => name.toLowerCase() === "authorization");
      const hint = sentAuthorization ? "it refused the Authorization header" : "no Authorization header was sent";
      return new McpClientError("auth_failed", `${this.shownUrl} answered ${answer} to the WebSocket handshake (${hint})`);
    }
    return new McpClientError("connection_closed", `${this.shownUrl} answered ${answer} instead of accepting the WebSocket connection`);
  }

  private socketClosed(code: number, reason: string): void {
    const droppedByServer = this.state === "open";
    this.state = "closed";
    if (droppedByServer) {
      const why = `code ${code}${reason ? `, reason "${reason}"` : ""}`;
      const cause = this.lastSocketError;
      this.onerror?.(new McpClientError("connection_closed", `the WebSocket connection to ${this.shownUrl} closed (${why})`, { cause }));
    }
    // A start() that never opened reports through its rejection alone, unless close() was called.
    if (droppedByServer || this.closing) this.notifyClosed();
  }

  private notifyClosed(): void {
    if (this.closedNotified) return;
    this.closedNotified = true;
    this.onclose?.();
  }

  /** Each WebSocket message is one JSON-RPC message or a batch array of them. */
  private receive(data: WebSocket.RawData, isBinary: boolean): void {
    // ws hands text frames over as Buffers too; binary frames are accepted as UTF-8 JSON.
    const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    const text = bytes.toString("utf8");
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      const kind = isBinary ? "binary" : "text";
      this.onerror?.(new SyntaxError(`${this.shownUrl} sent a ${kind} message that is not JSON`, { cause: error }));
      return;
    }
    for (const item of Array.isArray(parsed) ? parsed : [parsed]) {
      const result = JSONRPCMessageSchema.safeParse(item);
      if (result.success) this.onmessage?.(result.data);
      else this.onerror?.(new TypeError(`${this.shownUrl} sent a message that is not JSON-RPC 2.0`, { cause: result.error }));
    }
  }
}

/** "connect ECONNREFUSED 127.0.0.1:9" style text without anything from the request. */
function describeSocketError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}
