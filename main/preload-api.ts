/**
 * What the preload script (preload.ts) exposes to the page as `window.hearth`: one small
 * frozen object with `invoke` and `on`, which accept only the contract's channel names.
 * `ipcRenderer` itself, and the IPC event objects (whose `sender` is `ipcRenderer`), never
 * reach the page (checklist: "Do not expose Electron APIs to untrusted web content",
 * https://www.electronjs.org/docs/latest/tutorial/security). Everything the page sends is
 * checked again in the main process (ipc.ts): this filter is a second line, not the first.
 */
import {
  eventChannels,
  invokeChannels,
  type BridgeError,
  type EventChannel,
  type EventPayload,
  type InvokeChannel,
  type InvokeInput,
  type InvokeOutput,
  type InvokeResult as ContractInvokeResult,
} from "../app/contract/channels.js";

/** The part of Electron's `ipcRenderer` the API uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** What a call resolves to: the channel's output, or a stable code and a message (never a rejection for a refused call). */
export type InvokeResult<Channel extends InvokeChannel> = ContractInvokeResult<InvokeOutput<Channel>>;

/** `window.hearth` in the renderer. */
export interface HearthApi {
  /**
   * Calls `channel` in the core. A name the contract does not know resolves to
   * `{ ok: false, error: { code: "unknown_channel" } }` without reaching the main process.
   */
  invoke<Channel extends InvokeChannel>(channel: Channel, input: InvokeInput<Channel>): Promise<InvokeResult<Channel>>;
  /**
   * Calls `listener` with each payload of the event `channel`.
   * @returns unsubscribe (idempotent).
   * @throws TypeError for a name the contract does not know, or a listener that is not a function.
   */
  on<Channel extends EventChannel>(channel: Channel, listener: (payload: EventPayload<Channel>) => void): () => void;
}

/** The name under which preload.ts exposes the API: `window.hearth`. */
export const PRELOAD_API_KEY = "hearth";

const isInvokeChannel = (channel: unknown): channel is InvokeChannel => typeof channel === "string" && Object.hasOwn(invokeChannels, channel);
const isEventChannel = (channel: unknown): channel is EventChannel => typeof channel === "string" && Object.hasOwn(eventChannels, channel);

/** Builds the frozen {@link HearthApi} over `ipcRenderer`; see the file's comment. */
export function makePreloadApi(ipcRenderer: IpcRendererLike): HearthApi {
  const api: HearthApi = {
    invoke(channel, input) {
      if (!isInvokeChannel(channel)) {
        const error: BridgeError = { code: "unknown_channel", message: `no channel is named ${JSON.stringify(String(channel)).slice(0, 120)}` };
        return Promise.resolve({ ok: false, error });
      }
      // Only `input` is passed on: extra arguments a page might add never reach the main process.
      return ipcRenderer.invoke(channel, input) as Promise<InvokeResult<typeof channel>>;
    },
    on(channel, listener) {
      if (!isEventChannel(channel)) throw new TypeError(`no event channel is named ${JSON.stringify(String(channel)).slice(0, 120)}`);
      if (typeof listener !== "function") throw new TypeError("the listener must be a function");
      // The IPC event (first argument) stays here: its `sender` is ipcRenderer itself.
      const forward = (_event: unknown, payload: unknown) => listener(payload as EventPayload<typeof channel>);
      ipcRenderer.on(channel, forward);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipcRenderer.removeListener(channel, forward);
      };
    },
  };
  return Object.freeze(api);
}
