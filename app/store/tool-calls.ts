/**
 * The `tool_calls` table: every call a model made, with its arguments, full result and
 * timings and raw JSON-RPC messages, for the tool-call inspector. Arguments, results and
 * the exchange of messages are JSON text.
 */
import type { Database, Statement } from "better-sqlite3";
import { ToolCallRecordSchema, type RawMessage, type ToolCallRecord, type ToolCallStatus, type ToolResult } from "../contract/chat.js";
import type { ConversationTable } from "./conversations.js";
import { inWriteTransaction } from "./database.js";
import { notFound } from "./errors.js";
import { check, fromJson, toJson, toOptionalJson } from "./values.js";

/** What may change on a stored tool call; absent (or undefined) fields stay as they are. */
export type ToolCallPatch = Partial<
  Pick<ToolCallRecord, "serverId" | "toolName" | "status" | "result" | "exchange" | "error" | "queuedMs" | "durationMs" | "finishedAt">
>;

interface ToolCallRow {
  id: string;
  conversation_id: string;
  turn_id: string;
  name: string;
  server_id: string | null;
  tool_name: string | null;
  arguments: string;
  status: ToolCallStatus | null;
  result: string | null;
  /** JSON array of the call's raw messages (migration 2). */
  exchange: string | null;
  error: string | null;
  queued_ms: number | null;
  duration_ms: number | null;
  started_at: number;
  finished_at: number | null;
}

/** A row as read back: with the rowid that tells calls with the same id apart. */
interface StoredToolCallRow extends ToolCallRow {
  row_id: number;
}

/** Prepared statements over `tool_calls`. */
export class ToolCallTable {
  private readonly insertStatement: Statement<[ToolCallRow]>;
  private readonly updateStatement: Statement<[StoredToolCallRow]>;
  private readonly selectStatement: Statement<[string], StoredToolCallRow>;
  private readonly listStatement: Statement<[string], ToolCallRow>;
  private readonly listTurnStatement: Statement<[string, string], ToolCallRow>;
  private readonly cancelStatement: Statement<[{ turn_id: string; error: string; finished_at: number }]>;

  constructor(
    private readonly database: Database,
    private readonly conversations: ConversationTable,
  ) {
    this.insertStatement = database.prepare<[ToolCallRow]>(
      `INSERT INTO tool_calls (id, conversation_id, turn_id, name, server_id, tool_name, arguments, status, result, exchange,
         error, queued_ms, duration_ms, started_at, finished_at)
       VALUES (@id, @conversation_id, @turn_id, @name, @server_id, @tool_name, @arguments, @status, @result, @exchange,
         @error, @queued_ms, @duration_ms, @started_at, @finished_at)`,
    );
    this.updateStatement = database.prepare<[StoredToolCallRow]>(
      `UPDATE tool_calls SET server_id = @server_id, tool_name = @tool_name, status = @status, result = @result,
         exchange = @exchange, error = @error, queued_ms = @queued_ms, duration_ms = @duration_ms, finished_at = @finished_at
       WHERE row_id = @row_id`,
    );
    this.selectStatement = database.prepare<[string], StoredToolCallRow>(
      "SELECT * FROM tool_calls WHERE id = ? ORDER BY row_id DESC LIMIT 1",
    );
    // row_id breaks ties between calls started in the same millisecond: the order they were stored.
    this.listStatement = database.prepare<[string], ToolCallRow>(
      "SELECT * FROM tool_calls WHERE conversation_id = ? ORDER BY started_at, row_id",
    );
    this.listTurnStatement = database.prepare<[string, string], ToolCallRow>(
      "SELECT * FROM tool_calls WHERE conversation_id = ? AND turn_id = ? ORDER BY started_at, row_id",
    );
    this.cancelStatement = database.prepare<[{ turn_id: string; error: string; finished_at: number }]>(
      `UPDATE tool_calls SET status = 'cancelled', error = @error, finished_at = @finished_at
       WHERE turn_id = @turn_id AND finished_at IS NULL`,
    );
  }

  /**
   * Stores a tool call. `not_found` for a missing conversation; `invalid_value` for a record
   * that does not fit the contract or arguments JSON cannot hold. The id comes from the
   * model, so it may repeat an earlier turn's: both are kept, and updates go to the newest.
   */
  add(record: ToolCallRecord): void {
    check(ToolCallRecordSchema, record, `tool call "${record.id}"`);
    inWriteTransaction(this.database, () => {
      this.conversations.require(record.conversationId);
      this.insertStatement.run(toRow(record));
    });
  }

  /**
   * Applies `patch` (the call ran, finished, failed…) to the newest call with this id;
   * `not_found` when there is none.
   */
  update(id: string, patch: ToolCallPatch): void {
    inWriteTransaction(this.database, () => {
      const row = this.selectStatement.get(id);
      if (row === undefined) throw notFound("tool call", id);
      const merged = toRecord(row);
      for (const [key, value] of Object.entries(patch)) {
        if (value !== undefined) Object.assign(merged, { [key]: value });
      }
      check(ToolCallRecordSchema, merged, `tool call "${id}"`);
      this.updateStatement.run({ ...toRow(merged), row_id: row.row_id });
    });
  }

  /** The conversation's tool calls (of one turn when `turnId` is given) in the order they started. */
  list(conversationId: string, options: { turnId?: string } = {}): ToolCallRecord[] {
    const rows =
      options.turnId === undefined
        ? this.listStatement.all(conversationId)
        : this.listTurnStatement.all(conversationId, options.turnId);
    return rows.map(toRecord);
  }

  /** Marks the turn's unfinished calls `cancelled` with `error`, finished at `at`; returns how many. */
  cancelUnfinished(turnId: string, error: string, at: number): number {
    return this.cancelStatement.run({ turn_id: turnId, error, finished_at: at }).changes;
  }
}

function toRow(record: ToolCallRecord): ToolCallRow {
  const what = `tool call "${record.id}"`;
  return {
    id: record.id,
    conversation_id: record.conversationId,
    turn_id: record.turnId,
    name: record.name,
    server_id: record.serverId ?? null,
    tool_name: record.toolName ?? null,
    arguments: toJson(record.arguments, `${what} arguments`),
    status: record.status ?? null,
    result: toOptionalJson(record.result, `${what} result`),
    exchange: toOptionalJson(record.exchange, `${what} exchange`),
    error: record.error ?? null,
    queued_ms: record.queuedMs ?? null,
    duration_ms: record.durationMs ?? null,
    started_at: record.startedAt,
    finished_at: record.finishedAt ?? null,
  };
}

function toRecord(row: ToolCallRow): ToolCallRecord {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    turnId: row.turn_id,
    name: row.name,
    ...(row.server_id === null ? {} : { serverId: row.server_id }),
    ...(row.tool_name === null ? {} : { toolName: row.tool_name }),
    arguments: fromJson<Record<string, unknown>>(row.arguments),
    ...(row.status === null ? {} : { status: row.status }),
    ...(row.result === null ? {} : { result: fromJson<ToolResult>(row.result) }),
    ...(row.exchange === null ? {} : { exchange: fromJson<RawMessage[]>(row.exchange) }),
    ...(row.error === null ? {} : { error: row.error }),
    ...(row.queued_ms === null ? {} : { queuedMs: row.queued_ms }),
    ...(row.duration_ms === null ? {} : { durationMs: row.duration_ms }),
    startedAt: row.started_at,
    ...(row.finished_at === null ? {} : { finishedAt: row.finished_at }),
  };
}
