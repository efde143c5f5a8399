/** The inference benchmark's summaries and markdown tables. */
import { median } from "./stats.js";
import { generationCpuMsPerToken, generationTokensPerSecond, type Arm, type Sample } from "./inference-arms.js";
import type { FollowUpSample } from "./inference-followup.js";
import type { ThreadsComparison } from "./inference-threads.js";
import { fixed, markdownTable } from "./table.js";

/** The issue's target on Hearth/raw generation tokens/s. */
export const GENERATION_TARGET = { text: ">= 0.97", met: (ratio: number) => ratio >= 0.97 };
/** "Close to 1" for a follow-up's evaluated/new tokens, read as at most 10 % over. */
export const FOLLOW_UP_TARGET = { text: "<= 1.10", met: (ratio: number) => ratio <= 1.1 };

/** Median of an arm's samples, per measure. */
export interface ArmSummary {
  arm: Arm;
  runs: number;
  promptTokens: number;
  evaluatedPromptTokens: number;
  generatedTokens: number;
  timeToFirstTokenMs: number;
  promptTokensPerSecond: number;
  generationTokensPerSecond: number;
  totalMs: number;
  cpuMs: number;
  generationCpuMsPerToken: number;
  /** The best run's figures: the least disturbed by the machine's other load. */
  best: { timeToFirstTokenMs: number; promptTokensPerSecond: number; generationTokensPerSecond: number };
  /** Hearth's own RunResult.timings, medians (Hearth only). */
  reportedTimeToFirstTokenMs?: number;
  reportedTokensPerSecond?: number;
}

/** Per-measure medians of `samples`. */
export function summarizeArm(arm: Arm, samples: Sample[]): ArmSummary {
  const of = (pick: (sample: Sample) => number) => median(samples.map(pick));
  const reported = samples.flatMap((sample) => (sample.reported ? [sample.reported] : []));
  return {
    arm,
    runs: samples.length,
    promptTokens: of((sample) => sample.promptTokens),
    evaluatedPromptTokens: of((sample) => sample.evaluatedPromptTokens),
    generatedTokens: of((sample) => sample.generatedTokens),
    timeToFirstTokenMs: of((sample) => sample.timeToFirstTokenMs),
    // From the medians, so that it agrees with the TTFT shown beside it.
    promptTokensPerSecond: (of((sample) => sample.evaluatedPromptTokens) * 1000) / of((sample) => sample.timeToFirstTokenMs),
    generationTokensPerSecond: of(generationTokensPerSecond),
    totalMs: of((sample) => sample.totalMs),
    cpuMs: of((sample) => sample.cpuMs),
    generationCpuMsPerToken: of(generationCpuMsPerToken),
    best: {
      timeToFirstTokenMs: Math.min(...samples.map((sample) => sample.timeToFirstTokenMs)),
      promptTokensPerSecond: Math.max(...samples.map((sample) => (sample.evaluatedPromptTokens * 1000) / sample.timeToFirstTokenMs)),
      generationTokensPerSecond: Math.max(...samples.map(generationTokensPerSecond)),
    },
    ...(reported.length > 0
      ? {
          reportedTimeToFirstTokenMs: median(reported.map((timings) => timings.timeToFirstTokenMs ?? Number.NaN)),
          reportedTokensPerSecond: median(reported.map((timings) => timings.tokensPerSecond ?? Number.NaN)),
        }
      : {}),
  };
}

/** Each arm's medians over the cold-turn runs (prompt) and the generation runs. */
export interface TurnSummaries {
  prompt: ArmSummary[];
  generation: ArmSummary[];
}

/** Hearth/raw on medians, and per round for generation. */
export interface TurnRatios {
  timeToFirstToken: number;
  promptTokensPerSecond: number;
  generationTokensPerSecond: number;
  generationCpuMsPerToken: number;
  generationTimeToFirstToken: number;
  generationTotalMs: number;
  /** Hearth/raw generation tokens/s of the two runs of each round: a gauge of noise. */
  generationPairs: number[];
  generationTarget: { text: string; pass: boolean };
  /** Hearth/raw of the best runs (fastest TTFT, highest rates): a check where the machine's load makes medians jump. */
  best: { timeToFirstToken: number; promptTokensPerSecond: number; generationTokensPerSecond: number };
}

