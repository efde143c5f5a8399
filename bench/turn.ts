/**
 * `npm run bench -- turn`: one chat turn with one tool call, on the random-weight
 * SmolLM2-135M-shaped q8_0 model, through Hearth's whole agent loop (`runTurn`: the local
 * runner, the MCP pool, the weather server over stdio, approvals, events), against raw
 * node-llama-cpp evaluating the same tokens in the same run.
 *
 * A random model never calls a tool by itself, so the turn uses `toolChoice: "required"`
 * (the first response is forced into a call; the weather server's `city` is an enum, so
 * the arguments are short), then the model answers freely, greedy, up to --tokens in all.
 *
 * Per round (medians of --rounds): Hearth's wall time split into tool time (the MCP call),
 * llama.cpp's compute (raw `LlamaContextSequence.evaluate` of the same prompt tokens and
 * the same number of generated tokens, on a second context of the same model) as prompt
 * evaluation and generation, and what is left: Hearth's own overhead. Then the cost of
 * going on after the tool result: tokens llama.cpp evaluated in the second round (its
 * token meter) against the tokens actually new since the first (target: a ratio close to
 * 1; the history is not evaluated again).
 *
 * Options: --rounds (5), --tokens (48, the whole turn's generation cap), --threads.
 * Writes bench/results/turn.json.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { LlamaContextSequence, Token, TokenMeterState } from "node-llama-cpp";
import { ApprovalGate, MemoryApprovalRules } from "../app/chat/approvals.js";
import { runTurn, type TurnOutcome } from "../app/chat/turn.js";
import { McpPool } from "../mcp/index.js";
import { createEngine } from "../models/engine.js";
import { LocalChatRunner } from "../models/local-runner.js";
import { weatherProcessSource } from "../tests/fixtures/weather-server.js";
import { holdTokens, measureRaw, type Sample } from "./lib/inference-arms.js";
import { median } from "./lib/stats.js";
import { CONTEXT_SIZE, prepareModelFile } from "./lib/inference-model.js";
import { fixed, markdownTable, millis } from "./lib/table.js";

interface RoundSample {
  hearthMs: number;
  toolMs: number;
  rawPromptMs: number;
  rawGenerationMs: number;
  overheadMs: number;
  /** Tokens: first round's prompt and output, second round's prompt, what it evaluated and what was new. */
  firstPrompt: number;
  firstGenerated: number;
  secondPrompt: number;
  /** Prompt tokens of the second round not in the KV cache (the runner's count: what it asked llama.cpp to evaluate). */
  secondEvaluated: number;
  /** Every token llama.cpp evaluated in the second round but the generated ones (its token meter). */
  secondMetered: number;
  secondNew: number;
  secondGenerated: number;
  answer: string;
  toolStatus: string;
}

const evaluatedSince = (from: TokenMeterState, to: TokenMeterState) => ({
  input: to.usedInputTokens - from.usedInputTokens,
  output: to.usedOutputTokens - from.usedOutputTokens,
});

