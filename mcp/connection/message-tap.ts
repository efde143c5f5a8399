/**
 * Captures the JSON-RPC messages of one tool call exactly as they cross the wire (the
 * `tools/call` request, its progress notifications, a `notifications/cancelled`, the
 * response or error), for the tool-call inspector's raw view.
 *
 * The tap sits between the SDK `Client` and its transport. A call runs inside
 * {@link MessageTap.run}, which puts its recorder in an `AsyncLocalStorage`. The SDK's
 * `Protocol.request` builds the request (assigning its id and, with `onprogress`,
 * `params._meta.progressToken`) and hands it to `transport.send` synchronously, inside
 * that async context (SDK 1.32, shared/protocol.js `request()`), so the tapped `send`
 * knows whose request it is and registers its id and progress token. Everything after
 * that is matched by those values, not by context: responses and errors by `id`,
 * `notifications/progress` by `progressToken`, and our `notifications/cancelled` by
 * `params.requestId` (the SDK sends it from the abort listener or the timeout timer,
 * whose async context is not the call's).
 *
 * Bounds: each string in a recorded message is cut at {@link MAX_RECORDED_STRING_CHARS}
 * characters with a marker (the inspector has the full result separately), and at most
 * {@link MAX_RECORDED_PROGRESS} progress notifications are kept per call (the first
 * ones; later ones still reach the SDK). A call's registration ends with its response,
 * its cancellation, a failed send or the transport closing, so nothing accumulates.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Transport, TransportSendOptions } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage, MessageExtraInfo } from "@modelcontextprotocol/sdk/types.js";

/** One JSON-RPC message of a tool call as it crossed the wire. */
export interface TappedMessage {
  direction: "sent" | "received";
  /** When it was sent or received, in milliseconds since the epoch. */
  at: number;
  /** The message, with long strings cut (see {@link MAX_RECORDED_STRING_CHARS}). */
  message: Record<string, unknown>;
}

/** Receives a call's messages in the order they crossed the wire. */
export type MessageRecorder = (message: TappedMessage) => void;

/** Longest string kept whole in a recorded message, in characters (64 Ki). */
export const MAX_RECORDED_STRING_CHARS = 65_536;

/** Most progress notifications recorded for one call; the first ones are kept. */
export const MAX_RECORDED_PROGRESS = 200;

/** One call being recorded: what the tap learnt of it from its request. */
interface CallScope {
  recorder: MessageRecorder;
  /** The request id, once the call's request went out (as a string: ids may be numbers). */
  requestId?: string;
  progressToken?: string;
  progressRecorded: number;
}

/**
 * Records the messages of calls made on clients connected through {@link wrap}; one tap
 * per server connection, shared by its successive sessions.
 */
export class MessageTap {
  private readonly scopes = new AsyncLocalStorage<CallScope>();

  /**
   * Runs `call`; the first request it sends through a wrapped transport, and every later
   * message that belongs to that request, go to `recorder`. Returns what `call` returns.
   */
  run<T>(recorder: MessageRecorder, call: () => T): T {
    return this.scopes.run({ recorder, progressRecorded: 0 }, call);
  }

  /** `transport` with the tap in its path: connect the client to this, not to `transport`. */
  wrap(transport: Transport): Transport {
    return new TappedTransport(transport, this.scopes);
  }
}

/**
 * Forwards everything to the transport it wraps, recording the messages of the calls in
 * its registry on the way. The registry is per transport: request ids start again with
 * each session's new client.
 */
class TappedTransport implements Transport {
  private readonly byRequestId = new Map<string, CallScope>();
  private readonly byProgressToken = new Map<string, CallScope>();
  onmessage?: Transport["onmessage"];
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  setProtocolVersion?: ((version: string) => void) | undefined;

  constructor(
    private readonly inner: Transport,
    private readonly scopes: AsyncLocalStorage<CallScope>,
  ) {
    inner.onmessage = (message, extra) => this.receive(message, extra);
    inner.onerror = (error) => this.onerror?.(error);
    inner.onclose = () => {
      // Pending calls fail with the connection: nothing more of theirs can arrive.
      this.byRequestId.clear();
      this.byProgressToken.clear();
      this.onclose?.();
    };
    if (inner.setProtocolVersion) this.setProtocolVersion = (version) => inner.setProtocolVersion?.(version);
  }

