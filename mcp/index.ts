/**
 * Hearth's MCP client: config, transports, connections and the pool. See
 * ../shared/ARCHITECTURE.md for what this folder may import.
 */
export * from "./config/index.js";
export { McpClientError, type McpClientErrorCode } from "./errors.js";
export { ServerConnection, type ServerConnectionOptions, type CallOptions } from "./connection/server-connection.js";
export type { ServerState, ServerStatus } from "./connection/state.js";
export type { ServerCatalog } from "./connection/catalog.js";
export type { HostCallbacks, HostRequestContext } from "./connection/host.js";
export type { TransportKind } from "./connection/connect.js";
export { MAX_RECORDED_PROGRESS, MAX_RECORDED_STRING_CHARS, type MessageRecorder, type TappedMessage } from "./connection/message-tap.js";
export { McpPool, withSearchPath, type McpPoolOptions, type PoolTool, type PoolCallOptions, type ToolCallOutcome } from "./pool/pool.js";
export type { NameCollision } from "./pool/naming.js";
