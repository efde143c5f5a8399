/**
 * Hearth's thread count against other settings, node-llama-cpp's default above all: raw
 * generation on each. On CPU the default is at least 4 threads whatever the machine has;
 * on 2 cores that runs 30 to 100 times slower, so this part is short and capped: a short
 * prompt, a few tokens, and a cap on each run's generation time (its prompt cannot be cut short).
 */
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import { measureRaw, type Sample } from "./inference-arms.js";
import type { LoadedEngine } from "./inference-model.js";

/** A thread setting to compare with Hearth's. */
export interface OtherThreads {
  label: string;
  /** How the engine is made, for the table. */
  how: string;
  load: () => Promise<LoadedEngine>;
  runs: number;
  /** Seconds after a run's first token when it asks for no further token; none when undefined. */
  capSeconds?: number;
}

/** One setting's samples; `threads` is what its context uses. */
export interface ThreadsMeasured {
  label: string;
  how: string;
  threads: number;
  /** `llama.maxThreads` of its engine. */
  llamaMaxThreads: number;
  samples: Sample[];
  /** Runs that hit the cap before the last token. */
  cappedRuns: number;
  capSeconds: number | undefined;
}

export interface ThreadsComparison {
  tokens: number;
  promptTokens: number;
  chosen: ThreadsMeasured;
  others: ThreadsMeasured[];
}

/**
 * For each other setting in turn: loads it, then alternates Hearth's engine and it (chosen,
 * other, other, chosen, …), `runs` runs each, and disposes it. All runs generate `tokens`
 * greedy tokens from `prompt`, from an empty sequence.
 */
export async function compareThreads(
  chosen: { sequence: LlamaContextSequence; threads: number; llamaMaxThreads: number; how: string },
  others: OtherThreads[],
  prompt: Token[],
  tokens: number,
): Promise<ThreadsComparison> {
  const chosenMeasured: ThreadsMeasured = { label: `Hearth's choice: ${chosen.threads}`, how: chosen.how, threads: chosen.threads, llamaMaxThreads: chosen.llamaMaxThreads, samples: [], cappedRuns: 0, capSeconds: undefined };
  const othersMeasured: ThreadsMeasured[] = [];
  const log = (label: string, sample: Sample) =>
    console.error(`threads ${label}: ${sample.generatedTokens} tokens, TTFT ${sample.timeToFirstTokenMs.toFixed(0)} ms, then ${sample.generationMs.toFixed(0)} ms`);
  // An untimed token first, so that no timed run pays for first-use allocations.
  await measureRaw(chosen.sequence, prompt.slice(0, 4), 1);
  for (const other of others) {
    const engine = await other.load();
    try {
      const sequence = engine.context.getSequence();
      const measured: ThreadsMeasured = {
        label: `${other.label}: ${engine.context.idealThreads}`,
        how: other.how,
        threads: engine.context.idealThreads,
        llamaMaxThreads: engine.llama.maxThreads,
        samples: [],
        cappedRuns: 0,
        capSeconds: other.capSeconds,
      };
      await measureRaw(sequence, prompt.slice(0, 4), 1);
      for (let run = 0; run < other.runs * 2; run++) {
        if ((run + 1) % 4 < 2) {
          const sample = await measureRaw(chosen.sequence, prompt, tokens);
          chosenMeasured.samples.push(sample);
          log(chosenMeasured.label, sample);
        } else {
          const sample = await measureRaw(sequence, prompt, tokens, other.capSeconds === undefined ? {} : { generationCapMs: other.capSeconds * 1000 });
          if (sample.generatedTokens < tokens) measured.cappedRuns++;
          measured.samples.push(sample);
          log(measured.label, sample);
        }
      }
      othersMeasured.push(measured);
    } finally {
      await engine.dispose();
    }
  }
  return { tokens, promptTokens: prompt.length, chosen: chosenMeasured, others: othersMeasured };
}
