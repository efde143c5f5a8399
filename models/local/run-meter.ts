/**
 * Token counts and timings of one run of the local runner, over its rounds (one
 * `generateResponse` call each).
 */
import type { TokenMeter } from "node-llama-cpp";
import type { RunTimings, RunUsage } from "../runner.js";

/** Counts a run: prompt tokens as rendered, evaluated and generated tokens from the sequence's `TokenMeter`. */
export class RunMeter {
  private readonly started = performance.now();
  private firstToken: number | undefined;
  private roundFirstToken: number | undefined;
  private roundOutputAtStart = 0;
  private generationMs = 0;
  /** Gaps between sampled tokens within the timed part of the rounds. */
  private tokenGaps = 0;
  private readonly usage: RunUsage = { promptTokens: 0, completionTokens: 0, evaluatedPromptTokens: 0 };

  /** @param tokenMeter The context sequence's meter: `usedOutputTokens` grows by one per sampled token. */
  constructor(private readonly tokenMeter: TokenMeter) {}

  /**
   * A round starts.
   * @param promptTokens Tokens of the rendered prompt.
   * @param evaluatedPromptTokens Of those, the ones not already in the KV cache.
   */
  startRound(promptTokens: number, evaluatedPromptTokens: number): void {
    this.usage.promptTokens += promptTokens;
    this.usage.evaluatedPromptTokens += evaluatedPromptTokens;
    this.roundFirstToken = undefined;
    this.roundOutputAtStart = this.tokenMeter.usedOutputTokens;
  }

  /** The model produced something (a text chunk, tokens, a piece of a call). */
  produced(): void {
    if (this.roundFirstToken !== undefined) return;
    this.roundFirstToken = performance.now();
    this.firstToken ??= this.roundFirstToken;
  }

  /** A round ended (answered, called functions, failed or was aborted). */
  endRound(): void {
    // Every sampled token needs the logits of one evaluated position: the prompt's last
    // token for the first, each generated token fed back for the next.
    const sampled = Math.max(0, this.tokenMeter.usedOutputTokens - this.roundOutputAtStart);
    this.usage.completionTokens += sampled;
    // From the first token to the end, n tokens come in n - 1 gaps; prompt time is left out.
    if (this.roundFirstToken !== undefined && sampled > 1) {
      this.tokenGaps += sampled - 1;
      this.generationMs += performance.now() - this.roundFirstToken;
    }
    this.roundFirstToken = undefined;
  }

  /** Tokens sampled so far in this run. */
  get completionTokens(): number {
    return this.usage.completionTokens;
  }

  /** The run's counts and timings, from its start until now. */
  finish(): { usage: RunUsage; timings: RunTimings } {
    const seconds = this.generationMs / 1000;
    return {
      usage: { ...this.usage },
      timings: {
        timeToFirstTokenMs: this.firstToken === undefined ? undefined : this.firstToken - this.started,
        tokensPerSecond: seconds > 0 && this.tokenGaps > 0 ? this.tokenGaps / seconds : undefined,
        totalMs: performance.now() - this.started,
      },
    };
  }
}
