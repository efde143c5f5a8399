/**
 * The mcp-config.json format: the zod schemas are the single source of truth, and the
 * TypeScript types are inferred from them. Parsed values have their defaults applied.
 *
 * Any string value may contain `${env:NAME}` references; they are resolved when a server
 * connects (see `env.ts`), so secrets need not sit in the file.
 */
import { z } from "zod";

/** Matches one `${env:NAME}` reference. */
export const ENV_REFERENCE = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

const hasEnvReference = (value: string) => /\$\{env:[A-Za-z_][A-Za-z0-9_]*\}/.test(value);

/** A URL with one of `protocols`, or a string holding `${env:…}` (checked once resolved). */
const urlWithProtocol = (protocols: string[]) =>
  z.string().superRefine((value, context) => {
    if (hasEnvReference(value)) return;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      context.addIssue({ code: "custom", message: "not a URL" });
      return;
    }
    if (!protocols.includes(url.protocol)) {
      context.addIssue({
        code: "custom",
        message: `must start with ${protocols.map((protocol) => `${protocol}//`).join(" or ")}`,
      });
    }
  });

const StringMapSchema = z.record(z.string(), z.string());
const TimeoutSecondsSchema = z.number().positive().max(86_400);

/** `{"type": "Http"}`: Streamable HTTP, falling back to the legacy HTTP+SSE transport. */
export const HttpSourceSchema = z.strictObject({
  type: z.literal("Http"),
  url: urlWithProtocol(["http:", "https:"]),
  /** Per-request timeout in seconds; defaults to the top-level `tool_timeout_secs`. */
  timeout_secs: TimeoutSecondsSchema.optional(),
  headers: StringMapSchema.optional(),
});

/** `{"type": "WebSocket"}`: JSON-RPC over a WebSocket, subprotocol `mcp`. */
export const WebSocketSourceSchema = z.strictObject({
  type: z.literal("WebSocket"),
  url: urlWithProtocol(["ws:", "wss:"]),
  timeout_secs: TimeoutSecondsSchema.optional(),
  headers: StringMapSchema.optional(),
});

/** `{"type": "Process"}`: a child process speaking JSON-RPC over stdin/stdout. */
export const ProcessSourceSchema = z.strictObject({
  type: z.literal("Process"),
  command: z.string().min(1, "must not be empty"),
  args: z.array(z.string()).default([]),
  /** Working folder of the process; defaults to the folder Hearth runs in. */
  work_dir: z.string().min(1).optional(),
  /** Merged over the parent environment. */
  env: StringMapSchema.default({}),
});

export const SOURCE_TYPES = ["Http", "WebSocket", "Process"] as const;

export const ServerSourceSchema = z.discriminatedUnion("type", [
  HttpSourceSchema,
  WebSocketSourceSchema,
  ProcessSourceSchema,
]);

/** Tool prefixes end up in tool names, which allow only `[a-zA-Z0-9_-]`. */
const ToolPrefixSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/, "may contain only letters, digits, '_' and '-'")
  .max(32);

/** One server: what the config says (its definition), not its runtime state. */
export const ServerDefinitionSchema = z.strictObject({
  id: z.string().min(1, "must not be empty").max(64),
  /** Display name; defaults to the id. */
  name: z.string().optional(),
  source: ServerSourceSchema,
  enabled: z.boolean().default(true),
  /** Exposed tool names become `<tool_prefix>_<name>`. */
  tool_prefix: ToolPrefixSchema.optional(),
  /** Resource URI patterns (`*` within a segment, `**` across) to subscribe to. */
  resources: z.array(z.string().min(1)).default([]),
  /** Sent as `Authorization: Bearer …` (Http and WebSocket only). */
  bearer_token: z.string().optional(),
});

export const McpConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  servers: z.array(ServerDefinitionSchema).default([]),
  /** Expose every discovered tool to the model (`false`: none unless selected). */
  auto_register_tools: z.boolean().default(true),
  /** Per tool call, in seconds. */
  tool_timeout_secs: TimeoutSecondsSchema.default(30),
  /** Calls in flight across all servers; further calls wait in a FIFO queue. */
  max_concurrent_calls: z.number().int().min(1).max(1000).default(10),
});

export type HttpSource = z.infer<typeof HttpSourceSchema>;
export type WebSocketSource = z.infer<typeof WebSocketSourceSchema>;
export type ProcessSource = z.infer<typeof ProcessSourceSchema>;
export type ServerSource = z.infer<typeof ServerSourceSchema>;
export type ServerDefinition = z.infer<typeof ServerDefinitionSchema>;
/** A parsed config, defaults applied. */
export type McpConfig = z.infer<typeof McpConfigSchema>;
/** What a user may write (defaults optional). */
export type McpConfigInput = z.input<typeof McpConfigSchema>;
export type ServerDefinitionInput = z.input<typeof ServerDefinitionSchema>;
