/**
 * The turn in flight, built from `chat.turnUpdated` events: the text streamed so far, the
 * tool-call cards keyed by `toolCallId`, and the answer's statistics once it finished.
 * Plain functions, no store: the chat slice calls {@link reduceTurn} with each event.
 */
import type { ApprovalAnswer, ApprovalPolicy, RawMessage, StopReason, ToolCallRecord, ToolResult, TurnEvent } from "../../../app/contract/chat.js";

/** Where a tool call stands, as its card shows it. */
export type ToolCardStatus = "waiting-for-approval" | "queued" | "running" | "done" | "error" | "denied" | "cancelled";

/** The statuses a card does not leave. */
const FINAL_TOOL_CARD_STATUSES: ReadonlySet<ToolCardStatus> = new Set(["done", "error", "denied", "cancelled"]);

/** One tool call as its card shows it. */
export interface ToolCard {
  toolCallId: string;
  turnId: string;
  /** The exposed (prefixed) name the model called. */
  name: string;
  serverId?: string;
  /** The tool's own name on its server. */
  toolName?: string;
  arguments: Record<string, unknown>;
  status: ToolCardStatus;
  /** When the model asked for it (ms since the epoch). */
  requestedAt: number;
  /** Time spent waiting for a slot on its server, in ms. */
  queuedMs?: number;
  /** How long the call ran, in ms. */
  durationMs?: number;
  progress?: { progress: number; total?: number; message?: string };
  result?: ToolResult;
  /** The call's JSON-RPC messages as they crossed the wire (absent when it never reached its server). */
  exchange?: RawMessage[];
  error?: string;
  /** Characters of the result the model did not read. */
  truncatedChars?: number;
  /** The question, while the call waits for the user. */
  approval?: { policy: ApprovalPolicy; destructive?: boolean };
  /** How the question was answered. */
  answered?: { answer: ApprovalAnswer; by: "user" | "policy" };
}

/** An answer's statistics, from `turnFinished`. */
export interface AnswerStats {
  stopReason: StopReason;
  totalMs: number;
  timeToFirstTokenMs?: number;
  tokensPerSecond?: number;
  completionTokens: number;
}

/** The turn's content in order: streamed text and tool calls, as they came. */
export type TurnItem = { kind: "text"; text: string } | { kind: "tool"; toolCallId: string };

/** A turn of the open conversation, running or just finished. */
export interface TurnState {
  /** Empty until `turnStarted` names it (the user's text is shown meanwhile). */
  turnId: string;
  conversationId?: string;
  /** What the user sent, when this page sent it. */
  userText?: string;
  model?: string;
  running: boolean;
  items: TurnItem[];
  /** Every text delta so far, joined. */
  text: string;
  toolCalls: Record<string, ToolCard>;
  /** The final answer's text (partial when stopped), once finished. */
  finalText?: string;
  stats?: AnswerStats;
  error?: { code: string; message: string };
  /** Stop was pressed before the core named the turn: it is stopped as soon as it has an id. */
  stopRequested?: boolean;
}

/** The turn this page starts by sending `text`, before the core names it. */
export function pendingTurn(conversationId: string, userText: string): TurnState {
  return { turnId: "", conversationId, userText, running: true, items: [], text: "", toolCalls: {} };
}

