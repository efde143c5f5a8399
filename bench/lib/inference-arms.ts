/**
 * The inference benchmark's arms, each timed the same way from outside:
 *
 * - raw: `LlamaContextSequence.evaluate` on the prompt's tokens, the floor.
 * - LlamaChat: node-llama-cpp's own chat layer (`LlamaChat.generateResponse`), no Hearth
 *   code: it tells node-llama-cpp's per-token cost from Hearth's own.
 * - Hearth: any `ChatRunner` (the local runner), `run()` with a plain user message.
 *
 * Time to first token is the first token (raw) or the first text delta (the chat layers):
 * what a user sees. Generation runs from there to the last token (raw) or to the end of
 * the call (the chat layers: what the app waits for).
 *
 * What the sequence holds before a run is set untimed with {@link holdTokens}: nothing for a
 * cold turn, the whole prompt for a generation run (the chat layers then evaluate only the
 * prompt's last token again, for its logits, as raw does).
 */
import type { LlamaChat, LlamaContextSequence, Token } from "node-llama-cpp";
import type { ChatMessage, ChatRunner, RunResult } from "../../models/runner.js";

/** Which arm measured a sample. */
export type Arm = "raw" | "LlamaChat" | "Hearth";

/** One run's measurements. Times in milliseconds. */
export interface Sample {
  arm: Arm;
  /** Tokens of the prompt as the model sees it. */
  promptTokens: number;
  /** Prompt tokens evaluated in this run (not already in the KV cache). */
  evaluatedPromptTokens: number;
  /** Prompt tokens evaluated, counted by the sequence's own token meter (a check on the above). */
  meteredPromptTokens: number;
  generatedTokens: number;
  timeToFirstTokenMs: number;
  /** From the first token to the last (raw) or to the end of the run (chat layers). */
  generationMs: number;
  totalMs: number;
  /** CPU (user + system) of the whole process, llama.cpp's threads included, over the run and over its generation part. */
  cpuMs: number;
  generationCpuMs: number;
  /** What the runner says of itself (Hearth only): RunResult.timings. */
  reported?: { timeToFirstTokenMs: number | undefined; tokensPerSecond: number | undefined; totalMs: number };
}

/** Tokens per second after the first one. */
export function generationTokensPerSecond(sample: Sample): number {
  return ((sample.generatedTokens - 1) * 1000) / sample.generationMs;
}

/** Process CPU per generated token after the first, in milliseconds. */
export function generationCpuMsPerToken(sample: Sample): number {
  return sample.generationCpuMs / (sample.generatedTokens - 1);
}

/**
 * Makes `sequence` hold exactly `tokens` (untimed): keeps the common prefix of what it
 * holds, erases the rest, evaluates what is missing.
 */
export async function holdTokens(sequence: LlamaContextSequence, tokens: readonly Token[]): Promise<void> {
  const held = sequence.contextTokens;
  let common = 0;
  while (common < held.length && common < tokens.length && held[common] === tokens[common]) common++;
  if (common === 0) await sequence.clearHistory();
  else if (common < held.length) await sequence.eraseContextTokenRanges([{ start: common, end: held.length }]);
  if (common < tokens.length) await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(common));
}

/** A stopwatch over wall time, process CPU and the sequence's token meter, with a mark at the first token. */
function startMeasuring(sequence: LlamaContextSequence) {
  const meterAtStart = sequence.tokenMeter.getState();
  const cpuAtStart = process.cpuUsage();
  const startedAt = performance.now();
  let first: { at: number; cpu: NodeJS.CpuUsage } | undefined;
  return {
    startedAt,
    /** Marks the first token (later calls do nothing). */
    firstToken() {
      first ??= { at: performance.now(), cpu: process.cpuUsage() };
    },
    /** Everything measured, once the run is over. `generated` tokens were generated. */
    stop(generated: number) {
      const endedAt = performance.now();
      const cpuAtEnd = process.cpuUsage();
      const meter = sequence.tokenMeter.getState();
      // The meter counts tokens evaluated without logits as input and those with logits
      // (the last of each batch) as output; together they are every token evaluated. The
      // last generated token is never evaluated (no token is asked for after it).
      const evaluated = meter.usedInputTokens - meterAtStart.usedInputTokens + (meter.usedOutputTokens - meterAtStart.usedOutputTokens);
      const firstAt = first?.at ?? endedAt;
      const cpuAtFirst = first?.cpu ?? cpuAtEnd;
      return {
        meteredPromptTokens: evaluated - Math.max(0, generated - 1),
        timeToFirstTokenMs: firstAt - startedAt,
        generationMs: endedAt - firstAt,
        totalMs: endedAt - startedAt,
        cpuMs: cpuMs(cpuAtStart, cpuAtEnd),
        generationCpuMs: cpuMs(cpuAtFirst, cpuAtEnd),
      };
    },
  };
}

