/**
 * The chat domain as both sides of the process boundary see it: tool results, approval
 * policies, tool selection, stored conversations and messages, and the events of a turn.
 * Each type is inferred from its zod schema, so what crosses IPC or HTTP can be checked at
 * run time with the same definition. zod only: no Node, no DOM.
 */
import { z } from "zod";

// ---------------------------------------------------------------------------------------
// Tool results (MCP `CallToolResult`, as Hearth keeps it)

/** One item of a tool result's `content` (MCP spec 2025-06-18, "Tool Result"). */
export const ToolContentSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string() }),
  z.object({ type: z.literal("image"), data: z.string(), mimeType: z.string() }),
  z.object({ type: z.literal("audio"), data: z.string(), mimeType: z.string() }),
  z.object({
    type: z.literal("resource_link"),
    uri: z.string(),
    name: z.string(),
    title: z.string().optional(),
    description: z.string().optional(),
    mimeType: z.string().optional(),
  }),
  z.object({
    type: z.literal("resource"),
    resource: z.object({ uri: z.string(), mimeType: z.string().optional(), text: z.string().optional(), blob: z.string().optional() }),
  }),
]);
export type ToolContent = z.infer<typeof ToolContentSchema>;

/** A tool's full result, kept for the inspector whatever the model was shown. */
export const ToolResultSchema = z.object({
  content: z.array(ToolContentSchema),
  structuredContent: z.record(z.string(), z.unknown()).optional(),
  isError: z.boolean(),
});
export type ToolResult = z.infer<typeof ToolResultSchema>;

/**
 * How a tool call ended: `ok` (the tool answered, even with `isError`), `error` (the call
 * failed: server gone, protocol error), `timeout`, `denied` (by the user or a policy),
 * `cancelled` (the turn was stopped).
 */
export const ToolCallStatusSchema = z.enum(["ok", "error", "timeout", "denied", "cancelled"]);
export type ToolCallStatus = z.infer<typeof ToolCallStatusSchema>;

// ---------------------------------------------------------------------------------------
// Approvals

/**
 * What happens before a tool runs: `ask` every time, ask `once` per conversation, or
 * `always` allow. Without a rule the tool's annotations decide: `readOnlyHint: true`
 * allows, anything else asks.
 */
export const ApprovalPolicySchema = z.enum(["ask", "once", "always"]);
export type ApprovalPolicy = z.infer<typeof ApprovalPolicySchema>;

/**
 * The user's answer to an approval question: run it this time, for the rest of the
 * conversation, always (stored as a rule), or refuse it (the model is told).
 */
export const ApprovalAnswerSchema = z.enum(["allow", "allowForConversation", "allowAlways", "deny"]);
export type ApprovalAnswer = z.infer<typeof ApprovalAnswerSchema>;

/** A stored policy for one server, or for one of its tools (`toolName` set). */
export const ApprovalRuleSchema = z.object({
  serverId: z.string().min(1),
  /** The tool's own name (not the prefixed one); absent for the whole server. */
  toolName: z.string().min(1).optional(),
  policy: ApprovalPolicySchema,
  /** Milliseconds since the epoch. */
  createdAt: z.number(),
});
export type ApprovalRule = z.infer<typeof ApprovalRuleSchema>;

// ---------------------------------------------------------------------------------------
// Tool selection per conversation

/**
 * Which tools a conversation offers the model. A tool's own switch wins, then its
 * server's, then the config's `auto_register_tools`. Tools are keyed `serverId/toolName`
 * (the tool's own name), so a changed `tool_prefix` keeps the choice.
 */
export const ToolSelectionSchema = z.object({
  servers: z.record(z.string(), z.boolean()).default({}),
  tools: z.record(z.string(), z.boolean()).default({}),
});
export type ToolSelection = z.infer<typeof ToolSelectionSchema>;

/** The key of a tool in {@link ToolSelection.tools}. */
export function toolKey(serverId: string, toolName: string): string {
  return `${serverId}/${toolName}`;
}

// ---------------------------------------------------------------------------------------
// Conversations and messages

export const ToolCallRequestSchema = z.object({
  id: z.string(),
  /** The name the model called (the exposed, prefixed one). */
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
});
export type ToolCallRequest = z.infer<typeof ToolCallRequestSchema>;

/**
 * `complete`, or `cancelled` (the user stopped the answer; its text is the part that was
 * written), or `interrupted` (the app ended during the turn).
 */
export const MessageStatusSchema = z.enum(["complete", "cancelled", "interrupted"]);
export type MessageStatus = z.infer<typeof MessageStatusSchema>;

export const StoredMessageSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  /** The turn that wrote it; user messages start a turn. */
  turnId: z.string().optional(),
  role: z.enum(["system", "user", "assistant", "tool"]),
  content: z.string(),
  /** On assistant messages: the calls the model made in this round. */
  toolCalls: z.array(ToolCallRequestSchema).optional(),
  /** On tool messages: the call this answers, its name and whether it failed. */
  toolCallId: z.string().optional(),
  name: z.string().optional(),
  isError: z.boolean().optional(),
  status: MessageStatusSchema,
  /** Milliseconds since the epoch. */
  createdAt: z.number(),
});
export type StoredMessage = z.infer<typeof StoredMessageSchema>;

/**
 * One JSON-RPC message of a tool call as it crossed the wire (the `tools/call` request,
 * progress and cancel notifications, the response), for the inspector's raw view.
 */
