/**
 * Stored conversations driven by the agent loop: what Electron, the headless server and
 * the CLI use. A turn commits the user's message before the model starts, then each
 * assistant message, tool result and tool call as it completes, so a crash loses at most
 * the answer being streamed; the tool selection and approval rules come from the store.
 * A turn runs on the conversation's chosen model: it holds a lease on it (app/model-host.ts)
 * from before its first write until it ends, however it ends.
 */
import { randomUUID } from "node:crypto";
import type { McpPool, PoolTool } from "../../mcp/index.js";
import type { ChatMessage, ChatRunner, SamplingSettings, ToolChoice } from "../../models/runner.js";
import type { ApprovalPolicy, Conversation, StoredMessage, ToolSelection, TurnEvent } from "../contract/chat.js";
import type { ModelHost, ModelLease } from "../model-host.js";
import type { ChatStore } from "../store/index.js";
import { StoreError } from "../store/index.js";
import { ApprovalGate, policyFor, type ApprovalAsker } from "./approvals.js";
import { offeredTools, setServerSelected, setToolSelected } from "./tool-selection.js";
import { runTurn, type TurnOutcome } from "./turn.js";

/** What {@link Chats} is made of. */
export interface ChatsOptions {
  store: ChatStore;
  pool: McpPool;
  /**
   * What runs the turns: one runner; a function that gives the runner of each turn; or a
   * {@link ModelHost}, which each turn asks for the conversation's `modelId` (its default
   * when none is chosen), holding the lease until the turn ends.
   */
  runner: ChatRunner | (() => ChatRunner) | ModelHost;
  /** Answers approval questions; without one, calls that need approval are denied. */
  ask?: ApprovalAsker;
  /** Rounds of tool calls per turn. Default 8. */
  maxToolRounds?: number;
  /** Most characters of one tool result the model reads. Default: from the context left. */
  toolResultBudgetChars?: number;
}

/** Options of one {@link Chats.send}. */
export interface SendOptions {
  signal?: AbortSignal;
  onEvent?: (event: TurnEvent) => void;
  sampling?: SamplingSettings;
  toolChoice?: ToolChoice;
}

/** A tool as a conversation's tool list shows it. */
export interface ConversationTool {
  /** The exposed name the model sees. */
  name: string;
  serverId: string;
  toolName: string;
  description?: string;
  /** Offered to the model in this conversation. */
  selected: boolean;
  /** The approval policy in force. */
  policy: ApprovalPolicy;
}

/** The conversations of one user; see the file's comment. */
export class Chats {
  private readonly approvals: ApprovalGate;

  constructor(private readonly options: ChatsOptions) {
    this.approvals = new ApprovalGate(options.store, options.ask);
  }

  /**
   * Runs a turn for `text` in the conversation. Resolves when the turn ends, however it
   * ends (see {@link TurnOutcome.stopReason}).
   * @throws StoreError `not_found` for an unknown conversation; with a {@link ModelHost},
   *   ModelHostError `no_model`, `model_not_found`, `model_load_failed`, `cancelled` or
   *   `closed` when no runner could be had. Nothing is stored then.
   */
  async send(conversationId: string, text: string, options: SendOptions = {}): Promise<TurnOutcome> {
    const conversation = this.options.store.conversation(conversationId);
    if (conversation === undefined) throw new StoreError("not_found", `conversation "${conversationId}" not found`);
    // Waits for the model (another turn may hold it, or it loads) before anything is stored.
    const lease = await this.lease(conversation.modelId, options.signal);
    try {
      return await this.runOn(lease.runner, conversation, text, options);
    } finally {
      lease.release();
    }
  }

  private async lease(modelId: string | undefined, signal: AbortSignal | undefined): Promise<Pick<ModelLease, "runner" | "release">> {
    const source = this.options.runner;
    if (isModelHost(source)) return source.acquire(modelId, signal);
    return { runner: typeof source === "function" ? source() : source, release: () => {} };
  }