function cpuMs(from: NodeJS.CpuUsage, to: NodeJS.CpuUsage): number {
  return (to.user - from.user + (to.system - from.system)) / 1000;
}

/** Options of {@link measureRaw}. */
export interface RawOptions {
  /** Prompt tokens put in the sequence untimed before the run (default 0: a cold turn). */
  cachedTokens?: number;
  /** Milliseconds after the first token when no further token is asked for (default none): caps slow runs. */
  generationCapMs?: number;
}

/**
 * Evaluates `prompt` (past its first `cachedTokens`, held untimed) and generates `tokens`
 * greedy tokens (evaluate's defaults: temperature 0, no penalties), fewer if the cap passes.
 */
export async function measureRaw(sequence: LlamaContextSequence, prompt: Token[], tokens: number, options: RawOptions = {}): Promise<Sample> {
  const { cachedTokens = 0, generationCapMs = Number.POSITIVE_INFINITY } = options;
  await holdTokens(sequence, prompt.slice(0, cachedTokens));
  const watch = startMeasuring(sequence);
  let generated = 0;
  let firstAt = Number.NaN;
  for await (const _token of sequence.evaluate(prompt.slice(cachedTokens))) {
    generated++;
    if (generated === 1) {
      watch.firstToken();
      firstAt = performance.now();
    }
    if (generated >= tokens || performance.now() - firstAt > generationCapMs) break;
  }
  return { arm: "raw", promptTokens: prompt.length, evaluatedPromptTokens: prompt.length - cachedTokens, generatedTokens: generated, ...watch.stop(generated) };
}

/**
 * One `LlamaChat.generateResponse` of a single user message, greedy, `tokens` at most, on
 * whatever `sequence` holds (set it with {@link holdTokens}). `chat` must be bound to `sequence`.
 */
export async function measureLlamaChat(chat: LlamaChat, sequence: LlamaContextSequence, text: string, tokens: number): Promise<Sample> {
  const history = [{ type: "user" as const, text }, { type: "model" as const, response: [] }];
  const prompt = chat.chatWrapper.generateContextState({ chatHistory: history }).contextText.tokenize(sequence.model.tokenizer);
  const cached = Math.min(sequence.compareContextTokens(prompt).firstDifferentIndex, prompt.length - 1);
  const watch = startMeasuring(sequence);
  let generated = 0;
  await chat.generateResponse(history, {
    maxTokens: tokens,
    temperature: 0,
    onToken: (chunk) => (generated += chunk.length),
    onTextChunk: () => watch.firstToken(),
  });
  return { arm: "LlamaChat", promptTokens: prompt.length, evaluatedPromptTokens: prompt.length - cached, generatedTokens: generated, ...watch.stop(generated) };
}

/** A Hearth run and its measurements. */
export interface RunnerSample {
  sample: Sample;
  result: RunResult;
}

/**
 * `runner.run` on `messages`, greedy (temperature 0, seed 1), at most `tokens` tokens, on
 * whatever the runner's sequence holds (its KV cache is the runner's to reuse).
 */
export async function measureRunner(runner: ChatRunner, sequence: LlamaContextSequence, messages: ChatMessage[], tokens: number): Promise<RunnerSample> {
  const watch = startMeasuring(sequence);
  const result = await runner.run({
    messages,
    sampling: { temperature: 0, seed: 1, maxTokens: tokens },
    onEvent: (event) => {
      if (event.type === "textDelta") watch.firstToken();
    },
  });
  const generated = result.usage.completionTokens;
  return {
    result,
    sample: {
      arm: "Hearth",
      promptTokens: result.usage.promptTokens,
      evaluatedPromptTokens: result.usage.evaluatedPromptTokens,
      generatedTokens: generated,
      ...watch.stop(generated),
      reported: { ...result.timings },
    },
  };
}
