/**
 * Every channel between the renderer and the core, declared once: invoke channels
 * (renderer → core: an input and an output schema) and event channels (core → renderer: a
 * payload schema). Names are `domain.verb`; events are in the past tense. The Electron
 * binding (main/ipc) and the WebSocket binding (app/server/ui-bridge.ts) both validate
 * every input against these schemas, and both take a {@link InvokeHandlers} map, so a
 * channel without a handler is a compile error. zod only: no Node, no DOM.
 */
import { z } from "zod";
import {
  ApprovalAnswerSchema,
  ApprovalPolicySchema,
  ApprovalRuleSchema,
  ConversationSchema,
  StoredMessageSchema,
  ToolCallRecordSchema,
  ToolSelectionSchema,
  TurnEventSchema,
} from "./chat.js";
import { mcpInvokeChannels } from "./mcp-channels.js";
import { modelsEventChannels, modelsInvokeChannels } from "./models-channels.js";
import { settingsInvokeChannels } from "./settings-channels.js";

const Id = z.string().min(1);
const Empty = z.object({}).strict();

/** An MCP server as the UI lists it. */
export const ServerSummarySchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  transport: z.enum(["Process", "Http", "WebSocket"]),
  enabled: z.boolean(),
  status: z.enum(["stopped", "starting", "running", "error", "disabled"]),
  /** Why it failed, and its last stderr lines, when `status` is `error`. */
  error: z.string().optional(),
  stderr: z.array(z.string()).optional(),
  tools: z.number().int(),
});
export type ServerSummary = z.infer<typeof ServerSummarySchema>;

/** A tool as a conversation's tool list shows it. */
export const ConversationToolSchema = z.object({
  name: z.string(),
  serverId: z.string(),
  toolName: z.string(),
  description: z.string().optional(),
  selected: z.boolean(),
  policy: ApprovalPolicySchema,
});

export const SearchHitSchema = z.object({
  conversationId: z.string(),
  conversationTitle: z.string(),
  messageId: z.string(),
  role: z.enum(["system", "user", "assistant", "tool"]),
  snippet: z.string(),
  createdAt: z.number(),
});

/** The model the core runs. */
export const ModelStatusSchema = z.object({
  state: z.enum(["none", "loading", "loaded", "error"]),
  /** `local: x.gguf` or `remote: …`. */
  description: z.string().optional(),
  error: z.string().optional(),
  /** The `models.list` id of the model loading or loaded. */
  modelId: z.string().optional(),
  /** While loading: how far, from 0 to 1. */
  progress: z.number().min(0).max(1).optional(),
  /** Once loaded: where it runs (`cpu`, `cuda`, `vulkan`, `metal`, or `remote`). */
  backend: z.string().optional(),
  /** Once loaded: layers offloaded to the GPU, of `totalLayers`. */
  gpuLayers: z.number().optional(),
  totalLayers: z.number().optional(),
  /** Once loaded: GPU memory the model and context use, in bytes. */
  vramBytes: z.number().optional(),
  contextSize: z.number().optional(),
});
export type ModelStatus = z.infer<typeof ModelStatusSchema>;

/** A model a conversation can run on, as `models.list` gives it. */
export const ModelChoiceSchema = z.object({
  /** Stable: `local:<file name>` or `remote:<model name>`. */
  id: z.string(),
  /** What the picker shows. */
  label: z.string(),
  kind: z.enum(["local", "remote"]),
  /** The file's size, for local models. */
  sizeBytes: z.number().optional(),
  /** Whether it is the one in memory now. */
  loaded: z.boolean(),
  /** Whether it is what a conversation without a choice runs on. */
  isDefault: z.boolean(),
});
export type ModelChoice = z.infer<typeof ModelChoiceSchema>;

