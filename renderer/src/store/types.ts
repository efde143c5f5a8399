/**
 * The shape of the one bound store: nine slices, each with its values and the actions
 * that change them through the bridge client.
 */
import type { StateCreator } from "zustand";
import type { ApprovalAnswer, Conversation, StoredMessage, ToolCallRecord } from "../../../app/contract/chat.js";
import type { InvokeOutput, ModelChoice, ServerSummary } from "../../../app/contract/channels.js";
import type { ConnectionStatus } from "../bridge/types.js";
import type { McpPageSlice } from "./mcp-page-slice.js";
import type { ModelsPageSlice } from "./models-page-slice.js";
import type { SettingsSlice } from "./settings-slice.js";
import type { AnswerStats, TurnState } from "./turn-reducer.js";

export type { Conversation, ModelChoice, ServerSummary };
export type SearchHit = InvokeOutput<"conversations.search">[number];
export type ModelStatus = InvokeOutput<"model.getStatus">;
export type ConversationTool = InvokeOutput<"tools.list">[number];

/** The pages of the window. */
export type Page = "chat" | "servers" | "models" | "settings";

/** The connection, the model, the page shown, and what went wrong last. */
export interface AppSlice {
  connection: ConnectionStatus;
  page: Page;
  showPage(page: Page): void;
  /** Undefined until the core has answered. */
  model: ModelStatus | undefined;
  /** The last failure worth telling the user about. */
  notice: { code: string; message: string } | undefined;
  /** Loads everything the page shows (at start and after a reconnection). */
  refresh(): Promise<void>;
  loadModel(): Promise<void>;
  /** Shows `error` as the notice (a lost connection is shown by the connection status instead). */
  showError(error: unknown): void;
  dismissNotice(): void;
}

/** The conversation list, the selection and the search. */
export interface ConversationsSlice {
  conversations: Conversation[];
  conversationsLoaded: boolean;
  selectedConversationId: string | undefined;
  searchQuery: string;
  searchResults: SearchHit[];
  loadConversations(): Promise<void>;
  /** Creates a conversation and selects it; undefined when it failed (the notice says why). */
  createConversation(title?: string): Promise<Conversation | undefined>;
  renameConversation(id: string, title: string): Promise<void>;
  deleteConversation(id: string): Promise<void>;
  /** Sets the query and shows its hits (an empty query clears them). */
  search(query: string): Promise<void>;
  /** Selects a conversation (undefined: none) and opens it. */
  selectConversation(id: string | undefined): Promise<void>;
  /** Follows `conversations.changed`. */
  conversationChanged(change: { id: string; deleted?: boolean | undefined }): Promise<void>;
}

/** The open conversation's history and the turns in flight. */
export interface ChatSlice {
  messages: StoredMessage[];
  toolCallRecords: ToolCallRecord[];
  chatLoading: boolean;
  /** The turn of each conversation that runs one (or just finished one), by conversation id. */
  turns: Record<string, TurnState>;
  /** Each answer's statistics seen since the page opened, by turn id. */
  answerStats: Record<string, AnswerStats>;
  /** Loads the selected conversation's messages and tool calls. */
  reloadConversation(): Promise<void>;
  /** Sends `text` in the selected conversation (creating one when none is); false when it did not start. */
  send(text: string): Promise<boolean>;
  /** Stops the selected conversation's turn; what was written stays. */
  stop(): Promise<void>;
  answerApproval(toolCallId: string, answer: ApprovalAnswer): Promise<void>;
}

/** The selected conversation's tools. */
export interface ToolsSlice {
  tools: ConversationTool[];
  toolsPanelOpen: boolean;
  setToolsPanelOpen(open: boolean): void;
  loadTools(): Promise<void>;
  /** Switches a server's tools (no `toolName`) or one tool on or off for the selected conversation. */
  selectTools(serverId: string, toolName: string | undefined, on: boolean): Promise<void>;
}

/** The MCP servers. */
export interface ServersSlice {
  servers: ServerSummary[];
  serversLoaded: boolean;
  loadServers(): Promise<void>;
  restartServer(id: string): Promise<void>;
}

/** The models a conversation can run on, and choosing one for a conversation. */
export interface ModelsSlice {
  /** In the core's order (`models.list`); empty until loaded. */
  modelChoices: ModelChoice[];
  modelChoicesLoaded: boolean;
  loadModelChoices(): Promise<void>;
  /** Runs the conversation's next turns on `modelId` (`null`: the default model). */
  chooseModel(conversationId: string, modelId: string | null): Promise<void>;
}

export type HearthState = AppSlice &
  ConversationsSlice &
  ChatSlice &
  ToolsSlice &
  ServersSlice &
  ModelsSlice &
  McpPageSlice &
  ModelsPageSlice &
  SettingsSlice;

/** A slice's creator: it sees (and may call) the whole store. */
export type SliceCreator<Slice> = StateCreator<HearthState, [], [], Slice>;
