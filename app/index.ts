/**
 * Hearth as a TypeScript library. `createAssistant` is the short way in (a model with MCP
 * tools in a few lines); `Chats` with a `ChatStore` keeps stored conversations as the
 * desktop app does; `runTurn` is the agent loop itself. See README.md, "Library".
 */
export { createAssistant, AssistantBuilder, type Assistant, type AssistantOptions, type AssistantReply, type AssistantSendOptions, type AssistantToolCall, type ApprovalSetting, type McpConfigInput } from "./assistant.js";
export { Chats, type ChatsOptions, type ConversationTool, type SendOptions } from "./chat/chats.js";
export { runTurn, type TurnOptions, type TurnOutcome } from "./chat/turn.js";
export { ApprovalGate, MemoryApprovalRules, defaultPolicy, policyFor, type ApprovalAsker, type ApprovalRequest, type ApprovalRuleStore } from "./chat/approvals.js";
export { ChatStore, StoreError, type SearchHit } from "./store/index.js";
export * from "./contract/chat.js";
export { McpPool, McpClientError, ConfigInvalidError, McpConfigFile, parseMcpConfig, type McpConfig, type PoolTool } from "../mcp/index.js";
export type { ChatMessage, ToolCall, ToolChoice, SamplingSettings } from "../models/runner.js";
