/**
 * The schema of the conversation store, as an ordered list of migrations. The database's
 * `PRAGMA user_version` is the number of migrations applied; opening a database applies
 * the missing ones, each in its own transaction, and refuses a database that a newer
 * Hearth has migrated past what this one knows.
 */
import type { Database } from "better-sqlite3";
import { StoreError } from "./errors.js";

/** One step of the schema: `version` is its position (1, 2, …), `sql` runs in one transaction. */
export interface Migration {
  version: number;
  /** What it changes, for people reading the list. */
  description: string;
  sql: string;
}

/**
 * Every migration, oldest first. Never edit one that has shipped: add a new one.
 *
 * Notes on version 1:
 * - Tables are STRICT, so a wrong type is an error instead of a silent conversion.
 * - Times are milliseconds since the epoch. Those the store takes itself are INTEGER;
 *   those a caller gives (a tool call's start and end, durations) are REAL so a
 *   fractional value from `performance.now()` arithmetic is not refused.
 * - `messages.row_id` is an explicit INTEGER PRIMARY KEY: the full-text index refers to
 *   messages by rowid, and only an explicit one is guaranteed to survive VACUUM.
 * - Turn and tool-call rows reference their conversation with ON DELETE CASCADE, so
 *   deleting a conversation deletes everything of it; messages' `turn_id` is not a
 *   foreign key because a user message may be stored before its turn begins.
 * - Tool-call ids come from the model or its server, and some servers repeat them from
 *   one turn to the next ("call_0"), so they are indexed but not unique.
 * - The full-text index holds only user and assistant messages (tool results and system
 *   prompts are not what a person searches for); its triggers must use the same
 *   condition on insert and delete, or FTS5's external-content bookkeeping breaks.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: "conversations, turns, messages with full-text search, tool calls, selection, approvals, settings",
    sql: `
      CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        system_prompt TEXT,
        model TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX conversations_by_update ON conversations (updated_at DESC);

      CREATE TABLE turns (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'interrupted')),
        model TEXT,
        stop_reason TEXT,
        usage TEXT,
        timings TEXT,
        started_at INTEGER NOT NULL,
        finished_at INTEGER
      ) STRICT;
      CREATE INDEX turns_by_conversation ON turns (conversation_id);
      CREATE INDEX turns_running ON turns (status) WHERE status = 'running';

      CREATE TABLE messages (
        row_id INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        turn_id TEXT,
        role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant', 'tool')),
        content TEXT NOT NULL,
        tool_calls TEXT,
        tool_call_id TEXT,
        name TEXT,
        is_error INTEGER,
        status TEXT NOT NULL CHECK (status IN ('complete', 'cancelled', 'interrupted')),
        created_at INTEGER NOT NULL,
        UNIQUE (conversation_id, seq)
      ) STRICT;

      CREATE VIRTUAL TABLE messages_search USING fts5 (
        content,
        content = 'messages',
        content_rowid = 'row_id',
        tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER messages_search_insert AFTER INSERT ON messages
        WHEN new.role IN ('user', 'assistant')
      BEGIN
        INSERT INTO messages_search (rowid, content) VALUES (new.row_id, new.content);
      END;
      CREATE TRIGGER messages_search_delete AFTER DELETE ON messages
        WHEN old.role IN ('user', 'assistant')
      BEGIN
        INSERT INTO messages_search (messages_search, rowid, content) VALUES ('delete', old.row_id, old.content);
      END;
      -- One trigger, not two: SQLite runs triggers on the same event in no promised order,
      -- and the old text must leave the index before the new one enters it.
      CREATE TRIGGER messages_search_update AFTER UPDATE OF content, role ON messages
      BEGIN
        INSERT INTO messages_search (messages_search, rowid, content)
          SELECT 'delete', old.row_id, old.content WHERE old.role IN ('user', 'assistant');
        INSERT INTO messages_search (rowid, content)
          SELECT new.row_id, new.content WHERE new.role IN ('user', 'assistant');
      END;

      CREATE TABLE tool_calls (
        row_id INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        turn_id TEXT NOT NULL,
        name TEXT NOT NULL,
        server_id TEXT,
        tool_name TEXT,
        arguments TEXT NOT NULL,
        status TEXT CHECK (status IN ('ok', 'error', 'timeout', 'denied', 'cancelled')),
        result TEXT,
        error TEXT,
        queued_ms REAL,
        duration_ms REAL,
        started_at REAL NOT NULL,
        finished_at REAL
      ) STRICT;
      CREATE INDEX tool_calls_by_conversation ON tool_calls (conversation_id, started_at);
      CREATE INDEX tool_calls_by_turn ON tool_calls (turn_id);
      CREATE INDEX tool_calls_by_id ON tool_calls (id);

      CREATE TABLE tool_selections (
        conversation_id TEXT PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
        selection TEXT NOT NULL
      ) STRICT;

      -- tool_name '' is the server-wide rule: NULLs would never collide in the primary key.
      CREATE TABLE approval_rules (
        server_id TEXT NOT NULL,
        tool_name TEXT NOT NULL DEFAULT '',
        policy TEXT NOT NULL CHECK (policy IN ('ask', 'once', 'always')),
        created_at INTEGER NOT NULL,
        PRIMARY KEY (server_id, tool_name)
      ) STRICT;

      CREATE TABLE conversation_grants (
        conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        server_id TEXT NOT NULL,
        tool_name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (conversation_id, server_id, tool_name)
      ) STRICT;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    description: "a conversation's chosen model; a tool call's raw JSON-RPC messages",
    sql: `
      -- The model the user chose for the conversation (a models.list id); NULL: the app's default.
      ALTER TABLE conversations ADD COLUMN model_id TEXT;
      -- JSON array of { direction, at, message }: what the inspector's raw view shows.
      ALTER TABLE tool_calls ADD COLUMN exchange TEXT;
    `,
  },
];

/** The schema version this Hearth writes: the number of known migrations. */
export const latestSchemaVersion = migrations.length;

/**
 * Brings `database` to {@link latestSchemaVersion}, applying each missing migration in its
 * own IMMEDIATE transaction (so two processes opening the same file cannot both apply it).
 * Returns the version it found. Throws `newer_schema` for a database past what this Hearth
 * knows, leaving it untouched; `path` is only for that message.
 */
export function migrate(database: Database, path: string, list: readonly Migration[] = migrations): number {
  const known = list.length;
  const found = schemaVersion(database);
  refuseNewer(found, known, path);
  for (const migration of list) {
    if (migration.version <= found) continue;
    database
      .transaction(() => {
        // Read again inside the lock: another process may have migrated meanwhile.
        const current = schemaVersion(database);
        refuseNewer(current, known, path);
        if (current >= migration.version) return;
        database.exec(migration.sql);
        // The version lives in the file header, which is part of the transaction.
        database.pragma(`user_version = ${migration.version}`);
      })
      .immediate();
  }
  return found;
}

/** The database's `PRAGMA user_version`. */
export function schemaVersion(database: Database): number {
  return database.pragma("user_version", { simple: true }) as number;
}

function refuseNewer(found: number, known: number, path: string): void {
  if (found > known) {
    throw new StoreError(
      "newer_schema",
      `database ${path} has schema version ${found}; this Hearth knows up to ${known}: update Hearth`,
    );
  }
}