/** Samples of each part, in rounds: index i of each arm's list comes from round i. */
export interface TurnSamples {
  prompt: Sample[];
  generation: Sample[];
}

const ARMS = ["raw", "LlamaChat", "Hearth"] as const;

export function summarizeTurn(samples: TurnSamples): TurnSummaries {
  const per = (list: Sample[]) =>
    ARMS.map((arm) => list.filter((sample) => sample.arm === arm))
      .filter((armSamples) => armSamples.length > 0)
      .map((armSamples) => summarizeArm(armSamples[0]!.arm, armSamples));
  return { prompt: per(samples.prompt), generation: per(samples.generation) };
}

export function turnRatios(samples: TurnSamples, summaries: TurnSummaries): TurnRatios {
  const find = (list: ArmSummary[], arm: Arm) => list.find((summary) => summary.arm === arm)!;
  const [promptHearth, promptRaw] = [find(summaries.prompt, "Hearth"), find(summaries.prompt, "raw")];
  const [hearth, raw] = [find(summaries.generation, "Hearth"), find(summaries.generation, "raw")];
  const hearthRuns = samples.generation.filter((sample) => sample.arm === "Hearth");
  const rawRuns = samples.generation.filter((sample) => sample.arm === "raw");
  const generation = hearth.generationTokensPerSecond / raw.generationTokensPerSecond;
  return {
    timeToFirstToken: promptHearth.timeToFirstTokenMs / promptRaw.timeToFirstTokenMs,
    promptTokensPerSecond: promptHearth.promptTokensPerSecond / promptRaw.promptTokensPerSecond,
    generationTokensPerSecond: generation,
    generationCpuMsPerToken: hearth.generationCpuMsPerToken / raw.generationCpuMsPerToken,
    generationTimeToFirstToken: hearth.timeToFirstTokenMs / raw.timeToFirstTokenMs,
    generationTotalMs: hearth.totalMs / raw.totalMs,
    generationPairs: hearthRuns.map((sample, index) => generationTokensPerSecond(sample) / generationTokensPerSecond(rawRuns[index]!)),
    generationTarget: { text: GENERATION_TARGET.text, pass: GENERATION_TARGET.met(generation) },
    best: {
      timeToFirstToken: promptHearth.best.timeToFirstTokenMs / promptRaw.best.timeToFirstTokenMs,
      promptTokensPerSecond: promptHearth.best.promptTokensPerSecond / promptRaw.best.promptTokensPerSecond,
      generationTokensPerSecond: hearth.best.generationTokensPerSecond / raw.best.generationTokensPerSecond,
    },
  };
}

