/**
 * `POST /v1/chat/completions`: the server runs the agent loop. MCP tools are offered and
 * run by Hearth; the answer lists the calls that ran (`tool_calls`, and Hearth's
 * `mcp_tool_results`). Tools the client passes are offered too, but their calls end the
 * turn and go back to the client, OpenAI-style, unrun. A tool server that is down does
 * not fail the request: its call fails, the model reads that, and the turn completes.
 */
import type { McpPool, PoolTool } from "../../mcp/index.js";
import type { ChatFunction, ToolCall } from "../../models/runner.js";
import type { ToolCallRecord, TurnEvent } from "../contract/chat.js";
import { ApprovalGate, MemoryApprovalRules, askerFor } from "../chat/approvals.js";
import { isToolDisabled, offeredTools } from "../chat/tool-selection.js";
import { modelTextOf } from "../chat/tool-content.js";
import { runTurn, type TurnOutcome } from "../chat/turn.js";
import { clientTools, toChatMessages, toSampling, toToolChoice } from "./openai/convert.js";
import { contextLengthExceeded, invalidRequest, modelNotFound, serverError } from "./openai/errors.js";
import { CompletionChunks, SSE_DONE, completionResponse, finishReasonOf, newCompletionId, sse, toUsage, type ReportedToolCall } from "./openai/responses.js";
import type { ChatCompletionRequest } from "./openai/schema.js";
import type { ServerMetrics } from "./metrics.js";
import type { ModelSlots } from "./model-slots.js";

/** What a completion needs from the server. */
export interface CompletionContext {
  /** The id clients pass as `model`. */
  modelId: string;
  slots: ModelSlots;
  pool: McpPool;
  /** For calls that need approval, when the request does not say (`mcp.approval`). */
  approval: "auto" | "deny";
  metrics: ServerMetrics;
}

/** Where a streamed completion writes; `write` returns false when the client is gone. */
export interface StreamSink {
  start(): void;
  write(text: string): void;
}

/**
 * Runs one completion. Not streamed: resolves to the response body. Streamed: writes SSE
 * to `sink` (ending with `data: [DONE]`) and resolves to undefined. Errors found before
 * the turn starts are thrown as {@link OpenAiHttpError}; a failure during a stream is
 * written as an error event.
 */
export async function runCompletion(request: ChatCompletionRequest, context: CompletionContext, signal: AbortSignal, sink?: StreamSink): Promise<object | undefined> {
  if (request.model !== context.modelId) throw modelNotFound(request.model);
  const messages = toChatMessages(request);
  const tools = mcpTools(request, context.pool);
  const clientCalls: ToolCall[] = [];
  const stopForClient = new AbortController();
  const extraFunctions = clientFunctions(request, tools, clientCalls, stopForClient);
  const toolChoice = toToolChoice(request);
  if (typeof toolChoice === "object" && ![...tools.map((tool) => tool.name), ...extraFunctions.map((f) => f.name)].includes(toolChoice.name)) {
    throw invalidRequest(`tool_choice names "${toolChoice.name}", which is neither an MCP tool of this server nor one of the request's tools`, "tool_choice");
  }
  const approval = request.mcp?.approval ?? context.approval;
  const approvals = new ApprovalGate(new MemoryApprovalRules(), askerFor(approval));

  const id = newCompletionId();
  const created = Math.floor(Date.now() / 1000);
  const chunks = new CompletionChunks(id, context.modelId, created);
  const records = new Map<string, ReportedToolCall>();
  const lease = await context.slots.acquire(signal);
  let outcome: TurnOutcome;
  try {
    if (sink) {
      sink.start();
      sink.write(sse(chunks.start()));
    }
    outcome = await runTurn({
      runner: lease.runner,
      pool: context.pool,
      messages,
      tools,
      extraFunctions,
      approvals,
      sampling: toSampling(request),
      toolChoice,
      contextOverflow: "error",
      signal: AbortSignal.any([signal, stopForClient.signal]),
      onEvent: (event) => onTurnEvent(event, records, sink, chunks),
    });
  } finally {
    lease.release();
  }
  count(context.metrics, outcome);

  if (outcome.stopReason === "error") {
    const error = outcome.error!.code === "context_overflow" ? contextLengthExceeded(outcome.error!.message) : serverError(`The model failed: ${outcome.error!.message}`, outcome.error!.code);
    if (!sink) throw error;
    sink.write(sse(error.toBody()));
    sink.write(SSE_DONE);
    return undefined;
  }
  const reported = [...records.values()];
  const finishReason = finishReasonOf(outcome.stopReason, clientCalls.length > 0);
  const usage = toUsage(outcome.usage);
  if (!sink) return completionResponse({ id, model: context.modelId, created, content: outcome.text, toolCalls: reported, finishReason, usage });
  sink.write(sse(chunks.finish(finishReason)));
  if (request.stream_options?.include_usage) sink.write(sse(chunks.usage(usage)));
  sink.write(SSE_DONE);
  return undefined;
}

