/**
 * Hearth's conversation storage: {@link ChatStore} over one SQLite file (WAL, migrations,
 * full-text search, crash recovery), its record types and its errors.
 */
export { ChatStore, type ChatStoreOptions } from "./chat-store.js";
export { defaultTitle, type ConversationInit, type ConversationPatch, type ListOptions } from "./conversations.js";
export { busyTimeoutMs, inMemory, openDatabase } from "./database.js";
export { isStoreError, StoreError, type StoreErrorCode } from "./errors.js";
export type { MessagePatch, NewMessage } from "./messages.js";
export { latestSchemaVersion, migrations, type Migration } from "./migrations.js";
export { interruptedCallError, interruptedResultContent } from "./recovery.js";
export { defaultSearchLimit, searchQuery, type SearchHit, type SearchOptions } from "./search.js";
export type { ToolCallPatch } from "./tool-calls.js";
export type { TurnOutcome, TurnRecord, TurnTimings, TurnUsage } from "./turns.js";
export type { ApprovalRuleInit } from "./approvals.js";
export type { Clock } from "./values.js";
