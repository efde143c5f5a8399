/**
 * `hearth chat --model FILE "question"`: one question to a local model, the answer
 * printed as it streams. Ctrl-C stops generation and keeps what was written.
 */
import type { Command } from "commander";
import { listenForInterrupt } from "./interrupt.js";
import { EXIT, failureLine, type CliOutput } from "./output.js";

export interface ChatCommandOptions {
  model: string;
  gpuLayers?: string;
  contextSize?: string;
  threads?: string;
  system?: string;
  temperature?: string;
  maxTokens?: string;
  seed?: string;
}

/** Adds `hearth chat` to `program`. */
export function registerChatCommand(program: Command, output: CliOutput, setExitCode: (code: number) => void): void {
  program
    .command("chat")
    .description("ask a local model one question and print the answer as it streams")
    .argument("<question>", "what to ask")
    .requiredOption("--model <file>", "a GGUF model file")
    .option("--gpu-layers <n>", 'layers to offload to the GPU: "auto", "max" or a number', "auto")
    .option("--context-size <n>", 'context size in tokens, or "auto" (what fits)', "auto")
    .option("--threads <n>", "CPU threads (default: the machine's physical cores)")
    .option("--system <prompt>", "system prompt")
    .option("--temperature <t>", "sampling temperature (0 is greedy)")
    .option("--max-tokens <n>", "most tokens to generate")
    .option("--seed <n>", "sampling seed")
    .action(async (question: string, options: ChatCommandOptions) => setExitCode(await chatCommand(question, options, output)));
}

function numberOption(name: string, value: string | undefined, integer = true): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || (integer && !Number.isInteger(number))) throw new Error(`--${name} must be a${integer ? " whole" : ""} number, not "${value}"`);
  return number;
}

function sizeOption(name: string, value: string | undefined): "auto" | "max" | number | undefined {
  if (value === undefined || value === "auto" || (value === "max" && name === "gpu-layers")) return value as "auto" | "max" | undefined;
  return numberOption(name, value);
}

/** Runs one question; resolves to the exit code (0 answered, 1 failed, 2 bad options, 130 stopped). */
export async function chatCommand(question: string, options: ChatCommandOptions, output: CliOutput): Promise<number> {
  let settings;
  try {
    settings = {
      gpuLayers: sizeOption("gpu-layers", options.gpuLayers) as "auto" | "max" | number | undefined,
      contextSize: sizeOption("context-size", options.contextSize) as "auto" | number | undefined,
      threads: numberOption("threads", options.threads),
      sampling: {
        temperature: numberOption("temperature", options.temperature, false),
        maxTokens: numberOption("max-tokens", options.maxTokens),
        seed: numberOption("seed", options.seed),
      },
    };
  } catch (error) {
    output.error(`${(error as Error).message}\n`);
    return EXIT.badInput;
  }
  const { createEngine } = await import("../../models/engine.js");
  const { LocalChatRunner } = await import("../../models/local-runner.js");
  const stop = listenForInterrupt();
  const engine = await createEngine({ threads: settings.threads });
  try {
    const loaded = await engine.loadModel(options.model, { gpuLayers: settings.gpuLayers, signal: stop.signal });
    const context = await loaded.createContext({ contextSize: settings.contextSize });
    const runner = new LocalChatRunner({ contextSequence: context.getSequence(), systemPrompt: options.system });
    const result = await runner.run({
      messages: [{ role: "user", content: question }],
      sampling: settings.sampling,
      signal: stop.signal,
      onEvent: (event) => {
        if (event.type === "textDelta") output.out(event.text);
      },
    });
    output.out("\n");
    const { timings, usage } = result;
    const speed = timings.tokensPerSecond === undefined ? "" : `, ${timings.tokensPerSecond.toFixed(1)} tokens/s`;
    const firstToken = timings.timeToFirstTokenMs === undefined ? "" : `, first token after ${Math.round(timings.timeToFirstTokenMs)} ms`;
    output.error(`[${usage.completionTokens} tokens${speed}${firstToken}; ${engine.backend}, ${engine.threads} threads${result.stopReason === "aborted" ? "; stopped" : ""}]\n`);
    return result.stopReason === "aborted" ? EXIT.cancelled : EXIT.ok;
  } catch (error) {
    output.error(failureLine("chat failed", error));
    return stop.signal.aborted ? EXIT.cancelled : EXIT.failed;
  } finally {
    stop.dispose();
    await engine.dispose();
  }
}
