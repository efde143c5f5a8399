/**
 * One turn of the agent loop: the model streams; each function call it makes is an MCP
 * tool call through the pool (approved first); the results go back to the model, which
 * goes on until it answers or the rounds run out. Calls made together run concurrently,
 * bounded by the pool's `max_concurrent_calls`. Every step is a {@link TurnEvent}, and
 * every message is handed to `onMessage` as soon as it is complete, so a store can commit
 * it at once: a crash then loses at most the answer being streamed.
 *
 * The turn never throws for what happens inside it: a failed call is a result the model
 * reads, and a failed model ends the turn with an `error` event and stop reason `error`.
 */
import { randomUUID } from "node:crypto";
import type { McpPool, PoolTool } from "../../mcp/index.js";
import type { ChatFunction, ChatMessage, ChatRunner, RunResult, RunnerEvent, SamplingSettings, ToolCall, ToolChoice } from "../../models/runner.js";
import type { StopReason, ToolCallRecord, TurnEvent } from "../contract/chat.js";
import type { ApprovalGate } from "./approvals.js";
import { resultBudgetChars } from "./tool-content.js";
import { toolFunction } from "./tool-function.js";
import { turnEventEmitter } from "./turn-events.js";

/** What a turn needs. */
export interface TurnOptions {
  runner: ChatRunner;
  pool: McpPool;
  /** The history, ending with the new user message. */
  messages: ChatMessage[];
  /** The tools offered to the model (after the conversation's selection). */
  tools: readonly PoolTool[];
  /**
   * Functions offered beside the MCP tools, run as they are (no approval): the headless
   * server's client-side tools, whose calls go back to the client. Their calls have
   * events like any other, without a server.
   */
  extraFunctions?: readonly ChatFunction[];
  approvals: ApprovalGate;
  conversationId?: string;
  /** Default: a new UUID. */
  turnId?: string;
  sampling?: SamplingSettings;
  /** Default `"auto"`. */
  toolChoice?: ToolChoice;
  /** See `RunRequest.contextOverflow`. Default `"shift"`. */
  contextOverflow?: "shift" | "error";
  /** Rounds of tool calls before the model must answer. Default 8. */
  maxToolRounds?: number;
  /**
   * Most characters of one tool result the model reads (a user setting). Default: half of
   * the context left, shared among the round's calls (see `resultBudgetChars`).
   */
  toolResultBudgetChars?: number;
  /** Stops the model and every tool call; the partial answer is kept. */
  signal?: AbortSignal;
  onEvent?: (event: TurnEvent) => void;
  /** Each message of the turn, once complete, in history order. */
  onMessage?: (message: ChatMessage) => void;
}

/** How a turn ended. */
export interface TurnOutcome {
  turnId: string;
  /** The messages the turn added after the user's: calls, results, the answer. */
  messages: ChatMessage[];
  /** The final answer (partial when stopped). */
  text: string;
  stopReason: StopReason;
  usage: RunResult["usage"];
  timings: RunResult["timings"] & { toolMs: number };
  /** Every tool call of the turn, as the inspector shows it. */
  toolCalls: ToolCallRecord[];
  /** Why the turn failed, when `stopReason` is `error`. */
  error?: { code: string; message: string };
}

