/**
 * The pool of MCP server connections: one per enabled server of the config, all started
 * in parallel, each failing on its own. It names every discovered tool for the model,
 * routes calls to the right server, enforces `tool_timeout_secs` and the global
 * `max_concurrent_calls` limit (FIFO), and times each call.
 */
import type { CallToolResult, Implementation, Progress, Tool } from "@modelcontextprotocol/sdk/types.js";
import type { McpConfig } from "../config/schema.js";
import { McpClientError } from "../errors.js";
import { Emitter } from "../events.js";
import type { BackoffOptions } from "../connection/backoff.js";
import type { HostCallbacks } from "../connection/host.js";
import type { MessageRecorder } from "../connection/message-tap.js";
import { ServerConnection } from "../connection/server-connection.js";
import type { ServerState } from "../connection/state.js";
import { CallLimiter } from "./call-limiter.js";
import { diffConfigs, type ConfigDiff } from "./config-diff.js";
import { assignToolNames, type NameCollision } from "./naming.js";

export interface McpPoolOptions {
  /** Callbacks for roots, sampling and elicitation, shared by every server. */
  host?: HostCallbacks;
  clientInfo?: Implementation;
  /** Restart crashed or disconnected servers. Default true. */
  autoRestart?: boolean;
  restartBackoff?: BackoffOptions;
  /** Where `${env:NAME}` references are looked up. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /**
   * Limit on connecting (handshake and discovery) for servers without a `timeout_secs`,
   * in milliseconds. Default 30,000. `tool_timeout_secs` is for tool calls only: a short
   * tool timeout must not stop a slow server from starting.
   */
  connectTimeoutMs?: number;
  /**
   * The PATH Process servers run with (and their command is looked up in), unless their
   * `env` sets PATH: the desktop app passes the login shell's (transports/login-shell-path.ts),
   * since an app started from the Dock misses what the user's shell adds. Default: none,
   * so servers inherit Hearth's own environment, as the CLI wants.
   */
  processSearchPath?: string;
}

/** Default of {@link McpPoolOptions.connectTimeoutMs}. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;

/** A tool as the model sees it. */
export interface PoolTool {
  /** The exposed name: `<tool_prefix>_<name>`, made unique and at most 64 characters. */
  name: string;
  serverId: string;
  /** The tool's own definition, as the server listed it (its name unprefixed). */
  tool: Tool;
}

export interface PoolCallOptions {
  signal?: AbortSignal;
  /** Overrides the config's timeout for this call, in milliseconds. */
  timeoutMs?: number;
  onProgress?: (progress: Progress) => void;
  /** Each JSON-RPC message of the call as it crosses the wire, in order: for the inspector. */
  onMessage?: MessageRecorder;
  /** Called when the call leaves the queue and is sent, with the wait in milliseconds. */
  onStarted?: (queuedMs: number) => void;
}

/** A finished call. `result.isError` marks a tool-level failure, which is not thrown. */
export interface ToolCallOutcome {
  result: CallToolResult;
  name: string;
  serverId: string;
  toolName: string;
  /** Milliseconds spent waiting for a free slot under `max_concurrent_calls`. */
  queuedMs: number;
  /** Milliseconds from sending the request to its answer. */
  serverMs: number;
}

export type McpPoolEvents = {
  serverStateChanged: [serverId: string, state: ServerState];
  /** The exposed tool list was rebuilt (a server started, stopped, or changed its tools). */
  toolsChanged: [tools: PoolTool[]];
  serverLog: [serverId: string, line: string];
  resourceUpdated: [serverId: string, uri: string];
};

const EMPTY_CONFIG: McpConfig = { servers: [], auto_register_tools: true, tool_timeout_secs: 30, max_concurrent_calls: 10 };

export class McpPool extends Emitter<McpPoolEvents> {
  private currentConfig: McpConfig = EMPTY_CONFIG;
  private readonly connections = new Map<string, ServerConnection>();
  private readonly unsubscribe = new Map<string, Array<() => void>>();
  private readonly limiter = new CallLimiter(EMPTY_CONFIG.max_concurrent_calls);
  private toolsByName = new Map<string, PoolTool>();
  private toolList: PoolTool[] = [];
  private nameCollisions: NameCollision[] = [];
  private closed = false;

  constructor(private readonly options: McpPoolOptions = {}) {
    super();
  }

  /** The config in force. */
  get config(): McpConfig {
    return this.currentConfig;
  }

  /** The PATH Process servers are given ({@link McpPoolOptions.processSearchPath}); undefined: Hearth's own. */
  get processSearchPath(): string | undefined {
    return this.options.processSearchPath;
  }

  /** Calls in flight and waiting, across all servers. */
  get load(): { inFlight: number; queued: number } {
    return { inFlight: this.limiter.inFlight, queued: this.limiter.queued };
  }

  /**
   * Makes the pool match `config`: starts added servers, stops removed or disabled ones,
   * restarts changed ones, and leaves the rest running. Resolves once every server it
   * started is running or has failed; never rejects because a server failed.
   */
  async apply(config: McpConfig): Promise<ConfigDiff> {
    if (this.closed) throw new McpClientError("server_unavailable", "the MCP pool is closed");
    const diff = diffConfigs(this.currentConfig, config);
    this.currentConfig = config;
    this.limiter.setLimit(config.max_concurrent_calls);
    const stopping = [...diff.removed, ...diff.changed.map((server) => server.id)].map((id) => this.remove(id));
    await Promise.all(stopping);
    const added = [...diff.added, ...diff.changed].map((definition) => this.add(definition));
    this.reconcileTools();
    await Promise.all(added.map((connection) => connection.start()));
    return diff;
  }

