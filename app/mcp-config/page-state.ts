/**
 * What the servers page's handlers share: the page context, the one config editor, and
 * the way a saved config reaches the pool (secrets resolved, one apply at a time).
 */
import type { McpConfig, ServerDefinition } from "../../mcp/index.js";
import type { PageContext } from "../bridge/page-context.js";
import type { LogEntry, ServerEntry } from "../contract/mcp-channels.js";
import { McpConfigEditor } from "./config-editor.js";
import { bearerTokenStatus, resolveSecrets } from "./secrets.js";
import { logEntryOf } from "./server-tools.js";

/** Log lines kept per server, as the connection's own log keeps. */
const LOG_LINES = 200;

/** Options of the servers page's handlers. */
export interface McpPageOptions {
  /**
   * Milliseconds a write waits for the pool to start or stop what changed before it
   * answers; servers still starting then go on in the background (their state arrives as
   * events). Default 5,000.
   */
  applyWaitMs?: number;
}

/** The servers page's shared state; see the file's comment. */
export class McpPageState {
  readonly editor: McpConfigEditor;
  private applying: Promise<unknown> = Promise.resolve();
  private readonly applyWaitMs: number;
  /** Each server's log lines with the time they arrived (the connection's log has no times). */
  private readonly logs = new Map<string, LogEntry[]>();

  constructor(
    readonly context: PageContext,
    options: McpPageOptions = {},
  ) {
    this.editor = McpConfigEditor.for(context.mcpConfigPath);
    this.applyWaitMs = options.applyWaitMs ?? 5_000;
    context.pool.on("serverLog", (serverId, line) => {
      const entries = this.logs.get(serverId) ?? [];
      entries.push(logEntryOf(serverId, line, Date.now()));
      if (entries.length > LOG_LINES) entries.splice(0, entries.length - LOG_LINES);
      this.logs.set(serverId, entries);
    });
  }

  /**
   * Server `id`'s log, oldest first: what arrived since the page's handlers were made;
   * lines from before that (the connection's own log) are dated now.
   */
  serverLog(id: string): LogEntry[] {
    const seen = this.logs.get(id);
    if (seen !== undefined && seen.length > 0) return [...seen];
    const now = Date.now();
    return (this.context.pool.server(id)?.log.lines() ?? []).map((line) => logEntryOf(id, line, now));
  }

  /**
   * Hands `config` to the pool with its `${secret:…}` references resolved, after any
   * apply in progress. Waits at most `applyWaitMs`; a failure is logged, never thrown:
   * the file is saved either way and a failing server is a state the page shows.
   */
  async apply(config: McpConfig): Promise<void> {
    const { pool, secrets, log } = this.context;
    const run = this.applying.then(async () => {
      const resolved = await resolveSecrets(config, secrets, (serverId, name) =>
        log.write("warn", `server "${serverId}" refers to the secret ${name}, which is not set`, serverId),
      );
      await pool.apply(resolved);
    });
    this.applying = run.catch((error: unknown) => log.write("error", `the MCP servers could not be updated: ${error instanceof Error ? error.message : String(error)}`));
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.applyWaitMs)));
    await Promise.race([this.applying, waited]).finally(() => clearTimeout(timer));
  }

  /** A server as the page lists it: its definition without the token, and whether one is set. */
  async entry(definition: ServerDefinition): Promise<ServerEntry> {
    const { bearer_token: token, ...rest } = definition;
    return { definition: rest, bearerToken: await bearerTokenStatus({ bearer_token: token }, this.context.secrets) };
  }
}