/** Renderer → core: `input` is validated before the handler runs; `output` is what it resolves to. */
export const invokeChannels = {
  "app.getInfo": { input: Empty, output: z.object({ version: z.string(), binding: z.enum(["electron", "websocket"]) }) },
  "model.getStatus": { input: Empty, output: ModelStatusSchema },
  "models.list": { input: Empty, output: z.array(ModelChoiceSchema) },
  "conversations.list": { input: z.object({ limit: z.number().int().min(1).max(500).optional(), offset: z.number().int().min(0).optional() }).strict(), output: z.array(ConversationSchema) },
  "conversations.create": { input: z.object({ title: z.string().max(200).optional(), systemPrompt: z.string().max(100_000).optional() }).strict(), output: ConversationSchema },
  "conversations.rename": { input: z.object({ id: Id, title: z.string().min(1).max(200) }).strict(), output: ConversationSchema },
  /** `modelId: null` goes back to the app's default model. */
  "conversations.setModel": { input: z.object({ id: Id, modelId: Id.nullable() }).strict(), output: ConversationSchema },
  "conversations.delete": { input: z.object({ id: Id }).strict(), output: z.object({ deleted: z.boolean() }) },
  "conversations.search": { input: z.object({ query: z.string().max(1_000), limit: z.number().int().min(1).max(200).optional() }).strict(), output: z.array(SearchHitSchema) },
  "conversations.open": {
    input: z.object({ id: Id }).strict(),
    output: z.object({ conversation: ConversationSchema, messages: z.array(StoredMessageSchema), toolCalls: z.array(ToolCallRecordSchema) }),
  },
  /** Starts a turn; its steps arrive as `chat.turnUpdated` events. Resolves once it has started. */
  "chat.send": { input: z.object({ conversationId: Id, text: z.string().min(1).max(1_000_000) }).strict(), output: z.object({ turnId: z.string() }) },
  "chat.stop": { input: z.object({ turnId: Id }).strict(), output: z.object({ stopped: z.boolean() }) },
  "approvals.answer": { input: z.object({ toolCallId: Id, answer: ApprovalAnswerSchema }).strict(), output: z.object({ answered: z.boolean() }) },
  "approvals.listRules": { input: Empty, output: z.array(ApprovalRuleSchema) },
  "approvals.removeRule": { input: z.object({ serverId: Id, toolName: z.string().min(1).optional() }).strict(), output: z.object({ removed: z.boolean() }) },
  "tools.list": { input: z.object({ conversationId: Id }).strict(), output: z.array(ConversationToolSchema) },
  "tools.select": { input: z.object({ conversationId: Id, serverId: Id, toolName: z.string().min(1).optional(), on: z.boolean() }).strict(), output: ToolSelectionSchema },
  "mcp.listServers": { input: Empty, output: z.array(ServerSummarySchema) },
  "mcp.restartServer": { input: z.object({ id: Id }).strict(), output: ServerSummarySchema },
  ...mcpInvokeChannels,
  ...modelsInvokeChannels,
  ...settingsInvokeChannels,
} as const;

/** Core → renderer. */
export const eventChannels = {
  /** One step of a turn (text, tool calls, approvals, the end). */
  "chat.turnUpdated": TurnEventSchema,
  "mcp.serverStateChanged": ServerSummarySchema,
  /** A conversation was created, renamed, deleted or got messages. */
  "conversations.changed": z.object({ id: z.string(), deleted: z.boolean().optional() }),
  "model.statusChanged": ModelStatusSchema,
  ...modelsEventChannels,
} as const;

export type InvokeChannel = keyof typeof invokeChannels;
export type EventChannel = keyof typeof eventChannels;
export type InvokeInput<Channel extends InvokeChannel> = z.infer<(typeof invokeChannels)[Channel]["input"]>;
export type InvokeOutput<Channel extends InvokeChannel> = z.infer<(typeof invokeChannels)[Channel]["output"]>;
export type EventPayload<Channel extends EventChannel> = z.infer<(typeof eventChannels)[Channel]>;

/** One handler per invoke channel: leaving one out does not compile. */
export type InvokeHandlers = { [Channel in InvokeChannel]: (input: InvokeInput<Channel>) => Promise<InvokeOutput<Channel>> };

/** Sends an event to the renderer(s). */
export type EventSink = <Channel extends EventChannel>(channel: Channel, payload: EventPayload<Channel>) => void;

/** An error as it crosses the boundary: a stable code and a message, never a stack. */
export const BridgeErrorSchema = z.object({ code: z.string(), message: z.string() });
export type BridgeError = z.infer<typeof BridgeErrorSchema>;

/** What an invoke gives back across the boundary: the channel's output, or why there is none. */
export type InvokeResult<Output = unknown> = { ok: true; output: Output } | { ok: false; error: BridgeError };

/**
 * Checks `input` for `channel`: the parsed input, or a `BridgeError` with code
 * `invalid_input` naming the first bad field. Unknown channels give `unknown_channel`.
 */
export function parseInvokeInput(channel: string, input: unknown): { ok: true; channel: InvokeChannel; input: unknown } | { ok: false; error: BridgeError } {
  if (!Object.hasOwn(invokeChannels, channel)) return { ok: false, error: { code: "unknown_channel", message: `no channel is named "${channel}"` } };
  const parsed = invokeChannels[channel as InvokeChannel].input.safeParse(input ?? {});
  if (parsed.success) return { ok: true, channel: channel as InvokeChannel, input: parsed.data };
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length > 0 ? issue.path.join(".") : "(input)";
  return { ok: false, error: { code: "invalid_input", message: `${channel}: ${where}: ${issue.message}` } };
}
