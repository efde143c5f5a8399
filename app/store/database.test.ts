/**
 * The file behind the store: WAL on, schema migrated from nothing, a newer schema refused,
 * a file that is not a database refused, and deleting a conversation leaves no orphans.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChatStore, latestSchemaVersion, migrations, StoreError } from "./index.js";

let folder: string;
let file: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "hearth-db-"));
  file = join(folder, "hearth.db");
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

function openError(path: string): StoreError {
  try {
    ChatStore.open(path).close();
  } catch (error) {
    if (error instanceof StoreError) return error;
    throw error;
  }
  throw new Error("expected open to fail");
}

/** A second, raw connection to the file, to look at what the store wrote. */
function inspect<T>(look: (database: BetterSqlite3.Database) => T): T {
  const database = new BetterSqlite3(file);
  try {
    return look(database);
  } finally {
    database.close();
  }
}

describe("opening the database", () => {
  it("creates the folder and file, turns WAL on and migrates an empty file to the latest schema", () => {
    const nested = join(folder, "a", "b", "hearth.db");
    writeFileSync(file, ""); // an empty file is a valid, empty SQLite database
    for (const path of [nested, file]) {
      const store = ChatStore.open(path);
      store.close();
    }
    file = nested;
    inspect((database) => {
      expect(database.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(database.pragma("user_version", { simple: true })).toBe(latestSchemaVersion);
      const tables = database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
      expect(tables).toEqual(expect.arrayContaining(["conversations", "messages", "messages_search", "turns", "tool_calls", "settings"]));
    });
  });

  it("sets foreign keys, NORMAL sync and the busy timeout on its own connection", () => {
    using store = ChatStore.open(file);
    const database = (store as unknown as { database: BetterSqlite3.Database }).database;
    expect(database.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(database.pragma("synchronous", { simple: true })).toBe(1); // NORMAL
    expect(database.pragma("busy_timeout", { simple: true })).toBe(5000);
  });

  it("opens an existing database again without re-running migrations or losing data", () => {
    const store = ChatStore.open(file);
    store.createConversation({ id: "kept" });
    store.close();
    using again = ChatStore.open(file);
    expect(again.conversation("kept")).toBeDefined();
  });

  it("numbers the migrations 1, 2, … in order", () => {
    expect(migrations.map((migration) => migration.version)).toEqual(migrations.map((_, index) => index + 1));
  });

  it("refuses a database written by a newer Hearth, and leaves it untouched", () => {
    ChatStore.open(file).close();
    inspect((database) => database.pragma("user_version = 7"));
    const error = openError(file);
    expect(error.code).toBe("newer_schema");
    expect(error.message).toBe(`database ${file} has schema version 7; this Hearth knows up to ${latestSchemaVersion}: update Hearth`);
    expect(inspect((database) => database.pragma("user_version", { simple: true }))).toBe(7);
  });

  it("refuses a file that is not a database, and a folder, with open_failed naming the path", () => {
    writeFileSync(file, "this is a text file, not SQLite ".repeat(100));
    const notDatabase = openError(file);
    expect(notDatabase.code).toBe("open_failed");
    expect(notDatabase.message).toContain(file);
    expect(openError(folder).code).toBe("open_failed");
  });
});

describe("deleting a conversation", () => {
  it("removes everything of it and nothing of the others", () => {
    const store = ChatStore.open(file);
    const doomed = store.createConversation();
    const kept = store.createConversation();
    for (const conversation of [doomed, kept]) {
      const turnId = `turn-${conversation.id}`;
      store.beginTurn(conversation.id, turnId);
      store.addMessage(conversation.id, { turnId, role: "user", content: "searchable words" });
      store.addToolCall({ id: `call-${conversation.id}`, conversationId: conversation.id, turnId, name: "n", arguments: {}, startedAt: 1 });
      store.setToolSelection(conversation.id, { servers: { fs: true }, tools: {} });
      store.grantForConversation(conversation.id, "fs", "write");
    }
    expect(store.deleteConversation(doomed.id)).toBe(true);
    expect(store.conversation(doomed.id)).toBeUndefined();
    expect(store.messages(doomed.id)).toEqual([]);
    expect(store.search("searchable").map((hit) => hit.conversationId)).toEqual([kept.id]);
    store.close();

    inspect((database) => {
      for (const table of ["messages", "turns", "tool_calls", "tool_selections", "conversation_grants"]) {
        const count = (id: string) => database.prepare(`SELECT count(*) FROM ${table} WHERE conversation_id = ?`).pluck().get(id);
        expect([table, count(doomed.id)]).toEqual([table, 0]);
        expect([table, count(kept.id)]).toEqual([table, 1]);
      }
      // The full-text index must agree with its content table: FTS5's integrity-check with
      // rank 1 compares the two, and fails when a deleted message is still indexed.
      expect(() => database.exec("INSERT INTO messages_search (messages_search, rank) VALUES ('integrity-check', 1)")).not.toThrow();
    });
  });
});
