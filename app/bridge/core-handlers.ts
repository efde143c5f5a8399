/**
 * The application core behind the typed contract (app/contract/channels.ts): one handler
 * per invoke channel over the store, the MCP pool and the model host, and the events the
 * core sends back (turn steps, server states, conversation changes, the model's status). Both bindings, Electron's
 * IPC and the WebSocket bridge of `hearth serve --ui`, take these handlers and run them
 * through `dispatch` (./dispatch.ts), so the two front ends behave the same.
 *
 * A turn runs in the background: `chat.send` resolves once it has started, and its steps
 * arrive as `chat.turnUpdated` events. An approval question parks the call until
 * `approvals.answer` (or the stop button) decides it. Each turn runs on its conversation's
 * chosen model (`conversations.setModel`), or the host's default.
 */
import { join } from "node:path";
import { userDataFolder } from "../../models/data-folder.js";
import type { McpPool, ServerConnection, ServerDefinition, ServerState } from "../../mcp/index.js";
import { Chats } from "../chat/chats.js";
import type { ApprovalAnswer, TurnEvent } from "../contract/chat.js";
import type { EventPayload, EventSink, InvokeHandlers, ServerSummary } from "../contract/channels.js";
import type { ModelHost } from "../model-host.js";
import type { ChatStore } from "../store/index.js";
import { AppLog, ServerLogRecorder } from "../log.js";
import type { SecretVault } from "../secret-vault.js";
import { BridgeFailure } from "./failure.js";
import type { PageContext } from "./page-context.js";
import { createMcpConfigHandlers } from "./mcp-config-handlers.js";
import { createModelsHandlers } from "./models-handlers.js";
import { createSettingsHandlers } from "./settings-handlers.js";

export { BridgeFailure };

export type { ModelStatus } from "../contract/channels.js";


/** What {@link createCoreHandlers} joins. */
export interface CoreHandlerOptions {
  store: ChatStore;
  pool: McpPool;
  /**
   * The models turns run on: `models.list`, `model.getStatus` and `model.statusChanged`
   * come from it, and each turn leases its conversation's model from it (`chat.send`
   * fails with `no_model` when there is none). The caller disposes it, after the handlers.
   */
  models: ModelHost;
  /** Which front end this is, for `app.getInfo`. */
  binding: "electron" | "websocket";
  /** Hearth's version, for `app.getInfo`. */
  version: string;
  /** Where events go; a sink that throws does not stop the core. */
  emit: EventSink;
  /** The mcp-config.json the servers page edits. Default: `mcp-config.json` in `dataFolder`. */
  mcpConfigPath?: string;
  /** The data folder (the settings page shows it). Default: Hearth's (models/data-folder.ts). */
  dataFolder?: string;
  /** The OS secret store, in the desktop app. */
  secrets?: SecretVault;
  /** The app's log. Default: a new one. */
  log?: AppLog;
}

/** The handlers, and how to stop what they started. */
export interface CoreHandlers {
  handlers: InvokeHandlers;
  /** Stops every running turn, denies every parked approval and stops listening to the pool. Idempotent. */
  dispose(): void;
}

