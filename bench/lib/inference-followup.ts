/**
 * A follow-up turn should cost only its new tokens: the first turn's prompt and answer are
 * already in the sequence's KV cache. One measurement: a first turn from an empty sequence,
 * then a second turn (the history plus a short user message) on the same sequence, and
 * raw node-llama-cpp evaluating just the new tokens on top of the same cached prefix.
 */
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import type { ChatMessage, ChatRunner } from "../../models/runner.js";
import { holdTokens, measureRaw, measureRunner, type Sample } from "./inference-arms.js";

/** One first turn plus follow-up. Token counts; times in milliseconds. */
export interface FollowUpSample {
  firstTurn: { promptTokens: number; completionTokens: number };
  /** Tokens in the sequence after the first turn (its prompt and answer, less the answer's last token, never evaluated). */
  cachedTokensAfterFirstTurn: number;
  secondTurnPromptTokens: number;
  /** The history's growth: second prompt less (first prompt + first answer). What a perfect cache evaluates, give or take one. */
  newTokens: number;
  /** How much of the second prompt matches the cache token for token (what could be reused at best). */
  reusablePrefixTokens: number;
  /**
   * The first answer's text tokenized again. More than its generated tokens when they are
   * not the tokenizer's own choice for that text (the random model's gibberish): the
   * history then renders the answer as other tokens than those in the cache.
   */
  firstAnswerRetokenized: number;
  /** About the new user message with its template: second prompt − first prompt − the answer tokenized again. */
  newMessageTokens: number;
  /** RunResult.usage.evaluatedPromptTokens of the second turn. */
  evaluatedPromptTokens: number;
  /** The same, counted by the sequence's token meter. */
  meteredPromptTokens: number;
  /** evaluatedPromptTokens / newTokens: 1 is ideal. */
  ratio: number;
  /** Hearth: the second turn's time to first token, and what it reports for itself. */
  hearth: Sample;
  /** raw: `evaluate` of the second prompt's tokens past the cached length, the cached part already in the sequence. */
  raw: Sample;
}

/** The two user messages and the first answer's length. */
export interface FollowUpScript {
  firstMessage: string;
  secondMessage: string;
  firstTurnTokens: number;
  /** Tokens generated on the second turn (only its prompt time matters). */
  secondTurnTokens: number;
}

/** Runs one first turn and follow-up through `runner`, then the raw equivalent. */
export async function measureFollowUp(runner: ChatRunner, sequence: LlamaContextSequence, script: FollowUpScript): Promise<FollowUpSample> {
  const firstMessages: ChatMessage[] = [{ role: "user", content: script.firstMessage }];
  await holdTokens(sequence, []);
  const first = await measureRunner(runner, sequence, firstMessages, script.firstTurnTokens);
  const cached = [...sequence.contextTokens];
  const secondMessages: ChatMessage[] = [...firstMessages, ...first.result.messages, { role: "user", content: script.secondMessage }];
  const second = await measureRunner(runner, sequence, secondMessages, script.secondTurnTokens);
  // The second prompt as evaluated: the sequence now holds it, then the second answer.
  const secondPrompt = sequence.contextTokens.slice(0, second.result.usage.promptTokens);
  const newTokens = second.result.usage.promptTokens - (first.result.usage.promptTokens + first.result.usage.completionTokens);
  const firstAnswerRetokenized = sequence.model.tokenize(first.result.text).length;

  // raw: the second prompt's tokens past the cached length, that many already held.
  const raw = await measureRaw(sequence, secondPrompt, 1, { cachedTokens: Math.min(cached.length, secondPrompt.length - 1) });
  return {
    firstTurn: { promptTokens: first.result.usage.promptTokens, completionTokens: first.result.usage.completionTokens },
    cachedTokensAfterFirstTurn: cached.length,
    secondTurnPromptTokens: second.result.usage.promptTokens,
    newTokens,
    reusablePrefixTokens: commonPrefixLength(cached, secondPrompt),
    firstAnswerRetokenized,
    newMessageTokens: second.result.usage.promptTokens - first.result.usage.promptTokens - firstAnswerRetokenized,
    evaluatedPromptTokens: second.sample.evaluatedPromptTokens,
    meteredPromptTokens: second.sample.meteredPromptTokens,
    ratio: second.sample.evaluatedPromptTokens / newTokens,
    hearth: second.sample,
    raw,
  };
}

function commonPrefixLength(left: readonly Token[], right: readonly Token[]): number {
  let index = 0;
  while (index < left.length && index < right.length && left[index] === right[index]) index++;
  return index;
}
