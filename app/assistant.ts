/**
 * The library API: a local model (or a remote OpenAI-compatible server) with MCP tools in
 * a few lines.
 *
 * ```ts
 * const assistant = await createAssistant({ model: "hf:bartowski/Qwen2.5-7B-Instruct-GGUF:Q4_K_M" })
 *   .withMcpClient("mcp-config.json")
 *   .build();
 * const reply = await assistant.send("What's the weather in Paris?");
 * console.log(reply.content, reply.tool_calls);
 * await assistant.close();
 * ```
 *
 * The history stays with the caller: `send` takes the messages and returns what the turn
 * added. Nothing is stored; approvals answered "always" last as long as the assistant.
 */
import { isAbsolute, resolve } from "node:path";
import type { z } from "zod";
import type { McpConfigSchema} from "../mcp/index.js";
import { ConfigInvalidError, McpConfigFile, McpPool, parseMcpConfig, type McpConfig } from "../mcp/index.js";
import { defaultModelsFolder } from "../models/data-folder.js";
import { pullModel } from "../models/download/index.js";
import { createEngine, type Engine } from "../models/engine.js";
import { LocalChatRunner } from "../models/local-runner.js";
import { RemoteChatRunner } from "../models/remote-runner.js";
import type { ChatMessage, ChatRunner, SamplingSettings, ToolChoice } from "../models/runner.js";
import type { ToolCallRecord, TurnEvent } from "./contract/chat.js";
import { ApprovalGate, MemoryApprovalRules, askerFor, type ApprovalAsker } from "./chat/approvals.js";
import { offeredTools } from "./chat/tool-selection.js";
import { runTurn, type TurnOutcome } from "./chat/turn.js";

/** Where the model runs. */
export interface AssistantOptions {
  /**
   * A GGUF file path, or an `hf:` URI / https URL that is downloaded into the models
   * folder first (once). Leave out when `remote` is given.
   */
  model?: string;
  /** A remote OpenAI-compatible server instead of a local model. */
  remote?: { baseUrl: string; model: string; apiKey?: string };
  /** Layers on the GPU: `"auto"` (default), `"max"`, or a number. */
  gpuLayers?: "auto" | "max" | number;
  /** Context size in tokens, or `"auto"` (default: the most that fits). */
  contextSize?: "auto" | number;
  /** CPU threads. Default: the physical cores this process may use. */
  threads?: number;
  systemPrompt?: string;
  /** Sampling defaults for every turn. */
  sampling?: SamplingSettings;
  /** Where downloaded models go. Default: Hearth's models folder. */
  modelsFolder?: string;
}

/** mcp-config.json's content as written by hand: defaults may be left out. */
export type McpConfigInput = z.input<typeof McpConfigSchema>;

/** How calls that need approval are decided: `"auto"` allows all, `"deny"` (default) refuses all, or a function that asks. */
export type ApprovalSetting = "auto" | "deny" | ApprovalAsker;

/** Options of one {@link Assistant.send}. */
export interface AssistantSendOptions {
  signal?: AbortSignal;
  onEvent?: (event: TurnEvent) => void;
  sampling?: SamplingSettings;
  toolChoice?: ToolChoice;
}

/** A tool call of the turn, in OpenAI's shape, with what came of it. */
export interface AssistantToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
  /** The full record (server, status, result, timings). */
  record: ToolCallRecord;
}

/** The final message of a turn. */
export interface AssistantReply {
  role: "assistant";
  content: string;
  /** Every tool call the turn made, in order. */
  tool_calls: AssistantToolCall[];
  /** Everything the turn added to the history (calls, results, answer): append it to keep the conversation going. */
  messages: ChatMessage[];
  stopReason: TurnOutcome["stopReason"];
  usage: TurnOutcome["usage"];
  timings: TurnOutcome["timings"];
}

/** A model with MCP tools; see the file's comment. */
export interface Assistant extends AsyncDisposable {
  /** The model: `local: file.gguf` or `remote: …`. */
  readonly description: string;
  /** The pool of MCP servers (states, tools, logs). */
  readonly mcp: McpPool;
  /**
   * Runs one turn. `input` is the history ending with the user's message, or just the
   * user's text. Resolves with the final message; rejects only when the model fails.
   */
  send(input: string | ChatMessage[], options?: AssistantSendOptions): Promise<AssistantReply>;
  /** Stops the MCP servers and unloads the model. */
  close(): Promise<void>;
}

/** Starts building an assistant; see {@link AssistantBuilder}. */
export function createAssistant(options: AssistantOptions): AssistantBuilder {
  return new AssistantBuilder(options);
}

/** Collects the MCP config and approval setting, then {@link AssistantBuilder.build}s. */
export class AssistantBuilder {
  private mcpConfig: string | McpConfig | undefined;
  private approval: ApprovalSetting = "deny";