  private async runOn(runner: ChatRunner, conversation: Conversation, text: string, options: SendOptions): Promise<TurnOutcome> {
    const { store, pool } = this.options;
    const conversationId = conversation.id;
    const turnId = randomUUID();
    store.beginTurn(conversationId, turnId, runner.description);
    store.addMessage(conversationId, { turnId, role: "user", content: text });
    const history: ChatMessage[] = store.messages(conversationId).map(toChatMessage);
    if (conversation.systemPrompt) history.unshift({ role: "system", content: conversation.systemPrompt });

    const onEvent = (event: TurnEvent) => {
      this.record(event);
      options.onEvent?.(event);
    };
    const outcome = await runTurn({
      runner,
      pool,
      messages: history,
      tools: this.offeredTools(conversationId),
      approvals: this.approvals,
      conversationId,
      turnId,
      sampling: options.sampling,
      toolChoice: options.toolChoice,
      maxToolRounds: this.options.maxToolRounds,
      toolResultBudgetChars: this.options.toolResultBudgetChars,
      signal: options.signal,
      onEvent,
      onMessage: (message) => {
        // An answer cut short by the stop button is kept, marked as such.
        const cancelled = options.signal?.aborted === true && message.role === "assistant" && message.toolCalls === undefined;
        store.addMessage(conversationId, { turnId, ...fromChatMessage(message), status: cancelled ? "cancelled" : "complete" });
      },
    });
    store.finishTurn(turnId, { stopReason: outcome.stopReason, usage: outcome.usage, timings: outcome.timings });
    return outcome;
  }

  /** Every running tool with whether this conversation offers it, and its approval policy. */
  tools(conversationId: string): ConversationTool[] {
    const offered = new Set(this.offeredTools(conversationId).map((tool) => tool.name));
    const rules = this.options.store.approvalRules();
    return this.options.pool.tools().map((tool) => {
      const entry: ConversationTool = {
        name: tool.name,
        serverId: tool.serverId,
        toolName: tool.tool.name,
        selected: offered.has(tool.name),
        policy: policyFor(rules, tool.serverId, tool.tool.name, tool.tool.annotations),
      };
      if (tool.tool.description !== undefined) entry.description = tool.tool.description;
      return entry;
    });
  }

  /** Switches a server's tools, or one tool, on or off for the conversation. */
  select(conversationId: string, change: { serverId: string; toolName?: string; on: boolean }): ToolSelection {
    const current = this.options.store.toolSelection(conversationId);
    const selection =
      change.toolName === undefined
        ? setServerSelected(current, change.serverId, change.on)
        : setToolSelected(current, change.serverId, change.toolName, change.on);
    this.options.store.setToolSelection(conversationId, selection);
    return selection;
  }

  private offeredTools(conversationId: string): PoolTool[] {
    const { store, pool } = this.options;
    return offeredTools(pool, store.toolSelection(conversationId));
  }

  /** Tool calls go to the store as they are asked for and as they finish. */
  private record(event: TurnEvent): void {
    const { store } = this.options;
    if (event.type === "toolCallRequested") {
      store.addToolCall({
        id: event.toolCallId,
        conversationId: event.conversationId!,
        turnId: event.turnId,
        name: event.name,
        arguments: event.arguments,
        startedAt: event.at,
        ...(event.serverId === undefined ? {} : { serverId: event.serverId, toolName: event.toolName }),
      });
    } else if (event.type === "toolCallStarted") {
      store.updateToolCall(event.toolCallId, { queuedMs: event.queuedMs });
    } else if (event.type === "toolCallFinished") {
      store.updateToolCall(event.toolCallId, {
        status: event.status,
        durationMs: event.durationMs,
        finishedAt: event.at,
        ...(event.result === undefined ? {} : { result: event.result }),
        ...(event.error === undefined ? {} : { error: event.error }),
        ...(event.exchange === undefined ? {} : { exchange: event.exchange }),
      });
    }
  }
}

function isModelHost(source: ChatsOptions["runner"]): source is ModelHost {
  return typeof source === "object" && typeof (source as Partial<ModelHost>).acquire === "function";
}

/** A stored message as the model's history holds it. */
export function toChatMessage(message: StoredMessage): ChatMessage {
  switch (message.role) {
    case "system":
    case "user":
      return { role: message.role, content: message.content };
    case "assistant":
      return message.toolCalls === undefined ? { role: "assistant", content: message.content } : { role: "assistant", content: message.content, toolCalls: message.toolCalls };
    case "tool":
      return { role: "tool", toolCallId: message.toolCallId ?? "", name: message.name ?? "", content: message.content, ...(message.isError ? { isError: true } : {}) };
  }
}

function fromChatMessage(message: ChatMessage) {
  switch (message.role) {
    case "assistant":
      return { role: message.role, content: message.content, ...(message.toolCalls === undefined ? {} : { toolCalls: message.toolCalls }) };
    case "tool":
      return { role: message.role, content: message.content, toolCallId: message.toolCallId, name: message.name, ...(message.isError ? { isError: true } : {}) };
    default:
      return { role: message.role, content: message.content };
  }
}
