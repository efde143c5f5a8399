/**
 * `ChatStore`: Hearth's conversations on disk (one SQLite file): conversations, their
 * messages and turns, tool calls with arguments, results and timings, per-conversation
 * tool selection, approval rules and grants, settings, and full-text search.
 *
 * Every method is synchronous and each write is one transaction, committed when the
 * method returns: a crash at any moment (kill -9 included) loses at most the answer being
 * streamed, and the next `open` repairs the turn it interrupted (see recovery.ts).
 */
import type { Database } from "better-sqlite3";
import type {
  ApprovalPolicy,
  ApprovalRule,
  Conversation,
  MessageStatus,
  StoredMessage,
  ToolCallRecord,
  ToolSelection,
} from "../contract/chat.js";
import { ApprovalTable } from "./approvals.js";
import { ConversationTable, type ConversationInit, type ConversationPatch, type ListOptions } from "./conversations.js";
import { openDatabase } from "./database.js";
import { MessageTable, type NewMessage } from "./messages.js";
import { recoverInterruptedTurns } from "./recovery.js";
import { MessageSearch, type SearchHit, type SearchOptions } from "./search.js";
import { SettingTable } from "./settings.js";
import { ToolCallTable, type ToolCallPatch } from "./tool-calls.js";
import { ToolSelectionTable } from "./tool-selection.js";
import { TurnTable, type TurnOutcome, type TurnRecord } from "./turns.js";
import type { Clock } from "./values.js";

/** Options of {@link ChatStore.open}. */
export interface ChatStoreOptions {
  /** Where times come from, in milliseconds since the epoch (default `Date.now`); tests pass a fake one. */
  clock?: Clock;
}

/** Hearth's persistent chat state in one SQLite database. Open it with {@link ChatStore.open}. */
export class ChatStore {
  private readonly conversationTable: ConversationTable;
  private readonly messageTable: MessageTable;
  private readonly turnTable: TurnTable;
  private readonly toolCallTable: ToolCallTable;
  private readonly selectionTable: ToolSelectionTable;
  private readonly approvalTable: ApprovalTable;
  private readonly settingTable: SettingTable;
  private readonly messageSearch: MessageSearch;
  private readonly clock: Clock;

  private constructor(
    /** The file it was opened on, as given (`":memory:"` for a private in-memory database). */
    readonly path: string,
    private readonly database: Database,
    options: ChatStoreOptions,
  ) {
    this.clock = options.clock ?? Date.now;
    this.conversationTable = new ConversationTable(database, this.clock);
    this.messageTable = new MessageTable(database, this.conversationTable, this.clock);
    this.turnTable = new TurnTable(database, this.conversationTable, this.clock);
    this.toolCallTable = new ToolCallTable(database, this.conversationTable);
    this.selectionTable = new ToolSelectionTable(database, this.conversationTable);
    this.approvalTable = new ApprovalTable(database, this.conversationTable, this.clock);
    this.settingTable = new SettingTable(database, this.clock);
    this.messageSearch = new MessageSearch(database);
  }

  /**
   * Opens the database at `path` (creating the file and its folder when missing; `":memory:"`
   * for one that lives only as long as the store), applies the missing schema migrations,
   * then repairs the turns a crash interrupted ({@link recoverInterruptedTurns}).
   * @throws StoreError `open_failed` (cannot open, not SQLite) or `newer_schema` (written by a newer Hearth).
   */
  static open(path: string, options: ChatStoreOptions = {}): ChatStore {
    const database = openDatabase(path);
    try {
      const store = new ChatStore(path, database, options);
      store.recoverInterruptedTurns();
      return store;
    } catch (error) {
      database.close();
      throw error;
    }
  }

  /** Closes the database; later calls throw. Closing twice is harmless. */
  close(): void {
    if (this.database.open) this.database.close();
  }

  /** Same as {@link close}, for `using store = ChatStore.open(path)`. */
  [Symbol.dispose](): void {
    this.close();
  }

  // ---------------------------------------------------------------------------------------
  // Conversations

  /**
   * Stores a new conversation: id a random UUID and title "New conversation" unless given.
   * @throws StoreError `invalid_value` when the id is taken.
   */
  createConversation(init: ConversationInit = {}): Conversation {
    return this.conversationTable.create(init);
  }

  /** The conversation, or undefined when there is none with that id. */
  conversation(id: string): Conversation | undefined {
    return this.conversationTable.get(id);
  }

  /** Conversations, most recently updated first; `limit` (default all) and `offset` (default 0) page them. */
  listConversations(options: ListOptions = {}): Conversation[] {
    return this.conversationTable.list(options);
  }

  /**
   * Changes title, system prompt (`null` removes it) or model, and bumps `updatedAt`.
   * @throws StoreError `not_found` when there is no such conversation.
   */
  updateConversation(id: string, patch: ConversationPatch): Conversation {
    return this.conversationTable.update(id, patch);
  }

  /**
   * Chooses the model the conversation's turns run on: a `models.list` id, or `null` for
   * the app's default. `updatedAt` stays as it is (the list order does not change).
   * @throws StoreError `not_found` when there is no such conversation.
   */
  setConversationModel(id: string, modelId: string | null): Conversation {
    return this.conversationTable.setModel(id, modelId);
  }

  /** Deletes the conversation with all its messages, turns, tool calls, selection and grants; false when there was none. */
  deleteConversation(id: string): boolean {
    return this.conversationTable.delete(id);
  }

  // ---------------------------------------------------------------------------------------
  // Messages

  /**
   * Appends a message to the conversation's history (status `complete` unless given) and
   * bumps the conversation's `updatedAt`, in one transaction.
   * @throws StoreError `not_found` for a missing conversation; `invalid_value` for a taken id or a bad message.
   */
  addMessage(conversationId: string, message: NewMessage): StoredMessage {
    return this.messageTable.add(conversationId, message);
  }