/** Builds the handlers of every invoke channel; see the file's comment. */
export function createCoreHandlers(options: CoreHandlerOptions): CoreHandlers {
  const { store, pool, models } = options;
  const emit: EventSink = (channel, payload) => {
    try {
      options.emit(channel, payload);
    } catch {
      // A front end's failure is its own; the core goes on.
    }
  };
  const approvals = new ParkedApprovals();
  /** The running turns by id: what `chat.stop` aborts. */
  const turns = new Map<string, { conversationId: string; controller: AbortController }>();
  /** Turns not started yet (waiting for their model), by conversation id. */
  const starting = new Map<string, AbortController>();
  let disposed = false;

  const chats = new Chats({
    store,
    pool,
    runner: models,
    ask: (request, signal) => approvals.wait(request.toolCallId, signal),
  });

  const servers = new ServerWatch(pool, (summary) => emit("mcp.serverStateChanged", summary));
  const stopModelWatch = models.onStatusChanged((status) => emit("model.statusChanged", status));

  function conversationChanged(payload: EventPayload<"conversations.changed">): void {
    emit("conversations.changed", payload);
  }

  function requireConversation(id: string) {
    const conversation = store.conversation(id);
    if (conversation === undefined) throw new BridgeFailure("not_found", `conversation "${id}" not found`);
    return conversation;
  }

  function startTurn(conversationId: string, text: string): Promise<{ turnId: string }> {
    if (disposed) throw new BridgeFailure("closed", "Hearth is shutting down");
    // Two turns at once would interleave their messages in one history.
    const busy = starting.has(conversationId) || [...turns.values()].some((turn) => turn.conversationId === conversationId);
    if (busy) throw new BridgeFailure("busy", "this conversation is answering already: stop that turn first");
    const controller = new AbortController();
    starting.set(conversationId, controller);
    return new Promise((resolve, reject) => {
      let turnId: string | undefined;
      const onEvent = (event: TurnEvent) => {
        if (event.type === "turnStarted") {
          turnId = event.turnId;
          starting.delete(conversationId);
          turns.set(turnId, { conversationId, controller });
          resolve({ turnId });
        } else if (event.type === "turnFinished") {
          // Nothing is left to stop; the store's last writes follow.
          turns.delete(event.turnId);
        } else if (event.type === "approvalRequested") {
          // Parked before the front end hears of it, so an answer that comes back at
          // once (before the asker runs) still finds its question.
          approvals.expect(event.toolCallId);
        }
        emit("chat.turnUpdated", event);
      };
      void chats
        .send(conversationId, text, { signal: controller.signal, onEvent })
        .then(
          () => {
            if (turnId === undefined) reject(new BridgeFailure("internal_error", "the turn ended before it started"));
          },
          (error: unknown) => {
            // Before `turnStarted` (an unknown conversation, no model) the caller hears of it;
            // after, the turn's own events have told the story.
            if (turnId === undefined) reject(error);
          },
        )
        .finally(() => {
          if (starting.get(conversationId) === controller) starting.delete(conversationId);
          if (turnId === undefined) return;
          turns.delete(turnId);
          try {
            if (store.conversation(conversationId) !== undefined) conversationChanged({ id: conversationId });
          } catch {
            // The store closed meanwhile (the app is quitting): nobody is left to tell.
          }
        });
    });
  }

  const dataFolder = options.dataFolder ?? userDataFolder();
  const cleanups: Array<() => void> = [];
  const pageContext: PageContext = {
    store,
    pool,
    models,
    dataFolder,
    mcpConfigPath: options.mcpConfigPath ?? join(dataFolder, "mcp-config.json"),
    secrets: options.secrets,
    log: options.log ?? new AppLog(),
    // Stamped from now: created with the handlers, before servers started later log.
    serverLogs: new ServerLogRecorder(pool),
    onDispose: (cleanup) => void cleanups.push(cleanup),
    emit,
  };

  const handlers: InvokeHandlers = {
    "app.getInfo": async () => ({ version: options.version, binding: options.binding }),
    "model.getStatus": async () => models.status(),
    "models.list": async () => models.list(),

    "conversations.list": async (input) => store.listConversations(input),
    "conversations.create": async (input) => {
      const conversation = store.createConversation(input);
      conversationChanged({ id: conversation.id });
      return conversation;
    },
    "conversations.rename": async ({ id, title }) => {
      requireConversation(id);
      const conversation = store.updateConversation(id, { title });
      conversationChanged({ id });
      return conversation;
    },
    "conversations.setModel": async ({ id, modelId }) => {
      requireConversation(id);
      if (modelId !== null && !(await models.list()).some((choice) => choice.id === modelId)) {
        throw new BridgeFailure("model_not_found", `no model "${modelId}" is offered: choose one of models.list`);
      }
      const conversation = store.setConversationModel(id, modelId);
      conversationChanged({ id });
      return conversation;
    },
    "conversations.delete": async ({ id }) => {
      // Its turns stop first, so none writes into a conversation that is gone.
      for (const turn of turns.values()) if (turn.conversationId === id) turn.controller.abort();
      starting.get(id)?.abort();
      const deleted = store.deleteConversation(id);
      if (deleted) conversationChanged({ id, deleted: true });
      return { deleted };
    },
    "conversations.search": async ({ query, limit }) => store.search(query, limit === undefined ? {} : { limit }),
    "conversations.open": async ({ id }) => ({
      conversation: requireConversation(id),
      messages: store.messages(id),
      toolCalls: store.toolCalls(id),
    }),

    "chat.send": async ({ conversationId, text }) => startTurn(conversationId, text),
    "chat.stop": async ({ turnId }) => {
      const turn = turns.get(turnId);
      if (turn === undefined) return { stopped: false };
      turn.controller.abort();
      return { stopped: true };
    },

    "approvals.answer": async ({ toolCallId, answer }) => ({ answered: approvals.answer(toolCallId, answer) }),
    "approvals.listRules": async () => store.approvalRules(),
    "approvals.removeRule": async ({ serverId, toolName }) => ({ removed: store.removeApprovalRule(serverId, toolName) }),

    "tools.list": async ({ conversationId }) => {
      requireConversation(conversationId);
      return chats.tools(conversationId);
    },
    "tools.select": async ({ conversationId, serverId, toolName, on }) => {
      requireConversation(conversationId);
      return chats.select(conversationId, toolName === undefined ? { serverId, on } : { serverId, toolName, on });
    },

    "mcp.listServers": async () => servers.list(),
    ...createMcpConfigHandlers(pageContext),
    ...createModelsHandlers(pageContext),
    ...createSettingsHandlers(pageContext),
    "mcp.restartServer": async ({ id }) => {
      const connection = pool.server(id);
      if (connection === undefined) {
        const known = pool.config.servers.some((definition) => definition.id === id);
        throw new BridgeFailure("not_found", known ? `server "${id}" is disabled` : `no server is named "${id}"`);
      }
      await connection.stop();
      await connection.start();
      return summarizeServer(connection.definition, connection.state, connection.catalog.tools.length);
    },
  };

  return {
    handlers,
    dispose() {
      if (disposed) return;
      disposed = true;
      servers.dispose();
      pageContext.serverLogs.dispose();
      for (const cleanup of cleanups.splice(0)) cleanup();
      stopModelWatch();
      for (const turn of turns.values()) turn.controller.abort();
      for (const controller of starting.values()) controller.abort();
      approvals.denyAll();
    },
  };
}

