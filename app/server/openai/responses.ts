/**
 * What `/v1/chat/completions` answers: OpenAI's `chat.completion` object, or its stream of
 * `chat.completion.chunk` objects as server-sent events. Hearth adds one thing: calls the
 * model made to MCP tools, which the server ran itself, come with their results
 * (`mcp_tool_results` on the message; one `mcp_tool_result` chunk per call when
 * streaming). Clients that do not know the extension ignore it. The two forms carry the
 * same content and calls, so a client that accumulates the stream (the official `openai`
 * package's stream helper) ends with the message the non-streamed answer holds.
 */
import { randomBytes } from "node:crypto";
import type { StopReason } from "../../contract/chat.js";

/** A new completion id: `chatcmpl-` and 24 hex digits. */
export function newCompletionId(): string {
  return `chatcmpl-${randomBytes(12).toString("hex")}`;
}

/** OpenAI's `finish_reason` values this server sends. */
export type FinishReason = "stop" | "length" | "tool_calls";

/**
 * The `finish_reason` of a turn: `tool_calls` when calls to the client's own functions are
 * returned for it to run, `length` when the token limit cut the answer, else `stop` (an
 * aborted or failed turn included: what was written is the answer).
 */
export function finishReasonOf(stopReason: StopReason, returnedClientCalls: boolean): FinishReason {
  if (returnedClientCalls) return "tool_calls";
  if (stopReason === "maxTokens") return "length";
  return "stop";
}

/**
 * A call the model made, as the answer reports it: one that ran on an MCP server
 * (`serverId` and `status` set, `resultText` what the model read), or a call to a client
 * function returned unrun (neither set).
 */
export interface ReportedToolCall {
  id: string;
  /** The name the model called. */
  name: string;
  arguments: Record<string, unknown>;
  serverId?: string;
  /** How the call ended (`ok`, `error`, `timeout`, `denied`, `cancelled`). */
  status?: string;
  resultText?: string;
}

/** OpenAI's token counts. */
export interface OpenAiUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** Hearth's token counts (a turn's or a run's usage) as OpenAI's `usage`. */
export function toUsage(usage: { promptTokens: number; completionTokens: number }): OpenAiUsage {
  return { prompt_tokens: usage.promptTokens, completion_tokens: usage.completionTokens, total_tokens: usage.promptTokens + usage.completionTokens };
}

/** Token counts as the answers take them: Hearth's (a turn's usage) or OpenAI's (from {@link toUsage}). */
export type UsageInput = { promptTokens: number; completionTokens: number } | OpenAiUsage;

function openAiUsageOf(usage: UsageInput): OpenAiUsage {
  if ("prompt_tokens" in usage) return { prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens, total_tokens: usage.total_tokens };
  return toUsage(usage);
}

/** A call in OpenAI's shape: `arguments` as JSON text. */
export interface OpenAiToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

/** Hearth's extension: the result of a call the server ran on an MCP server. */
export interface McpToolResult {
  /** The id of the call in `tool_calls`. */
  tool_call_id: string;
  /** The MCP server's id. */
  server: string;
  /** How the call ended (`ok`, `error`, `timeout`, `denied`, `cancelled`). */
  status: string;
  /** The text the model read. */
  content: string;
}

/** The assistant message of a `chat.completion`. */
export interface CompletionMessage {
  role: "assistant";
  /** The answer; null when there is none (a turn that only called tools), as OpenAI sends it. */
  content: string | null;
  tool_calls?: OpenAiToolCall[];
  mcp_tool_results?: McpToolResult[];
}

/** OpenAI's `chat.completion` object, with Hearth's `mcp_tool_results`. */
export interface ChatCompletion {
  id: string;
  object: "chat.completion";
  /** Seconds since the epoch. */
  created: number;
  model: string;
  system_fingerprint: null;
  choices: [{ index: 0; message: CompletionMessage; logprobs: null; finish_reason: FinishReason }];
  usage: OpenAiUsage;
}

/** What {@link completionResponse} builds from. */
export interface CompletionInput {
  id: string;
  model: string;
  /** Seconds since the epoch. */
  created: number;
  /** The answer's text. */
  content: string;
  /** Every call the model made in the turn, in order. */
  toolCalls: readonly ReportedToolCall[];
  finishReason: FinishReason;
  usage: UsageInput;
}

function toOpenAiToolCall(call: ReportedToolCall): OpenAiToolCall {
  return { id: call.id, type: "function", function: { name: call.name, arguments: JSON.stringify(call.arguments) } };
}

