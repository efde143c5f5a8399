/**
 * The bridge client over a WebSocket, for the renderer in a browser against
 * `hearth serve --ui` (app/server/ui-bridge.ts): a call is `{ id, channel, input }`, its
 * answer `{ id, ok, output | error }`, and events arrive as `{ event, payload }`.
 *
 * Calls made before the socket is open wait for it. When the socket closes, every call
 * still waiting is rejected with code `disconnected` (the core may or may not have run it;
 * only the caller knows whether trying again is safe), and the client reconnects after
 * a delay that doubles from `firstRetryMs` up to `maxRetryMs`.
 */
import { BridgeClientError, type BridgeClient, type ConnectionStatus } from "./types.js";

/** The part of the DOM's WebSocket the client uses (tests pass a fake). */
export type SocketLike = Pick<WebSocket, "readyState" | "send" | "close" | "onopen" | "onclose" | "onerror" | "onmessage">;

/** Options of {@link createWebSocketClient}. */
export interface WebSocketClientOptions {
  /** `ws://host/bridge?token=…`. */
  url: string;
  /** Opens a socket to `url`. */
  createSocket: (url: string) => SocketLike;
  /** Delay before the first reconnection, in milliseconds. Default 500. */
  firstRetryMs?: number;
  /** Longest delay between reconnections, in milliseconds. Default 10,000. */
  maxRetryMs?: number;
}

/** `WebSocket.OPEN`, which a Node test run has no global for. */
const OPEN = 1;

interface PendingCall {
  resolve(output: unknown): void;
  reject(error: BridgeClientError): void;
}

/** A {@link BridgeClient} over a WebSocket; it connects at once. See the file's comment. */
export function createWebSocketClient(options: WebSocketClientOptions): BridgeClient {
  const firstRetryMs = options.firstRetryMs ?? 500;
  const maxRetryMs = options.maxRetryMs ?? 10_000;
  const pending = new Map<number, PendingCall>();
  const unsent: string[] = [];
  const eventListeners = new Map<string, Set<(payload: unknown) => void>>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  let status: ConnectionStatus = "connecting";
  let socket: SocketLike | undefined;
  let nextId = 1;
  let retryMs = firstRetryMs;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  function setStatus(next: ConnectionStatus): void {
    if (status === next) return;
    status = next;
    for (const listener of [...statusListeners]) listener(next);
  }

  function failAll(error: BridgeClientError): void {
    unsent.length = 0;
    const calls = [...pending.values()];
    pending.clear();
    for (const call of calls) call.reject(error);
  }

  function scheduleRetry(): void {
    retryTimer = setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, maxRetryMs);
  }

  function connect(): void {
    retryTimer = undefined;
    setStatus("connecting");
    let current: SocketLike;
    try {
      current = options.createSocket(options.url);
    } catch (error) {
      failAll(new BridgeClientError("disconnected", error instanceof Error ? error.message : String(error)));
      setStatus("closed");
      scheduleRetry();
      return;
    }
    socket = current;
    current.onopen = () => {
      retryMs = firstRetryMs;
      setStatus("open");
      for (const text of unsent.splice(0)) current.send(text);
    };
    current.onmessage = (event) => receive(event.data);
    current.onerror = () => {
      // A close event follows; that is where the calls fail and the retry starts.
    };
    current.onclose = () => {
      if (socket !== current) return;
      socket = undefined;
      failAll(new BridgeClientError("disconnected", "the connection to Hearth closed"));
      if (closed) return;
      setStatus("closed");
      scheduleRetry();
    };
  }

  function receive(data: unknown): void {
    if (typeof data !== "string") return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof message !== "object" || message === null) return;
    const { event, payload, id, ok, output, error } = message as Record<string, unknown>;
    if (typeof event === "string") {
      for (const listener of [...(eventListeners.get(event) ?? [])]) {
        try {
          listener(payload);
        } catch (failure) {
          console.error(`hearth: a listener of ${event} failed`, failure);
        }
      }
      return;
    }
    if (typeof id !== "number") return;
    const call = pending.get(id);
    if (call === undefined) return;
    pending.delete(id);
    if (ok === true) return call.resolve(output);
    const { code, message: text } = (error ?? {}) as { code?: unknown; message?: unknown };
    call.reject(new BridgeClientError(typeof code === "string" ? code : "bridge_failed", typeof text === "string" ? text : "the call failed"));
  }

  connect();

  return {
    binding: "websocket",
    invoke(channel, input) {
      if (closed) return Promise.reject(new BridgeClientError("closed", "the bridge client is closed"));
      const id = nextId++;
      const text = JSON.stringify({ id, channel, input });
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (output: unknown) => void, reject });
        if (socket !== undefined && socket.readyState === OPEN) socket.send(text);
        else unsent.push(text);
      });
    },
    on(channel, listener) {
      const listeners = eventListeners.get(channel) ?? new Set();
      eventListeners.set(channel, listeners);
      const forward = listener as (payload: unknown) => void;
      listeners.add(forward);
      return () => void listeners.delete(forward);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      listener(status);
      return () => void statusListeners.delete(listener);
    },
    close() {
      if (closed) return;
      closed = true;
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      const current = socket;
      socket = undefined;
      current?.close(1000, "closed by the page");
      failAll(new BridgeClientError("closed", "the bridge client is closed"));
      eventListeners.clear();
      statusListeners.clear();
    },
  };
}
