/**
 * Token counts and timings of a run, added up over its model responses (one per round of
 * function calls, plus the answer).
 */
import type { RunTimings, RunUsage } from "../runner.js";
import type { ModelResponse } from "./response.js";

/** Adds up the responses of one run. */
export class RunStatistics {
  private promptTokens = 0;
  private completionTokens = 0;
  private firstTokenAt: number | undefined;
  /** Gaps between generated tokens, and the milliseconds they took, over responses with counts. */
  private tokenGaps = 0;
  private generationMs = 0;

  /** @param startedAt `performance.now()` when the run was called. */
  constructor(private readonly startedAt: number) {}

  /** Counts one response. */
  add(response: ModelResponse): void {
    this.firstTokenAt ??= response.firstTokenAt;
    const { usage, firstTokenAt } = response;
    if (usage === undefined) return;
    this.promptTokens += usage.promptTokens;
    this.completionTokens += usage.completionTokens;
    // From the first token to the end, n tokens arrive in n - 1 gaps; prompt time is left out.
    if (firstTokenAt !== undefined && usage.completionTokens > 1) {
      this.tokenGaps += usage.completionTokens - 1;
      this.generationMs += response.endedAt - firstTokenAt;
    }
  }

  /**
   * The run's usage and timings. Prompt tokens are summed over the run's requests (each
   * request sends the whole conversation, and the server counts it whole);
   * `evaluatedPromptTokens` equals `promptTokens`, since a remote server's cache reuse
   * cannot be told. Counts are 0 and `tokensPerSecond` undefined when the server sent no usage.
   */
  result(endedAt: number): { usage: RunUsage; timings: RunTimings } {
    return {
      usage: { promptTokens: this.promptTokens, completionTokens: this.completionTokens, evaluatedPromptTokens: this.promptTokens },
      timings: {
        timeToFirstTokenMs: this.firstTokenAt === undefined ? undefined : this.firstTokenAt - this.startedAt,
        tokensPerSecond: this.tokenGaps > 0 && this.generationMs > 0 ? this.tokenGaps / (this.generationMs / 1000) : undefined,
        totalMs: endedAt - this.startedAt,
      },
    };
  }
}
