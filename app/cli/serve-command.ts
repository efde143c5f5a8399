/**
 * `hearth serve`: the chat core with no window, as an OpenAI-compatible API whose model
 * calls the MCP tools of `--mcp-config` by itself (app/server/). SIGINT or SIGTERM stops
 * accepting, lets the turns in flight end, stops the MCP servers and exits 0.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import type { McpPool } from "../../mcp/index.js";
import type { ChatRunner } from "../../models/runner.js";
import type { EventSink } from "../contract/channels.js";
import type { RemoteProvider } from "../model-sources.js";
import type { ChatStore } from "../store/index.js";
import type { HearthServer } from "../server/server.js";
import { listenForInterrupt } from "./interrupt.js";
import { loadConfig } from "./mcp-commands.js";
import { EXIT, failureLine, type CliOutput } from "./output.js";

export interface ServeOptions {
  mcpConfig?: string;
  model?: string;
  port: string;
  host: string;
  apiKey?: string;
  approve: string;
  parallel: string;
  gpuLayers: string;
  contextSize: string;
  threads?: string;
  remoteUrl?: string;
  remoteModel?: string;
  temperature?: string;
  ui?: boolean;
}

/** Where `npm run build:ui` puts the renderer. */
export const RENDERER_FOLDER = fileURLToPath(new URL("../../dist/renderer/", import.meta.url));

/** Adds `hearth serve` to `program`. */
export function registerServeCommand(program: Command, output: CliOutput, setExitCode: (code: number) => void): void {
  program
    .command("serve")
    .description("serve an OpenAI-compatible API (/v1/chat/completions) whose model calls the MCP tools itself")
    .option("--mcp-config <file>", "the MCP servers whose tools the model may call")
    .option("--model <file|uri>", "a GGUF file, or an hf: URI / https URL downloaded into the models folder")
    .option("--port <n>", "port", "1234")
    .option("--host <address>", "address to listen on; anything but loopback needs --api-key", "127.0.0.1")
    .option("--api-key <key>", "require Authorization: Bearer <key> (default: $HEARTH_API_KEY)")
    .option("--approve <mode>", "tool calls that need approval: auto (allow) or deny; a request may say otherwise", "deny")
    .option("--parallel <n>", "requests the model serves at once (one context each); the rest queue", "1")
    .option("--gpu-layers <n>", 'layers to offload to the GPU: "auto", "max" or a number', "auto")
    .option("--context-size <n>", 'context size in tokens per request, or "auto"', "auto")
    .option("--threads <n>", "CPU threads (default: the machine's physical cores)")
    .option("--temperature <t>", "sampling temperature when a request gives none (default 0.7; 0 is greedy)")
    .option("--remote-url <url>", "use a remote OpenAI-compatible server (its /v1 URL) instead of a local model")
    .option("--remote-model <name>", "the model name to ask the remote server for")
    .option("--ui", "also serve the chat UI to a browser (at / with a token printed at start); conversations are kept in the data folder")
    .action(async (options: ServeOptions) => setExitCode(await serveCommand(options, output)));
}

function wholeNumber(name: string, value: string, least: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < least) throw new Error(`--${name} must be a whole number of at least ${least}, not "${value}"`);
  return number;
}

/** `--temperature` as the runners' sampling defaults; none when it is not given. */
function samplingDefaults(options: ServeOptions): { temperature: number } | undefined {
  if (options.temperature === undefined) return undefined;
  const temperature = Number(options.temperature);
  if (!(temperature >= 0 && temperature <= 2)) throw new Error(`--temperature must be a number from 0 to 2, not "${options.temperature}"`);
  return { temperature };
}

/** `--gpu-layers`, `--context-size` and `--threads`, checked, as a local model is loaded with them. */
function loadSettings(options: ServeOptions): { gpuLayers: "auto" | "max" | number; contextSize: "auto" | number; threads: number | undefined } {
  return {
    gpuLayers: options.gpuLayers === "auto" || options.gpuLayers === "max" ? options.gpuLayers : wholeNumber("gpu-layers", options.gpuLayers, 0),
    contextSize: options.contextSize === "auto" ? "auto" : wholeNumber("context-size", options.contextSize, 1),
    threads: options.threads === undefined ? undefined : wholeNumber("threads", options.threads, 1),
  };
}

