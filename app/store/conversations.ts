/**
 * The `conversations` table: title, system prompt, the model chosen for it (`model_id`, a
 * `models.list` id), the model of the last turn, and the times that order the conversation list.
 */
import { randomUUID } from "node:crypto";
import type { Database, Statement } from "better-sqlite3";
import type { Conversation } from "../contract/chat.js";
import { inWriteTransaction } from "./database.js";
import { notFound, StoreError } from "./errors.js";
import { countOption, type Clock } from "./values.js";

/** What a new conversation starts with; every field is optional. */
export interface ConversationInit {
  /** Default: a random UUID. */
  id?: string;
  /** Default: "New conversation". */
  title?: string;
  systemPrompt?: string;
}

/** A change to a conversation: absent fields stay as they are; `systemPrompt: null` removes it. */
export interface ConversationPatch {
  title?: string;
  systemPrompt?: string | null;
  model?: string;
}

/** A page of the conversation list. */
export interface ListOptions {
  /** How many at most (default: all). */
  limit?: number;
  /** How many of the newest to skip (default 0). */
  offset?: number;
}

/** The title a conversation gets when none is given. */
export const defaultTitle = "New conversation";

interface ConversationRow {
  id: string;
  title: string;
  system_prompt: string | null;
  model: string | null;
  model_id: string | null;
  created_at: number;
  updated_at: number;
}

/** Prepared statements over `conversations`; the store's other tables call {@link touch} and {@link require}. */
export class ConversationTable {
  private readonly insertStatement: Statement<[ConversationRow]>;
  private readonly selectStatement: Statement<[string], ConversationRow>;
  private readonly listStatement: Statement<[number, number], ConversationRow>;
  private readonly updateStatement: Statement<[ConversationRow]>;
  private readonly touchStatement: Statement<[number, string]>;
  private readonly setModelStatement: Statement<[string | null, string]>;
  private readonly deleteStatement: Statement<[string]>;

  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
  ) {
    this.insertStatement = database.prepare<[ConversationRow]>(
      `INSERT INTO conversations (id, title, system_prompt, model, model_id, created_at, updated_at)
       VALUES (@id, @title, @system_prompt, @model, @model_id, @created_at, @updated_at)`,
    );
    this.selectStatement = database.prepare<[string], ConversationRow>("SELECT * FROM conversations WHERE id = ?");
    // rowid breaks ties between conversations updated in the same millisecond: newer first.
    this.listStatement = database.prepare<[number, number], ConversationRow>(
      "SELECT * FROM conversations ORDER BY updated_at DESC, rowid DESC LIMIT ? OFFSET ?",
    );
    this.updateStatement = database.prepare<[ConversationRow]>(
      `UPDATE conversations SET title = @title, system_prompt = @system_prompt, model = @model,
       updated_at = @updated_at WHERE id = @id`,
    );
    this.touchStatement = database.prepare<[number, string]>("UPDATE conversations SET updated_at = ? WHERE id = ?");
    this.setModelStatement = database.prepare<[string | null, string]>("UPDATE conversations SET model_id = ? WHERE id = ?");
    this.deleteStatement = database.prepare<[string]>("DELETE FROM conversations WHERE id = ?");
  }

  /** Stores a new conversation; `invalid_value` when the id is taken. */
  create(init: ConversationInit = {}): Conversation {
    const id = init.id ?? randomUUID();
    if (this.selectStatement.get(id) !== undefined) {
      throw new StoreError("invalid_value", `conversation "${id}" already exists`);
    }
    const now = this.clock();
    const row: ConversationRow = {
      id,
      title: init.title ?? defaultTitle,
      system_prompt: init.systemPrompt ?? null,
      model: null,
      model_id: null,
      created_at: now,
      updated_at: now,
    };
    this.insertStatement.run(row);
    return toConversation(row);
  }

  /** The conversation, or undefined. */
  get(id: string): Conversation | undefined {
    const row = this.selectStatement.get(id);
    return row === undefined ? undefined : toConversation(row);
  }

  /** Conversations, most recently updated first. */
  list(options: ListOptions = {}): Conversation[] {
    // LIMIT -1 is SQLite's "no limit".
    const limit = countOption(options.limit, -1, "limit");
    const offset = countOption(options.offset, 0, "offset");
    return this.listStatement.all(limit, offset).map(toConversation);
  }

  /** Applies `patch` and bumps `updatedAt`; `not_found` when there is no such conversation. */
  update(id: string, patch: ConversationPatch): Conversation {
    return inWriteTransaction(this.database, () => {
      const row = this.selectStatement.get(id);
      if (row === undefined) throw notFound("conversation", id);
      const next: ConversationRow = {
        ...row,
        title: patch.title ?? row.title,
        system_prompt: patch.systemPrompt === undefined ? row.system_prompt : patch.systemPrompt,
        model: patch.model ?? row.model,
        updated_at: this.clock(),
      };
      this.updateStatement.run(next);
      return toConversation(next);
    });
  }

  /**
   * Sets the model chosen for the conversation (a `models.list` id; `null`: the app's
   * default). Leaves `updatedAt` alone: choosing a model is not activity that should move
   * the conversation up the list. `not_found` when there is no such conversation.
   */
  setModel(id: string, modelId: string | null): Conversation {
    return inWriteTransaction(this.database, () => {
      if (this.setModelStatement.run(modelId, id).changes === 0) throw notFound("conversation", id);
      return toConversation(this.selectStatement.get(id)!);
    });
  }

  /** Deletes the conversation and, by cascade, everything of it; false when there was none. */
  delete(id: string): boolean {
    return this.deleteStatement.run(id).changes > 0;
  }

  /** Sets `updatedAt` to `at` (something happened in the conversation). */
  touch(id: string, at: number): void {
    this.touchStatement.run(at, id);
  }

  /** Throws `not_found` unless the conversation exists. */
  require(id: string): void {
    if (this.selectStatement.get(id) === undefined) throw notFound("conversation", id);
  }
}

function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    title: row.title,
    ...(row.system_prompt === null ? {} : { systemPrompt: row.system_prompt }),
    ...(row.model === null ? {} : { model: row.model }),
    ...(row.model_id === null ? {} : { modelId: row.model_id }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