  /** The conversation's messages in the order they were added; empty for an unknown conversation. */
  messages(conversationId: string): StoredMessage[] {
    return this.messageTable.list(conversationId);
  }

  /**
   * Changes a message's text (the search index follows) or status.
   * @throws StoreError `not_found` when there is no such message.
   */
  updateMessage(id: string, patch: { content?: string; status?: MessageStatus }): void {
    this.messageTable.update(id, patch);
  }

  // ---------------------------------------------------------------------------------------
  // Turns

  /**
   * Records that a turn started (`running`); with `model`, also sets the conversation's model.
   * @throws StoreError `not_found` for a missing conversation; `invalid_value` when the turn id is taken.
   */
  beginTurn(conversationId: string, turnId: string, model?: string): void {
    this.turnTable.begin(conversationId, turnId, model);
  }

  /**
   * Records how a turn ended (`finished`): stop reason, token usage and timings.
   * @throws StoreError `not_found` when the turn was never begun.
   */
  finishTurn(turnId: string, outcome: TurnOutcome): void {
    this.turnTable.finish(turnId, outcome);
  }

  /** The turn, or undefined. */
  turn(turnId: string): TurnRecord | undefined {
    return this.turnTable.get(turnId);
  }

  // ---------------------------------------------------------------------------------------
  // Tool calls

  /**
   * Stores a tool call as the model asked for it. The id is the model's, so it may repeat an
   * earlier turn's; updates then go to the newest.
   * @throws StoreError `not_found` for a missing conversation; `invalid_value` for a bad record.
   */
  addToolCall(record: ToolCallRecord): void {
    this.toolCallTable.add(record);
  }

  /**
   * Records progress of a tool call (server, status, result, error, timings); fields absent
   * or undefined stay as they are.
   * @throws StoreError `not_found` when there is no call with that id.
   */
  updateToolCall(id: string, patch: ToolCallPatch): void {
    this.toolCallTable.update(id, patch);
  }

  /** The conversation's tool calls (only `turnId`'s when given) in the order they started. */
  toolCalls(conversationId: string, options: { turnId?: string } = {}): ToolCallRecord[] {
    return this.toolCallTable.list(conversationId, options);
  }

  // ---------------------------------------------------------------------------------------
  // Tool selection

  /** Which servers and tools the conversation offers; `{ servers: {}, tools: {} }` when never set. */
  toolSelection(conversationId: string): ToolSelection {
    return this.selectionTable.get(conversationId);
  }

  /**
   * Replaces the conversation's tool selection.
   * @throws StoreError `not_found` for a missing conversation; `invalid_value` for a bad shape.
   */
  setToolSelection(conversationId: string, selection: ToolSelection): void {
    this.selectionTable.set(conversationId, selection);
  }

  // ---------------------------------------------------------------------------------------
  // Approvals

  /** Every stored approval rule, by server, the server-wide rule before its tools'. */
  approvalRules(): ApprovalRule[] {
    return this.approvalTable.rules();
  }

  /**
   * Stores the policy for a whole server (no `toolName`) or one of its tools, replacing the
   * rule there was; the two kinds are separate rules.
   * @throws StoreError `invalid_value` for an empty id or an unknown policy.
   */
  setApprovalRule(rule: { serverId: string; toolName?: string; policy: ApprovalPolicy }): ApprovalRule {
    return this.approvalTable.setRule(rule);
  }

  /** Removes the server-wide rule (no `toolName`) or the tool's rule; false when there was none. */
  removeApprovalRule(serverId: string, toolName?: string): boolean {
    return this.approvalTable.removeRule(serverId, toolName);
  }

  /** The tools allowed for the rest of the conversation, as `toolKey(serverId, toolName)` values. */
  conversationGrants(conversationId: string): string[] {
    return this.approvalTable.grants(conversationId);
  }

  /**
   * Allows a tool for the rest of the conversation; granting again changes nothing.
   * @throws StoreError `not_found` for a missing conversation.
   */
  grantForConversation(conversationId: string, serverId: string, toolName: string): void {
    this.approvalTable.grant(conversationId, serverId, toolName);
  }

  // ---------------------------------------------------------------------------------------
  // Settings

  /** The setting's stored value, or undefined when not set. The value is not checked against `T`. */
  setting<T = unknown>(key: string): T | undefined {
    return this.settingTable.get<T>(key);
  }

  /**
   * Stores a setting as JSON.
   * @throws StoreError `invalid_value` for what JSON cannot hold as it is (undefined, a function, NaN, a Date, a cycle…).
   */
  setSetting(key: string, value: unknown): void {
    this.settingTable.set(key, value);
  }

  /** Removes a setting; false when it was not set. */
  deleteSetting(key: string): boolean {
    return this.settingTable.delete(key);
  }

  // ---------------------------------------------------------------------------------------
  // Search and recovery

  /**
   * User and assistant messages matching what the user typed, best match first. Never throws
   * on query syntax: each word is taken literally, all must occur, the last as a prefix.
   * `limit` defaults to 50; `conversationId` keeps to one conversation.
   */
  search(query: string, options: SearchOptions = {}): SearchHit[] {
    return this.messageSearch.search(query, options);
  }

  /**
   * Repairs turns left `running` by a crash: each becomes `interrupted`, its unfinished tool
   * calls `cancelled`, and every requested call without a result gets an error tool message
   * (status `interrupted`). One transaction; returns how many turns it fixed. `open` runs it.
   */
  recoverInterruptedTurns(): number {
    return recoverInterruptedTurns(
      this.database,
      { turns: this.turnTable, messages: this.messageTable, toolCalls: this.toolCallTable },
      this.clock,
    );
  }
}
