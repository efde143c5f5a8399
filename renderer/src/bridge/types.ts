/**
 * What every binding of the bridge client shares: the client's interface, its error, and
 * its connection status.
 */
import type { EventChannel, EventPayload, InvokeChannel, InvokeInput, InvokeOutput } from "../../../app/contract/channels.js";

/** A refused or failed call: a stable `code` to branch on, and a message for people. */
export class BridgeClientError extends Error {
  override readonly name = "BridgeClientError";

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** `open`: calls go through; `connecting`: they wait; `closed`: the socket is down and retrying. */
export type ConnectionStatus = "connecting" | "open" | "closed";

/** What the store and the components use to reach the core. */
export interface BridgeClient {
  readonly binding: "electron" | "websocket";
  /** Calls `channel`; rejects with a {@link BridgeClientError}. */
  invoke<Channel extends InvokeChannel>(channel: Channel, input: InvokeInput<Channel>): Promise<InvokeOutput<Channel>>;
  /** Calls `listener` with each event of `channel`; returns unsubscribe. */
  on<Channel extends EventChannel>(channel: Channel, listener: (payload: EventPayload<Channel>) => void): () => void;
  /** Tells `listener` of every connection change (it is called at once with the current one); returns unsubscribe. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  /** Stops listening and closes the connection. */
  close(): void;
}

/** Turns anything thrown into a {@link BridgeClientError}. */
export function toClientError(error: unknown, code = "bridge_failed"): BridgeClientError {
  if (error instanceof BridgeClientError) return error;
  return new BridgeClientError(code, error instanceof Error ? error.message : String(error));
}
