/**
 * Hearth's sampling settings as `LlamaChat.generateResponse` options, and its stop
 * reasons as the contract's.
 */
import type { LlamaChatResponse } from "node-llama-cpp";
import type { RunResult, SamplingSettings } from "../runner.js";

/** The contract's default temperature (runner.ts): 0.7. */
export const DEFAULT_TEMPERATURE = 0.7;

/** The sampling options of one `generateResponse` call (all but `maxTokens`, which the run counts down). */
export interface GenerateSamplingOptions {
  temperature: number;
  topP?: number;
  topK?: number;
  minP?: number;
  seed?: number;
  /** `false` turns node-llama-cpp's default penalty (1.1 over the last 64 tokens) off. */
  repeatPenalty: false | { penalty: number };
  customStopTriggers?: string[];
}

/** The request's settings over the runner's defaults, setting by setting. */
export function mergeSampling(defaults: SamplingSettings | undefined, request: SamplingSettings | undefined): SamplingSettings {
  const merged: SamplingSettings = { ...defaults };
  for (const [key, value] of Object.entries(request ?? {})) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}

/**
 * The options node-llama-cpp reads. Left-out settings stay node-llama-cpp's defaults
 * (topK 40, topP 0.95, minP 0, a random seed), except temperature (0.7, the contract's)
 * and the repeat penalty (none, as the contract says; node-llama-cpp's default is 1.1).
 */
export function toGenerateOptions(settings: SamplingSettings): GenerateSamplingOptions {
  const options: GenerateSamplingOptions = {
    temperature: settings.temperature ?? DEFAULT_TEMPERATURE,
    repeatPenalty: settings.repeatPenalty === undefined || settings.repeatPenalty === 1 ? false : { penalty: settings.repeatPenalty },
  };
  if (settings.topP !== undefined) options.topP = settings.topP;
  if (settings.topK !== undefined) options.topK = settings.topK;
  if (settings.minP !== undefined) options.minP = settings.minP;
  if (settings.seed !== undefined) options.seed = settings.seed;
  const stop = settings.stop?.filter((text) => text !== "");
  if (stop !== undefined && stop.length > 0) options.customStopTriggers = stop;
  return options;
}

/** The contract's stop reason for why `LlamaChat` stopped. */
export function toStopReason(metadata: LlamaChatResponse["metadata"]): RunResult["stopReason"] {
  switch (metadata.stopReason) {
    case "maxTokens":
      return "maxTokens";
    case "abort":
      return "aborted";
    case "customStopTrigger":
      return "stopString";
    default:
      // eogToken, stopGenerationTrigger (the chat wrapper's end of turn), functionCalls
      return "stop";
  }
}
