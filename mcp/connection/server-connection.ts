/**
 * One MCP server's runtime: its connection, lifecycle state, catalog and log. The
 * definition (what the config says) is kept apart from this runtime, as in VS Code's
 * MCP client; the pool owns one `ServerConnection` per enabled server.
 *
 * `start()` is idempotent. A connection that drops or a process that crashes puts the
 * server in the `error` state and, for errors a retry can fix, restarts it with capped
 * exponential backoff.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { RequestOptions } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  LoggingMessageNotificationSchema,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
  type CallToolResult,
  type GetPromptResult,
  type Implementation,
  type Progress,
  type ReadResourceResult,
} from "@modelcontextprotocol/sdk/types.js";
import { resolveServerEnv } from "../config/env.js";
import type { ServerDefinition } from "../config/schema.js";
import { McpClientError } from "../errors.js";
import { Emitter, linkSignal } from "../events.js";
import { backoffDelay, type BackoffOptions } from "./backoff.js";
import { emptyCatalog, listCatalog, listCatalogKind, type CatalogKind, type ServerCatalog } from "./catalog.js";
import { toCallError } from "./call-errors.js";
import { connectSession, type OpenedSession, type TransportKind } from "./connect.js";
import { endHttpSession, isExpiredSession } from "./http-session.js";
import { clientCapabilities, installHostHandlers, type HostCallbacks } from "./host.js";
import { MessageTap, type MessageRecorder } from "./message-tap.js";
import { compileResourcePattern, matchesResourcePatterns } from "./resource-patterns.js";
import { isRetryable, type ServerState } from "./state.js";
import { StderrLog } from "./stderr-log.js";

export interface ServerConnectionOptions {
  definition: ServerDefinition;
  /** Limit on the handshake and on each discovery request, in milliseconds. Default 30,000. */
  requestTimeoutMs?: number;
  /** Callbacks for roots, sampling and elicitation; each one left out is not declared. */
  host?: HostCallbacks;
  /** How Hearth introduces itself in `initialize`. */
  clientInfo?: Implementation;
  /** Restart after a crash or a dropped connection. Default true. */
  autoRestart?: boolean;
  restartBackoff?: BackoffOptions;
  /** Where `${env:NAME}` references are looked up. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Lines of stderr and server log kept. Default 200. */
  logLines?: number;
}

/** Options of one tool call. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Milliseconds; on expiry `notifications/cancelled` is sent and `tool_timeout` thrown. */
  timeoutMs: number;
  /** Progress notifications the server sends for this call. */
  onProgress?: (progress: Progress) => void;
  /** Each JSON-RPC message of this call as it crosses the wire, in order (see message-tap.ts). */
  onMessage?: MessageRecorder;
}

export type ServerConnectionEvents = {
  stateChanged: [state: ServerState];
  catalogChanged: [catalog: ServerCatalog];
  /** A line of stderr, stray stdout, or a `notifications/message` from the server. */
  log: [line: string];
  /** A subscribed resource changed (`notifications/resources/updated`). */
  resourceUpdated: [uri: string];
};

/** Uptime after which a crash counts as a new first failure for backoff. */
const STABLE_AFTER_MS = 60_000;

export const DEFAULT_CLIENT_INFO: Implementation = { name: "hearth", version: "0.1.0" };

/** How long the liveness ping after an HTTP transport error may take, in milliseconds. */
const PROBE_TIMEOUT_MS = 5_000;

export class ServerConnection extends Emitter<ServerConnectionEvents> {
  readonly definition: ServerDefinition;
  /** stderr, stray stdout lines and server log messages, newest last. */
  readonly log: StderrLog;
  private currentState: ServerState = { status: "stopped" };
  private currentCatalog: ServerCatalog = emptyCatalog();
  private session: OpenedSession | undefined;
  private starting: Promise<void> | undefined;
  /** Aborts the connect in progress when the server is stopped meanwhile. */
  private connecting: AbortController | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private lastTransportError: Error | undefined;
  /** A liveness check of an HTTP session is under way (one at a time). */
  private probing = false;
  private readonly requestTimeoutMs: number;
  private readonly tap = new MessageTap();

  constructor(private readonly options: ServerConnectionOptions) {
    super();
    this.definition = options.definition;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.log = new StderrLog(options.logLines ?? 200);
    this.log.onLine((line) => this.emit("log", line));
  }

  get id(): string {
    return this.definition.id;
  }

  get state(): ServerState {
    return this.currentState;
  }

  get catalog(): ServerCatalog {
    return this.currentCatalog;
  }

  /** The wire in use while running (`streamable-http` or `sse` for Http sources). */
  get transportKind(): TransportKind | undefined {
    return this.session?.kind;
  }

  /** What the server said about itself in `initialize`. */
  get serverInfo(): Implementation | undefined {
    return this.session?.client.getServerVersion();
  }

