/**
 * Reads one chat completion response: an SSE stream of `chat.completion.chunk`s ending in
 * `data: [DONE]`, or (from a server that ignores `stream: true`) one `chat.completion`
 * JSON object. Text is handed on as it arrives; tool calls, the finish reason and the
 * usage are collected for the end.
 */
import type { Readable } from "node:stream";
import { RemoteModelError } from "./errors.js";
import { transportError } from "./http.js";
import { SseDataParser } from "./sse.js";
import { ToolCallAccumulator, type StreamedToolCall, type ToolCallDelta } from "./tool-calls.js";

/** Token counts a server reported for one response. */
export interface ResponseUsage {
  promptTokens: number;
  completionTokens: number;
}

/** One model response, read to its end (or until the signal aborted it). */
export interface ModelResponse {
  /** The text the model wrote (partial when aborted). */
  text: string;
  /** The calls it made, arguments still JSON text; empty when aborted. */
  toolCalls: StreamedToolCall[];
  /** OpenAI's `finish_reason`: "stop", "length", "tool_calls", "content_filter"…; undefined if none came. */
  finishReason: string | undefined;
  usage: ResponseUsage | undefined;
  /** `performance.now()` when the first generated token arrived (text, reasoning or a call). */
  firstTokenAt: number | undefined;
  /** `performance.now()` when the response ended. */
  endedAt: number;
  /** The signal aborted the response before its end. */
  aborted: boolean;
}

/** How to read, for {@link readModelResponse}. */
export interface ReadOptions {
  mediaType: string;
  signal: AbortSignal | undefined;
  /** Called with each piece of text as it arrives. */
  onText: (text: string) => void;
  /** For error messages. */
  displayUrl: string;
  timeoutMs: number;
}

/** The parts of a chunk or completion this reader looks at; servers vary, so all optional. */
interface CompletionPayload {
  error?: unknown;
  /** Hearth's own server: a tool call it ran itself (stream chunk). */
  mcp_tool_result?: { tool_call_id?: unknown } | null;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  choices?: Array<{ finish_reason?: string | null; delta?: MessagePart; message?: MessagePart }>;
}

/** A chunk's `delta` or a completion's `message`. */
interface MessagePart {
  content?: string | null;
  /** Thinking text of reasoning models (llama.cpp, vLLM, DeepSeek); not shown, but it is generated tokens. */
  reasoning_content?: string | null;
  tool_calls?: ToolCallDelta[] | null;
  /** Hearth's own server: the tool calls it ran itself (complete message). */
  mcp_tool_results?: Array<{ tool_call_id?: unknown }> | null;
}

/** Reads `body` to its end. Throws `RemoteModelError` (not when the signal aborts: then `aborted` is set). */
export async function readModelResponse(body: Readable, options: ReadOptions): Promise<ModelResponse> {
  const state = new ResponseState(options.onText);
  try {
    if (options.mediaType === "application/json") {
      state.take(parsePayload(await readAll(body)), false);
    } else {
      await readEventStream(body, state);
    }
  } catch (error) {
    if (!options.signal?.aborted) throw error instanceof RemoteModelError ? error : transportError(error, options);
    return state.result(true);
  }
  return state.result(false);
}

async function readEventStream(body: Readable, state: ResponseState): Promise<void> {
  const parser = new SseDataParser();
  let done = false;
  const takeEvents = (events: string[]) => {
    for (const data of events) {
      if (done) return;
      if (data.trim() === "[DONE]") done = true;
      else state.take(parsePayload(data), true);
    }
  };
  // Reading on after [DONE] (to the end the server sends next) keeps the connection reusable.
  for await (const piece of body as AsyncIterable<Buffer>) takeEvents(parser.push(piece));
  takeEvents(parser.end());
}

class ResponseState {
  private readonly calls = new ToolCallAccumulator();
  /**
   * Calls the server says it ran itself (Hearth's `hearth serve` reports them in
   * `tool_calls` too, for clients that show them): they are not for this client to run.
   */
  private readonly ranByServer = new Set<string>();
  private text = "";
  private finishReason: string | undefined;
  private usage: ResponseUsage | undefined;
  private firstTokenAt: number | undefined;

  constructor(private readonly onText: (text: string) => void) {}

  take(payload: CompletionPayload, streamed: boolean): void {
    if (payload.error !== undefined && payload.error !== null) {
      const message = typeof payload.error === "string" ? payload.error : (payload.error as { message?: unknown }).message;
      throw new RemoteModelError("server_error", `The server reported an error: ${typeof message === "string" ? message : JSON.stringify(payload.error)}`);
    }
    if (typeof payload.mcp_tool_result?.tool_call_id === "string") this.ranByServer.add(payload.mcp_tool_result.tool_call_id);
    if (payload.usage && typeof payload.usage === "object") {
      this.usage = { promptTokens: payload.usage.prompt_tokens ?? 0, completionTokens: payload.usage.completion_tokens ?? 0 };
    }
    // Hearth asks for one choice (no `n`), so only the first is read.
    const choice = payload.choices?.[0];
    if (choice === undefined) {
      if (!streamed) throw new RemoteModelError("bad_response", "The server's completion has no choices");
      return;
    }
    const part = streamed ? choice.delta : choice.message;
    if (part) {
      if (part.content || part.reasoning_content || part.tool_calls?.length) this.firstTokenAt ??= performance.now();
      if (typeof part.content === "string" && part.content !== "") {
        this.text += part.content;
        this.onText(part.content);
      }
      for (const ran of Array.isArray(part.mcp_tool_results) ? part.mcp_tool_results : []) {
        if (typeof ran?.tool_call_id === "string") this.ranByServer.add(ran.tool_call_id);
      }
      if (Array.isArray(part.tool_calls)) {
        // A complete (non-streamed) message's calls have no `index`; their position is it.
        this.calls.add(streamed ? part.tool_calls : part.tool_calls.map((call, index) => ({ index, ...call })));
      }
    }
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
  }

  result(aborted: boolean): ModelResponse {
    return {
      text: this.text,
      toolCalls: aborted ? [] : this.calls.finish().filter((call) => !this.ranByServer.has(call.id)),
      finishReason: this.finishReason,
      usage: this.usage,
      firstTokenAt: this.firstTokenAt,
      endedAt: performance.now(),
      aborted,
    };
  }
}

function parsePayload(text: string): CompletionPayload {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new RemoteModelError("bad_response", `The server sent something that is not JSON: ${text.slice(0, 120)}`);
  }
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    throw new RemoteModelError("bad_response", `The server sent JSON that is not a completion: ${text.slice(0, 120)}`);
  }
  return payload as CompletionPayload;
}

async function readAll(body: Readable): Promise<string> {
  const pieces: Buffer[] = [];
  for await (const piece of body as AsyncIterable<Buffer>) pieces.push(piece);
  return Buffer.concat(pieces).toString("utf8");
}
