/**
 * The local chat runner: the `ChatRunner` contract (./runner.ts) on node-llama-cpp's
 * stateless `LlamaChat`, over a context sequence the caller created. The app keeps the
 * history; the runner keeps only caches: the sequence's KV cache, the last evaluation's
 * context window and the text of the calls it saw, so a follow-up turn and the
 * continuation after function results evaluate only their new tokens. Function calls of
 * one response run concurrently; their results go back to the model until it answers or
 * the rounds run out. The pieces live in ./local/.
 */
import { basename } from "node:path";
import {
  DisposedError,
  LlamaChat,
  resolveChatWrapper,
  type ChatHistoryItem,
  type ChatModelFunctions,
  type ChatWrapper,
  type LlamaChatResponse,
  type LlamaContextSequence,
  type SpecializedChatWrapperTypeName,
} from "node-llama-cpp";
import { toModelParameters } from "./function-schema.js";
import { LocalRunnerError } from "./local/errors.js";
import { runFunctionCalls } from "./function-calls.js";
import { prepareCalls } from "./local/function-round.js";
import {
  CallMemory,
  appendToModelResponse,
  continuedContextWindow,
  functionCallItem,
  resultText,
  toChatHistory,
  type LastEvaluation,
} from "./local/history.js";
import { forcedCallWrapper, type ForcedCallWrapper } from "./local/forced-call.js";
import { RunMeter } from "./local/run-meter.js";
import { mergeSampling, toGenerateOptions, toStopReason } from "./local/sampling.js";
import { mustCallFirst, offeredFunctions, type ChatFunction, type ChatMessage, type ChatRunner, type RunRequest, type RunResult, type RunnerEvent, type SamplingSettings } from "./runner.js";

export { LocalRunnerError, type LocalRunnerErrorCode } from "./local/errors.js";

/** Rounds of function calls allowed when the request does not say (the contract's default). */
export const DEFAULT_MAX_FUNCTION_ROUNDS = 8;

/**
 * Which chat wrapper renders the history: `"auto"` (node-llama-cpp's resolution from the
 * model's own chat template: a specialized wrapper when the template matches one, else
 * the Jinja template itself), `"jinjaTemplate"` (always the model's Jinja template), the
 * name of a specialized wrapper (`"chatML"`, `"llama3.1"`, `"qwen"`…), or a wrapper instance.
 */
export type LocalChatWrapperSetting = "auto" | "jinjaTemplate" | SpecializedChatWrapperTypeName | ChatWrapper;

/** Options of {@link LocalChatRunner}. */
export interface LocalChatRunnerOptions {
  /** The sequence to generate on; the runner reuses its KV cache between runs and never disposes it. */
  contextSequence: LlamaContextSequence;
  /** Default `"auto"`. */
  chatWrapper?: LocalChatWrapperSetting;
  /** Put first as a system message when the request's history starts without one. Default: none. */
  systemPrompt?: string;
  /** Sampling settings under the request's own (setting by setting). Default: temperature 0.7, no repeat penalty, the rest node-llama-cpp's. */
  defaults?: SamplingSettings;
}

/**
 * A chat runner on a local model. Runs are serialized (they share one sequence).
 * `dispose()` releases the `LlamaChat`, not the sequence.
 */
export class LocalChatRunner implements ChatRunner {
  /** `local: <model file name>`. */
  readonly description: string;
  private readonly chat: LlamaChat;
  private readonly forcedCall: ForcedCallWrapper;
  private readonly sequence: LlamaContextSequence;
  private readonly systemPrompt: string | undefined;
  private readonly defaults: SamplingSettings | undefined;
  private readonly calls = new CallMemory();
  private lastEvaluation: LastEvaluation | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  /** @throws LocalRunnerError `invalid_options` for a chat wrapper name node-llama-cpp cannot resolve for this model; `disposed` for a disposed sequence. */
  constructor(options: LocalChatRunnerOptions) {
    const { contextSequence } = options;
    if (contextSequence.disposed) throw new LocalRunnerError("disposed", "The context sequence is disposed");
    this.sequence = contextSequence;
    const resolved = resolveWrapper(contextSequence, options.chatWrapper ?? "auto");
    this.forcedCall = forcedCallWrapper(resolved === "auto" ? resolveChatWrapper(contextSequence.model) : resolved);
    this.chat = new LlamaChat({ contextSequence, chatWrapper: this.forcedCall.wrapper });
    this.systemPrompt = options.systemPrompt;
    this.defaults = options.defaults;
    this.description = `local: ${basename(contextSequence.model.filename ?? "model")}`;
  }