/** One Hearth turn on `sequence` (cleared first), with the meter read at each step. */
async function hearthTurn(runner: LocalChatRunner, sequence: LlamaContextSequence, pool: McpPool, maxTokens: number) {
  await sequence.clearHistory();
  const marks: { start?: TokenMeterState; calls?: TokenMeterState; result?: TokenMeterState; cachedAfterFirst?: Token[] } = {};
  marks.start = sequence.tokenMeter.getState();
  const started = performance.now();
  const outcome: TurnOutcome = await runTurn({
    runner,
    pool,
    messages: [{ role: "user", content: "What is the weather like in the capital of France today?" }],
    tools: pool.tools(),
    approvals: new ApprovalGate(new MemoryApprovalRules()),
    toolChoice: "required",
    sampling: { temperature: 0, maxTokens },
    onEvent: (event) => {
      if (event.type === "toolCallRequested") {
        marks.calls = sequence.tokenMeter.getState();
        marks.cachedAfterFirst = [...sequence.contextTokens];
      }
      if (event.type === "toolCallFinished") marks.result = sequence.tokenMeter.getState();
    },
  });
  const hearthMs = performance.now() - started;
  if (marks.calls === undefined || marks.result === undefined) throw new Error(`the turn made no tool call (stop reason ${outcome.stopReason})`);
  const first = evaluatedSince(marks.start, marks.calls);
  const second = evaluatedSince(marks.result, sequence.tokenMeter.getState());
  // The meter counts a batch's last token (evaluated for its logits) and each generated
  // token evaluated for the next as output, the rest of the prompt as input.
  const firstPrompt = first.input + 1;
  const secondPrompt = outcome.usage.promptTokens - firstPrompt;
  const secondEvaluated = outcome.usage.evaluatedPromptTokens - firstPrompt;
  return {
    outcome,
    hearthMs,
    tokens: [...sequence.contextTokens],
    firstPrompt,
    firstGenerated: first.output,
    secondPrompt,
    secondEvaluated,
    secondMetered: second.input + 1,
    secondNew: secondPrompt - marks.cachedAfterFirst!.length,
    cachedAfterFirst: marks.cachedAfterFirst!,
    secondGenerated: second.output,
  };
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { rounds: { type: "string", default: "5" }, tokens: { type: "string", default: "48" }, threads: { type: "string" } } });
  const rounds = Number(values.rounds);
  const maxTokens = Number(values.tokens);
  const modelFile = await prepareModelFile();
  const engine = await createEngine({ gpu: false, ...(values.threads === undefined ? {} : { threads: Number(values.threads) }) });
  const pool = new McpPool({ autoRestart: false });
  try {
    const loaded = await engine.loadModel(modelFile.path, { contextSize: CONTEXT_SIZE });
    const hearthContext = await loaded.createContext();
    const rawContext = await loaded.createContext();
    const hearthSequence = hearthContext.getSequence();
    const rawSequence = rawContext.getSequence();
    const runner = new LocalChatRunner({ contextSequence: hearthSequence, chatWrapper: "chatML" });
    await pool.apply({
      servers: [{ id: "weather", source: weatherProcessSource({ annotations: "readonly", cities: ["Paris", "Rome", "Tokyo"] }), enabled: true, resources: [] }],
      auto_register_tools: true,
      tool_timeout_secs: 30,
      max_concurrent_calls: 10,
    });
    console.log(`model: ${modelFile.path} (${(modelFile.bytes / 1e6).toFixed(0)} MB), CPU, ${engine.threads} threads, context ${CONTEXT_SIZE}`);

    const samples: RoundSample[] = [];
    // One warm-up turn, not counted: the first call starts the server's handler and pages the model in.
    await hearthTurn(runner, hearthSequence, pool, maxTokens);
    for (let round = 0; round < rounds; round++) {
      const hearth = await hearthTurn(runner, hearthSequence, pool, maxTokens);
      // Raw llama.cpp on the same tokens: the first round's prompt and as many generated
      // tokens; then, on the prefix Hearth kept, the second round's new tokens and its output.
      await rawSequence.clearHistory();
      const rawFirst: Sample = await measureRaw(rawSequence, hearth.tokens.slice(0, hearth.firstPrompt), hearth.firstGenerated);
      const reused = hearth.secondPrompt - hearth.secondEvaluated;
      await holdTokens(rawSequence, hearth.tokens.slice(0, reused));
      const rawSecond: Sample = await measureRaw(rawSequence, hearth.tokens.slice(0, hearth.secondPrompt), Math.max(1, hearth.secondGenerated), { cachedTokens: reused });
      const toolMs = hearth.outcome.timings.toolMs;
      const rawPromptMs = rawFirst.timeToFirstTokenMs + rawSecond.timeToFirstTokenMs;
      const rawGenerationMs = rawFirst.generationMs + rawSecond.generationMs;
      samples.push({
        hearthMs: hearth.hearthMs,
        toolMs,
        rawPromptMs,
        rawGenerationMs,
        overheadMs: hearth.hearthMs - toolMs - rawPromptMs - rawGenerationMs,
        firstPrompt: hearth.firstPrompt,
        firstGenerated: hearth.firstGenerated,
        secondPrompt: hearth.secondPrompt,
        secondEvaluated: hearth.secondEvaluated,
        secondMetered: hearth.secondMetered,
        secondNew: hearth.secondNew,
        secondGenerated: hearth.secondGenerated,
        answer: hearth.outcome.text,
        toolStatus: hearth.outcome.toolCalls.map((call) => `${call.name}(${JSON.stringify(call.arguments)}) ${call.status}`).join(", "),
      });
      await hearthSequence.clearHistory();
    }
    report(samples);
    await mkdir(new URL("./results/", import.meta.url), { recursive: true });
    await writeFile(new URL("./results/turn.json", import.meta.url), JSON.stringify({ modelFile, threads: engine.threads, maxTokens, samples }, null, 2));
  } finally {
    await pool.close();
    await engine.dispose();
  }
}