  /** The SDK's client skips `initialize` on a transport that already has a session id. */
  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const claimed = this.claim(message);
    if (claimed === undefined) {
      // Not a recorded call's request (every message when nothing is recorded): straight through.
      if (this.byRequestId.size > 0) this.recordCancel(message);
      return this.inner.send(message, options);
    }
    record(claimed, "sent", message);
    return this.sendClaimed(claimed, message, options);
  }

  private async sendClaimed(claimed: CallScope, message: JSONRPCMessage, options: TransportSendOptions | undefined): Promise<void> {
    try {
      await this.inner.send(message, options);
    } catch (error) {
      // A request that never left gets no response to end its registration.
      this.forget(claimed);
      throw error;
    }
  }

  /** The scope of the call whose request `message` is: the first request sent inside it. */
  private claim(message: JSONRPCMessage): CallScope | undefined {
    const scope = this.scopes.getStore();
    // Only the call's own request: others sent in its async context (a re-list that a
    // notification on the call's HTTP response stream set off) are not part of it.
    if (scope === undefined || scope.requestId !== undefined || !("method" in message) || !("id" in message)) return undefined;
    scope.requestId = String(message.id);
    this.byRequestId.set(scope.requestId, scope);
    const token = (message.params?._meta as { progressToken?: unknown } | undefined)?.progressToken;
    if (typeof token === "string" || typeof token === "number") {
      scope.progressToken = String(token);
      this.byProgressToken.set(scope.progressToken, scope);
    }
    return scope;
  }

  /** A `notifications/cancelled` for a recorded call ends its record: the SDK ignores any late response (MCP 2025-06-18, Cancellation). */
  private recordCancel(message: JSONRPCMessage): void {
    if (!("method" in message) || message.method !== "notifications/cancelled" || "id" in message) return;
    const requestId = (message.params as { requestId?: unknown } | undefined)?.requestId;
    const scope = requestId === undefined ? undefined : this.byRequestId.get(String(requestId));
    if (scope === undefined) return;
    record(scope, "sent", message);
    this.forget(scope);
  }

  private receive(message: JSONRPCMessage, extra: MessageExtraInfo | undefined): void {
    // Progress tokens are registered only beside a request id, so an empty id map means
    // no call is being recorded: hand the message on untouched.
    if (this.byRequestId.size === 0) {
      this.onmessage?.(message, extra);
      return;
    }
    if (!("method" in message) && "id" in message) {
      const scope = this.byRequestId.get(String(message.id));
      if (scope) {
        record(scope, "received", message);
        this.forget(scope);
      }
    } else if ("method" in message && message.method === "notifications/progress" && !("id" in message)) {
      const token = (message.params as { progressToken?: unknown } | undefined)?.progressToken;
      const scope = token === undefined ? undefined : this.byProgressToken.get(String(token));
      if (scope && scope.progressRecorded < MAX_RECORDED_PROGRESS) {
        scope.progressRecorded++;
        record(scope, "received", message);
      }
    }
    this.onmessage?.(message, extra);
  }

  private forget(scope: CallScope): void {
    if (scope.requestId !== undefined && this.byRequestId.get(scope.requestId) === scope) this.byRequestId.delete(scope.requestId);
    if (scope.progressToken !== undefined && this.byProgressToken.get(scope.progressToken) === scope) this.byProgressToken.delete(scope.progressToken);
  }
}

function record(scope: CallScope, direction: TappedMessage["direction"], message: JSONRPCMessage): void {
  try {
    scope.recorder({ direction, at: Date.now(), message: bounded(message) as Record<string, unknown> });
  } catch {
    // The recorder's failure is its own: the message still goes on to the SDK.
  }
}

/** A copy of `value` with every string over the limit cut, saying how much was left out. */
function bounded(value: unknown): unknown {
  if (typeof value === "string") {
    if (value.length <= MAX_RECORDED_STRING_CHARS) return value;
    return `${value.slice(0, MAX_RECORDED_STRING_CHARS)}… [Hearth cut ${value.length - MAX_RECORDED_STRING_CHARS} more characters]`;
  }
  if (Array.isArray(value)) return value.map(bounded);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, bounded(item)]));
  return value;
}