/** Applies one event. A turn it does not belong to is replaced by a fresh one for its turn. */
export function reduceTurn(state: TurnState | undefined, event: TurnEvent): TurnState {
  let turn: TurnState;
  if (state !== undefined && (state.turnId === event.turnId || state.turnId === "")) turn = { ...state, turnId: event.turnId };
  else turn = { turnId: event.turnId, running: true, items: [], text: "", toolCalls: {} };
  if (event.conversationId !== undefined) turn.conversationId = event.conversationId;

  switch (event.type) {
    case "turnStarted":
      return { ...turn, model: event.model, running: true };
    case "textDelta": {
      const last = turn.items.at(-1);
      const items = last?.kind === "text" ? [...turn.items.slice(0, -1), { kind: "text" as const, text: last.text + event.text }] : [...turn.items, { kind: "text" as const, text: event.text }];
      return { ...turn, items, text: turn.text + event.text };
    }
    case "toolCallRequested": {
      const card: ToolCard = { toolCallId: event.toolCallId, turnId: event.turnId, name: event.name, arguments: event.arguments, status: "queued", requestedAt: event.at };
      if (event.serverId !== undefined) card.serverId = event.serverId;
      if (event.toolName !== undefined) card.toolName = event.toolName;
      const known = event.toolCallId in turn.toolCalls;
      return { ...turn, items: known ? turn.items : [...turn.items, { kind: "tool", toolCallId: event.toolCallId }], toolCalls: { ...turn.toolCalls, [event.toolCallId]: card } };
    }
    case "approvalRequested": {
      const approval = event.destructive === undefined ? { policy: event.policy } : { policy: event.policy, destructive: event.destructive };
      const known = turn.toolCalls[event.toolCallId];
      const base = known ?? { toolCallId: event.toolCallId, turnId: event.turnId, name: event.name, arguments: event.arguments, requestedAt: event.at };
      const card: ToolCard = { ...base, serverId: event.serverId, toolName: event.toolName, status: "waiting-for-approval", approval };
      const items = known === undefined ? [...turn.items, { kind: "tool" as const, toolCallId: event.toolCallId }] : turn.items;
      return { ...turn, items, toolCalls: { ...turn.toolCalls, [event.toolCallId]: card } };
    }
    case "approvalAnswered":
      return updateCard(turn, event.toolCallId, (card) => {
        const { approval: _approval, ...rest } = card;
        return { ...rest, status: event.answer === "deny" ? "denied" : "queued", answered: { answer: event.answer, by: event.by } };
      });
    case "toolCallStarted":
      return updateCard(turn, event.toolCallId, (card) => ({ ...card, status: "running", queuedMs: event.queuedMs }));
    case "toolCallProgress":
      return updateCard(turn, event.toolCallId, (card) => {
        const progress: ToolCard["progress"] = { progress: event.progress };
        if (event.total !== undefined) progress.total = event.total;
        if (event.message !== undefined) progress.message = event.message;
        return { ...card, progress };
      });
    case "toolCallFinished":
      return updateCard(turn, event.toolCallId, (card) => {
        const { approval: _approval, ...rest } = card;
        const finished: ToolCard = { ...rest, status: cardStatus(event.status, event.result), durationMs: event.durationMs, truncatedChars: event.truncatedChars };
        if (event.result !== undefined) finished.result = event.result;
        if (event.exchange !== undefined) finished.exchange = event.exchange;
        if (event.error !== undefined) finished.error = event.error;
        return finished;
      });
    case "turnFinished": {
      const toolCalls: Record<string, ToolCard> = {};
      for (const [id, card] of Object.entries(turn.toolCalls)) {
        const { approval: _approval, ...rest } = card;
        toolCalls[id] = FINAL_TOOL_CARD_STATUSES.has(card.status) ? card : { ...rest, status: "cancelled" };
      }
      const stats: AnswerStats = { stopReason: event.stopReason, totalMs: event.timings.totalMs, completionTokens: event.usage.completionTokens };
      if (event.timings.timeToFirstTokenMs !== undefined) stats.timeToFirstTokenMs = event.timings.timeToFirstTokenMs;
      if (event.timings.tokensPerSecond !== undefined) stats.tokensPerSecond = event.timings.tokensPerSecond;
      return { ...turn, running: false, toolCalls, finalText: event.text, stats };
    }
    case "error":
      return { ...turn, error: { code: event.code, message: event.message } };
  }
}

/**
 * A card's status from how the call ended: a tool that answered with `isError` failed
 * as far as the user is concerned; a timeout is an error.
 */
function cardStatus(status: ToolCallRecord["status"], result: ToolResult | undefined): ToolCardStatus {
  switch (status) {
    case "ok":
      return result?.isError === true ? "error" : "done";
    case "error":
    case "timeout":
      return "error";
    case "denied":
      return "denied";
    default:
      return "cancelled";
  }
}

/** The card of a stored tool call (a conversation's history). */
export function cardFromRecord(record: ToolCallRecord): ToolCard {
  const card: ToolCard = { toolCallId: record.id, turnId: record.turnId, name: record.name, arguments: record.arguments, status: cardStatus(record.status, record.result), requestedAt: record.startedAt };
  if (record.serverId !== undefined) card.serverId = record.serverId;
  if (record.toolName !== undefined) card.toolName = record.toolName;
  if (record.queuedMs !== undefined) card.queuedMs = record.queuedMs;
  if (record.durationMs !== undefined) card.durationMs = record.durationMs;
  if (record.result !== undefined) card.result = record.result;
  if (record.exchange !== undefined) card.exchange = record.exchange;
  if (record.error !== undefined) card.error = record.error;
  return card;
}

function updateCard(turn: TurnState, toolCallId: string, change: (card: ToolCard) => ToolCard): TurnState {
  const card = turn.toolCalls[toolCallId];
  if (card === undefined) return turn;
  return { ...turn, toolCalls: { ...turn.toolCalls, [toolCallId]: change(card) } };
}
