/**
 * The remote provider: the `ChatRunner` contract (./runner.ts) backed by any
 * OpenAI-compatible `POST /v1/chat/completions` server (llama.cpp's server, vLLM, Ollama,
 * LM Studio), for users whose models run on another machine. Responses stream as SSE;
 * function calls run here, concurrently, and their results go back in the next request,
 * until the model answers or the rounds run out. The pieces live in ./remote/.
 */
import { Agent } from "undici";
import { mustCallFirst, offeredFunctions, type ChatMessage, type ChatRunner, type RunRequest, type RunResult, type SamplingSettings } from "./runner.js";
import { RemoteModelError } from "./remote/errors.js";
import { prepareCalls, runPreparedCalls } from "./remote/function-round.js";
import { postChatCompletion, type ChatCompletionTarget } from "./remote/http.js";
import { toOpenAiMessages, type OpenAiMessage } from "./remote/messages.js";
import { chatCompletionBody, mergeSampling } from "./remote/request-body.js";
import { readModelResponse, type ModelResponse } from "./remote/response.js";
import { RunStatistics } from "./remote/statistics.js";

export { RemoteModelError, type RemoteModelErrorCode } from "./remote/errors.js";

/** Rounds of function calls allowed when the request does not say (the contract's default). */
export const DEFAULT_MAX_FUNCTION_ROUNDS = 8;
/** Default of {@link RemoteChatRunnerOptions.timeoutMs}: 5 minutes, as a long prompt on a slow server takes. */
export const DEFAULT_REMOTE_TIMEOUT_MS = 300_000;

/** Options of {@link RemoteChatRunner}. */
export interface RemoteChatRunnerOptions {
  /** The API root, ending where OpenAI's ends: `http://127.0.0.1:8080/v1`. http or https; a query is kept. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`; never shown in a description or error. Default: none. */
  apiKey?: string;
  /** The `model` of every request (for llama.cpp's server, any name does). */
  model: string;
  /** Put first as a system message when the request's history starts without one. Default: none. */
  systemPrompt?: string;
  /** Sampling settings under the request's own (setting by setting). Default: temperature 0.7, the rest the server's. */
  defaults?: SamplingSettings;
  /**
   * Milliseconds to wait for a response's headers (the server evaluates the whole prompt
   * first) and, once it streams, for each next piece. undici checks it about once a
   * second, so it may fire up to a second late. Default 300,000.
   */
  timeoutMs?: number;
}

/**
 * A chat runner that talks to an OpenAI-compatible server. Stateless between runs; holds
 * a keep-alive connection pool, which `dispose()` closes.
 */
export class RemoteChatRunner implements ChatRunner {
  /** `remote: <model> at <origin>`; never the key. */
  readonly description: string;
  private readonly target: ChatCompletionTarget;
  private readonly model: string;
  private readonly systemPrompt: string | undefined;
  private readonly defaults: SamplingSettings | undefined;
  private disposed = false;

