/**
 * `hearth chat --model FILE [--mcp-config FILE] "question"`: one turn with a local model
 * and the config's MCP tools. Each tool call and its result are printed on stderr as
 * they happen, the answer on stdout as it streams. Ctrl-C stops the turn (the model and
 * every call) and keeps what was written.
 */
import type { Command } from "commander";
import type { McpPool, PoolTool } from "../../mcp/index.js";
import type { TurnEvent } from "../contract/chat.js";
import { ApprovalGate, MemoryApprovalRules, askerFor, type ApprovalAsker } from "../chat/approvals.js";
import { offeredTools } from "../chat/tool-selection.js";
import { terminalAsker } from "./approval-prompt.js";
import { listenForInterrupt } from "./interrupt.js";
import { loadConfig } from "./mcp-commands.js";
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
  mcpConfig?: string;
  approve?: string;
}

/** Adds `hearth chat` to `program`. */
export function registerChatCommand(program: Command, output: CliOutput, setExitCode: (code: number) => void): void {
  program
    .command("chat")
    .description("ask a local model one question, with the MCP tools of --mcp-config, and print the answer as it streams")
    .argument("<question>", "what to ask")
    .requiredOption("--model <file>", "a GGUF model file")
    .option("--gpu-layers <n>", 'layers to offload to the GPU: "auto", "max" or a number', "auto")
    .option("--context-size <n>", 'context size in tokens, or "auto" (what fits)', "auto")
    .option("--threads <n>", "CPU threads (default: the machine's physical cores)")
    .option("--system <prompt>", "system prompt")
    .option("--temperature <t>", "sampling temperature (0 is greedy)")
    .option("--max-tokens <n>", "most tokens to generate")
    .option("--seed <n>", "sampling seed")
    .option("--mcp-config <file>", "an mcp-config.json whose tools the model may call")
    .option("--approve <mode>", "calls that need approval: ask, auto (allow) or deny (default: ask on a terminal, else deny)")
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

/** How `--approve` answers; undefined (with a message) for a bad value. */
function approvalAsker(mode: string | undefined, output: CliOutput): ApprovalAsker | undefined | "invalid" {
  const chosen = mode ?? (process.stdin.isTTY && process.stderr.isTTY ? "ask" : "deny");
  if (chosen === "auto" || chosen === "deny") return askerFor(chosen);
  if (chosen === "ask") return terminalAsker();
  output.error(`--approve must be ask, auto or deny, not "${chosen}"\n`);
  return "invalid";
}

/** Prints the turn's tool activity on stderr, and the answer on stdout. */
function printEvent(event: TurnEvent, output: CliOutput): void {
  switch (event.type) {
    case "textDelta":
      output.out(event.text);
      break;
    case "toolCallRequested":
      output.error(`→ ${event.name}(${JSON.stringify(event.arguments)})${event.serverId ? ` on ${event.serverId}` : ""}\n`);
      break;
    case "toolCallFinished": {
      const text = event.status === "ok" ? (event.result?.content ?? []).map((item) => (item.type === "text" ? item.text : `[${item.type}]`)).join(" ") : (event.error ?? "");
      const firstLine = text.split("\n", 1)[0]!;
      const shown = firstLine.length > 200 ? `${firstLine.slice(0, 200)}…` : firstLine;
      const marker = event.result?.isError ? "error" : event.status;
      output.error(`← ${marker} in ${Math.round(event.durationMs)} ms: ${shown}\n`);
      break;
    }
    case "error":
      output.error(`error [${event.code}]: ${event.message}\n`);
      break;
  }
}

/** Starts the config's servers; says on stderr which failed. Undefined when the config is unusable. */
async function startPool(path: string, output: CliOutput): Promise<McpPool | undefined> {
  const config = await loadConfig(path, output);
  if (config === undefined) return undefined;
  const { McpPool } = await import("../../mcp/index.js");
  const pool = new McpPool({ autoRestart: false });
  await pool.apply(config);
  for (const connection of pool.servers()) {
    const state = connection.state;
    if (state.status === "error") output.error(`server ${connection.id} is not running: ${state.message}\n`);
  }
  return pool;
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
  const ask = approvalAsker(options.approve, output);
  if (ask === "invalid") return EXIT.badInput;
  let pool: McpPool | undefined;
  if (options.mcpConfig !== undefined) {
    pool = await startPool(options.mcpConfig, output);
    if (pool === undefined) return EXIT.badInput;
  }
  const { createEngine } = await import("../../models/engine.js");
  const { LocalChatRunner } = await import("../../models/local-runner.js");
  const { runTurn } = await import("../chat/turn.js");
  const { McpPool: EmptyPool } = await import("../../mcp/index.js");
  const stop = listenForInterrupt();
  const engine = await createEngine({ threads: settings.threads });
  const tools: PoolTool[] = pool === undefined ? [] : offeredTools(pool);
  try {
    const loaded = await engine.loadModel(options.model, { gpuLayers: settings.gpuLayers, signal: stop.signal });
    const context = await loaded.createContext({ contextSize: settings.contextSize });
    const runner = new LocalChatRunner({ contextSequence: context.getSequence(), systemPrompt: options.system });
    const result = await runTurn({
      runner,
      pool: pool ?? new EmptyPool(),
      messages: [{ role: "user", content: question }],
      tools,
      approvals: new ApprovalGate(new MemoryApprovalRules(), ask),
      sampling: settings.sampling,
      signal: stop.signal,
      onEvent: (event) => printEvent(event, output),
    });
    output.out("\n");
    if (result.stopReason === "error") return stop.signal.aborted ? EXIT.cancelled : EXIT.failed;
    const { timings, usage } = result;
    const speed = timings.tokensPerSecond === undefined ? "" : `, ${timings.tokensPerSecond.toFixed(1)} tokens/s`;
    const firstToken = timings.timeToFirstTokenMs === undefined ? "" : `, first token after ${Math.round(timings.timeToFirstTokenMs)} ms`;
    const calls = result.toolCalls.length === 0 ? "" : `; ${result.toolCalls.length} tool call${result.toolCalls.length === 1 ? "" : "s"}`;
    output.error(`[${usage.completionTokens} tokens${speed}${firstToken}; ${engine.backend}, ${engine.threads} threads${calls}${result.stopReason === "aborted" ? "; stopped" : ""}]\n`);
    return result.stopReason === "aborted" ? EXIT.cancelled : EXIT.ok;
  } catch (error) {
    output.error(failureLine("chat failed", error));
    return stop.signal.aborted ? EXIT.cancelled : EXIT.failed;
  } finally {
    stop.dispose();
    await pool?.close();
    await engine.dispose();
  }
}
