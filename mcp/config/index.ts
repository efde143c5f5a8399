/**
 * The MCP client's configuration: the mcp-config.json schema, loading and saving it,
 * `${env:NAME}` resolution, and the `mcpServers` format of Claude Desktop and others.
 */
export {
  ENV_REFERENCE,
  HttpSourceSchema,
  McpConfigSchema,
  ProcessSourceSchema,
  SOURCE_TYPES,
  ServerDefinitionSchema,
  ServerSourceSchema,
  WebSocketSourceSchema,
} from "./schema.js";
export type {
  HttpSource,
  McpConfig,
  McpConfigInput,
  ProcessSource,
  ServerDefinition,
  ServerDefinitionInput,
  ServerSource,
  WebSocketSource,
} from "./schema.js";
export { ConfigInvalidError, formatConfigIssues, formatIssuePath } from "./issues.js";
export type { ConfigIssue } from "./issues.js";
export { parseJsonText } from "./json-text.js";
export { McpConfigFile, parseMcpConfig, parseMcpConfigText, readMcpConfigFile } from "./load.js";
export type { ConfigResult } from "./load.js";
export { writeFileAtomic, writeMcpConfigFile } from "./write.js";
export { resolveServerEnv } from "./env.js";
export { exportMcpServers, importMcpServers, importMcpServersText } from "./mcp-servers.js";
export type {
  McpServersCommandEntry,
  McpServersEntry,
  McpServersExportOptions,
  McpServersFile,
  McpServersImportOptions,
  McpServersImportResult,
  McpServersUrlEntry,
} from "./mcp-servers.js";
