/**
 * The core of the desktop app, as Electron's main process starts it (main/index.ts →
 * `startDesktopApp({ createCore })`): the conversation store, the MCP servers of the data
 * folder's `mcp-config.json`, the models of its `models/` folder (or a remote provider),
 * and the handlers of every channel over them. Plain Node: nothing here imports
 * `electron`, so it is tested as it is.
 *
 * A broken `mcp-config.json` does not stop the app: it starts with no servers and says
 * why, so the user can still chat and fix the file.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { McpPool, formatConfigIssues, parseMcpConfig, readMcpConfigFile, type McpConfig } from "../mcp/index.js";
import { createCoreHandlers } from "./bridge/core-handlers.js";
import type { EventSink, InvokeHandlers } from "./contract/channels.js";
import { LocalModelHost, THREADS_SETTING, threadsFromSetting } from "./local-model-host.js";
import { AppLog, logToAppLog } from "./log.js";
import { desktopProcessSearchPath, resolveSecrets } from "./mcp-config/index.js";
import { REMOTE_API_KEY_SECRET, REMOTE_PROVIDER_SETTING, remoteFromSetting, type RemoteProvider } from "./model-sources.js";
import type { SecretVault } from "./secret-vault.js";
import { ChatStore } from "./store/index.js";

export type { SecretVault };

/** What {@link createDesktopCore} is given by the main process. */
export interface DesktopCoreContext {
  /** Where events for the window go. */
  emit: EventSink;
  /** Where API keys live, encrypted by the OS. */
  secrets: SecretVault;
  /** The data folder: `hearth.db`, `mcp-config.json` and `models/` are inside. */
  userDataFolder: string;
  /** Hearth's version, for `app.getInfo`. */
  version: string;
  /** Where faults that reach nobody else go. Default: `console.error`. */
  log?(message: string): void;
}

/** The running core: what the window's channels call, and how to stop it all. */
export interface DesktopCore {
  handlers: InvokeHandlers;
  /** Stops every turn, the MCP servers and the model, then closes the store. */
  shutdown(): Promise<void>;
}

/** The setting naming the model a conversation without a choice runs on (a `models.list` id). */
export const DEFAULT_MODEL_SETTING = "models.default";
/** The setting holding the sampling temperature when a conversation gives none (0 to 2; default the runner's, 0.7). */
export const TEMPERATURE_SETTING = "inference.temperature";

/** Starts the desktop core over `context.userDataFolder`; see the file's comment. */
export async function createDesktopCore(context: DesktopCoreContext): Promise<DesktopCore> {
  const report = context.log ?? ((message: string) => console.error(`hearth: ${message}`));
  // What goes wrong at start also shows in the settings page's log viewer.
  const appLog = new AppLog();
  const log = logToAppLog(appLog, { level: "error", echo: report });
  const folder = context.userDataFolder;
  // Apps started from a dock or menu lack the login shell's PATH, where npx, uvx and
  // friends usually live: Process servers get the PATH a terminal would have.
  const searchPath = desktopProcessSearchPath();
  await mkdir(folder, { recursive: true });
  const store = ChatStore.open(join(folder, "hearth.db"));
  const pool = new McpPool({ processSearchPath: await searchPath });
  let models: LocalModelHost | undefined;
  let core: ReturnType<typeof createCoreHandlers> | undefined;
  try {
    const mcpConfigPath = join(folder, "mcp-config.json");
    const config = await resolveSecrets(await readServers(mcpConfigPath, log), context.secrets, (id, name) =>
      log(`MCP server "${id}" refers to the secret ${name}, which is not set`),
    );
    log(`data folder ${folder}; ${config.servers.length} MCP server${config.servers.length === 1 ? "" : "s"} configured`, "info");
    // Servers start in the background: a slow or failing one is a state the UI shows.
    void pool.apply(config).catch((error: unknown) => log(`the MCP servers could not start: ${String(error)}`));
    models = new LocalModelHost({
      modelsFolder: join(folder, "models"),
      defaultModel: store.setting<string>(DEFAULT_MODEL_SETTING),
      remote: await remoteProvider(store, context.secrets),
      samplingDefaults: temperatureSetting(store),
      // Read at each load, so the settings page's change applies from the next one.
      threads: () => threadsFromSetting(store.setting(THREADS_SETTING)),
    });
    core = createCoreHandlers({
      store,
      pool,
      models,
      binding: "electron",
      version: context.version,
      emit: context.emit,
      dataFolder: folder,
      mcpConfigPath,
      secrets: context.secrets,
      log: appLog,
    });
  } catch (error) {
    await pool.close();
    await models?.dispose();
    store.close();
    throw error;
  }
  const running = core;
  const host = models;
  let stopped: Promise<void> | undefined;
  return {
    handlers: running.handlers,
    shutdown: () =>
      (stopped ??= (async () => {
        running.dispose();
        await Promise.allSettled([pool.close(), host.dispose()]);
        store.close();
      })()),
  };
}

/** The data folder's MCP config; none (no servers) when the file is missing or invalid. */
async function readServers(path: string, log: (message: string) => void): Promise<McpConfig> {
  if (!existsSync(path)) return noServers();
  try {
    const result = await readMcpConfigFile(path);
    if (result.ok) return result.config;
    log(`${path} is not a valid MCP config, so no MCP server was started:\n${formatConfigIssues(result.issues)}`);
  } catch (error) {
    log(error instanceof Error ? error.message : String(error));
  }
  return noServers();
}

function noServers(): McpConfig {
  const empty = parseMcpConfig({ servers: [] });
  if (!empty.ok) throw new Error("the empty MCP config does not validate");
  return empty.config;
}

function temperatureSetting(store: ChatStore): { temperature: number } | undefined {
  const temperature = store.setting<unknown>(TEMPERATURE_SETTING);
  return typeof temperature === "number" && temperature >= 0 && temperature <= 2 ? { temperature } : undefined;
}

/** The remote provider the settings name, with its API key from the secret store. */
async function remoteProvider(store: ChatStore, secrets: SecretVault): Promise<RemoteProvider | undefined> {
  const remote = remoteFromSetting(store.setting(REMOTE_PROVIDER_SETTING));
  if (remote === undefined) return undefined;
  const apiKey = await secrets.get(REMOTE_API_KEY_SECRET);
  return { baseUrl: remote.baseUrl, model: remote.model, ...(apiKey !== undefined ? { apiKey } : {}) };
}

export { userDataFolder } from "../models/data-folder.js";
