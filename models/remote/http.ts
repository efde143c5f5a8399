/**
 * One `POST …/chat/completions` over undici's `request` on the runner's keep-alive
 * `Agent`, and the translation of what can go wrong into `RemoteModelError`s that name the
 * server (base URL without credentials or query) and never the API key.
 */
import type { Readable } from "node:stream";
import type { Agent, Dispatcher } from "undici";
import { RemoteModelError } from "./errors.js";

/** Most bytes of an error response read for its message. */
const ERROR_BODY_LIMIT = 64 * 1024;

/** Network error codes that mean nothing answered at the address. */
const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ETIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
]);
const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

/** Where and how to send, for {@link postChatCompletion}. */
export interface ChatCompletionTarget {
  agent: Agent;
  /** The full endpoint, `<baseUrl>/chat/completions`. */
  endpoint: URL;
  /** The base URL as messages show it: no credentials, no query. */
  displayUrl: string;
  apiKey: string | undefined;
  /** Limit on waiting for the response headers and on silence between body pieces, in ms. */
  timeoutMs: number;
}

/** A 2xx response whose body is still to be read. */
export interface ChatCompletionResponse {
  /** The media type, lower case, without parameters (`text/event-stream`, `application/json`). */
  mediaType: string;
  body: Readable;
}

/**
 * Sends the request and waits for the response headers. A non-2xx answer is read and
 * thrown as `auth_failed` (401, 403) or `http_error` (its OpenAI error message when it has
 * one); network failures as `unreachable` or `timeout`. When `signal` aborts, the request
 * is cut and the signal's reason (or undici's abort error) is thrown as it is: callers
 * check `signal.aborted`.
 */
export async function postChatCompletion(target: ChatCompletionTarget, body: unknown, signal: AbortSignal | undefined): Promise<ChatCompletionResponse> {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "text/event-stream, application/json" };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  let response: Dispatcher.ResponseData;
  try {
    response = await target.agent.request({
      origin: target.endpoint.origin,
      path: target.endpoint.pathname + target.endpoint.search,
      method: "POST",
      headers,
      body: JSON.stringify(body),
      signal,
      headersTimeout: target.timeoutMs,
      bodyTimeout: target.timeoutMs,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw transportError(error, target);
  }
  const { statusCode } = response;
  if (statusCode < 200 || statusCode > 299) {
    const text = await readLimited(response.body).catch(() => "");
    throw statusError(statusCode, serverMessage(text), target);
  }
  const contentType = response.headers["content-type"];
  const mediaType = (Array.isArray(contentType) ? contentType[0] : contentType)?.split(";")[0]?.trim().toLowerCase() ?? "";
  return { mediaType, body: response.body };
}

/** A failure below HTTP (no connection, timeout, broken stream) as a `RemoteModelError`. */
export function transportError(error: unknown, target: Pick<ChatCompletionTarget, "displayUrl" | "timeoutMs">): RemoteModelError {
  if (error instanceof RemoteModelError) return error;
  const code = errorCode(error);
  const detail = code ?? (error instanceof Error ? error.message : String(error));
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    const what = code === "UND_ERR_HEADERS_TIMEOUT" ? "did not start answering" : "went silent";
    return new RemoteModelError("timeout", `The server at ${target.displayUrl} ${what} within ${target.timeoutMs} ms`, { cause: error });
  }
  if (code === "ECONNREFUSED") {
    return new RemoteModelError("unreachable", `Could not connect to ${target.displayUrl}: connection refused (is the server running?)`, { cause: error });
  }
  if ((code !== undefined && UNREACHABLE_CODES.has(code)) || code?.startsWith("ERR_TLS") || code?.startsWith("CERT_")) {
    return new RemoteModelError("unreachable", `Could not connect to ${target.displayUrl} (${detail})`, { cause: error });
  }
  return new RemoteModelError("connection_lost", `The connection to ${target.displayUrl} failed (${detail})`, { cause: error });
}

function statusError(status: number, message: string | undefined, target: ChatCompletionTarget): RemoteModelError {
  const said = message === undefined ? "" : `: ${redact(message, target.apiKey)}`;
  if (status === 401 || status === 403) {
    const problem = target.apiKey ? "rejected the API key" : "requires an API key";
    return new RemoteModelError("auth_failed", `The server at ${target.displayUrl} ${problem} (HTTP ${status}${said})`, { status });
  }
  const hint = status === 404 && message === undefined ? " (check the base URL: it usually ends in /v1)" : "";
  return new RemoteModelError("http_error", `The server at ${target.displayUrl} answered HTTP ${status}${said}${hint}`, { status });
}

/**
 * The message of an error body: OpenAI's `{error: {message}}`, Ollama's `{error: "…"}`,
 * older vLLM's `{message}`, or a short plain-text body.
 */
export function serverMessage(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  try {
    const parsed = JSON.parse(trimmed) as { error?: unknown; message?: unknown; detail?: unknown };
    const error = parsed.error;
    if (typeof error === "string") return error;
    if (typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string") {
      return (error as { message: string }).message;
    }
    if (typeof parsed.message === "string") return parsed.message;
    if (typeof parsed.detail === "string") return parsed.detail;
    return undefined;
  } catch {
    return trimmed.length <= 300 ? trimmed : undefined;
  }
}

/** Replaces the API key wherever a server echoed it (OpenAI's 401 message does). */
export function redact(text: string, apiKey: string | undefined): string {
  return apiKey ? text.replaceAll(apiKey, "[API key]") : text;
}

async function readLimited(body: Readable): Promise<string> {
  const pieces: Buffer[] = [];
  let size = 0;
  for await (const piece of body as AsyncIterable<Buffer>) {
    pieces.push(piece);
    size += piece.length;
    if (size >= ERROR_BODY_LIMIT) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(pieces).subarray(0, ERROR_BODY_LIMIT).toString("utf8");
}

/** The `code` of a network error, looking through `cause` and AggregateError's `errors` (Happy Eyeballs). */
function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && code !== "UND_ERR") return code;
    const nested = current instanceof AggregateError ? current.errors[0] : undefined;
    current = nested ?? current.cause;
  }
  return undefined;
}
