/**
 * What the servers page's handlers share: the page context, the one config editor, and
 * the way a saved config reaches the pool (secrets resolved, one apply at a time).
 */
import type { McpConfig, ServerDefinition } from "../../mcp/index.js";
import type { PageContext } from "../bridge/page-context.js";
import type { LogEntry, ServerEntry } from "../contract/mcp-channels.js";
import { McpConfigEditor } from "./config-editor.js";
import { bearerTokenStatus, resolveSecrets } from "./secrets.js";

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

  constructor(
    readonly context: PageContext,
    options: McpPageOptions = {},
  ) {
    this.editor = McpConfigEditor.for(context.mcpConfigPath);
    this.applyWaitMs = options.applyWaitMs ?? 5_000;
  }

  /**
   * The config in force and the file's text: the file's config when it is valid, else the
   * pool's (the last good one), so an invalid file still lists its servers.
   */
  async configInForce(): Promise<{ config: McpConfig; text: string }> {
    const snapshot = await this.editor.read();
    return { config: snapshot.result.ok ? snapshot.result.config : this.context.pool.config, text: snapshot.text };
  }

  /** Server `id`'s log, oldest first (see `ServerLogRecorder` in app/log.ts). */
  serverLog(id: string): LogEntry[] {
    return this.context.serverLogs.list(id);
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
