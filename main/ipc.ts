/**
 * The contract (app/contract/channels.ts) bound to Electron's IPC: one `ipcMain.handle`
 * per invoke channel, each call checked for its sender and then run through `dispatch`
 * (app/bridge/dispatch.ts, shared with the WebSocket bridge), and an {@link EventSink}
 * that checks each event against its schema before `webContents.send`. Channel names on
 * the wire are the contract's own (`chat.send`); the preload (preload-api.ts) uses the same.
 */
import { dispatch, type DispatchResult } from "../app/bridge/dispatch.js";
import { eventChannels, invokeChannels, type EventChannel, type EventSink, type InvokeChannel, type InvokeHandlers } from "../app/contract/channels.js";

/** The event `ipcMain.handle` listeners receive: only the frame that sent the call is read. */
export interface IpcInvokeEvent {
  /** The sending frame; Electron gives null once it navigated away or was destroyed. */
  readonly senderFrame: { readonly url: string } | null;
}

/** The part of Electron's `ipcMain` that {@link bindIpc} uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** What {@link bindIpc} needs besides the handlers. */
export interface BindIpcOptions {
  /**
   * Whether a call from `frame` may run (checklist: "Validate the sender of all IPC
   * messages"); `trustedSenderCheck(appOrigin)` of security.ts. A check that throws refuses.
   */
  isTrustedSender(frame: { url: string } | null): boolean;
  /** Told of each `internal_error` with the original error, for the log; it never reaches the renderer. */
  onInternalError?: (error: unknown) => void;
}

/** The answer to a call from a frame that is not the app's. */
export const FORBIDDEN_SENDER_CODE = "forbidden_sender";

/** The invoke channels of the contract, in declaration order. */
export const INVOKE_CHANNELS = Object.keys(invokeChannels) as InvokeChannel[];

/**
 * Registers one `ipcMain.handle` per invoke channel. Each call resolves to a
 * {@link DispatchResult}, never rejects (a rejection would carry Electron's wrapping of
 * the error text to the renderer): `forbidden_sender` when the sender is not trusted,
 * then whatever `dispatch` answers (`invalid_input`, the handler's code, `internal_error`).
 * @returns `unbind`: removes every handler (idempotent).
 */
export function bindIpc(ipcMain: IpcMainLike, handlers: InvokeHandlers, options: BindIpcOptions): () => void {
  const registered: InvokeChannel[] = [];
  const unbind = () => {
    for (const channel of registered.splice(0)) ipcMain.removeHandler(channel);
  };
  try {
    for (const channel of INVOKE_CHANNELS) {
      ipcMain.handle(channel, (event, input) => call(channel, event, input));
      registered.push(channel);
    }
  } catch (error) {
    // Electron throws when a channel has a handler already: leave nothing half bound.
    unbind();
    throw error;
  }
  return unbind;

  function isTrusted(event: IpcInvokeEvent): boolean {
    try {
      return options.isTrustedSender(event.senderFrame ?? null) === true;
    } catch {
      return false;
    }
  }

  async function call(channel: InvokeChannel, event: IpcInvokeEvent, input: unknown): Promise<DispatchResult> {
    if (!isTrusted(event)) return { ok: false, error: { code: FORBIDDEN_SENDER_CODE, message: `${channel}: calls are accepted from Hearth's own window only` } };
    return dispatch(handlers, channel, input, options.onInternalError);
  }
}

/** The part of a `WebContents` that {@link eventSender} uses. */
export interface EventTargetContents {
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
}

/**
 * An {@link EventSink} that sends to `webContents`. Each payload is checked against its
 * channel's schema first (what is sent is the parsed value, so unknown keys do not leak);
 * an invalid one, or an unknown channel, is dropped and reported to `onDropped`. Events for
 * a destroyed window are dropped silently, and a failing `send` (the frame is going away)
 * never reaches the core.
 */
export function eventSender(webContents: EventTargetContents, onDropped: (channel: string, reason: string) => void = () => {}): EventSink {
  return (channel, payload) => {
    if (webContents.isDestroyed()) return;
    if (!Object.hasOwn(eventChannels, channel)) {
      onDropped(channel, "no event channel has this name");
      return;
    }
    const parsed = eventChannels[channel as EventChannel].safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue === undefined || issue.path.length === 0 ? "(payload)" : issue.path.join(".");
      onDropped(channel, `${where}: ${issue?.message ?? "invalid"}`);
      return;
    }
    try {
      webContents.send(channel, parsed.data);
    } catch (error) {
      onDropped(channel, `send failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}