  /** The chat wrapper in use (for display: `wrapperName`). */
  get chatWrapper(): ChatWrapper {
    return this.forcedCall.inner;
  }

  /**
   * Runs the request after any run in progress; see {@link ChatRunner.run}. Usage sums the
   * rounds (one `generateResponse` per round of calls, plus the answer); prompt tokens are
   * counted as the chat wrapper renders them, before evaluation; `maxTokens` caps the
   * whole run; timings count from this call, including any wait for the run before.
   * @throws LocalRunnerError `disposed` or `generation_failed`; never for an abort (the
   *   result says `aborted`) or a failed function (its result says `isError`).
   */
  run(request: RunRequest): Promise<RunResult> {
    const meter = new RunMeter(this.sequence.tokenMeter);
    const result = this.queue.then(() => this.runNow(request, meter));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** The context window's size, and the tokens in it now (the KV cache's). */
  contextUsage(): { contextSize: number; usedTokens: number } {
    return { contextSize: this.sequence.contextSize, usedTokens: this.sequence.nextTokenIndex };
  }

  /** Releases the `LlamaChat`; the context sequence stays the caller's. */
  dispose(): void {
    this.chat.dispose({ disposeSequence: false });
  }

  /** Same as {@link LocalChatRunner.dispose}. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  private async runNow(request: RunRequest, meter: RunMeter): Promise<RunResult> {
    if (this.chat.disposed || this.sequence.disposed) throw new LocalRunnerError("disposed", "The local runner is disposed");
    const functions = offeredFunctions(request.functions ?? [], request.toolChoice);
    const modelFunctions = toModelFunctions(functions);
    const sampling = mergeSampling(this.defaults, request.sampling);
    const generateOptions = toGenerateOptions(sampling);
    const maxRounds = Math.max(0, Math.floor(request.maxFunctionRounds ?? DEFAULT_MAX_FUNCTION_ROUNDS));
    const signal = request.signal ?? new AbortController().signal;
    const emit = (event: RunnerEvent) => request.onEvent?.(event);
    const parallelCalls = this.chat.chatWrapper.settings.functions.parallelism != null;
    const descriptions = new Map(functions.map((chatFunction) => [chatFunction.name, chatFunction.description]));
    const added: ChatMessage[] = [];
    const finish = (text: string, stopReason: RunResult["stopReason"]): RunResult => ({ messages: added, text, stopReason, ...meter.finish() });

    let history = appendToModelResponse(
      toChatHistory(request.messages, { systemPrompt: this.systemPrompt, functionDescriptions: descriptions, calls: this.calls, parallelCalls }),
      [],
    );
    let contextWindow = continuedContextWindow(this.lastEvaluation, history);
    let contextShiftMetadata = contextWindow === undefined ? undefined : this.lastEvaluation?.contextShiftMetadata;
    if (signal.aborted) return finish("", "aborted");

    for (let round = 0; ; round++) {
      const remainingTokens = sampling.maxTokens === undefined ? undefined : sampling.maxTokens - meter.completionTokens;
      if (remainingTokens !== undefined && remainingTokens <= 0) return finish("", "maxTokens");
      this.forcedCall.setForcing(round === 0 && mustCallFirst(request.toolChoice) && modelFunctions !== undefined);
      const prompt = this.measurePrompt(contextWindow ?? history, modelFunctions);
      if (round === 0 && request.contextOverflow === "error" && prompt.tokens >= this.sequence.contextSize) {
        this.forcedCall.setForcing(false);
        throw new LocalRunnerError("context_overflow", `The prompt is ${prompt.tokens} tokens; the context holds ${this.sequence.contextSize}`);
      }
      meter.startRound(prompt.tokens, prompt.evaluated);
      let response: LlamaChatResponse<ChatModelFunctions>;
      try {
        response = await this.chat.generateResponse(history, {
          ...generateOptions,
          maxTokens: remainingTokens,
          functions: modelFunctions,
          documentFunctionParams: true,
          signal,
          stopOnAbortSignal: true,
          onTextChunk: (text) => {
            if (text === "") return;
            meter.produced();
            emit({ type: "textDelta", text });
          },
          onToken: (tokens) => {
            if (tokens.length > 0) meter.produced();
          },
          onFunctionCallParamsChunk: () => meter.produced(),
          lastEvaluationContextWindow: { history: contextWindow, minimumOverlapPercentageToPreventContextShift: 0.5 },
          contextShift: { lastEvaluationMetadata: contextShiftMetadata },
        });
      } catch (error) {
        this.forcedCall.setForcing(false);
        meter.endRound();
        // LlamaChat throws the signal's reason when aborted before the first token.
        if (signal.aborted) return finish("", "aborted");
        if (error instanceof DisposedError) throw new LocalRunnerError("disposed", "The local runner was disposed during the run", { cause: error });
        throw new LocalRunnerError("generation_failed", `Generation failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      this.forcedCall.setForcing(false);
      meter.endRound();
      history = response.lastEvaluation.cleanHistory;
      contextWindow = response.lastEvaluation.contextWindow;
      contextShiftMetadata = response.lastEvaluation.contextShiftMetadata;
      this.lastEvaluation = { history, contextWindow, contextShiftMetadata };

      const modelCalls = response.functionCalls ?? [];
      if (modelCalls.length === 0 || response.metadata.stopReason === "abort") {
        added.push({ role: "assistant", content: response.response });
        return finish(response.response, toStopReason(response.metadata));
      }
      if (round >= maxRounds) {
        // The calls are not run; the history gets no call without a result.
        if (response.response !== "") added.push({ role: "assistant", content: response.response });
        return finish(response.response, "functionRoundLimit");
      }
      const prepared = prepareCalls(modelCalls, functions);
      const toolCalls = prepared.map(({ call }) => call);
      emit({ type: "functionCalls", calls: toolCalls });
      added.push({ role: "assistant", content: response.response, toolCalls });
      const results = await runFunctionCalls(toolCalls, functions, signal, emit);
      const items = prepared.map(({ call, modelParams, rawCall }, index) => {
        this.calls.remember(call.id, { params: modelParams, rawCall });
        const result = results[index]!;
        added.push({ role: "tool", toolCallId: call.id, name: call.name, content: result.content, ...(result.isError ? { isError: true } : {}) });
        const description = descriptions.get(call.name);
        return functionCallItem({ name: call.name, description, params: modelParams, result: resultText(result), rawCall, startsNewChunk: index === 0 && parallelCalls });
      });
      history = appendToModelResponse(history, items);
      contextWindow = appendToModelResponse(contextWindow, items);
      this.lastEvaluation = { history, contextWindow, contextShiftMetadata };
      if (signal.aborted) return finish("", "aborted");
    }
  }

  /** The prompt's tokens as the chat wrapper renders it, and how many of them are not in the KV cache yet. */
  private measurePrompt(history: ChatHistoryItem[], functions: ChatModelFunctions | undefined): { tokens: number; evaluated: number } {
    const { contextText } = this.chat.chatWrapper.generateContextState({
      chatHistory: history,
      availableFunctions: functions,
      documentFunctionParams: true,
    });
    const tokens = contextText.tokenize(this.sequence.model.tokenizer);
    // LlamaChat evaluates at least the prompt's last token, to sample from its logits.
    const reused = Math.min(this.sequence.compareContextTokens(tokens).firstDifferentIndex, Math.max(0, tokens.length - 1));
    return { tokens: tokens.length, evaluated: tokens.length - reused };
  }
}

function resolveWrapper(sequence: LlamaContextSequence, setting: LocalChatWrapperSetting): "auto" | ChatWrapper {
  if (typeof setting !== "string" || setting === "auto") return setting;
  try {
    return resolveChatWrapper(sequence.model, { type: setting, fallbackToOtherWrappersOnJinjaError: false });
  } catch (error) {
    throw new LocalRunnerError("invalid_options", `Chat wrapper "${setting}" is not usable with this model`, { cause: error });
  }
}

/** The offered functions as node-llama-cpp's, their parameter schemas converted (./function-schema.ts); undefined for none. */
function toModelFunctions(functions: readonly ChatFunction[]): ChatModelFunctions | undefined {
  if (functions.length === 0) return undefined;
  const entries = functions.map((chatFunction) => {
    const definition: { description?: string; params: ReturnType<typeof toModelParameters> } = { params: toModelParameters(chatFunction.parameters) };
    if (chatFunction.description) definition.description = chatFunction.description;
    return [chatFunction.name, definition] as const;
  });
  return Object.fromEntries(entries);
}
