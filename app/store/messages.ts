/**
 * The `messages` table: each conversation's history in order (`seq`), with the tool calls
 * an assistant message requested and the call a tool message answers. Inserts and updates
 * keep the full-text index in step through the triggers of migration 1.
 */
import { randomUUID } from "node:crypto";
import type { Database, Statement } from "better-sqlite3";
import { StoredMessageSchema, type MessageStatus, type StoredMessage, type ToolCallRequest } from "../contract/chat.js";
import type { ConversationTable } from "./conversations.js";
import { inWriteTransaction } from "./database.js";
import { notFound, StoreError } from "./errors.js";
import { check, fromJson, toOptionalJson, type Clock } from "./values.js";

/** A message to store: the store assigns `conversationId`, `createdAt` and its place in the history. */
export interface NewMessage {
  /** Default: a random UUID. */
  id?: string;
  turnId?: string;
  role: StoredMessage["role"];
  content: string;
  toolCalls?: ToolCallRequest[];
  toolCallId?: string;
  name?: string;
  isError?: boolean;
  /** Default: `complete`. */
  status?: MessageStatus;
}

/** A change to a stored message: absent fields stay as they are. */
export interface MessagePatch {
  content?: string;
  status?: MessageStatus;
}

interface MessageRow {
  id: string;
  conversation_id: string;
  seq: number;
  turn_id: string | null;
  role: StoredMessage["role"];
  content: string;
  tool_calls: string | null;
  tool_call_id: string | null;
  name: string | null;
  is_error: number | null;
  status: MessageStatus;
  created_at: number;
}

const statusSchema = StoredMessageSchema.shape.status;
const contentSchema = StoredMessageSchema.shape.content;

/** Prepared statements over `messages`. */
export class MessageTable {
  private readonly insertStatement: Statement<[MessageRow]>;
  private readonly nextSeqStatement: Statement<[string], number>;
  private readonly selectStatement: Statement<[string], MessageRow>;
  private readonly listStatement: Statement<[string], MessageRow>;
  private readonly updateStatement: Statement<[{ id: string; content: string | null; status: string | null }]>;

  constructor(
    private readonly database: Database,
    private readonly conversations: ConversationTable,
    private readonly clock: Clock,
  ) {
    this.insertStatement = database.prepare<[MessageRow]>(
      `INSERT INTO messages (id, conversation_id, seq, turn_id, role, content, tool_calls, tool_call_id, name, is_error, status, created_at)
       VALUES (@id, @conversation_id, @seq, @turn_id, @role, @content, @tool_calls, @tool_call_id, @name, @is_error, @status, @created_at)`,
    );
    this.nextSeqStatement = database
      .prepare<[string], number>("SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE conversation_id = ?")
      .pluck();
    this.selectStatement = database.prepare<[string], MessageRow>("SELECT * FROM messages WHERE id = ?");
    this.listStatement = database.prepare<[string], MessageRow>(
      "SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq",
    );
    this.updateStatement = database.prepare<[{ id: string; content: string | null; status: string | null }]>(
      "UPDATE messages SET content = COALESCE(@content, content), status = COALESCE(@status, status) WHERE id = @id",
    );
  }

  /**
   * Appends `message` to the conversation in one transaction: the next `seq`, the row, and
   * the conversation's `updatedAt`. `not_found` for a missing conversation; `invalid_value`
   * for a taken id or a message that does not fit the contract.
   */
  add(conversationId: string, message: NewMessage): StoredMessage {
    return inWriteTransaction(this.database, () => {
      this.conversations.require(conversationId);
      const createdAt = this.clock();
      const stored: StoredMessage = {
        ...message,
        id: message.id ?? randomUUID(),
        conversationId,
        status: message.status ?? "complete",
        createdAt,
      };
      check(StoredMessageSchema, stored, "message");
      if (this.selectStatement.get(stored.id) !== undefined) {
        throw new StoreError("invalid_value", `message "${stored.id}" already exists`);
      }
      const row: MessageRow = {
        id: stored.id,
        conversation_id: conversationId,
        seq: this.nextSeqStatement.get(conversationId) ?? 1,
        turn_id: stored.turnId ?? null,
        role: stored.role,
        content: stored.content,
        tool_calls: toOptionalJson(stored.toolCalls, `message "${stored.id}" toolCalls`),
        tool_call_id: stored.toolCallId ?? null,
        name: stored.name ?? null,
        is_error: stored.isError === undefined ? null : Number(stored.isError),
        status: stored.status,
        created_at: createdAt,
      };
      this.insertStatement.run(row);
      this.conversations.touch(conversationId, createdAt);
      // Built from the row, so it equals what `list` reads back (no keys set to undefined).
      return toMessage(row);
    });
  }

  /** The conversation's messages in order; empty for an unknown conversation. */
  list(conversationId: string): StoredMessage[] {
    return this.listStatement.all(conversationId).map(toMessage);
  }

  /** The message, or undefined. */
  get(id: string): StoredMessage | undefined {
    const row = this.selectStatement.get(id);
    return row === undefined ? undefined : toMessage(row);
  }

  /** Changes a message's text or status; `not_found` when there is no such message. */
  update(id: string, patch: MessagePatch): void {
    check(contentSchema.optional(), patch.content, `message "${id}" content`);
    check(statusSchema.optional(), patch.status, `message "${id}" status`);
    const changes = this.updateStatement.run({ id, content: patch.content ?? null, status: patch.status ?? null }).changes;
    if (changes === 0) throw notFound("message", id);
  }
}

function toMessage(row: MessageRow): StoredMessage {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    ...(row.turn_id === null ? {} : { turnId: row.turn_id }),
    role: row.role,
    content: row.content,
    ...(row.tool_calls === null ? {} : { toolCalls: fromJson<ToolCallRequest[]>(row.tool_calls) }),
    ...(row.tool_call_id === null ? {} : { toolCallId: row.tool_call_id }),
    ...(row.name === null ? {} : { name: row.name }),
    ...(row.is_error === null ? {} : { isError: row.is_error === 1 }),
    status: row.status,
    createdAt: row.created_at,
  };
}
