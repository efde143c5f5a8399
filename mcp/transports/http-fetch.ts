/**
 * A `fetch` for the SDK's HTTP transports (`StreamableHTTPClientTransport`,
 * `SSEClientTransport`), built on `undici`'s `request` with a keep-alive connection pool.
 *
 * Why not Node's global fetch:
 * - CPU: on Hearth's machines the global fetch costs about 400 µs of client CPU per POST,
 *   `undici.request` about 136 µs; the WHATWG `Response` is built by hand around it.
 * - Listener leak: the SDK hands every request the same transport-wide AbortSignal, and
 *   Node's fetch adds a listener to it per request that stays until garbage collection,
 *   so after about 1,500 requests Node prints MaxListenersExceededWarning. Here each
 *   request follows the caller's signal only until its response body closes (ends,
 *   errors or is cancelled) or the request fails, and all requests on one signal share a
 *   single listener on it, so even 100 in flight stay under Node's limit of 10. The
 *   signal still aborts the request, an open SSE body included, when it fires.
 */
import { Readable } from "node:stream";
import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";
import { Agent, interceptors, type Dispatcher } from "undici";

/** Options for {@link createKeepAliveFetch}. */
export interface KeepAliveFetchOptions {
  /**
   * Most TCP connections kept per origin. A long-lived GET SSE stream holds one for as long
   * as it is open, so at least 2. Default 16.
   */
  connections?: number;
  /**
   * Limit on waiting for a response's headers, in milliseconds; 0 for none. Default 300,000,
   * as Node's fetch. A server that answers a tool call with plain JSON sends its headers only
   * when the tool is done, so this also bounds such calls.
   */
  headersTimeoutMs?: number;
}

/** A `fetch` for the SDK transports' `fetch` option, plus `close()` for its connection pool. */
export type KeepAliveFetch = FetchLike & {
  /**
   * Closes the pool: waits for requests in flight, for at most 1 s (then cuts them), and
   * closes the idle keep-alive connections. Call it after closing the transport.
   * Idempotent; later requests fail.
   */
  close(): Promise<void>;
};

const DEFAULT_CONNECTIONS = 16;
const DEFAULT_HEADERS_TIMEOUT_MS = 300_000;
/** As in the Fetch standard's "follow" mode. */
const MAX_REDIRECTS = 20;
const CLOSE_GRACE_MS = 1_000;
/** Statuses a WHATWG Response may not have a body for; 202 is added because MCP's 202 Accepted carries none. */
const NULL_BODY_STATUSES = new Set([101, 103, 202, 204, 205, 304]);
/** Bytes the web stream buffers ahead of its reader before pausing the socket. */
const STREAM_HIGH_WATER_MARK = 64 * 1024;

/**
 * Makes a fetch with its own undici `Agent` (keep-alive pool, `connections` per origin).
 *
 * Differences from the global fetch, none of which the SDK relies on: no content decoding
 * (it sends no Accept-Encoding of its own), `response.url` is empty, no cookies or cache,
 * and bodies are strings, bytes, `URLSearchParams`, `Blob` or async iterables of bytes.
 * Network failures reject with `TypeError("fetch failed: …", { cause })` as fetch does;
 * an aborted request rejects with the signal's reason.
 */
export function createKeepAliveFetch(options: KeepAliveFetchOptions = {}): KeepAliveFetch {
  const connections = options.connections ?? DEFAULT_CONNECTIONS;
  if (!Number.isInteger(connections) || connections < 2) {
    throw new RangeError(`connections must be an integer of at least 2 (a GET stream holds one), got ${connections}`);
  }
  const agent = new Agent({
    connections,
    headersTimeout: options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
    // SSE streams are rightly silent for long stretches; liveness is the connection layer's job.
    bodyTimeout: 0,
    // One request per connection at a time: a request pipelined behind an SSE response would never start.
    pipelining: 1,
  });
  const following = agent.compose(interceptors.redirect());
  const keepAliveFetch = (input: string | URL, init?: RequestInit) => send(agent, following, input, init ?? {});
  let closing: Promise<void> | undefined;
  return Object.assign(keepAliveFetch, { close: () => (closing ??= closeAgent(agent)) });
}