/** The runners to serve with, their model id and description, and how to release them. */
interface Served {
  id: string;
  description: string;
  runners: ChatRunner[];
  dispose(): Promise<void>;
}

/** Opens `--model`, or else the remote provider `remote` (`--remote-url`'s or the settings'). */
async function openModel(options: ServeOptions, remote: RemoteProvider | undefined, parallel: number, output: CliOutput, signal: AbortSignal): Promise<Served | undefined> {
  const defaults = samplingDefaults(options);
  if (remote !== undefined) {
    const { RemoteChatRunner } = await import("../../models/remote-runner.js");
    const runner = new RemoteChatRunner({ ...remote, defaults });
    return { id: remote.model, description: runner.description, runners: Array.from({ length: parallel }, () => runner), dispose: () => runner.dispose() };
  }
  if (options.model === undefined) {
    const { REMOTE_PROVIDER_SETTING } = await import("../model-sources.js");
    output.error(
      "hearth serve needs a model. Give one of:\n" +
        "  --model FILE.gguf                 a local GGUF file\n" +
        "  --model hf:OWNER/REPO:QUANT       downloaded once into the models folder (see `hearth models recommended`)\n" +
        "  --remote-url URL --remote-model NAME   an OpenAI-compatible server (llama.cpp server, vLLM, Ollama)\n" +
        `or set the "${REMOTE_PROVIDER_SETTING}" setting to a remote provider.\n`,
    );
    return undefined;
  }
  const { gpuLayers, contextSize, threads } = loadSettings(options);
  let path = options.model;
  if (/^(hf:|https?:\/\/)/.test(path)) {
    const { pullModel } = await import("../../models/download/index.js");
    const { defaultModelsFolder } = await import("../../models/data-folder.js");
    output.error(`downloading ${path}…\n`);
    path = (await pullModel(path, { modelsFolder: defaultModelsFolder(), signal })).path;
  }
  const { createEngine } = await import("../../models/engine.js");
  const { LocalChatRunner } = await import("../../models/local-runner.js");
  const engine = await createEngine({ threads });
  try {
    const loaded = await engine.loadModel(path, { gpuLayers, contextSize, signal });
    const runners: ChatRunner[] = [];
    for (let slot = 0; slot < parallel; slot++) {
      const context = await loaded.createContext({ signal });
      runners.push(new LocalChatRunner({ contextSequence: context.getSequence(), defaults }));
    }
    const id = basename(path).replace(/\.gguf$/i, "");
    return { id, description: `${runners[0]!.description} (${engine.backend}, ${engine.threads} threads)`, runners, dispose: () => engine.dispose() };
  } catch (error) {
    await engine.dispose();
    throw error;
  }
}

/** The remote provider `--remote-url` names, if any. */
function remoteFromOptions(options: ServeOptions): RemoteProvider | undefined {
  return options.remoteUrl === undefined ? undefined : { baseUrl: options.remoteUrl, model: options.remoteModel ?? "default", apiKey: process.env.HEARTH_REMOTE_API_KEY };
}

/** The remote provider the settings name, if any: read from `store`, else from the data folder's database when there is one. */
async function remoteFromSettings(store: ChatStore | undefined): Promise<RemoteProvider | undefined> {
  const { REMOTE_PROVIDER_SETTING, remoteFromSetting } = await import("../model-sources.js");
  if (store !== undefined) return remoteFromSetting(store.setting(REMOTE_PROVIDER_SETTING));
  const { userDataFolder } = await import("../../models/data-folder.js");
  const path = join(userDataFolder(), "hearth.db");
  if (!existsSync(path)) return undefined;
  const { ChatStore } = await import("../store/index.js");
  using opened = ChatStore.open(path);
  return remoteFromSetting(opened.setting(REMOTE_PROVIDER_SETTING));
}

/**
 * The UI's side of the server: the store of conversations (in the data folder, so they
 * outlive a restart), the models a conversation may choose (the one the API serves, the
 * data folder's `models/` and the remote provider), the core handlers and their WebSocket
 * bridge, behind a token made at each start.
 */