/**
 * An MCP server as the UI lists it: its transport, whether it is enabled, its state (with
 * the error and last stderr lines when it failed) and how many tools it offers.
 */
export function summarizeServer(definition: ServerDefinition, state: ServerState | undefined, tools: number): ServerSummary {
  const summary: ServerSummary = {
    id: definition.id,
    transport: definition.source.type,
    enabled: definition.enabled,
    status: definition.enabled ? (state?.status ?? "stopped") : "disabled",
    tools: definition.enabled ? tools : 0,
  };
  if (definition.name !== undefined) summary.name = definition.name;
  if (definition.enabled && state?.status === "error") {
    summary.error = state.message;
    summary.stderr = [...state.stderr];
  }
  return summary;
}

/**
 * Follows the pool for the UI: every state change, and every change of a server's tool
 * count (a `tools/list_changed` changes it without a state change), becomes a summary.
 */
class ServerWatch {
  private readonly unsubscribe: Array<() => void>;
  /** The last definition seen of each server, so a removed one can still be summarised. */
  private readonly definitions = new Map<string, ServerDefinition>();
  private readonly toolCounts = new Map<string, number>();
  private checkScheduled = false;

  constructor(
    private readonly pool: McpPool,
    private readonly onChange: (summary: ServerSummary) => void,
  ) {
    for (const connection of pool.servers()) this.toolCounts.set(connection.id, connection.catalog.tools.length);
    this.unsubscribe = [
      pool.on("serverStateChanged", (serverId, state) => this.stateChanged(serverId, state)),
      pool.on("toolsChanged", () => this.toolsChanged()),
    ];
  }