  /** @throws RemoteModelError `invalid_options` for a base URL that is not http(s), an empty model or a bad timeout. */
  constructor(options: RemoteChatRunnerOptions) {
    const baseUrl = parseBaseUrl(options.baseUrl);
    if (!options.model) throw new RemoteModelError("invalid_options", "A remote runner needs a model name");
    const timeoutMs = options.timeoutMs ?? DEFAULT_REMOTE_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new RemoteModelError("invalid_options", `timeoutMs must be a positive number of milliseconds, got ${timeoutMs}`);
    }
    const basePath = baseUrl.pathname.replace(/\/+$/, "");
    const endpoint = new URL(baseUrl);
    endpoint.pathname = `${basePath}/chat/completions`;
    this.target = {
      agent: new Agent(),
      endpoint,
      displayUrl: `${baseUrl.origin}${basePath}`,
      apiKey: options.apiKey || undefined,
      timeoutMs,
    };
    this.model = options.model;
    this.systemPrompt = options.systemPrompt;
    this.defaults = options.defaults;
    this.description = `remote: ${options.model} at ${baseUrl.origin}`;
  }

  /**
   * Runs the chat to the model's answer (see `RunRequest`). Aborting `request.signal` cuts
   * the HTTP request at once and resolves with what the model wrote so far (stopReason
   * "aborted"); calls in flight get the same signal and are not waited for.
   *
   * @throws RemoteModelError: `unreachable`, `auth_failed`, `http_error`, `timeout`,
   *   `connection_lost`, `server_error`, `bad_response`, `disposed`.
   */
  async run(request: RunRequest): Promise<RunResult> {
    if (this.disposed) throw new RemoteModelError("disposed", `The remote runner for ${this.target.displayUrl} was disposed`);
    const { signal, onEvent } = request;
    const functions = offeredFunctions(request.functions ?? [], request.toolChoice);
    const forceCall = mustCallFirst(request.toolChoice) && functions.length > 0 ? (request.toolChoice as "required" | { name: string }) : undefined;
    const maxRounds = request.maxFunctionRounds ?? DEFAULT_MAX_FUNCTION_ROUNDS;
    const sampling = mergeSampling(this.defaults, request.sampling);
    const statistics = new RunStatistics(performance.now());
    // What this run adds, in Hearth's shape, and the whole conversation in OpenAI's, which
    // keeps a call's arguments as the model wrote them, even when they are not JSON.
    const added: ChatMessage[] = [];
    const conversation: OpenAiMessage[] = toOpenAiMessages(this.withSystemPrompt(request.messages));
    const finish = (text: string, stopReason: RunResult["stopReason"]): RunResult => {
      if (text !== "" || stopReason === "stop" || stopReason === "maxTokens") added.push({ role: "assistant", content: text });
      return { messages: added, text, stopReason, ...statistics.result(performance.now()) };
    };

    for (let round = 0; ; round++) {
      if (signal?.aborted) return finish("", "aborted");
      const body = chatCompletionBody({ model: this.model, messages: conversation, functions, sampling, forbidToolCalls: round >= maxRounds, forceCall: round === 0 ? forceCall : undefined });
      const response = await this.request(body, signal, onEvent);
      if (response === undefined) return finish("", "aborted");
      statistics.add(response);
      if (response.aborted) return finish(response.text, "aborted");
      // A response cut by max_tokens may hold calls with cut arguments: they are not run.
      if (response.finishReason === "length") return finish(response.text, "maxTokens");
      if (response.toolCalls.length === 0) return finish(response.text, "stop");
      // The server ignored tool_choice "none"; the calls are dropped, the text kept.
      if (round >= maxRounds) return finish(response.text, "functionRoundLimit");

      const calls = prepareCalls(response.toolCalls, functions);
      added.push({ role: "assistant", content: response.text, toolCalls: calls.map(({ call }) => call) });
      conversation.push({
        role: "assistant",
        content: response.text,
        tool_calls: calls.map(({ call, argumentsText }) => ({ id: call.id, type: "function", function: { name: call.name, arguments: argumentsText } })),
      });
      onEvent?.({ type: "functionCalls", calls: calls.map(({ call }) => call) });
      const results = await runPreparedCalls(calls, functions, signal ?? new AbortController().signal, onEvent);
      const toolMessages = calls.map(({ call }, index): ChatMessage => {
        const result = results[index] ?? { content: "", isError: true };
        return { role: "tool", toolCallId: call.id, name: call.name, content: result.content, ...(result.isError ? { isError: true } : {}) };
      });
      added.push(...toolMessages);
      conversation.push(...toOpenAiMessages(toolMessages));
    }
  }

  /** Closes the connection pool (in-flight requests are cut after a grace second). Idempotent; later runs throw `disposed`. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const cut = setTimeout(() => void this.target.agent.destroy().catch(() => {}), 1_000);
    try {
      await this.target.agent.close();
    } catch {
      // Already destroyed by the grace timer.
    } finally {
      clearTimeout(cut);
    }
  }

  /** Same as `dispose()`, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  /** Sends one request and reads its response; undefined when the signal aborted it before any response came. */
  private async request(body: unknown, signal: AbortSignal | undefined, onEvent: RunRequest["onEvent"]): Promise<ModelResponse | undefined> {
    try {
      const { mediaType, body: stream } = await postChatCompletion(this.target, body, signal);
      return await readModelResponse(stream, {
        mediaType,
        signal,
        onText: (text) => onEvent?.({ type: "textDelta", text }),
        displayUrl: this.target.displayUrl,
        timeoutMs: this.target.timeoutMs,
      });
    } catch (error) {
      if (signal?.aborted) return undefined;
      throw error;
    }
  }

  private withSystemPrompt(messages: readonly ChatMessage[]): readonly ChatMessage[] {
    if (this.systemPrompt === undefined || messages[0]?.role === "system") return messages;
    return [{ role: "system", content: this.systemPrompt }, ...messages];
  }
}

function parseBaseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RemoteModelError("invalid_options", "The base URL is not a URL (expected e.g. http://127.0.0.1:8080/v1)");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new RemoteModelError("invalid_options", `The base URL must start with http:// or https://, not ${url.protocol}//`);
  }
  // Credentials in the URL are not sent (use apiKey) and must not reach messages.
  url.username = "";
  url.password = "";
  url.hash = "";
  return url;
}