  /**
   * Connects, unless already running or starting. Resolves once the server is running or
   * has failed (see `state`); never rejects, so one server cannot fail the others' start.
   */
  start(): Promise<void> {
    if (this.currentState.status === "running") return Promise.resolve();
    if (!this.starting) {
      clearTimeout(this.restartTimer);
      this.restartTimer = undefined;
      this.starting = this.connect().finally(() => (this.starting = undefined));
    }
    return this.starting;
  }

  /** Disconnects (stdio: close stdin, SIGTERM, SIGKILL) and cancels any scheduled restart. */
  async stop(): Promise<void> {
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    // A server that hangs at initialize must not hold the stop for the whole handshake timeout.
    this.connecting?.abort();
    await this.starting;
    await this.closeSession();
    this.failures = 0;
    this.setCatalog(emptyCatalog());
    this.setState({ status: "stopped" });
  }

  /** Stops, then starts again. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /**
   * Calls a tool by its name on this server. A result with `isError` is returned, not
   * thrown; failures of the call itself throw `McpClientError`.
   */
  async callTool(name: string, args: Record<string, unknown>, options: CallOptions): Promise<CallToolResult> {
    try {
      return await this.callOnce(name, args, options);
    } catch (error) {
      if (!isExpiredSession(error) || options.signal?.aborted) throw this.callError(error, name, options);
      // The server forgot our Streamable HTTP session (it answers 404 to its id): the spec
      // says to start a new session with a fresh initialize, then the call is retried once.
      await this.reinitialize();
      try {
        return await this.callOnce(name, args, options);
      } catch (retryError) {
        throw this.callError(retryError, name, options);
      }
    }
  }

  /** Reads a resource. */
  async readResource(uri: string, options: { signal?: AbortSignal } = {}): Promise<ReadResourceResult> {
    return this.runningClient().readResource({ uri }, { signal: options.signal, timeout: this.requestTimeoutMs });
  }

  /** Gets a prompt with its arguments filled in. */
  async getPrompt(name: string, args: Record<string, string> = {}): Promise<GetPromptResult> {
    return this.runningClient().getPrompt({ name, arguments: args }, { timeout: this.requestTimeoutMs });
  }