function report(samples: RoundSample[]): void {
  const m = (pick: (sample: RoundSample) => number) => median(samples.map(pick));
  // Means for the split, so that its parts add up to the whole.
  const mean = (pick: (sample: RoundSample) => number) => samples.reduce((sum, sample) => sum + pick(sample), 0) / samples.length;
  const total = mean((s) => s.hearthMs);
  const share = (value: number) => `${fixed((100 * value) / total, 1)} %`;
  console.log(`\nOne turn with one tool call (means of ${samples.length}); tool: ${samples[0]!.toolStatus}\n`);
  console.log(
    markdownTable(
      ["part", "time", "share of the turn"],
      [
        ["prompt evaluation (raw llama.cpp, both rounds)", millis(mean((s) => s.rawPromptMs)), share(mean((s) => s.rawPromptMs))],
        ["generation (raw llama.cpp, both rounds)", millis(mean((s) => s.rawGenerationMs)), share(mean((s) => s.rawGenerationMs))],
        ["tool call (MCP, stdio)", millis(mean((s) => s.toolMs)), share(mean((s) => s.toolMs))],
        ["Hearth's own overhead (the rest)", millis(mean((s) => s.overheadMs)), share(mean((s) => s.overheadMs))],
        ["whole turn (Hearth)", millis(total), "100 %"],
      ],
      ["left", "right", "right"],
    ),
  );
  const compute = mean((s) => s.rawPromptMs + s.rawGenerationMs);
  console.log(`\nHearth turn minus tool time / raw compute: ${fixed((total - mean((s) => s.toolMs)) / compute, 3)}× (medians of rounds: ${fixed(m((s) => (s.hearthMs - s.toolMs) / (s.rawPromptMs + s.rawGenerationMs)), 3)}×)\n`);
  console.log(`Token counts: medians of ${samples.length}.\n`);
  console.log(
    markdownTable(
      ["tokens", "first round", "after the tool result"],
      [
        ["prompt (as the model sees it)", String(m((s) => s.firstPrompt)), String(m((s) => s.secondPrompt))],
        ["evaluated: not in the KV cache (the runner asks llama.cpp for these)", String(m((s) => s.firstPrompt)), String(m((s) => s.secondEvaluated))],
        ["evaluated: all llama.cpp evaluated but the generated tokens (token meter)", "", String(m((s) => s.secondMetered))],
        ["actually new (the prompt minus what the KV cache held after the call)", String(m((s) => s.firstPrompt)), String(m((s) => s.secondNew))],
        ["generated", String(m((s) => s.firstGenerated)), String(m((s) => s.secondGenerated))],
      ],
      ["left", "right", "right"],
    ),
  );
  const ratio = m((s) => s.secondEvaluated / s.secondNew);
  const metered = m((s) => s.secondMetered / s.secondNew);
  console.log(
    `\nevaluated / new after the tool result: ${fixed(ratio, 2)} by the runner's count, ${fixed(metered, 2)} by the token meter ` +
      `(target: close to 1; re-evaluating the history would give ${fixed(m((s) => s.secondPrompt / s.secondNew), 1)})`,
  );
}
