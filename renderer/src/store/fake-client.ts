/** A bridge client for tests: invoke answers from a handler map, events and status are pushed by the test. */
import type { EventChannel, EventPayload, InvokeChannel, InvokeInput, InvokeOutput } from "../../../app/contract/channels.js";
import { BridgeClientError, type BridgeClient, type ConnectionStatus } from "../bridge/types.js";

export type FakeHandlers = { [Channel in InvokeChannel]?: (input: InvokeInput<Channel>) => InvokeOutput<Channel> | Promise<InvokeOutput<Channel>> };

export interface FakeClient {
  client: BridgeClient;
  /** Every call made, in order. */
  calls: Array<{ channel: InvokeChannel; input: unknown }>;
  emit<Channel extends EventChannel>(channel: Channel, payload: EventPayload<Channel>): void;
  setStatus(status: ConnectionStatus): void;
}

export function fakeClient(handlers: FakeHandlers, initialStatus: ConnectionStatus = "connecting"): FakeClient {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  const calls: FakeClient["calls"] = [];
  let status = initialStatus;
  const client: BridgeClient = {
    binding: "electron",
    async invoke(channel, input) {
      calls.push({ channel, input });
      const handler = handlers[channel] as ((input: unknown) => unknown) | undefined;
      if (handler === undefined) throw new BridgeClientError("unknown_channel", `no fake handler for ${channel}`);
      return (await handler(input)) as InvokeOutput<typeof channel>;
    },
    on(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener as (payload: unknown) => void);
      return () => void set.delete(listener as (payload: unknown) => void);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      listener(status);
      return () => void statusListeners.delete(listener);
    },
    close() {},
  };
  return {
    client,
    calls,
    emit(channel, payload) {
      for (const listener of listeners.get(channel) ?? []) listener(payload);
    },
    setStatus(next) {
      status = next;
      for (const listener of statusListeners) listener(next);
    },
  };
}

/** Lets pending promise callbacks run. */
export const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
