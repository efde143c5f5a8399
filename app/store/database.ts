/**
 * Opening the SQLite file behind the conversation store: the folder is created, the
 * connection is set up for durability and concurrency, and the schema is migrated.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import type { Database } from "better-sqlite3";
import { StoreError } from "./errors.js";
import { migrate } from "./migrations.js";

/** The path that opens a private database in memory (for tests); nothing is written to disk. */
export const inMemory = ":memory:";

/** How long a statement waits for another connection's lock before failing, in milliseconds. */
export const busyTimeoutMs = 5_000;

/**
 * Opens (creating it and its folder when missing) the database at `path`, or an in-memory
 * one for `":memory:"`, sets up the connection and applies the missing migrations.
 * Throws `open_failed` when the file cannot be opened or is not SQLite, and `newer_schema`
 * (see `migrate`) when a newer Hearth wrote it; the connection is closed in both cases.
 */
export function openDatabase(path: string): Database {
  const displayPath = path === inMemory ? path : resolve(path);
  let database: Database;
  try {
    if (path !== inMemory) mkdirSync(dirname(displayPath), { recursive: true });
    database = new BetterSqlite3(path, { timeout: busyTimeoutMs });
  } catch (error) {
    throw new StoreError("open_failed", `cannot open database ${displayPath}: ${describe(error)}`, { cause: error });
  }
  try {
    configure(database);
  } catch (error) {
    database.close();
    throw new StoreError("open_failed", `cannot open database ${displayPath}: ${describe(error)}`, { cause: error });
  }
  try {
    migrate(database, displayPath);
  } catch (error) {
    database.close();
    if (error instanceof StoreError) throw error;
    throw new StoreError("open_failed", `cannot migrate database ${displayPath}: ${describe(error)}`, { cause: error });
  }
  return database;
}

/**
 * Runs `work` in one transaction that takes the write lock at its start (BEGIN IMMEDIATE),
 * and returns its result; an error rolls everything back. Taking the lock first matters
 * when another process has the file open (the CLI beside the app): a transaction that
 * reads, then writes could find the file changed under it and fail at once with
 * SQLITE_BUSY, where an immediate one waits up to the busy timeout. Nested calls become
 * savepoints of the outer transaction.
 */
export function inWriteTransaction<T>(database: Database, work: () => T): T {
  return database.transaction(work).immediate();
}

function configure(database: Database): void {
  // Write-ahead log: readers do not block the writer, and a commit is one append to the
  // log rather than a rewrite of the pages (an in-memory database answers "memory").
  database.pragma("journal_mode = WAL");
  // With WAL, NORMAL syncs at checkpoints but not at each commit. A committed transaction
  // is then in the log file (in the operating system's cache), so it survives the
  // process dying at any moment, kill -9 included: the requirement. Only a power
  // cut or an OS crash can lose the last commits, and even then the file stays consistent.
  database.pragma("synchronous = NORMAL");
  database.pragma("foreign_keys = ON");
  database.pragma(`busy_timeout = ${busyTimeoutMs}`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