  /** The running connections' owners, in config order. */
  servers(): ServerConnection[] {
    return this.currentConfig.servers.flatMap((server) => this.connections.get(server.id) ?? []);
  }

  /** The connection of one server, if it is enabled. */
  server(id: string): ServerConnection | undefined {
    return this.connections.get(id);
  }

  /** Every exposed tool of every running server, in config order. */
  tools(): PoolTool[] {
    return this.toolList;
  }

  /** The tool exposed under `name`. */
  findTool(name: string): PoolTool | undefined {
    return this.toolsByName.get(name);
  }

  /** Names two servers both wanted, and what the later one's tool was renamed to. */
  collisions(): NameCollision[] {
    return this.nameCollisions;
  }

  /**
   * Calls the tool exposed as `name`. Waits for a slot under `max_concurrent_calls`
   * (first in, first out), then sends the call with the server's timeout. Throws
   * `McpClientError` (`tool_not_found`, `server_unavailable`, `tool_timeout`,
   * `call_cancelled`, `connection_closed`, `call_failed`); a result with `isError` is returned.
   */
  async callTool(name: string, args: Record<string, unknown> = {}, options: PoolCallOptions = {}): Promise<ToolCallOutcome> {
    const tool = this.toolsByName.get(name);
    if (!tool) throw new McpClientError("tool_not_found", `no tool is named "${name}"`);
    const connection = this.connections.get(tool.serverId)!;
    const queuedAt = performance.now();
    const release = await this.limiter.acquire(options.signal);
    const sentAt = performance.now();
    const queuedMs = sentAt - queuedAt;
    options.onStarted?.(queuedMs);
    try {
      const result = await connection.callTool(tool.tool.name, args, {
        signal: options.signal,
        timeoutMs: options.timeoutMs ?? this.timeoutFor(connection),
        onProgress: options.onProgress,
        onMessage: options.onMessage,
      });
      return { result, name, serverId: tool.serverId, toolName: tool.tool.name, queuedMs, serverMs: performance.now() - sentAt };
    } finally {
      release();
    }
  }

  /** Stops every server. The pool cannot be used afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.connections.keys()].map((id) => this.remove(id)));
    this.reconcileTools();
    this.removeAllListeners();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private timeoutFor(connection: ServerConnection): number {
    const seconds = sourceTimeoutSecs(connection.definition) ?? this.currentConfig.tool_timeout_secs;
    return seconds * 1000;
  }

  private add(configured: McpConfig["servers"][number]): ServerConnection {
    const definition = withSearchPath(configured, this.options.processSearchPath);
    const timeoutSecs = sourceTimeoutSecs(definition);
    const connection = new ServerConnection({
      definition,
      requestTimeoutMs: timeoutSecs !== undefined ? timeoutSecs * 1000 : (this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS),
      host: this.options.host,
      clientInfo: this.options.clientInfo,
      autoRestart: this.options.autoRestart,
      restartBackoff: this.options.restartBackoff,
      env: this.options.env,
    });
    const id = definition.id;
    this.connections.set(id, connection);
    this.unsubscribe.set(id, [
      connection.on("stateChanged", (state) => {
        this.emit("serverStateChanged", id, state);
      }),
      connection.on("catalogChanged", () => this.reconcileTools()),
      connection.on("log", (line) => this.emit("serverLog", id, line)),
      connection.on("resourceUpdated", (uri) => this.emit("resourceUpdated", id, uri)),
    ]);
    return connection;
  }

  private async remove(id: string): Promise<void> {
    const connection = this.connections.get(id);
    if (!connection) return;
    this.connections.delete(id);
    for (const stop of this.unsubscribe.get(id) ?? []) stop();
    this.unsubscribe.delete(id);
    await connection.dispose();
    this.emit("serverStateChanged", id, { status: "stopped" });
  }

  /** Rebuilds the exposed names over all servers in config order (see naming.ts). */
  private reconcileTools(): void {
    const servers = this.servers();
    const { names, collisions } = assignToolNames(
      servers.map((connection) => ({
        serverId: connection.id,
        prefix: connection.definition.tool_prefix,
        toolNames: connection.catalog.tools.map((tool) => tool.name),
      })),
    );
    const list: PoolTool[] = [];
    for (const connection of servers) {
      const serverNames = names.get(connection.id)!;
      for (const tool of connection.catalog.tools) {
        list.push({ name: serverNames.get(tool.name)!, serverId: connection.id, tool });
      }
    }
    this.toolList = list;
    this.toolsByName = new Map(list.map((tool) => [tool.name, tool]));
    this.nameCollisions = collisions;
    this.emit("toolsChanged", list);
  }
}

/**
 * A Process definition given `path` as its PATH when set and its own `env` has none: what
 * the pool spawns for {@link McpPoolOptions.processSearchPath}. Other definitions as given.
 */
export function withSearchPath(definition: McpConfig["servers"][number], path: string | undefined): McpConfig["servers"][number] {
  const source = definition.source;
  if (path === undefined || source.type !== "Process" || Object.keys(source.env).some((key) => key.toUpperCase() === "PATH")) return definition;
  return { ...definition, source: { ...source, env: { ...source.env, PATH: path } } };
}

/** The per-request `timeout_secs` of an Http or WebSocket source, if set. */
function sourceTimeoutSecs(definition: McpConfig["servers"][number]): number | undefined {
  return definition.source.type === "Process" ? undefined : definition.source.timeout_secs;
}
