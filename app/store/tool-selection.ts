/**
 * The `tool_selections` table: which servers and tools each conversation offers the
 * model, as the JSON of the contract's `ToolSelection`.
 */
import type { Database, Statement } from "better-sqlite3";
import { ToolSelectionSchema, type ToolSelection } from "../contract/chat.js";
import type { ConversationTable } from "./conversations.js";
import { check, fromJson, toJson } from "./values.js";

/** Prepared statements over `tool_selections`. */
export class ToolSelectionTable {
  private readonly selectStatement: Statement<[string], string>;
  private readonly upsertStatement: Statement<[string, string]>;

  constructor(
    database: Database,
    private readonly conversations: ConversationTable,
  ) {
    this.selectStatement = database
      .prepare<[string], string>("SELECT selection FROM tool_selections WHERE conversation_id = ?")
      .pluck();
    this.upsertStatement = database.prepare<[string, string]>(
      `INSERT INTO tool_selections (conversation_id, selection) VALUES (?, ?)
       ON CONFLICT (conversation_id) DO UPDATE SET selection = excluded.selection`,
    );
  }

  /** The conversation's selection; `{ servers: {}, tools: {} }` when never set (the config decides). */
  get(conversationId: string): ToolSelection {
    const text = this.selectStatement.get(conversationId);
    return text === undefined ? { servers: {}, tools: {} } : fromJson<ToolSelection>(text);
  }

  /** Replaces the conversation's selection; `not_found` for a missing conversation, `invalid_value` for a bad shape. */
  set(conversationId: string, selection: ToolSelection): void {
    check(ToolSelectionSchema, selection, "tool selection");
    this.conversations.require(conversationId);
    // Stored as parsed so a selection missing `servers` or `tools` reads back with the default {}.
    this.upsertStatement.run(conversationId, toJson(ToolSelectionSchema.parse(selection), "tool selection"));
  }
}
