/**
 * The errors of `hearth serve`'s OpenAI-compatible API, in OpenAI's shape
 * (`{ error: { message, type, param, code } }`), so the official clients raise the error
 * class that matches the status (`BadRequestError`, `NotFoundError`…) and show the message.
 * Branch on `code` (or `status`), never on the message text: messages are for people and
 * may change; codes are stable.
 */

/** OpenAI's `error.type` values this server sends. */
export type OpenAiErrorType = "invalid_request_error" | "authentication_error" | "not_found_error" | "server_error" | "rate_limit_error";

/** The JSON body of an error response, as OpenAI sends it. */
export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** An error the API answers with: an HTTP status and OpenAI's error body. */
export class OpenAiHttpError extends Error {
  override readonly name = "OpenAiHttpError";
  /** The HTTP status of the response (400, 401, 403, 404, 413, 429, 500). */
  readonly status: number;
  /** OpenAI's error type, one of {@link OpenAiErrorType}. */
  readonly type: string;
  /** The stable code (`model_not_found`, `invalid_api_key`…), or null where OpenAI sends none. */
  readonly code: string | null;
  /** The request field at fault as a path (`messages[1].content`), or null. */
  readonly param: string | null;

  /**
   * @param status - the HTTP status.
   * @param type - OpenAI's error type.
   * @param message - a sentence for people that names what is wrong.
   * @param options - `code` and `param` (both default null); `cause`: the underlying error.
   */
  constructor(status: number, type: string, message: string, options: { code?: string | null; param?: string | null; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.type = type;
    this.code = options.code ?? null;
    this.param = options.param ?? null;
  }

  /** The response body, in OpenAI's error shape; no stack, no cause. */
  toBody(): OpenAiErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** 400 `invalid_request_error`: the request is malformed; `param` names the field (`messages[1].content`). Code defaults to null. */
export function invalidRequest(message: string, param?: string | null, code?: string | null): OpenAiHttpError {
  return new OpenAiHttpError(400, "invalid_request_error", message, { param: param ?? null, code: code ?? null });
}

/** 401 `authentication_error`, code `invalid_api_key`: the API key is missing or wrong. */
export function unauthorized(message: string): OpenAiHttpError {
  return new OpenAiHttpError(401, "authentication_error", message, { code: "invalid_api_key" });
}

/**
 * 403 with the given stable `code`: the caller is known but may not do this (a tool the
 * server does not allow, a refused origin). OpenAI has no permission type of its own for
 * these, so the type is `invalid_request_error`; clients tell it apart by the status.
 */
export function forbidden(message: string, code: string): OpenAiHttpError {
  return new OpenAiHttpError(403, "invalid_request_error", message, { code });
}

/**
 * 404, code `model_not_found`, param `model`: no model of that name. The type is
 * `invalid_request_error`, as OpenAI sends for this case.
 */
export function modelNotFound(model: string): OpenAiHttpError {
  return new OpenAiHttpError(404, "invalid_request_error", `The model \`${model}\` does not exist; GET /v1/models lists the models this server has`, {
    code: "model_not_found",
    param: "model",
  });
}

/** 404 `not_found_error`, code `not_found`: no route at `path`. */
export function notFound(path: string): OpenAiHttpError {
  return new OpenAiHttpError(404, "not_found_error", `Invalid URL: nothing at ${path}`, { code: "not_found" });
}

/** 413 `invalid_request_error`, code `request_too_large`: the body is over `limitBytes` bytes. */
export function payloadTooLarge(limitBytes: number): OpenAiHttpError {
  return new OpenAiHttpError(413, "invalid_request_error", `The request body is larger than this server's limit of ${limitBytes} bytes`, {
    code: "request_too_large",
  });
}

/** 400 `invalid_request_error`, code `context_length_exceeded`, param `messages`: the prompt does not fit the model's context. */
export function contextLengthExceeded(message: string): OpenAiHttpError {
  return new OpenAiHttpError(400, "invalid_request_error", message, { code: "context_length_exceeded", param: "messages" });
}

/** 500 `server_error`: a fault of the server. `code` defaults to `server_error`. */
export function serverError(message: string, code?: string): OpenAiHttpError {
  return new OpenAiHttpError(500, "server_error", message, { code: code ?? "server_error" });
}