export const RawMessageSchema = z.object({
  direction: z.enum(["sent", "received"]),
  /** Milliseconds since the epoch. */
  at: z.number(),
  message: z.record(z.string(), z.unknown()),
});
export type RawMessage = z.infer<typeof RawMessageSchema>;

/** One tool call with everything the inspector shows. */
export const ToolCallRecordSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  turnId: z.string(),
  /** The exposed name the model called. */
  name: z.string(),
  serverId: z.string().optional(),
  toolName: z.string().optional(),
  arguments: z.record(z.string(), z.unknown()),
  status: ToolCallStatusSchema.optional(),
  /** The full result (absent while running, or when the call never reached the server). */
  result: ToolResultSchema.optional(),
  /** The call's JSON-RPC messages, in order (absent when it never reached the server). */
  exchange: z.array(RawMessageSchema).optional(),
  /** Why the call failed, when `status` is not `ok`. */
  error: z.string().optional(),
  queuedMs: z.number().optional(),
  durationMs: z.number().optional(),
  startedAt: z.number(),
  finishedAt: z.number().optional(),
});
export type ToolCallRecord = z.infer<typeof ToolCallRecordSchema>;

export const ConversationSchema = z.object({
  id: z.string(),
  title: z.string(),
  systemPrompt: z.string().optional(),
  /** What ran the last turn ("local: model.gguf"); informative only. */
  model: z.string().optional(),
  /** The model chosen for this conversation (an id of `models.list`); absent: the app's default. */
  modelId: z.string().optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Conversation = z.infer<typeof ConversationSchema>;

// ---------------------------------------------------------------------------------------
// Events of a turn

export const TurnUsageSchema = z.object({
  promptTokens: z.number(),
  completionTokens: z.number(),
  /** Prompt tokens actually evaluated (with KV-cache reuse, only the new ones). */
  evaluatedPromptTokens: z.number(),
});

export const TurnTimingsSchema = z.object({
  totalMs: z.number(),
  timeToFirstTokenMs: z.number().optional(),
  tokensPerSecond: z.number().optional(),
  /** Wall time while at least one tool call ran. */
  toolMs: z.number(),
});

export const StopReasonSchema = z.enum(["stop", "maxTokens", "aborted", "functionRoundLimit", "stopString", "error"]);
export type StopReason = z.infer<typeof StopReasonSchema>;

const eventBase = {
  /** Unique: `<turnId>:<sequence>`. */
  id: z.string(),
  turnId: z.string(),
  /** Absent when the turn runs outside a stored conversation (the library API). */
  conversationId: z.string().optional(),
  /** Milliseconds since the epoch. */
  at: z.number(),
};

/** Every step of a turn, in order. The tool-call inspector and the HTTP API read these. */
export const TurnEventSchema = z.discriminatedUnion("type", [
  z.object({ ...eventBase, type: z.literal("turnStarted"), model: z.string(), tools: z.array(z.string()) }),
  z.object({ ...eventBase, type: z.literal("textDelta"), text: z.string() }),
  z.object({
    ...eventBase,
    type: z.literal("toolCallRequested"),
    toolCallId: z.string(),
    name: z.string(),
    serverId: z.string().optional(),
    toolName: z.string().optional(),
    arguments: z.record(z.string(), z.unknown()),
  }),
  z.object({
    ...eventBase,
    type: z.literal("approvalRequested"),
    toolCallId: z.string(),
    name: z.string(),
    serverId: z.string(),
    toolName: z.string(),
    arguments: z.record(z.string(), z.unknown()),
    /** The policy in force, and the annotation hints that led to it. */
    policy: ApprovalPolicySchema,
    destructive: z.boolean().optional(),
  }),
  z.object({
    ...eventBase,
    type: z.literal("approvalAnswered"),
    toolCallId: z.string(),
    answer: ApprovalAnswerSchema,
    /** `user` answered the question; `policy` decided without asking. */
    by: z.enum(["user", "policy"]),
  }),
  z.object({ ...eventBase, type: z.literal("toolCallStarted"), toolCallId: z.string(), queuedMs: z.number() }),
  z.object({
    ...eventBase,
    type: z.literal("toolCallProgress"),
    toolCallId: z.string(),
    progress: z.number(),
    total: z.number().optional(),
    message: z.string().optional(),
  }),
  z.object({
    ...eventBase,
    type: z.literal("toolCallFinished"),
    toolCallId: z.string(),
    status: ToolCallStatusSchema,
    result: ToolResultSchema.optional(),
    /** The call's JSON-RPC messages, in order (absent when it never reached the server). */
    exchange: z.array(RawMessageSchema).optional(),
    error: z.string().optional(),
    durationMs: z.number(),
    /** Characters of the result left out of what the model read (0 when it fit the budget). */
    truncatedChars: z.number(),
  }),
  z.object({
    ...eventBase,
    type: z.literal("turnFinished"),
    stopReason: StopReasonSchema,
    /** The final answer's text (partial when stopped). */
    text: z.string(),
    usage: TurnUsageSchema,
    timings: TurnTimingsSchema,
  }),
  z.object({ ...eventBase, type: z.literal("error"), code: z.string(), message: z.string() }),
]);
export type TurnEvent = z.infer<typeof TurnEventSchema>;
export type TurnEventType = TurnEvent["type"];
/** A turn event of one type. */
export type TurnEventOf<Type extends TurnEventType> = Extract<TurnEvent, { type: Type }>;
