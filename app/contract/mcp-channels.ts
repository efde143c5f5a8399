/**
 * The channels of the MCP servers page (issue 7): the config's servers and settings,
 * edited with the very zod schemas of mcp-config.json (`mcp/config/schema.ts`, zod only,
 * so the renderer validates as the user types with the rules the file is read with),
 * testing a server before saving it, import and export of Claude Desktop's `mcpServers`,
 * the raw file, tools with their schemas and policies, launch diagnostics and logs.
 *
 * Secrets never cross to the renderer: a server's bearer token is "set" or "not set";
 * a new value goes in, never out.
 */
import { z } from "zod";
import { McpConfigSchema, ServerDefinitionSchema } from "../../mcp/config/schema.js";
import { ApprovalPolicySchema, ApprovalRuleSchema } from "./chat.js";

const Id = z.string().min(1);
const Empty = z.object({}).strict();

/** A server's definition as the form edits it: the config's own schema, without the token. */
export const ServerDraftSchema = ServerDefinitionSchema.omit({ bearer_token: true });
export type ServerDraft = z.input<typeof ServerDraftSchema>;

/** The config's global settings. */
export const McpSettingsSchema = McpConfigSchema.pick({ auto_register_tools: true, tool_timeout_secs: true, max_concurrent_calls: true });
export type McpSettings = z.infer<typeof McpSettingsSchema>;

/** One problem of a config, where it is: `servers[2].source.url`, and for raw text its line and column (1-based). */
export const ConfigProblemSchema = z.object({ path: z.string(), message: z.string(), line: z.number().int().optional(), column: z.number().int().optional() });
export type ConfigProblem = z.infer<typeof ConfigProblemSchema>;

/** A server of the config as the page lists it. */
export const ServerEntrySchema = z.object({
  definition: ServerDraftSchema,
  bearerToken: z.enum(["set", "not set"]),
});
export type ServerEntry = z.infer<typeof ServerEntrySchema>;

/** How a Process server is launched, and what went wrong finding its command. */
export const LaunchDiagnosticsSchema = z.object({
  command: z.string(),
  args: z.array(z.string()),
  /** The working folder used (the config's `work_dir`, or Hearth's own folder). */
  workDir: z.string(),
  /** The PATH folders searched, in order. */
  path: z.array(z.string()),
  /** Where that PATH came from: the user's login shell (as a terminal would have it), or Hearth's own environment. */
  pathSource: z.enum(["login-shell", "process"]),
  /** The file the command resolves to; absent when it was not found. */
  resolved: z.string().optional(),
  /** One sentence a person can act on ("npx was not found in any of the 6 PATH folders …"). */
  message: z.string(),
});
export type LaunchDiagnostics = z.infer<typeof LaunchDiagnosticsSchema>;

/** A tool of one server, for the servers page. */
export const ServerToolSchema = z.object({
  /** The server's own name for it. */
  name: z.string(),
  /** What the model calls (with the server's prefix). */
  exposedName: z.string(),
  description: z.string().optional(),
  inputSchema: z.record(z.string(), z.unknown()),
  /** Off: no conversation is offered it. */
  enabled: z.boolean(),
  policy: ApprovalPolicySchema,
  /** `rule`: set by the user; `annotations`: the default from the tool's hints. */
  policySource: z.enum(["rule", "annotations"]),
});
export type ServerTool = z.infer<typeof ServerToolSchema>;

/** What "Test connection" found. */
export const ServerTestSchema = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), tools: z.array(z.object({ name: z.string(), description: z.string().optional(), inputSchema: z.record(z.string(), z.unknown()) })) }),
  z.object({ ok: z.literal(false), error: z.string(), stderr: z.array(z.string()), launch: LaunchDiagnosticsSchema.optional() }),
]);
export type ServerTest = z.infer<typeof ServerTestSchema>;

/** A server's log line: its stderr, its `notifications/message` and Hearth's own notes about it. */
export const LogEntrySchema = z.object({
  /** Milliseconds since the epoch. */
  at: z.number(),
  level: z.enum(["debug", "info", "warn", "error"]),
  /** `app`, or the server's id. */
  source: z.string(),
  text: z.string(),
});
export type LogEntry = z.infer<typeof LogEntrySchema>;

/** A new token (`string`), its removal (`null`), or no change (absent). */
const TokenChange = z.string().min(1).max(10_000).nullable().optional();

export const mcpInvokeChannels = {
  /** The config: its path, its servers (tokens masked) and settings, and the file's text (tokens masked). */
  "mcp.getConfig": { input: Empty, output: z.object({ path: z.string(), servers: z.array(ServerEntrySchema), settings: McpSettingsSchema, text: z.string() }) },
  /** Adds a server, or replaces `previousId` (which may differ from the new id); applies it. Errors `config_invalid` name the field. */
  "mcp.saveServer": { input: z.object({ previousId: Id.optional(), definition: z.unknown(), bearerToken: TokenChange }).strict(), output: ServerEntrySchema },
  "mcp.removeServer": { input: z.object({ id: Id }).strict(), output: z.object({ removed: z.boolean() }) },
  "mcp.setServerEnabled": { input: z.object({ id: Id, enabled: z.boolean() }).strict(), output: ServerEntrySchema },
  /** Connects to `definition` without saving it, lists its tools, and disconnects. `useSavedTokenOf`: the saved token of that server id. */
  "mcp.testServer": { input: z.object({ definition: z.unknown(), bearerToken: z.string().max(10_000).optional(), useSavedTokenOf: Id.optional() }).strict(), output: ServerTestSchema },
  /** Adds the servers of a Claude Desktop `mcpServers` JSON; `replace`: overwrite servers with the same id. Nothing is saved when anything is invalid. */
  "mcp.importServers": {
    input: z.object({ text: z.string().max(1_000_000), replace: z.boolean().optional() }).strict(),
    output: z.object({ added: z.array(z.string()), replaced: z.array(z.string()), skipped: z.array(z.object({ id: z.string(), reason: z.string() })), problems: z.array(ConfigProblemSchema) }),
  },
  /** The servers as Claude Desktop `mcpServers` JSON (tokens left out). */
  "mcp.exportServers": { input: Empty, output: z.object({ text: z.string() }) },
  /** Replaces the whole file with `text` when it is valid; otherwise saves nothing and says where it is wrong. */
  "mcp.saveConfigText": { input: z.object({ text: z.string().max(5_000_000) }).strict(), output: z.object({ saved: z.boolean(), problems: z.array(ConfigProblemSchema) }) },
  "mcp.updateSettings": { input: McpSettingsSchema.partial().strict(), output: McpSettingsSchema },
  "mcp.listServerTools": { input: z.object({ id: Id }).strict(), output: z.array(ServerToolSchema) },
  /** Turns one tool off (or on) for every conversation. */
  "mcp.setToolEnabled": { input: z.object({ serverId: Id, toolName: Id, enabled: z.boolean() }).strict(), output: ServerToolSchema },
  /** Sets the approval policy of a server (no `toolName`) or one tool; `policy: null` goes back to the default. */
  "approvals.setRule": { input: z.object({ serverId: Id, toolName: Id.optional(), policy: ApprovalPolicySchema.nullable() }).strict(), output: z.array(ApprovalRuleSchema) },
  /** How a Process server is (or would be) launched: command, args, folder, the PATH searched and where the command is. */
  "mcp.diagnoseServer": { input: z.object({ id: Id }).strict(), output: LaunchDiagnosticsSchema },
  "mcp.getServerLog": { input: z.object({ id: Id }).strict(), output: z.array(LogEntrySchema) },
} as const;
