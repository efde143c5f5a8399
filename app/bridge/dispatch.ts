/**
 * One call of an invoke channel, as both bindings (Electron's IPC and the WebSocket bridge)
 * run it: the input is checked against the contract before the handler sees it, the output
 * is checked against it before the front end does (a bug must not leak malformed data),
 * and any failure becomes a {@link BridgeError}, a stable code and a message, never a stack.
 */
import { invokeChannels, parseInvokeInput, type BridgeError, type InvokeHandlers, type InvokeResult } from "../contract/channels.js";

/** What a call gives back: the handler's output, or why there is none (the contract's {@link InvokeResult}). */
export type DispatchResult = InvokeResult;

/** The message of failures that carry no code of their own: their text may hold paths or internals. */
export const INTERNAL_ERROR_MESSAGE = "Hearth failed to handle the request; see its log for details";

/**
 * Runs `channel` with `input`. Never rejects: `invalid_input` (naming the first bad field)
 * and `unknown_channel` come from the contract; an error a handler throws with a string
 * `code` keeps its code and message; anything else, and an output that does not fit the
 * channel's schema, is `internal_error` with a generic message.
 * @param onInternalError - told of each `internal_error` with the original error (for a
 *   log); it never reaches the caller.
 */
export async function dispatch(handlers: InvokeHandlers, channel: string, input: unknown, onInternalError?: (error: unknown) => void): Promise<DispatchResult> {
  const parsed = parseInvokeInput(channel, input);
  if (!parsed.ok) return parsed;
  const handler = handlers[parsed.channel] as (input: unknown) => Promise<unknown>;
  let output: unknown;
  try {
    output = await handler(parsed.input);
  } catch (error) {
    return { ok: false, error: toBridgeError(error, onInternalError) };
  }
  const checked = invokeChannels[parsed.channel].output.safeParse(output);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? "(output)" : issue.path.join(".");
    report(onInternalError, new Error(`${channel}: the output does not fit the contract at ${where}: ${issue?.message ?? "invalid"}`));
    return { ok: false, error: { code: "internal_error", message: INTERNAL_ERROR_MESSAGE } };
  }
  return { ok: true, output: checked.data };
}

/**
 * A thrown value as it may cross the boundary: its own `code` and message when it has a
 * string code (`BridgeFailure`, `StoreError`, `McpClientError`), else `internal_error`.
 */
function toBridgeError(error: unknown, onInternalError?: (error: unknown) => void): BridgeError {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  if (typeof code === "string" && code !== "") {
    const message = error instanceof Error ? error.message : String((error as { message?: unknown }).message ?? code);
    return { code, message };
  }
  report(onInternalError, error);
  return { code: "internal_error", message: INTERNAL_ERROR_MESSAGE };
}

function report(onInternalError: ((error: unknown) => void) | undefined, error: unknown): void {
  try {
    onInternalError?.(error);
  } catch {
    // A failing log must not turn an answer into a rejection.
  }
}
