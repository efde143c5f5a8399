/**
 * The `turns` table: one row per model turn, `running` from its start until it finishes,
 * so a turn still `running` when the store opens is one the app died in.
 */
import type { Database, Statement } from "better-sqlite3";
import { z } from "zod";
import { StopReasonSchema, TurnTimingsSchema, TurnUsageSchema, type StopReason } from "../contract/chat.js";
import type { ConversationTable } from "./conversations.js";
import { inWriteTransaction } from "./database.js";
import { notFound, StoreError } from "./errors.js";
import { check, fromJson, toJson, type Clock } from "./values.js";

/** Token counts of a finished turn. */
export type TurnUsage = z.infer<typeof TurnUsageSchema>;
/** Times of a finished turn, in milliseconds (and tokens per second). */
export type TurnTimings = z.infer<typeof TurnTimingsSchema>;

/** How a turn ended, as `finishTurn` records it. */
export interface TurnOutcome {
  stopReason: StopReason;
  usage: TurnUsage;
  timings: TurnTimings;
}

const TurnOutcomeSchema = z.object({ stopReason: StopReasonSchema, usage: TurnUsageSchema, timings: TurnTimingsSchema });

/**
 * A stored turn. `running` until `finishTurn`; `interrupted` when the app ended during it
 * (set by recovery when the store next opens). Times are milliseconds since the epoch.
 */
export interface TurnRecord {
  id: string;
  conversationId: string;
  status: "running" | "finished" | "interrupted";
  /** What ran it, when `beginTurn` was told. */
  model?: string;
  stopReason?: StopReason;
  usage?: TurnUsage;
  timings?: TurnTimings;
  startedAt: number;
  finishedAt?: number;
}

interface TurnRow {
  id: string;
  conversation_id: string;
  status: TurnRecord["status"];
  model: string | null;
  stop_reason: StopReason | null;
  usage: string | null;
  timings: string | null;
  started_at: number;
  finished_at: number | null;
}

/** Prepared statements over `turns`. */
export class TurnTable {
  private readonly insertStatement: Statement<[{ id: string; conversation_id: string; model: string | null; started_at: number }]>;
  private readonly selectStatement: Statement<[string], TurnRow>;
  private readonly finishStatement: Statement<[{ id: string; stop_reason: string; usage: string; timings: string; finished_at: number }]>;
  private readonly runningStatement: Statement<[], TurnRow>;
  private readonly interruptStatement: Statement<[number, string]>;

  constructor(
    private readonly database: Database,
    private readonly conversations: ConversationTable,
    private readonly clock: Clock,
  ) {
    this.insertStatement = database.prepare<[{ id: string; conversation_id: string; model: string | null; started_at: number }]>(
      `INSERT INTO turns (id, conversation_id, status, model, started_at)
       VALUES (@id, @conversation_id, 'running', @model, @started_at)`,
    );
    this.selectStatement = database.prepare<[string], TurnRow>("SELECT * FROM turns WHERE id = ?");
    this.finishStatement = database.prepare<[{ id: string; stop_reason: string; usage: string; timings: string; finished_at: number }]>(
      `UPDATE turns SET status = 'finished', stop_reason = @stop_reason, usage = @usage, timings = @timings,
       finished_at = @finished_at WHERE id = @id`,
    );
    this.runningStatement = database.prepare<[], TurnRow>("SELECT * FROM turns WHERE status = 'running' ORDER BY started_at");
    this.interruptStatement = database.prepare<[number, string]>(
      "UPDATE turns SET status = 'interrupted', finished_at = ? WHERE id = ? AND status = 'running'",
    );
  }

  /**
   * Records the start of a turn (`running`), and the conversation's model when given.
   * `not_found` for a missing conversation; `invalid_value` when the turn id is taken.
   */
  begin(conversationId: string, turnId: string, model?: string): void {
    inWriteTransaction(this.database, () => {
      this.conversations.require(conversationId);
      if (this.selectStatement.get(turnId) !== undefined) {
        throw new StoreError("invalid_value", `turn "${turnId}" already exists`);
      }
      this.insertStatement.run({ id: turnId, conversation_id: conversationId, model: model ?? null, started_at: this.clock() });
      if (model !== undefined) this.conversations.update(conversationId, { model });
    });
  }

  /** Records how the turn ended; `not_found` when it was never begun. */
  finish(turnId: string, outcome: TurnOutcome): void {
    check(TurnOutcomeSchema, outcome, `outcome of turn "${turnId}"`);
    const changes = this.finishStatement.run({
      id: turnId,
      stop_reason: outcome.stopReason,
      usage: toJson(outcome.usage, `usage of turn "${turnId}"`),
      timings: toJson(outcome.timings, `timings of turn "${turnId}"`),
      finished_at: this.clock(),
    }).changes;
    if (changes === 0) throw notFound("turn", turnId);
  }

  /** The turn, or undefined. */
  get(turnId: string): TurnRecord | undefined {
    const row = this.selectStatement.get(turnId);
    return row === undefined ? undefined : toTurn(row);
  }

  /** Turns still `running`, oldest first. */
  running(): TurnRecord[] {
    return this.runningStatement.all().map(toTurn);
  }

  /** Marks a running turn `interrupted` at `at`. */
  interrupt(turnId: string, at: number): void {
    this.interruptStatement.run(at, turnId);
  }
}

function toTurn(row: TurnRow): TurnRecord {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    status: row.status,
    ...(row.model === null ? {} : { model: row.model }),
    ...(row.stop_reason === null ? {} : { stopReason: row.stop_reason }),
    ...(row.usage === null ? {} : { usage: fromJson<TurnUsage>(row.usage) }),
    ...(row.timings === null ? {} : { timings: fromJson<TurnTimings>(row.timings) }),
    startedAt: row.started_at,
    ...(row.finished_at === null ? {} : { finishedAt: row.finished_at }),
  };
}