async function startUi(server: HearthServer, pool: McpPool, served: Served, options: ServeOptions, mcpConfigPath: string | undefined, store: ChatStore, remote: RemoteProvider | undefined) {
  const { userDataFolder, defaultModelsFolder } = await import("../../models/data-folder.js");
  const { createCoreHandlers } = await import("../bridge/core-handlers.js");
  const { LocalModelHost, THREADS_SETTING, threadsFromSetting } = await import("../local-model-host.js");
  const { attachUiBridge } = await import("../server/ui-bridge.js");
  const { readFileSync } = await import("node:fs");
  const version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
  const runner = served.runners[0];
  // The model the API serves is offered as it is; the API keeps using it, so the host never frees it.
  const preloaded =
    runner === undefined ? undefined : { modelId: servedModelId(served, runner), runner, description: served.description, dispose: async () => {} };
  const { gpuLayers, contextSize, threads } = loadSettings(options);
  const models = new LocalModelHost({
    modelsFolder: defaultModelsFolder(),
    remote,
    preloaded,
    // --threads wins; else the settings page's value, read at each load.
    threads: threads ?? (() => threadsFromSetting(store.setting(THREADS_SETTING))),
    gpuLayers,
    contextSize,
    samplingDefaults: samplingDefaults(options),
  });
  const token = randomBytes(24).toString("base64url");
  const url = new URL(server.url);
  let emit: EventSink = () => {};
  const { AppLog } = await import("../log.js");
  const dataFolder = userDataFolder();
  const core = createCoreHandlers({
    store,
    pool,
    models,
    binding: "websocket",
    version,
    emit: (channel, payload) => emit(channel, payload),
    dataFolder,
    // The servers page edits the file the servers came from.
    mcpConfigPath: mcpConfigPath ?? join(dataFolder, "mcp-config.json"),
    log: new AppLog(),
  });
  const bridge = attachUiBridge({ httpServer: server.httpServer, host: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port) }, core.handlers, { token });
  emit = bridge.emit;
  return {
    token,
    async close() {
      core.dispose();
      await bridge.close();
      // Frees the models the UI loaded; the served one stays for `served.dispose()`.
      await models.dispose();
    },
  };
}

/** The `models.list` id of the served model: `local:<file name>` or `remote:<model name>`. */
function servedModelId(served: Served, runner: ChatRunner): string {
  const local = /^local: (.+)$/.exec(runner.description);
  return local ? `local:${local[1]}` : `remote:${served.id}`;
}