  /** Stops the server and drops every listener. */
  async dispose(): Promise<void> {
    await this.stop();
    this.removeAllListeners();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  /** Replaces an expired HTTP session; concurrent callers share one re-initialization. */
  private reinitialize(): Promise<void> {
    if (!this.starting) {
      this.log.appendLine("[hearth] the server ended the HTTP session (404); re-initializing");
      this.starting = this.closeSession()
        .then(() => this.connect())
        .finally(() => (this.starting = undefined));
    }
    return this.starting;
  }

  private async callOnce(name: string, args: Record<string, unknown>, options: CallOptions): Promise<CallToolResult> {
    // The SDK never removes the abort listener it adds to a request's signal, so a
    // long-lived signal (one per chat turn) would collect them: hand it one per call.
    const link = options.signal ? linkSignal(options.signal) : undefined;
    const request: RequestOptions = { timeout: options.timeoutMs, signal: link?.signal };
    if (options.onProgress) request.onprogress = options.onProgress;
    try {
      const client = this.runningClient();
      const call = () => client.callTool({ name, arguments: args }, undefined, request);
      return (await (options.onMessage ? this.tap.run(options.onMessage, call) : call())) as CallToolResult;
    } finally {
      link?.dispose();
    }
  }

  private callError(error: unknown, toolName: string, options: CallOptions): McpClientError {
    return toCallError(error, {
      serverId: this.id,
      toolName,
      timeoutMs: options.timeoutMs,
      cancelled: options.signal?.aborted ?? false,
      transportError: this.lastTransportError,
      stderr: this.log.tail(5),
    });
  }

  private runningClient(): Client {
    if (this.currentState.status !== "running" || !this.session) {
      throw new McpClientError("server_unavailable", `server "${this.id}" is ${this.currentState.status}`, { serverId: this.id });
    }
    return this.session.client;
  }

  private async connect(): Promise<void> {
    const attempt = this.failures + 1;
    this.setState({ status: "starting", attempt });
    this.lastTransportError = undefined;
    const connecting = new AbortController();
    this.connecting = connecting;
    const signal = connecting.signal;
    try {
      const definition = resolveServerEnv(this.definition, this.options.env ?? process.env);
      const session = await connectSession({
        definition,
        makeClient: () => this.makeClient(),
        timeoutMs: this.requestTimeoutMs,
        log: this.log,
        signal,
        wrapTransport: (transport) => this.tap.wrap(transport),
      });
      this.session = session;
      this.watch(session);
      this.setCatalog(await listCatalog(session.client, { timeout: this.requestTimeoutMs, signal }));
      await this.subscribeResources(session.client, signal);
      signal.throwIfAborted();
      this.setState({ status: "running", since: Date.now() });
    } catch (error) {
      await this.closeSession();
      // Stopped meanwhile: stop() sets the state; this is no failure.
      if (signal.aborted) return;
      this.fail(error instanceof McpClientError ? error : new McpClientError("handshake_failed", `server "${this.id}": ${String(error)}`, { serverId: this.id, cause: error }));
    } finally {
      if (this.connecting === connecting) this.connecting = undefined;
    }
  }

  private makeClient(): Client {
    const host = this.options.host ?? {};
    const client = new Client(this.options.clientInfo ?? DEFAULT_CLIENT_INFO, { capabilities: clientCapabilities(host) });
    installHostHandlers(client, host, this.id);
    return client;
  }

  /** Follows list changes, log messages and resource updates; notices a dropped connection. */
  private watch(session: OpenedSession): void {
    const { client } = session;
    const relist = (kind: CatalogKind) => () => void this.relist(session, kind);
    client.setNotificationHandler(ToolListChangedNotificationSchema, relist("tools"));
    client.setNotificationHandler(PromptListChangedNotificationSchema, relist("prompts"));
    client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
      void this.relist(session, "resources");
      void this.relist(session, "resourceTemplates");
    });
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) =>
      this.emit("resourceUpdated", notification.params.uri),
    );
    client.setNotificationHandler(LoggingMessageNotificationSchema, ({ params }) => {
      const data = typeof params.data === "string" ? params.data : JSON.stringify(params.data);
      this.log.appendLine(`[${params.level}]${params.logger ? ` ${params.logger}:` : ""} ${data}`);
    });
    client.onerror = (error) => {
      this.lastTransportError = error;
      if (session.kind === "streamable-http" || session.kind === "sse") void this.probe(session);
    };
    client.onclose = () => {
      if (this.session !== session) return; // closed on purpose
      this.session = undefined;
      void session.release();
      const reason = this.lastTransportError?.message ?? "the connection closed";
      const code = this.lastTransportError instanceof McpClientError ? this.lastTransportError.code : "connection_closed";
      this.setCatalog(emptyCatalog());
      this.fail(new McpClientError(code, `server "${this.id}": ${reason}`, { serverId: this.id }));
    };
  }

  /**
   * Checks that an HTTP server still answers after a transport error. Over HTTP nothing
   * tells the client that the server died: the SDK reports the broken response stream and
   * the calls waiting on it wait until they time out. A ping that cannot reach the server
   * closes the session, which fails those calls at once (`connection_closed`) and puts
   * the server in the error state (restarted with backoff when enabled), as a crashed
   * Process server is.
   */
  private async probe(session: OpenedSession): Promise<void> {
    if (this.probing || this.session !== session) return;
    this.probing = true;
    try {
      await session.client.ping({ timeout: PROBE_TIMEOUT_MS });
    } catch (error) {
      if (this.session !== session) return;
      const reason = error instanceof Error ? error.message : String(error);
      this.lastTransportError = new McpClientError("connection_closed", `the server stopped answering (${reason})`, { serverId: this.id, cause: error });
      this.log.appendLine(`[hearth] the server stopped answering after a transport error; closing the session`);
      await session.client.close().catch(() => undefined);
    } finally {
      this.probing = false;
    }
  }

  private async relist(session: OpenedSession, kind: CatalogKind): Promise<void> {
    try {
      const items = await listCatalogKind(session.client, kind, { timeout: this.requestTimeoutMs });
      if (this.session !== session) return;
      this.setCatalog({ ...this.currentCatalog, [kind]: items });
    } catch (error) {
      this.log.appendLine(`[hearth] re-listing ${kind} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async subscribeResources(client: Client, signal: AbortSignal): Promise<void> {
    const patterns = this.definition.resources.map(compileResourcePattern);
    if (patterns.length === 0 || !client.getServerCapabilities()?.resources?.subscribe) return;
    const matching = this.currentCatalog.resources.filter((resource) => matchesResourcePatterns(resource.uri, patterns));
    for (const resource of matching) {
      await client.subscribeResource({ uri: resource.uri }, { timeout: this.requestTimeoutMs, signal }).catch((error: unknown) => {
        this.log.appendLine(`[hearth] subscribing to ${resource.uri} failed: ${String(error)}`);
      });
    }
  }

  private fail(error: McpClientError): void {
    const uptime = this.currentState.status === "running" ? Date.now() - this.currentState.since : 0;
    this.failures = uptime > STABLE_AFTER_MS ? 1 : this.failures + 1;
    const retryable = isRetryable(error.code);
    const restart = retryable && (this.options.autoRestart ?? true);
    const retryInMs = restart ? backoffDelay(this.failures, this.options.restartBackoff) : undefined;
    this.setState({
      status: "error",
      code: error.code,
      message: error.message,
      retryable,
      stderr: this.log.tail(20),
      ...(retryInMs === undefined ? {} : { retryInMs }),
      at: Date.now(),
    });
    if (retryInMs !== undefined) {
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        void this.start();
      }, retryInMs);
      this.restartTimer.unref();
    }
  }

  private async closeSession(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (!session) return;
    await endHttpSession(session.transport);
    await session.client.close().catch(() => {});
    await session.release().catch(() => {});
  }

  private setState(state: ServerState): void {
    this.currentState = state;
    this.emit("stateChanged", state);
  }

  private setCatalog(catalog: ServerCatalog): void {
    this.currentCatalog = catalog;
    this.emit("catalogChanged", catalog);
  }
}
