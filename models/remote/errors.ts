/**
 * Errors raised by the remote OpenAI-compatible provider. Branch on `code`, never on the
 * message text: messages are for people and may change. Messages name the server by its
 * base URL without credentials or query, and never contain the API key.
 */
import { ModelError } from "../errors.js";

export type RemoteModelErrorCode =
  /** The runner's options are unusable (a base URL that is not http(s), no model name). */
  | "invalid_options"
  /** `run()` was called after `dispose()`. */
  | "disposed"
  /** Nothing answered at the base URL (connection refused, unknown host, TLS failure). */
  | "unreachable"
  /** The server answered 401 or 403: the API key is missing or wrong. */
  | "auth_failed"
  /** No response headers within `timeoutMs`, or the stream went silent for that long. */
  | "timeout"
  /** The connection broke while the response was streaming. */
  | "connection_lost"
  /** The server answered with a non-2xx status other than 401/403 (message: its error text). */
  | "http_error"
  /** The server reported an error inside a 2xx stream (an SSE `error` event). */
  | "server_error"
  /** The response was not what an OpenAI-compatible server sends (not SSE, not JSON, no choices). */
  | "bad_response"
  /** OpenAI-format messages handed to `fromOpenAiMessages` cannot be turned into Hearth's. */
  | "invalid_messages";

/** An error of the remote provider with a stable `code`. */
export class RemoteModelError extends ModelError<RemoteModelErrorCode> {
  override readonly name = "RemoteModelError";
  constructor(code: RemoteModelErrorCode, message: string, details: { cause?: unknown; status?: number } = {}) {
    super(code, message, details);
    this.status = details.status;
  }

  /** The HTTP status, for `auth_failed` and `http_error`. */
  readonly status: number | undefined;
}