function toMcpToolResult(call: ReportedToolCall): McpToolResult {
  return { tool_call_id: call.id, server: call.serverId ?? "", status: call.status ?? "", content: call.resultText ?? "" };
}

/**
 * The non-streamed answer. `content` "" becomes null, as OpenAI sends it and as a client
 * that accumulates the stream ends with. `tool_calls` lists every call, omitted when none;
 * `mcp_tool_results` holds the calls that ran (those with a `status`), omitted when none.
 */
export function completionResponse(input: CompletionInput): ChatCompletion {
  const message: CompletionMessage = { role: "assistant", content: input.content === "" ? null : input.content };
  if (input.toolCalls.length > 0) message.tool_calls = input.toolCalls.map(toOpenAiToolCall);
  const ran = input.toolCalls.filter((call) => call.status !== undefined);
  if (ran.length > 0) message.mcp_tool_results = ran.map(toMcpToolResult);
  return {
    id: input.id,
    object: "chat.completion",
    created: input.created,
    model: input.model,
    system_fingerprint: null,
    choices: [{ index: 0, message, logprobs: null, finish_reason: input.finishReason }],
    usage: openAiUsageOf(input.usage),
  };
}

/** A call in a chunk's `delta`: OpenAI's shape with its position in the message. */
export interface OpenAiToolCallDelta extends OpenAiToolCall {
  index: number;
}

/** What a chunk adds to the message. */
export interface ChunkDelta {
  role?: "assistant";
  content?: string;
  tool_calls?: OpenAiToolCallDelta[];
}

/** OpenAI's `chat.completion.chunk` object, with Hearth's `mcp_tool_result`. */
export interface ChatCompletionChunk {
  id: string;
  object: "chat.completion.chunk";
  /** Seconds since the epoch; the same in every chunk of a completion. */
  created: number;
  model: string;
  system_fingerprint: null;
  /** One choice; none in the closing usage chunk. */
  choices: { index: 0; delta: ChunkDelta; logprobs: null; finish_reason: FinishReason | null }[];
  usage?: OpenAiUsage;
  /** Hearth's extension, at the chunk's top level: a call the server ran, and its result. */
  mcp_tool_result?: McpToolResult;
}

/**
 * The chunks of one streamed completion, all with the same `id`, `model` and `created`.
 * Send `start()` first, then `text`, `toolCall` and `toolResult` as the turn goes,
 * `finish` once, and `usage` last when the client asked for it
 * (`stream_options.include_usage`).
 */
export class CompletionChunks {
  /** The `index` of the next call: calls count 0, 1, 2… through the whole completion. */
  private nextToolCallIndex = 0;

  /**
   * @param id - the completion's id ({@link newCompletionId}).
   * @param model - the model's name, as the client asked for it.
   * @param created - seconds since the epoch.
   */
  constructor(
    readonly id: string,
    readonly model: string,
    readonly created: number,
  ) {}

  private chunk(delta: ChunkDelta, finishReason: FinishReason | null = null): ChatCompletionChunk {
    return {
      id: this.id,
      object: "chat.completion.chunk",
      created: this.created,
      model: this.model,
      system_fingerprint: null,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    };
  }

  /** The first chunk: the assistant's role and empty content. */
  start(): ChatCompletionChunk {
    return this.chunk({ role: "assistant", content: "" });
  }

  /** A piece of the answer's text. */
  text(text: string): ChatCompletionChunk {
    return this.chunk({ content: text });
  }

  /** A call the model made, whole (its arguments as JSON text), at the next `index`. */
  toolCall(call: ReportedToolCall): ChatCompletionChunk {
    const index = this.nextToolCallIndex++;
    return this.chunk({ tool_calls: [{ index, ...toOpenAiToolCall(call) }] });
  }

  /** The result of a call that ran on an MCP server: an empty `delta` and `mcp_tool_result`. */
  toolResult(call: ReportedToolCall): ChatCompletionChunk {
    return { ...this.chunk({}), mcp_tool_result: toMcpToolResult(call) };
  }

  /** The closing chunk of the choice: an empty `delta` and the `finish_reason`. */
  finish(reason: FinishReason): ChatCompletionChunk {
    return this.chunk({}, reason);
  }

  /** The usage chunk, after `finish`: no choices, and the token counts. */
  usage(usage: UsageInput): ChatCompletionChunk {
    return { ...this.chunk({}), choices: [], usage: openAiUsageOf(usage) };
  }
}

/** One server-sent event carrying `data` as JSON: `data: <json>\n\n` (JSON text has no raw newline). */
export function sse(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

/** The event that ends a stream, as OpenAI sends it. */
export const SSE_DONE = "data: [DONE]\n\n";
