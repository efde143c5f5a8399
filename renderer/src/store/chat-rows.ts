/**
 * The rows of the chat list: the stored history of the open conversation followed by the
 * turn in flight. A plain function of store values, so components compute it with
 * `useMemo` over single selected values and tests call it directly.
 */
import type { StoredMessage, ToolCallRecord } from "../../../app/contract/chat.js";
import { cardFromRecord, type AnswerStats, type ToolCard, type TurnState } from "./turn-reducer.js";

/** One row of the chat list; `key` is stable for as long as the row exists. */
export type ChatRow =
  | { kind: "user"; key: string; text: string }
  | { kind: "assistant"; key: string; text: string; streaming: boolean; stopped: boolean; stats?: AnswerStats }
  | { kind: "tool"; key: string; card: ToolCard }
  | { kind: "error"; key: string; code: string; message: string };

/** The rows for `messages` and `records` (history) and `turn` (in flight or just finished). */
export function buildChatRows(messages: readonly StoredMessage[], records: readonly ToolCallRecord[], turn: TurnState | undefined, stats: Readonly<Record<string, AnswerStats>>): ChatRow[] {
  const liveTurnId = turn !== undefined && turn.turnId !== "" ? turn.turnId : undefined;
  const history = liveTurnId === undefined ? messages : messages.filter((message) => message.turnId !== liveTurnId);
  const rows = historyRows(history, records, stats);
  if (turn === undefined) return rows;

  const userText = turn.userText ?? messages.find((message) => message.turnId === liveTurnId && message.role === "user")?.content;
  const turnKey = liveTurnId ?? "pending";
  if (userText !== undefined) rows.push({ kind: "user", key: `${turnKey}:user`, text: userText });
  const lastItem = turn.items.at(-1);
  turn.items.forEach((item, index) => {
    if (item.kind === "tool") {
      const card = turn.toolCalls[item.toolCallId];
      if (card !== undefined) rows.push({ kind: "tool", key: item.toolCallId, card });
      return;
    }
    const isLast = item === lastItem;
    rows.push(assistantRow(`${turnKey}:text:${index}`, item.text, turn.running && isLast, isLast ? turn : undefined));
  });
  if (lastItem?.kind !== "text") {
    // Waiting for the first token, or for tools: a placeholder; or a final text that never streamed.
    if (turn.running) rows.push(assistantRow(`${turnKey}:text:${turn.items.length}`, "", true, undefined));
    else if (turn.finalText !== undefined && turn.finalText !== "") rows.push(assistantRow(`${turnKey}:text:${turn.items.length}`, turn.finalText, false, turn));
  }
  if (turn.error !== undefined) rows.push({ kind: "error", key: `${turnKey}:error`, code: turn.error.code, message: turn.error.message });
  return rows;
}

function assistantRow(key: string, text: string, streaming: boolean, finished: TurnState | undefined): ChatRow {
  const stats = finished?.running === false ? finished.stats : undefined;
  return { kind: "assistant", key, text, streaming, stopped: stats?.stopReason === "aborted", ...(stats === undefined ? {} : { stats }) };
}

function historyRows(messages: readonly StoredMessage[], records: readonly ToolCallRecord[], stats: Readonly<Record<string, AnswerStats>>): ChatRow[] {
  const recordsById = new Map(records.map((record) => [record.id, record]));
  // The statistics go under the last assistant text of their turn.
  const lastTextOfTurn = new Map<string, string>();
  for (const message of messages) {
    if (message.role === "assistant" && message.turnId !== undefined && message.content.trim() !== "") lastTextOfTurn.set(message.turnId, message.id);
  }
  const rows: ChatRow[] = [];
  for (const message of messages) {
    if (message.role === "user") rows.push({ kind: "user", key: message.id, text: message.content });
    if (message.role !== "assistant") continue;
    if (message.content.trim() !== "") {
      const turnStats = message.turnId !== undefined && lastTextOfTurn.get(message.turnId) === message.id ? stats[message.turnId] : undefined;
      rows.push({ kind: "assistant", key: message.id, text: message.content, streaming: false, stopped: message.status === "cancelled", ...(turnStats === undefined ? {} : { stats: turnStats }) });
    }
    for (const call of message.toolCalls ?? []) {
      const record = recordsById.get(call.id);
      const card: ToolCard = record !== undefined ? cardFromRecord(record) : { toolCallId: call.id, turnId: message.turnId ?? "", name: call.name, arguments: call.arguments, status: "cancelled", requestedAt: message.createdAt };
      rows.push({ kind: "tool", key: call.id, card });
    }
  }
  return rows;
}
