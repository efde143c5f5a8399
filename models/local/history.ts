/**
 * Hearth's history (`ChatMessage[]`) as node-llama-cpp's (`ChatHistoryItem[]`). An
 * assistant message, its calls, their tool results and the answer that follows are one
 * model response there (`{type: "model", response: [text, functionCall…, text]}`), the
 * way `LlamaChat` generates them, so the history the app stores renders to the same
 * tokens the model generated and the KV cache stays usable.
 */
import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelResponse, LlamaTextJSON } from "node-llama-cpp";
import type { ChatMessage, FunctionResult } from "../runner.js";

/** Put before the content of a failed call's result, as the remote runner does. */
export const TOOL_ERROR_PREFIX = "Error: ";
/** The result the model reads for a call whose tool message is missing from the history. */
export const MISSING_RESULT = `${TOOL_ERROR_PREFIX}the call has no result.`;

/** What the model wrote for a call, kept so that the stored history renders as generated. */
export interface RememberedCall {
  /** The arguments as the model wrote them (with the nulls {@link ToolCall.arguments} lacks). */
  params: unknown;
  /** The call's text as generated (`LlamaChatResponseFunctionCall.raw`). */
  rawCall: LlamaTextJSON;
}

/**
 * The calls the runner saw the model make, by tool call id: a bounded cache (oldest
 * forgotten first). Without it a call renders from its restored arguments, which can
 * differ from the generated text and cost a re-evaluation from that point.
 */
export class CallMemory {
  private readonly calls = new Map<string, RememberedCall>();
  /** @param capacity Calls remembered at most. Default 1,000. */
  constructor(private readonly capacity = 1_000) {}

  /** Keeps what the model wrote for the call `id`. */
  remember(id: string, call: RememberedCall): void {
    this.calls.delete(id);
    this.calls.set(id, call);
    for (const oldest of this.calls.keys()) {
      if (this.calls.size <= this.capacity) break;
      this.calls.delete(oldest);
    }
  }

  /** What the model wrote for the call `id`, if still remembered. */
  recall(id: string): RememberedCall | undefined {
    return this.calls.get(id);
  }
}

/** What {@link toChatHistory} needs besides the messages. */
export interface HistoryOptions {
  /** Put first as a system message unless the history starts with one. */
  systemPrompt?: string;
  /** The descriptions of the offered functions by name (rendered by some chat wrappers). */
  functionDescriptions?: ReadonlyMap<string, string | undefined>;
  calls?: CallMemory;
  /** The chat wrapper marks the first call of each round (parallel function calling). */
  parallelCalls?: boolean;
}

/** The text the model reads for a function result. */
export function resultText(result: FunctionResult): string {
  return result.isError ? `${TOOL_ERROR_PREFIX}${result.content}` : result.content;
}

/** A function call item of a model response, built the same way for live calls and stored ones. */
export function functionCallItem(options: {
  name: string;
  description?: string | undefined;
  params: unknown;
  result: string;
  rawCall?: LlamaTextJSON | undefined;
  startsNewChunk?: boolean;
}): ChatModelFunctionCall {
  const item: ChatModelFunctionCall = { type: "functionCall", name: options.name, params: options.params, result: options.result };
  if (options.description !== undefined) item.description = options.description;
  if (options.rawCall !== undefined) item.rawCall = options.rawCall;
  if (options.startsNewChunk) item.startsNewChunk = true;
  return item;
}

/**
 * Converts Hearth messages to node-llama-cpp's history. Consecutive assistant and tool
 * messages join into one model response; a tool message fills in the result of the call
 * with its `toolCallId` (one without a matching call becomes a call of its own); a call
 * left without a result reads {@link MISSING_RESULT}.
 */
export function toChatHistory(messages: readonly ChatMessage[], options: HistoryOptions = {}): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  if (options.systemPrompt && messages[0]?.role !== "system") history.push({ type: "system", text: options.systemPrompt });
  let pending = new Map<string, ChatModelFunctionCall>();
  const modelResponse = (): ChatModelResponse => {
    const last = history.at(-1);
    if (last?.type === "model") return last;
    const created: ChatModelResponse = { type: "model", response: [] };
    history.push(created);
    return created;
  };
  const closeResponse = () => {
    for (const call of pending.values()) call.result = MISSING_RESULT;
    pending = new Map();
  };
  for (const message of messages) {
    if (message.role === "system" || message.role === "user") {
      closeResponse();
      history.push(message.role === "system" ? { type: "system", text: message.content } : { type: "user", text: message.content });
    } else if (message.role === "assistant") {
      const response = modelResponse();
      if (message.content !== "") response.response.push(message.content);
      message.toolCalls?.forEach((call, index) => {
        const remembered = options.calls?.recall(call.id);
        const item = functionCallItem({
          name: call.name,
          description: options.functionDescriptions?.get(call.name),
          params: remembered?.params ?? call.arguments,
          result: MISSING_RESULT,
          rawCall: remembered?.rawCall,
          startsNewChunk: index === 0 && options.parallelCalls === true,
        });
        pending.set(call.id, item);
        response.response.push(item);
      });
    } else {
      const call = pending.get(message.toolCallId);
      if (call !== undefined) {
        call.result = resultText(message);
        pending.delete(message.toolCallId);
      } else {
        const item = functionCallItem({ name: message.name, params: {}, result: resultText(message), startsNewChunk: options.parallelCalls });
        modelResponse().response.push(item);
      }
    }
  }
  closeResponse();
  return history;
}

/** `history` with `items` added to its last model response (one is started if the last item is not one). */
export function appendToModelResponse(history: readonly ChatHistoryItem[], items: ChatModelResponse["response"]): ChatHistoryItem[] {
  const copy = history.slice();
  const last = copy.at(-1);
  if (last?.type === "model") copy[copy.length - 1] = { ...last, response: [...last.response, ...items] };
  else copy.push({ type: "model", response: [...items] });
  return copy;
}

/** The evaluation a run leaves behind, for the next run to continue from. */
export interface LastEvaluation {
  /** The full history of the last response. */
  history: ChatHistoryItem[];
  /** What the model's context held of it (shorter than `history` after a context shift). */
  contextWindow: ChatHistoryItem[];
  /** node-llama-cpp's `lastEvaluation.contextShiftMetadata` (typed `any` there). */
  contextShiftMetadata: object | null | undefined;
}

/**
 * The context window to continue from when `history` extends the last evaluation's
 * history (the app fed back what the last run returned, plus new messages): the last
 * context window plus the new items. Undefined otherwise (node-llama-cpp then builds the
 * window from the whole history; the KV cache is still reused up to the first token that
 * differs).
 */
export function continuedContextWindow(last: LastEvaluation | undefined, history: readonly ChatHistoryItem[]): ChatHistoryItem[] | undefined {
  if (last === undefined || history.length < last.history.length) return undefined;
  for (let index = 0; index < last.history.length; index++) {
    if (JSON.stringify(last.history[index]) !== JSON.stringify(history[index])) return undefined;
  }
  return [...last.contextWindow, ...history.slice(last.history.length)];
}