  constructor(private readonly options: AssistantOptions) {}

  /**
   * The MCP servers: a path to an mcp-config.json, or the config object (the same format,
   * checked the same way).
   * @throws ConfigInvalidError (`config_invalid`) for an invalid object, listing every problem with its path.
   */
  withMcpClient(config: string | McpConfigInput): this {
    if (typeof config === "string") {
      this.mcpConfig = config;
      return this;
    }
    const result = parseMcpConfig(config);
    if (!result.ok) throw new ConfigInvalidError(result.issues, "the MCP config");
    this.mcpConfig = result.config;
    return this;
  }

  /** How calls that need approval are decided. Default `"deny"`. */
  withApprovals(setting: ApprovalSetting): this {
    this.approval = setting;
    return this;
  }

  /**
   * Loads the model (downloading it first when `model` is a URI) and starts the MCP
   * servers; a server that fails to start is a state of the pool, not a failure here.
   * @throws ModelError / ModelFileError / RemoteModelError / McpClientError (`config_invalid`, `config_io`).
   */
  async build(): Promise<Assistant> {
    const config = typeof this.mcpConfig === "string" ? (await McpConfigFile.open(this.mcpConfig)).current : this.mcpConfig;
    const { runner, dispose } = await openRunner(this.options);
    const pool = new McpPool();
    try {
      if (config !== undefined) await pool.apply(config);
    } catch (error) {
      await pool.close();
      await dispose();
      throw error;
    }
    return new RunningAssistant(runner, pool, new ApprovalGate(new MemoryApprovalRules(), askerFor(this.approval)), this.options.sampling, dispose);
  }
}

class RunningAssistant implements Assistant {
  private closed: Promise<void> | undefined;

  constructor(
    private readonly runner: ChatRunner,
    readonly mcp: McpPool,
    private readonly approvals: ApprovalGate,
    private readonly sampling: SamplingSettings | undefined,
    private readonly disposeRunner: () => Promise<void>,
  ) {}

  get description(): string {
    return this.runner.description;
  }

  async send(input: string | ChatMessage[], options: AssistantSendOptions = {}): Promise<AssistantReply> {
    const messages: ChatMessage[] = typeof input === "string" ? [{ role: "user", content: input }] : input;
    const outcome = await runTurn({
      runner: this.runner,
      pool: this.mcp,
      messages,
      tools: offeredTools(this.mcp),
      approvals: this.approvals,
      sampling: { ...this.sampling, ...options.sampling },
      toolChoice: options.toolChoice,
      signal: options.signal,
      onEvent: options.onEvent,
    });
    if (outcome.stopReason === "error") throw Object.assign(new Error(outcome.error!.message), { code: outcome.error!.code });
    return {
      role: "assistant",
      content: outcome.text,
      tool_calls: outcome.toolCalls.map((record) => ({ id: record.id, type: "function", function: { name: record.name, arguments: JSON.stringify(record.arguments) }, record })),
      messages: outcome.messages,
      stopReason: outcome.stopReason,
      usage: outcome.usage,
      timings: outcome.timings,
    };
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      await this.mcp.close();
      await this.disposeRunner();
    })();
    return this.closed;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** The runner the options ask for, and how to release it. */
async function openRunner(options: AssistantOptions): Promise<{ runner: ChatRunner; dispose: () => Promise<void> }> {
  if (options.remote !== undefined) {
    const runner = new RemoteChatRunner({ ...options.remote, systemPrompt: options.systemPrompt, defaults: options.sampling });
    return { runner, dispose: () => runner.dispose() };
  }
  if (options.model === undefined) throw new TypeError("createAssistant needs `model` (a GGUF path or an hf: URI) or `remote`");
  const path = await localModelPath(options.model, options.modelsFolder);
  const engine: Engine = await createEngine({ threads: options.threads });
  try {
    const loaded = await engine.loadModel(path, { gpuLayers: options.gpuLayers, contextSize: options.contextSize });
    const context = await loaded.createContext();
    const runner = new LocalChatRunner({ contextSequence: context.getSequence(), systemPrompt: options.systemPrompt, defaults: options.sampling });
    return {
      runner,
      dispose: async () => {
        runner.dispose();
        await engine.dispose();
      },
    };
  } catch (error) {
    await engine.dispose();
    throw error;
  }
}

async function localModelPath(model: string, modelsFolder: string | undefined): Promise<string> {
  if (!/^(hf:|https?:\/\/)/.test(model)) return isAbsolute(model) ? model : resolve(model);
  const folder = modelsFolder ?? defaultModelsFolder();
  return (await pullModel(model, { modelsFolder: folder })).path;
}
