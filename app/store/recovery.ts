/**
 * Repairing what a crash left: the store opens after the app died in a turn. The turn is
 * marked `interrupted`, its unfinished tool calls `cancelled`, and every tool call an
 * assistant message asked for gets a tool result, because a history with a call and no
 * result is refused by model templates and OpenAI-compatible servers alike.
 */
import type { Database } from "better-sqlite3";
import { inWriteTransaction } from "./database.js";
import type { MessageTable } from "./messages.js";
import type { ToolCallTable } from "./tool-calls.js";
import type { TurnTable } from "./turns.js";
import type { Clock } from "./values.js";

/** The error of a tool call that was running when Hearth stopped. */
export const interruptedCallError = "Hearth stopped before the call finished";

/** The content of the tool message added for a call that never got a result. */
export const interruptedResultContent = "The call was interrupted: Hearth stopped before it finished.";

/** The tables recovery works on. */
export interface RecoveryTables {
  turns: TurnTable;
  messages: MessageTable;
  toolCalls: ToolCallTable;
}

/**
 * Marks every turn left `running` as `interrupted`, cancels its unfinished tool calls, and
 * answers the unanswered tool calls of its conversation, all in one transaction. Returns
 * how many turns it fixed (0 after a clean exit).
 */
export function recoverInterruptedTurns(database: Database, tables: RecoveryTables, clock: Clock): number {
  return inWriteTransaction(database, () => {
    const running = tables.turns.running();
    if (running.length === 0) return 0;
    const now = clock();
    for (const turn of running) {
      tables.turns.interrupt(turn.id, now);
      tables.toolCalls.cancelUnfinished(turn.id, interruptedCallError, now);
    }
    for (const conversationId of new Set(running.map((turn) => turn.conversationId))) {
      answerUnansweredCalls(tables.messages, conversationId);
    }
    return running.length;
  });
}

function answerUnansweredCalls(messages: MessageTable, conversationId: string): void {
  const history = messages.list(conversationId);
  const answered = new Set(history.flatMap((message) => (message.role === "tool" && message.toolCallId !== undefined ? [message.toolCallId] : [])));
  for (const message of history) {
    if (message.role !== "assistant") continue;
    for (const call of message.toolCalls ?? []) {
      if (answered.has(call.id)) continue;
      answered.add(call.id);
      messages.add(conversationId, {
        ...(message.turnId === undefined ? {} : { turnId: message.turnId }),
        role: "tool",
        toolCallId: call.id,
        name: call.name,
        content: interruptedResultContent,
        isError: true,
        status: "interrupted",
      });
    }
  }
}
