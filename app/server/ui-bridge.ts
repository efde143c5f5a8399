/**
 * The WebSocket binding of the contract (app/contract/channels.ts) for `hearth serve --ui`:
 * the renderer, in a browser, talks to the core through `ws://host:port/bridge`.
 *
 * - The upgrade needs `?token=<token>` (compared in constant time; wrong or missing: 401)
 *   and a Host and Origin that are this server (`requestOriginProblem`; a client without
 *   an Origin, not a browser, may connect; Origin `null` may not): a web page elsewhere
 *   cannot drive the model and its tools.
 * - A message is JSON `{ id: number, channel, input }`; the reply `{ id, ok: true, output }`
 *   or `{ id, ok: false, error: { code, message } }` comes from `dispatch` (inputs and
 *   outputs checked against the contract, never a stack). Text that is not such a message
 *   is answered `{ id: null, ok: false, error: { code: "bad_message" } }`.
 * - Events go to every open socket as `{ event: channel, payload }`.
 * - A message over 1 MiB closes the socket (1009, `ws`'s `maxPayload`).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { dispatch } from "../bridge/dispatch.js";
import type { BridgeError, EventSink, InvokeHandlers } from "../contract/channels.js";
import { requestOriginProblem } from "./security.js";

/** The path the bridge answers upgrades on. */
export const UI_BRIDGE_PATH = "/bridge";

/** Largest message a client may send, in bytes (1 MiB); a larger one closes its socket. */
export const UI_BRIDGE_MAX_MESSAGE_BYTES = 1024 * 1024;

/** How long `close()` waits for clients to finish the closing handshake before cutting them off, in milliseconds. */
const CLOSE_GRACE_MS = 2_000;

/** Where the bridge listens: a started server's HTTP server, and the address it was told to bind. */
export interface UiBridgeServer {
  httpServer: Server;
  host: string;
  /** The port asked for; the one the server actually listens on wins when it differs (port 0). */
  port: number;
}

/** Options of {@link attachUiBridge}. */
export interface UiBridgeOptions {
  /** What clients must pass as `?token=`; never logged. */
  token: string;
  /** Told of each failure that reached a client as `internal_error` (for a log; default: nothing). */
  onInternalError?: (error: unknown) => void;
}

/** The attached bridge. */
export interface UiBridge {
  /** Sends an event to every connected client. */
  emit: EventSink;
  /** Closes every client (1001), stops answering upgrades. Call it before the HTTP server's own close, which waits for open sockets. */
  close(): Promise<void>;
}

/** Handles WebSocket upgrades on {@link UI_BRIDGE_PATH} of `server`; see the file's comment. */
export function attachUiBridge(server: UiBridgeServer, handlers: InvokeHandlers, options: UiBridgeOptions): UiBridge {
  if (options.token === "") throw new RangeError("the UI bridge needs a token that is not empty");
  const { httpServer } = server;
  const sockets = new WebSocketServer({ noServer: true, maxPayload: UI_BRIDGE_MAX_MESSAGE_BYTES });
  const expectedToken = digest(options.token);
  let closed = false;

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? "/", "http://bridge.invalid");
    if (url.pathname !== UI_BRIDGE_PATH) {
      // Another upgrade handler may own this path; with none, the socket would hang.
      if (httpServer.listenerCount("upgrade") === 1) refuse(socket, 404, "Not Found");
      return;
    }
    if (closed) return refuse(socket, 503, "Service Unavailable");
    const origin = request.headers.origin;
    const problem = origin === "null" ? `Origin "null" may not call this server` : requestOriginProblem({ host: request.headers.host, origin }, server.host, listeningPort(server));
    if (problem !== undefined) return refuse(socket, 403, "Forbidden", problem);
    const token = url.searchParams.get("token");
    if (token === null || !timingSafeEqual(digest(token), expectedToken)) return refuse(socket, 401, "Unauthorized", "Missing or wrong token: connect with ?token=<token>");
    sockets.handleUpgrade(request, socket, head, (client) => serve(client));
  };

  function serve(client: WebSocket): void {
    client.on("error", () => {
      // An oversized or broken frame closes the socket; `ws` has done so already.
    });
    client.on("message", (data, isBinary) => {
      void answer(client, data, isBinary);
    });
  }

  async function answer(client: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
    const message = isBinary ? undefined : parseMessage(rawText(data));
    if (message === undefined || !message.ok) {
      send(client, { id: message?.id ?? null, ok: false, error: message?.error ?? badMessage("send text frames") });
      return;
    }
    const result = await dispatch(handlers, message.channel, message.input, options.onInternalError);
    send(client, { id: message.id, ...result });
  }

  httpServer.on("upgrade", onUpgrade);

  return {
    emit: (channel, payload) => {
      if (closed) return;
      const text = JSON.stringify({ event: channel, payload });
      for (const client of sockets.clients) send(client, text);
    },
    async close() {
      if (closed) return;
      closed = true;
      httpServer.off("upgrade", onUpgrade);
      await Promise.all([...sockets.clients].map((client) => closeClient(client)));
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
    },
  };
}

/** A client message, checked: what to dispatch, or why not (with its id when it had one). */
type ParsedMessage = { ok: true; id: number; channel: string; input: unknown } | { ok: false; id: number | null; error: BridgeError };

function parseMessage(text: string): ParsedMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, id: null, error: badMessage("the message is not JSON") };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, id: null, error: badMessage("the message is not a JSON object") };
  const { id, channel, input } = value as { id?: unknown; channel?: unknown; input?: unknown };
  if (typeof id !== "number" || !Number.isFinite(id)) return { ok: false, id: null, error: badMessage('"id" must be a number') };
  if (typeof channel !== "string") return { ok: false, id, error: badMessage('"channel" must be a string') };
  return { ok: true, id, channel, input };
}

function badMessage(why: string): BridgeError {
  return { code: "bad_message", message: `${why}: send {"id": number, "channel": string, "input": object}` };
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return Buffer.from(data as ArrayBuffer).toString("utf8");
}

/** Sends to an open client; a closed or closing one misses it. */
function send(client: WebSocket, message: string | object): void {
  if (client.readyState !== client.OPEN) return;
  client.send(typeof message === "string" ? message : JSON.stringify(message));
}

function closeClient(client: WebSocket): Promise<void> {
  if (client.readyState === client.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => client.terminate(), CLOSE_GRACE_MS);
    client.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
    client.close(1001, "Hearth is stopping");
  });
}

/** Answers an upgrade with an HTTP error and drops the connection. */
function refuse(socket: Duplex, status: number, reason: string, body = reason): void {
  socket.once("finish", () => socket.destroy());
  socket.once("error", () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/** A fixed-length digest, so the comparison takes the same time whatever the token's length. */
function digest(token: string): Buffer {
  return createHash("sha256").update(token).digest();
}

function listeningPort(server: UiBridgeServer): number {
  const address = server.httpServer.address();
  return typeof address === "object" && address !== null ? address.port : server.port;
}
