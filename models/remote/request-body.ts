/**
 * The body of a `POST /chat/completions` request: model, messages, tools and sampling
 * settings in the names OpenAI-compatible servers read.
 */
import type { ChatFunction, SamplingSettings } from "../runner.js";
import type { OpenAiMessage } from "./messages.js";

/** Temperature when neither the request nor the runner's defaults set one (the contract's default). */
export const DEFAULT_TEMPERATURE = 0.7;

/** A function offered to the model, in OpenAI's `tools` format. */
export interface OpenAiTool {
  type: "function";
  function: { name: string; description?: string; parameters: Record<string, unknown> };
}

/** What {@link chatCompletionBody} needs. */
export interface ChatCompletionBodyInput {
  model: string;
  messages: OpenAiMessage[];
  functions: readonly ChatFunction[];
  sampling: SamplingSettings;
  /** Sends `tool_choice: "none"`: the rounds of calls are spent and the model must answer. */
  forbidToolCalls: boolean;
  /** Sends `tool_choice: "required"`, or the named function, for a forced first call. */
  forceCall?: "required" | { name: string };
}

/**
 * The JSON body of a streamed chat completion request. Settings left out are not sent,
 * so the server's own defaults apply, except `temperature` (default 0.7, as the local
 * engine). `top_k`, `min_p` and `repeat_penalty` are not OpenAI's but llama.cpp's server,
 * vLLM and LM Studio read them; `repetition_penalty` is vLLM's name for the same setting,
 * so the penalty is sent under both names. Servers ignore fields they do not know
 * (OpenAI's own API rejects them, so they are sent only when set).
 */
export function chatCompletionBody(input: ChatCompletionBodyInput): Record<string, unknown> {
  const { sampling } = input;
  const body: Record<string, unknown> = {
    model: input.model,
    messages: input.messages,
    stream: true,
    // Without it the stream carries no token counts (OpenAI API reference, "stream_options").
    stream_options: { include_usage: true },
    temperature: sampling.temperature ?? DEFAULT_TEMPERATURE,
  };
  const optional: Record<string, unknown> = {
    top_p: sampling.topP,
    top_k: sampling.topK,
    min_p: sampling.minP,
    repeat_penalty: sampling.repeatPenalty,
    repetition_penalty: sampling.repeatPenalty,
    max_tokens: sampling.maxTokens,
    seed: sampling.seed,
    stop: sampling.stop?.length ? sampling.stop : undefined,
  };
  for (const [name, value] of Object.entries(optional)) if (value !== undefined) body[name] = value;
  if (input.functions.length > 0) {
    body.tools = input.functions.map(toOpenAiTool);
    if (input.forbidToolCalls) body.tool_choice = "none";
    else if (input.forceCall === "required") body.tool_choice = "required";
    else if (input.forceCall !== undefined) body.tool_choice = { type: "function", function: { name: input.forceCall.name } };
  }
  return body;
}

/** A Hearth function as an OpenAI tool. */
export function toOpenAiTool(chatFunction: ChatFunction): OpenAiTool {
  const tool: OpenAiTool = { type: "function", function: { name: chatFunction.name, parameters: chatFunction.parameters } };
  if (chatFunction.description !== undefined) tool.function.description = chatFunction.description;
  return tool;
}

/** `request` over `defaults`, setting by setting; a setting left out (undefined) does not erase a default. */
export function mergeSampling(defaults: SamplingSettings | undefined, request: SamplingSettings | undefined): SamplingSettings {
  const merged: SamplingSettings = { ...defaults };
  for (const [name, value] of Object.entries(request ?? {})) {
    if (value !== undefined) (merged as Record<string, unknown>)[name] = value;
  }
  return merged;
}