/** The MCP tools this request offers: the config's (auto_register_tools), narrowed by `mcp.allowed_tools`. */
function mcpTools(request: ChatCompletionRequest, pool: McpPool): PoolTool[] {
  const allowed = request.mcp?.allowed_tools;
  if (allowed === undefined) return offeredTools(pool);
  return allowed.map((name, index) => {
    const tool = pool.findTool(name);
    if (tool === undefined) throw invalidRequest(`no MCP tool is named "${name}"; GET /health lists the servers and their tools`, `mcp.allowed_tools[${index}]`);
    if (isToolDisabled(pool, tool.serverId, tool.tool.name)) throw invalidRequest(`the MCP tool "${name}" is switched off in Hearth's settings`, `mcp.allowed_tools[${index}]`);
    return tool;
  });
}

/** The request's own tools: a call records itself and stops the turn, so it goes back to the client. */
function clientFunctions(request: ChatCompletionRequest, mcp: readonly PoolTool[], calls: ToolCall[], stop: AbortController): ChatFunction[] {
  return clientTools(request).map((tool, index) => {
    if (mcp.some((candidate) => candidate.name === tool.name)) {
      throw invalidRequest(`tools[${index}] is named "${tool.name}", like an MCP tool of this server; rename it`, `tools[${index}].function.name`);
    }
    const definition: ChatFunction = {
      name: tool.name,
      parameters: tool.parameters,
      call: (_args, _signal, call) => {
        calls.push(call);
        stop.abort();
        return new Promise(() => {});
      },
    };
    if (tool.description !== undefined) definition.description = tool.description;
    return definition;
  });
}

function onTurnEvent(event: TurnEvent, records: Map<string, ReportedToolCall>, sink: StreamSink | undefined, chunks: CompletionChunks): void {
  if (event.type === "textDelta") {
    sink?.write(sse(chunks.text(event.text)));
  } else if (event.type === "toolCallRequested") {
    const call: ReportedToolCall = { id: event.toolCallId, name: event.name, arguments: event.arguments };
    if (event.serverId !== undefined) call.serverId = event.serverId;
    records.set(call.id, call);
    sink?.write(sse(chunks.toolCall(call)));
  } else if (event.type === "toolCallFinished") {
    const call = records.get(event.toolCallId);
    if (call?.serverId === undefined) return;
    call.status = reportedStatus(event);
    call.resultText = event.result === undefined ? (event.error ?? "") : modelTextOf(event.result);
    sink?.write(sse(chunks.toolResult(call)));
  }
}

/** A call's outcome as reported and counted: a tool's own `isError` answer counts as `error`. */
function reportedStatus(call: { status?: ToolCallRecord["status"]; result?: { isError: boolean } }): string {
  return call.result?.isError ? "error" : (call.status ?? "error");
}

function count(metrics: ServerMetrics, outcome: TurnOutcome): void {
  metrics.tokens.inc({ kind: "prompt" }, outcome.usage.promptTokens);
  metrics.tokens.inc({ kind: "completion" }, outcome.usage.completionTokens);
  metrics.tokens.inc({ kind: "evaluated" }, outcome.usage.evaluatedPromptTokens);
  for (const call of outcome.toolCalls) {
    if (call.serverId === undefined) continue;
    metrics.toolCalls.inc({ server: call.serverId, outcome: reportedStatus(call) });
    if (call.durationMs !== undefined) metrics.toolLatency.observe({ server: call.serverId }, call.durationMs / 1000);
  }
}