/** Runs one turn; see the file's comment. */
export async function runTurn(options: TurnOptions): Promise<TurnOutcome> {
  const turnId = options.turnId ?? randomUUID();
  const { runner, pool, conversationId } = options;
  const emit = turnEventEmitter(turnId, conversationId, options.onEvent);
  const signal = options.signal ?? new AbortController().signal;
  const records = new Map<string, ToolCallRecord>();
  const truncated = new Map<string, number>();
  const toolsByName = new Map(options.tools.map((tool) => [tool.name, tool]));
  const messages = new MessageLog(options.onMessage);
  const toolTime = new BusyClock();
  let callsInRound = 1;

  const mcpFunctions = options.tools.map((tool) =>
    toolFunction(tool, {
      pool,
      approvals: options.approvals,
      conversationId,
      emit,
      records,
      truncated,
      resultBudget: () => resultBudgetChars({ ...runner.contextUsage?.(), callsInRound, fixedChars: options.toolResultBudgetChars }),
    }),
  );
  const functions = [...mcpFunctions, ...(options.extraFunctions ?? [])];

  const onRunnerEvent = (event: RunnerEvent) => {
    if (event.type === "textDelta") {
      messages.text(event.text);
      emit({ type: "textDelta", text: event.text });
    } else if (event.type === "functionCalls") {
      callsInRound = Math.max(1, event.calls.length);
      toolTime.start(event.calls.length);
      messages.calls(event.calls);
      for (const call of event.calls) requested(call);
    } else {
      const record = records.get(event.call.id)!;
      record.status ??= signal.aborted ? "cancelled" : "error";
      if (record.status !== "ok") record.error ??= event.result.content;
      record.durationMs = event.durationMs;
      record.finishedAt = Date.now();
      toolTime.end();
      messages.result(event.call, event.result);
      emit({
        type: "toolCallFinished",
        toolCallId: event.call.id,
        status: record.status,
        ...(record.result === undefined ? {} : { result: record.result }),
        ...(record.error === undefined ? {} : { error: record.error }),
        ...(record.exchange === undefined ? {} : { exchange: record.exchange }),
        durationMs: event.durationMs,
        truncatedChars: truncated.get(event.call.id) ?? 0,
      });
    }
  };

  function requested(call: ToolCall) {
    const tool = toolsByName.get(call.name);
    const record: ToolCallRecord = { id: call.id, turnId, name: call.name, arguments: call.arguments, startedAt: Date.now(), conversationId: conversationId ?? "" };
    if (tool !== undefined) Object.assign(record, { serverId: tool.serverId, toolName: tool.tool.name });
    records.set(call.id, record);
    emit({
      type: "toolCallRequested",
      toolCallId: call.id,
      name: call.name,
      arguments: call.arguments,
      ...(tool === undefined ? {} : { serverId: tool.serverId, toolName: tool.tool.name }),
    });
  }

  emit({ type: "turnStarted", model: runner.description, tools: functions.map((chatFunction) => chatFunction.name) });
  const started = performance.now();
  let result: RunResult;
  try {
    result = await runner.run({
      messages: options.messages,
      functions,
      toolChoice: options.toolChoice,
      contextOverflow: options.contextOverflow,
      sampling: options.sampling,
      maxFunctionRounds: options.maxToolRounds,
      signal,
      onEvent: onRunnerEvent,
    });
  } catch (error) {
    const failure = { code: errorCode(error), message: error instanceof Error ? error.message : String(error) };
    emit({ type: "error", ...failure });
    const usage = { promptTokens: 0, completionTokens: 0, evaluatedPromptTokens: 0 };
    const timings = { totalMs: performance.now() - started, timeToFirstTokenMs: undefined, tokensPerSecond: undefined, toolMs: toolTime.total() };
    emit({ type: "turnFinished", stopReason: "error", text: "", usage, timings: definedOnly(timings) });
    return { turnId, messages: messages.all(), text: "", stopReason: "error", usage, timings, toolCalls: [...records.values()], error: failure };
  }
  messages.finish(result.messages);
  const timings = { ...result.timings, toolMs: toolTime.total() };
  emit({ type: "turnFinished", stopReason: result.stopReason, text: result.text, usage: result.usage, timings: definedOnly(timings) });
  return { turnId, messages: result.messages, text: result.text, stopReason: result.stopReason, usage: result.usage, timings, toolCalls: [...records.values()] };
}

/**
 * The turn's messages as they complete: an assistant message when its round's calls are
 * asked for, the round's tool results (in call order) once all of them are in, and at the
 * end whatever the runner added after that (the answer).
 */
class MessageLog {
  private readonly emitted: ChatMessage[] = [];
  private roundText = "";
  private pending: ToolCall[] = [];
  private readonly results = new Map<string, ChatMessage>();

  constructor(private readonly onMessage: ((message: ChatMessage) => void) | undefined) {}

  text(delta: string): void {
    this.roundText += delta;
  }

  calls(calls: ToolCall[]): void {
    this.push({ role: "assistant", content: this.roundText, toolCalls: calls });
    this.roundText = "";
    this.pending = calls;
  }

  result(call: ToolCall, result: { content: string; isError?: boolean }): void {
    this.results.set(call.id, { role: "tool", toolCallId: call.id, name: call.name, content: result.content, ...(result.isError ? { isError: true } : {}) });
    if (!this.pending.every((pending) => this.results.has(pending.id))) return;
    for (const pending of this.pending) this.push(this.results.get(pending.id)!);
    this.pending = [];
  }

  /** Hands over what the runner added beyond the messages already handed over. */
  finish(runnerMessages: readonly ChatMessage[]): void {
    for (const message of runnerMessages.slice(this.emitted.length)) this.push(message);
  }

  all(): ChatMessage[] {
    return [...this.emitted];
  }

  private push(message: ChatMessage): void {
    this.emitted.push(message);
    this.onMessage?.(message);
  }
}

/** Wall time while at least one tool call runs, in milliseconds. */
class BusyClock {
  private running = 0;
  private since = 0;
  private totalMs = 0;

  start(calls: number): void {
    if (calls === 0) return;
    if (this.running === 0) this.since = performance.now();
    this.running += calls;
  }

  end(): void {
    if (this.running === 0) return;
    this.running--;
    if (this.running === 0) this.totalMs += performance.now() - this.since;
  }

  total(): number {
    return this.totalMs + (this.running > 0 ? performance.now() - this.since : 0);
  }
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : "turn_failed";
}

function definedOnly<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