/** Runs the server until SIGINT or SIGTERM; resolves to the exit code. */
export async function serveCommand(options: ServeOptions, output: CliOutput): Promise<number> {
  let port: number;
  let parallel: number;
  try {
    port = wholeNumber("port", options.port, 0);
    parallel = wholeNumber("parallel", options.parallel, 1);
    if (options.approve !== "auto" && options.approve !== "deny") throw new Error(`--approve must be auto or deny, not "${options.approve}"`);
  } catch (error) {
    output.error(`${(error as Error).message}\n`);
    return EXIT.badInput;
  }
  const apiKey = options.apiKey ?? process.env.HEARTH_API_KEY;
  const { bindingProblem } = await import("../server/security.js");
  const unsafe = bindingProblem(options.host, apiKey);
  if (unsafe !== undefined) {
    output.error(`${unsafe}\n`);
    return EXIT.badInput;
  }

  if (options.ui && !existsSync(join(RENDERER_FOLDER, "index.html"))) {
    output.error(`--ui needs the built UI in ${RENDERER_FOLDER}: run \`npm run build:ui\` first\n`);
    return EXIT.badInput;
  }

  const stop = listenForInterrupt();
  const { McpPool } = await import("../../mcp/index.js");
  const pool: McpPool = new McpPool();
  let served: Served | undefined;
  // With --ui, the data folder's store of conversations: opened once, it also names the remote provider.
  let store: ChatStore | undefined;
  try {
    // With the UI and no --mcp-config, the data folder's file: the one its servers page edits.
    let mcpConfigPath = options.mcpConfig;
    if (mcpConfigPath === undefined && options.ui) {
      const { userDataFolder } = await import("../../models/data-folder.js");
      const inDataFolder = join(userDataFolder(), "mcp-config.json");
      if (existsSync(inDataFolder)) mcpConfigPath = inDataFolder;
    }
    if (mcpConfigPath !== undefined) {
      const loaded = await loadConfig(mcpConfigPath, output);
      if (loaded === undefined) return EXIT.badInput;
      // A file the desktop app wrote keeps tokens in the OS secret store, which serve has not:
      // such a token is left out (the server then says it needs one), never sent as the reference.
      const { resolveSecrets } = await import("../mcp-config/index.js");
      const config = await resolveSecrets(loaded, undefined, (id, name) =>
        output.error(`MCP server ${id}: its token is kept in the desktop app's secret store (${name}), which hearth serve cannot read; set it with \${env:NAME} instead\n`),
      );
      await pool.apply(config);
      for (const connection of pool.servers()) {
        if (connection.state.status === "error") output.error(`MCP server ${connection.id} is not running: ${connection.state.message}\n`);
      }
    }
    if (options.ui) {
      const [{ ChatStore }, { userDataFolder }] = await Promise.all([import("../store/index.js"), import("../../models/data-folder.js")]);
      store = ChatStore.open(join(userDataFolder(), "hearth.db"));
    }
    let uiRemote: RemoteProvider | undefined;
    try {
      // --remote-url wins; else the settings' provider serves when there is no --model, and the UI offers it either way.
      const givenRemote = remoteFromOptions(options);
      const settingsRemote = givenRemote === undefined && (store !== undefined || options.model === undefined) ? await remoteFromSettings(store) : undefined;
      served = await openModel(options, givenRemote ?? (options.model === undefined ? settingsRemote : undefined), parallel, output, stop.signal);
      uiRemote = givenRemote ?? settingsRemote;
    } catch (error) {
      output.error(failureLine("cannot load the model", error));
      return stop.signal.aborted ? EXIT.cancelled : error instanceof Error && error.message.startsWith("--") ? EXIT.badInput : EXIT.failed;
    }
    // With the UI, Hearth starts without a model all the same: the UI says how to give one.
    if (served === undefined && !options.ui) return EXIT.badInput;
    served ??= { id: "", description: "no model loaded", runners: [], dispose: async () => {} };
    if (stop.signal.aborted) return EXIT.cancelled;

    const { HearthServer } = await import("../server/server.js");
    const { ModelSlots } = await import("../server/model-slots.js");
    const server = await HearthServer.start({
      host: options.host,
      port,
      ...(apiKey ? { apiKey } : {}),
      model: served.runners.length === 0 ? undefined : { id: served.id, description: served.description },
      slots: new ModelSlots(served.runners),
      pool,
      approval: options.approve,
      ...(options.ui ? { ui: { root: RENDERER_FOLDER } } : {}),
    });
    const ui = store !== undefined ? await startUi(server, pool, served, options, mcpConfigPath, store, uiRemote) : undefined;
    const tools = pool.tools().length;
    output.error(`hearth serve: listening on ${server.url} (${served.runners.length === 0 ? "no model" : `model "${served.id}", ${served.description}`}; ${tools} MCP tool${tools === 1 ? "" : "s"} from ${pool.servers().length} server${pool.servers().length === 1 ? "" : "s"}; parallel ${parallel}${apiKey ? "; API key required" : ""})\n`);
    if (ui) output.error(`hearth serve: the UI is at ${server.url}/#token=${ui.token}\n`);
    await new Promise<void>((resolve) => stop.signal.addEventListener("abort", () => resolve(), { once: true }));
    output.error(`hearth serve: stopping (${server.activeTurns} turn${server.activeTurns === 1 ? "" : "s"} in flight)…\n`);
    await ui?.close();
    await server.close();
    return EXIT.ok;
  } catch (error) {
    output.error(failureLine("hearth serve failed", error));
    return EXIT.failed;
  } finally {
    stop.dispose();
    await pool.close();
    await served?.dispose();
    store?.close();
  }
}