/** One row per measure, a column per arm, then Hearth/raw and the target. */
export function turnTable(summaries: TurnSummaries, ratios: TurnRatios): string {
  const arms = ARMS.filter((arm) => summaries.generation.some((summary) => summary.arm === arm));
  const pairs = ratios.generationPairs;
  const pairText = `per round ${fixed(median(pairs), 3)} (${fixed(Math.min(...pairs), 2)}–${fixed(Math.max(...pairs), 2)})`;
  const row = (part: ArmSummary[], measure: string, pick: (summary: ArmSummary) => number, digits: number, ratio: number | undefined, note = "", target = "—", result = "—", best?: number) => [
    measure,
    ...arms.map((arm) => {
      const summary = part.find((candidate) => candidate.arm === arm);
      return summary ? fixed(pick(summary), digits) : "—";
    }),
    ratio === undefined ? "—" : fixed(ratio, 3),
    best === undefined ? "—" : fixed(best, 3),
    note,
    target,
    result,
  ];
  const { prompt, generation } = summaries;
  const rows = [
    row(prompt, "cold turn: prompt tokens evaluated", (summary) => summary.evaluatedPromptTokens, 0, undefined, `${prompt[0]?.runs ?? 0} runs per arm`),
    row(prompt, "cold turn: time to first token, ms", (summary) => summary.timeToFirstTokenMs, 1, ratios.timeToFirstToken, "below 1: Hearth sooner", "—", "—", ratios.best.timeToFirstToken),
    row(prompt, "cold turn: prompt processing, tokens/s", (summary) => summary.promptTokensPerSecond, 1, ratios.promptTokensPerSecond, "prompt tokens / median TTFT", "—", "—", ratios.best.promptTokensPerSecond),
    row(generation, "generation: tokens generated", (summary) => summary.generatedTokens, 0, undefined, `${generation[0]?.runs ?? 0} runs per arm`),
    row(generation, "generation: prompt tokens evaluated", (summary) => summary.evaluatedPromptTokens, 0, undefined, "prompt already cached"),
    row(generation, "generation: time to first token, ms", (summary) => summary.timeToFirstTokenMs, 1, ratios.generationTimeToFirstToken, "the run's fixed cost, one token evaluated"),
    row(
      generation,
      "generation: tokens/s",
      (summary) => summary.generationTokensPerSecond,
      2,
      ratios.generationTokensPerSecond,
      pairText,
      ratios.generationTarget.text,
      ratios.generationTarget.pass ? "PASS" : "MISS",
      ratios.best.generationTokensPerSecond,
    ),
    row(generation, "generation: process CPU per token, ms", (summary) => summary.generationCpuMsPerToken, 2, ratios.generationCpuMsPerToken, "all threads; below 1: Hearth leaner"),
    row(generation, "generation: whole run, ms", (summary) => summary.totalMs, 0, ratios.generationTotalMs),
  ];
  const headers = ["measure (median)", ...arms, "Hearth/raw", "H/raw best runs", "note", "target", "result"];
  return markdownTable(headers, rows, ["left", ...arms.map(() => "right" as const), "right", "right", "left", "left", "left"]);
}

/** Medians over the follow-up samples. */
export interface FollowUpSummary {
  runs: number;
  firstTurnPromptTokens: number;
  firstTurnCompletionTokens: number;
  secondTurnPromptTokens: number;
  newTokens: number;
  reusablePrefixTokens: number;
  firstAnswerRetokenized: number;
  newMessageTokens: number;
  cachedTokensAfterFirstTurn: number;
  evaluatedPromptTokens: number;
  meteredPromptTokens: number;
  ratio: number;
  hearthPromptMs: number;
  rawPromptMs: number;
  hearthReportedTimeToFirstTokenMs: number;
  target: { text: string; pass: boolean };
}

export function summarizeFollowUp(samples: FollowUpSample[]): FollowUpSummary {
  const of = (pick: (sample: FollowUpSample) => number) => median(samples.map(pick));
  const ratio = of((sample) => sample.ratio);
  return {
    runs: samples.length,
    firstTurnPromptTokens: of((sample) => sample.firstTurn.promptTokens),
    firstTurnCompletionTokens: of((sample) => sample.firstTurn.completionTokens),
    secondTurnPromptTokens: of((sample) => sample.secondTurnPromptTokens),
    newTokens: of((sample) => sample.newTokens),
    reusablePrefixTokens: of((sample) => sample.reusablePrefixTokens),
    firstAnswerRetokenized: of((sample) => sample.firstAnswerRetokenized),
    newMessageTokens: of((sample) => sample.newMessageTokens),
    cachedTokensAfterFirstTurn: of((sample) => sample.cachedTokensAfterFirstTurn),
    evaluatedPromptTokens: of((sample) => sample.evaluatedPromptTokens),
    meteredPromptTokens: of((sample) => sample.meteredPromptTokens),
    ratio,
    hearthPromptMs: of((sample) => sample.hearth.timeToFirstTokenMs),
    rawPromptMs: of((sample) => sample.raw.timeToFirstTokenMs),
    hearthReportedTimeToFirstTokenMs: of((sample) => sample.hearth.reported?.timeToFirstTokenMs ?? Number.NaN),
    target: { text: FOLLOW_UP_TARGET.text, pass: FOLLOW_UP_TARGET.met(ratio) },
  };
}