  /** Every server of the config, disabled ones included, in config order. */
  list(): ServerSummary[] {
    return this.pool.config.servers.map((definition) => {
      this.definitions.set(definition.id, definition);
      return this.summarize(definition, this.pool.server(definition.id));
    });
  }

  dispose(): void {
    for (const stop of this.unsubscribe.splice(0)) stop();
  }

  private stateChanged(serverId: string, state: ServerState): void {
    const connection = this.pool.server(serverId);
    const definition = this.pool.config.servers.find((candidate) => candidate.id === serverId) ?? this.definitions.get(serverId);
    if (definition === undefined) return;
    this.definitions.set(serverId, definition);
    const tools = connection?.catalog.tools.length ?? 0;
    this.toolCounts.set(serverId, tools);
    this.onChange(summarizeServer(definition, state, tools));
  }

  private toolsChanged(): void {
    // Checked once the pool is done: stopping empties the catalog just before the state
    // becomes `stopped`, and that is no change of tools worth an event.
    if (this.checkScheduled) return;
    this.checkScheduled = true;
    queueMicrotask(() => {
      this.checkScheduled = false;
      if (this.unsubscribe.length > 0) this.checkToolCounts();
    });
  }

  private checkToolCounts(): void {
    for (const connection of this.pool.servers()) {
      const tools = connection.catalog.tools.length;
      if (this.toolCounts.get(connection.id) === tools) continue;
      this.toolCounts.set(connection.id, tools);
      // While starting, the `running` state that follows reports the count.
      if (connection.state.status === "running") this.onChange(this.summarize(connection.definition, connection));
    }
  }

  private summarize(definition: ServerDefinition, connection: ServerConnection | undefined): ServerSummary {
    return summarizeServer(definition, connection?.state, connection?.catalog.tools.length ?? 0);
  }
}

/** One approval question waiting for the user. */
interface ParkedQuestion {
  promise: Promise<ApprovalAnswer>;
  resolve: (answer: ApprovalAnswer) => void;
  answered: boolean;
}

/**
 * Approval questions by tool call id, until the user answers (`approvals.answer`) or the
 * turn stops (denied). A question is parked when its event goes out and removed once the
 * turn has read the answer, so an answer that arrives first is not lost.
 */
class ParkedApprovals {
  private readonly questions = new Map<string, ParkedQuestion>();

  /** Parks the question of `toolCallId` (once). */
  expect(toolCallId: string): ParkedQuestion {
    let question = this.questions.get(toolCallId);
    if (question === undefined) {
      let resolve!: (answer: ApprovalAnswer) => void;
      const promise = new Promise<ApprovalAnswer>((settle) => (resolve = settle));
      question = { promise, resolve, answered: false };
      this.questions.set(toolCallId, question);
    }
    return question;
  }

  /** The answer to the question of `toolCallId`; `deny` when `signal` aborts first. */
  async wait(toolCallId: string, signal: AbortSignal): Promise<ApprovalAnswer> {
    const question = this.expect(toolCallId);
    const onAbort = () => this.settle(question, "deny");
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    try {
      return await question.promise;
    } finally {
      signal.removeEventListener("abort", onAbort);
      if (this.questions.get(toolCallId) === question) this.questions.delete(toolCallId);
    }
  }

  /** Answers a parked question; false when there is none, or it was answered already. */
  answer(toolCallId: string, answer: ApprovalAnswer): boolean {
    const question = this.questions.get(toolCallId);
    return question !== undefined && this.settle(question, answer);
  }

  /** Denies every parked question (the core is closing). */
  denyAll(): void {
    for (const question of this.questions.values()) this.settle(question, "deny");
    this.questions.clear();
  }

  private settle(question: ParkedQuestion, answer: ApprovalAnswer): boolean {
    if (question.answered) return false;
    question.answered = true;
    question.resolve(answer);
    return true;
  }
}
