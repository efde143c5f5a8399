/**
 * What the handlers of the servers, models and settings pages share with the core's own
 * (./core-handlers.ts): the store, the pool, the models, where files live, the secret
 * store and the log, and the event sink.
 */
import type { McpPool } from "../../mcp/index.js";
import type { EventSink } from "../contract/channels.js";
import type { AppLog, ServerLogRecorder } from "../log.js";
import type { ModelHost } from "../model-host.js";
import type { SecretVault } from "../secret-vault.js";
import type { ChatStore } from "../store/index.js";

export interface PageContext {
  store: ChatStore;
  pool: McpPool;
  models: ModelHost;
  /** The mcp-config.json the servers page reads and writes (created on the first save). */
  mcpConfigPath: string;
  /** The data folder: the database, the config, `models/`. */
  dataFolder: string;
  /** The OS secret store; absent in `hearth serve --ui` (see app/secret-vault.ts). */
  secrets: SecretVault | undefined;
  log: AppLog;
  /** Each MCP server's log lines with their time and level (the logs viewer, the servers page). */
  serverLogs: ServerLogRecorder;
  /** Registers what to stop when the handlers are disposed (downloads in flight); absent in tests that never dispose. */
  onDispose?(cleanup: () => void): void;
  /** Sends events; never throws. */
  emit: EventSink;
}