export function followUpTable(summary: FollowUpSummary): string {
  const rows = [
    ["first turn: prompt tokens + answer tokens", `${summary.firstTurnPromptTokens} + ${summary.firstTurnCompletionTokens}`],
    ["second turn: prompt tokens", String(summary.secondTurnPromptTokens)],
    ["new tokens (second prompt − first prompt − first answer)", String(summary.newTokens)],
    ["evaluated prompt tokens (usage.evaluatedPromptTokens)", `${summary.evaluatedPromptTokens} (token meter: ${summary.meteredPromptTokens})`],
    [`evaluated / new (target ${summary.target.text})`, `${fixed(summary.ratio, 2)} ${summary.target.pass ? "PASS" : "MISS"}`],
    ["second prompt's prefix equal to the KV cache, tokens", `${summary.reusablePrefixTokens} of ${summary.cachedTokensAfterFirstTurn} cached`],
    ["evaluated − (second prompt − that prefix): tokens re-evaluated beyond a mismatch", String(summary.evaluatedPromptTokens - (summary.secondTurnPromptTokens - summary.reusablePrefixTokens))],
    ["first answer: generated tokens → its text tokenized again", `${summary.firstTurnCompletionTokens} → ${summary.firstAnswerRetokenized}`],
    ["the new user message with its template, about", String(summary.newMessageTokens)],
    ["second turn's prompt time (TTFT), ms: Hearth", `${fixed(summary.hearthPromptMs, 1)} (Hearth's own figure: ${fixed(summary.hearthReportedTimeToFirstTokenMs, 1)})`],
    ["the same new tokens, raw evaluate on the cached prefix, ms", fixed(summary.rawPromptMs, 1)],
    ["Hearth/raw prompt time", fixed(summary.hearthPromptMs / summary.rawPromptMs, 2)],
  ];
  return markdownTable([`measure (median of ${summary.runs})`, "value"], rows, ["left", "right"]);
}

/** One thread setting's medians and its ratios to Hearth's choice. */
export interface ThreadsRow {
  label: string;
  how: string;
  threads: number;
  llamaMaxThreads: number;
  summary: ArmSummary;
  cappedRuns: number;
  capSeconds: number | undefined;
  /** This setting's generation tokens/s over Hearth's choice's. */
  generationRatio: number;
  /** This setting's time to first token over Hearth's choice's. */
  timeToFirstTokenRatio: number;
}

export interface ThreadsSummary {
  tokens: number;
  promptTokens: number;
  rows: ThreadsRow[];
}

export function summarizeThreads(comparison: ThreadsComparison): ThreadsSummary {
  const chosen = summarizeArm("raw", comparison.chosen.samples);
  const rows = [comparison.chosen, ...comparison.others].map((measured) => {
    const summary = summarizeArm("raw", measured.samples);
    return {
      label: measured.label,
      how: measured.how,
      threads: measured.threads,
      llamaMaxThreads: measured.llamaMaxThreads,
      summary,
      cappedRuns: measured.cappedRuns,
      capSeconds: measured.capSeconds,
      generationRatio: summary.generationTokensPerSecond / chosen.generationTokensPerSecond,
      timeToFirstTokenRatio: summary.timeToFirstTokenMs / chosen.timeToFirstTokenMs,
    };
  });
  return { tokens: comparison.tokens, promptTokens: comparison.promptTokens, rows };
}

export function threadsTable(summary: ThreadsSummary): string {
  const rows = summary.rows.map((row) => [
    row.label,
    row.how,
    String(row.summary.runs),
    `${fixed(row.summary.generatedTokens, 0)}${row.cappedRuns > 0 ? ` (${row.cappedRuns} capped at ${row.capSeconds} s)` : ""}`,
    fixed(row.summary.timeToFirstTokenMs, 0),
    fixed(row.summary.generationTokensPerSecond, 2),
    fixed(row.generationRatio, 3),
    fixed(row.timeToFirstTokenRatio, 2),
  ]);
  return markdownTable(
    ["threads", "how", "runs", "tokens/run (median)", "TTFT ms", "generation tokens/s", "tokens/s vs Hearth's", "TTFT vs Hearth's"],
    rows,
    ["left", "left", "right", "right", "right", "right", "right", "right"],
  );
}