async function closeAgent(agent: Agent): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const cut = new Promise<void>((resolve) => {
    timer = setTimeout(() => resolve(agent.destroy()), CLOSE_GRACE_MS);
  });
  try {
    await Promise.race([agent.close(), cut]);
  } finally {
    clearTimeout(timer);
  }
}

async function send(agent: Agent, following: Dispatcher, input: string | URL, init: RequestInit): Promise<Response> {
  const url = typeof input === "string" ? new URL(input) : input;
  const method = normalizeMethod(init.method);
  const headers = headerRecord(init.headers);
  const outgoing = await requestBody(init.body, headers);
  if (outgoing !== undefined && (method === "GET" || method === "HEAD")) {
    throw new TypeError(`fetch: a ${method} request cannot have a body`);
  }
  const redirect = init.redirect ?? "follow";
  const callerSignal = init.signal ?? undefined;
  callerSignal?.throwIfAborted();
  const follower = callerSignal === undefined ? undefined : follow(callerSignal);
  const signal = follower?.signal;
  let data: Dispatcher.ResponseData;
  try {
    data = await (redirect === "follow" ? following : agent).request({
      origin: url.origin,
      path: url.pathname + url.search,
      method: method as Dispatcher.HttpMethod,
      headers,
      body: outgoing,
      signal,
      ...(redirect === "follow" ? { maxRedirections: MAX_REDIRECTS } : {}),
    } as Dispatcher.RequestOptions);
  } catch (error) {
    follower?.release();
    if (callerSignal?.aborted && error === callerSignal.reason) throw error;
    throw new TypeError(`fetch failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  // "close" comes once the body has ended, errored or been destroyed (a cancelled web stream).
  if (follower) {
    if (data.body.closed) follower.release();
    else data.body.once("close", follower.release);
  }
  const { statusCode, statusText } = data;
  if (redirect === "error" && statusCode >= 300 && statusCode < 400 && data.headers.location !== undefined) {
    data.body.dump().catch(() => {});
    throw new TypeError(`fetch failed: ${url.origin}${url.pathname} redirected and the redirect mode is "error"`);
  }
  const responseHeaders = headerPairs(data.headers);
  const hasNoBody = NULL_BODY_STATUSES.has(statusCode) || method === "HEAD";
  if (hasNoBody) {
    // Reading what is there (nothing, normally) frees the connection and the abort follower.
    data.body.dump().catch(() => {});
  }
  const body = hasNoBody ? null : webStream(data.body);
  try {
    return new Response(body, { status: statusCode, statusText, headers: responseHeaders });
  } catch {
    // Node's fetch takes any reason phrase; the Response constructor only a token-like one.
    return new Response(body, { status: statusCode, headers: responseHeaders });
  }
}

/** The requests in flight on one caller signal, and the single listener they share on it. */
interface Followers {
  controllers: Set<AbortController>;
  onAbort: () => void;
}

const followersBySignal = new WeakMap<AbortSignal, Followers>();

/**
 * A per-request signal that aborts when `callerSignal` does, until `release()`. The caller's
 * signal carries one listener while any request follows it and none once all have released.
 */
function follow(callerSignal: AbortSignal): { signal: AbortSignal; release: () => void } {
  let followers = followersBySignal.get(callerSignal);
  if (followers === undefined) {
    const controllers = new Set<AbortController>();
    const onAbort = () => {
      followersBySignal.delete(callerSignal);
      for (const controller of controllers) controller.abort(callerSignal.reason);
    };
    followers = { controllers, onAbort };
    followersBySignal.set(callerSignal, followers);
    callerSignal.addEventListener("abort", onAbort, { once: true });
  }
  const { controllers, onAbort } = followers;
  const controller = new AbortController();
  controllers.add(controller);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    controllers.delete(controller);
    if (controllers.size === 0 && followersBySignal.get(callerSignal)?.controllers === controllers) {
      followersBySignal.delete(callerSignal);
      callerSignal.removeEventListener("abort", onAbort);
    }
  };
  return { signal: controller.signal, release };
}

/** Fetch upper-cases these methods whatever case they come in; others are sent as given. */
function normalizeMethod(method: string | undefined): string {
  if (method === undefined) return "GET";
  const upper = method.toUpperCase();
  return ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"].includes(upper) ? upper : method;
}

/** `init.headers` as a record with lower-case names; it may be a Headers object, pairs or a record. */
function headerRecord(headers: RequestInit["headers"]): Record<string, string> {
  const record: Record<string, string> = {};
  if (headers === undefined || headers === null) return record;
  const add = (name: string, value: string) => {
    const key = name.toLowerCase();
    const earlier = record[key];
    record[key] = earlier === undefined ? value : `${earlier}, ${value}`;
  };
  if (Symbol.iterator in headers) {
    // Headers objects (from any realm or undici copy) and arrays of pairs both iterate as pairs.
    for (const [name, value] of headers as Iterable<[string, string]>) add(name, value);
  } else {
    for (const [name, value] of Object.entries(headers)) add(name, String(value));
  }
  return record;
}

/** Turns a fetch body into one undici sends, setting Content-Type as fetch would when missing. */
async function requestBody(body: RequestInit["body"], headers: Record<string, string>): Promise<Dispatcher.DispatchOptions["body"]> {
  const withType = (type: string) => {
    headers["content-type"] ??= type;
  };
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") {
    withType("text/plain;charset=UTF-8");
    return body;
  }
  if (body instanceof Uint8Array) return body;
  if (body instanceof URLSearchParams) {
    withType("application/x-www-form-urlencoded;charset=UTF-8");
    return body.toString();
  }
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof Blob) {
    if (body.type) withType(body.type);
    return new Uint8Array(await body.arrayBuffer());
  }
  if (typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === "function") {
    // A ReadableStream (or other async iterable of bytes): streamed as it comes.
    return Readable.from(body as unknown as AsyncIterable<Uint8Array>, { objectMode: false });
  }
  throw new TypeError("fetch: unsupported body type (use a string, bytes, URLSearchParams, Blob or stream)");
}

/** undici's parsed response headers as pairs for `new Response`, repeated headers kept apart. */
function headerPairs(headers: Dispatcher.ResponseData["headers"]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const name in headers) {
    const value = headers[name];
    if (Array.isArray(value)) for (const item of value) pairs.push([name, item]);
    else if (value !== undefined) pairs.push([name, value]);
  }
  return pairs;
}

/**
 * A web ReadableStream over undici's body, with backpressure: the socket is paused while
 * 64 KiB wait unread. Cancelling the web stream destroys the body, which closes it and so
 * releases the request's abort follower; an abort errors the web stream with the signal's reason.
 */
function webStream(body: Readable): ReadableStream<Uint8Array> {
  let finished = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        body.on("data", (chunk: Buffer) => {
          if (finished) return;
          controller.enqueue(chunk);
          if ((controller.desiredSize ?? 0) <= 0) body.pause();
        });
        body.once("end", () => {
          if (finished) return;
          finished = true;
          controller.close();
        });
        // "on", not "once": destroying the body after a cancel emits an error nobody else hears.
        body.on("error", (error) => {
          if (finished) return;
          finished = true;
          controller.error(error);
        });
      },
      pull() {
        body.resume();
      },
      cancel() {
        finished = true;
        body.destroy();
      },
    },
    { highWaterMark: STREAM_HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
  );
}
