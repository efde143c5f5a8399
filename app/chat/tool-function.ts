/**
 * An MCP tool of the pool as a function the model may call: the approval, the call
 * through the pool (queue wait, progress, timeout, cancel), and the result cut to the
 * budget for the model while the inspector keeps it whole. A failure of any kind becomes
 * a result marked as an error, which the model reads; nothing here throws into the turn.
 */
import type { McpPool, PoolTool } from "../../mcp/index.js";
import { McpClientError } from "../../mcp/index.js";
import type { ChatFunction, FunctionResult, ToolCall } from "../../models/runner.js";
import type { ToolCallRecord } from "../contract/chat.js";
import type { ApprovalGate } from "./approvals.js";
import { cutToBudget, modelTextOf, toToolResult } from "./tool-content.js";
import type { TurnEventBody } from "./turn-events.js";

/** What the functions of one turn share. */
export interface ToolFunctionContext {
  pool: McpPool;
  approvals: ApprovalGate;
  conversationId?: string;
  emit: (event: TurnEventBody) => void;
  /** The record of each call of the turn, by call id (created when the model asks). */
  records: Map<string, ToolCallRecord>;
  /** Characters of each call's result left out of what the model read, by call id. */
  truncated: Map<string, number>;
  /** The budget for one result of the current round, in characters. */
  resultBudget: () => number;
}

/** The tool as a {@link ChatFunction}; its parameters are the tool's input schema. */
export function toolFunction(tool: PoolTool, context: ToolFunctionContext): ChatFunction {
  const definition: ChatFunction = {
    name: tool.name,
    parameters: tool.tool.inputSchema as Record<string, unknown>,
    call: (args, signal, call) => callTool(tool, context, args, signal, call),
  };
  const description = tool.tool.description ?? tool.tool.title;
  if (description !== undefined) definition.description = description;
  return definition;
}

async function callTool(tool: PoolTool, context: ToolFunctionContext, args: Record<string, unknown>, signal: AbortSignal, call: ToolCall): Promise<FunctionResult> {
  const record = context.records.get(call.id)!;
  const decision = await context.approvals.decide(
    { toolCallId: call.id, name: tool.name, serverId: tool.serverId, toolName: tool.tool.name, arguments: args, conversationId: context.conversationId },
    tool.tool.annotations,
    signal,
    (request) => context.emit({ type: "approvalRequested", ...omitConversation(request) }),
  );
  context.emit({ type: "approvalAnswered", toolCallId: call.id, answer: decision.answer, by: decision.by });
  if (!decision.allowed) {
    if (signal.aborted) return finish(record, "cancelled", "The call was cancelled: the user stopped the turn.");
    const who = decision.by === "user" ? "The user denied" : "No one could approve";
    return finish(record, "denied", `${who} this call of ${tool.name}; it did not run.`);
  }

  try {
    const outcome = await context.pool.callTool(tool.name, args, {
      signal,
      onStarted: (queuedMs) => {
        record.queuedMs = queuedMs;
        context.emit({ type: "toolCallStarted", toolCallId: call.id, queuedMs });
      },
      onProgress: (progress) => {
        const event: TurnEventBody = { type: "toolCallProgress", toolCallId: call.id, progress: progress.progress };
        if (progress.total !== undefined) event.total = progress.total;
        if (progress.message !== undefined) event.message = progress.message;
        context.emit(event);
      },
      // The inspector's raw view; turn.ts puts it on the call's toolCallFinished event.
      onMessage: (message) => (record.exchange ??= []).push(message),
    });
    const result = toToolResult(outcome.result);
    record.result = result;
    record.status = "ok";
    const cut = cutToBudget(modelTextOf(result), context.resultBudget());
    context.truncated.set(call.id, cut.truncatedChars);
    return result.isError ? { content: cut.text, isError: true } : { content: cut.text };
  } catch (error) {
    if (signal.aborted) return finish(record, "cancelled", "The call was cancelled: the user stopped the turn.");
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof McpClientError && error.code === "tool_timeout") return finish(record, "timeout", `The call timed out: ${message}.`);
    return finish(record, "error", `The call failed: ${message}`);
  }
}

function finish(record: ToolCallRecord, status: NonNullable<ToolCallRecord["status"]>, text: string): FunctionResult {
  record.status = status;
  record.error = text;
  return { content: text, isError: true };
}

function omitConversation<T extends { conversationId?: string }>(request: T): Omit<T, "conversationId"> {
  const { conversationId: _conversationId, ...rest } = request;
  return rest;
}
