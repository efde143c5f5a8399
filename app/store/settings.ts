/**
 * The `settings` table: application settings by key, each value as JSON.
 */
import type { Database, Statement } from "better-sqlite3";
import { fromJson, toJson, type Clock } from "./values.js";

/** Prepared statements over `settings`. */
export class SettingTable {
  private readonly selectStatement: Statement<[string], string>;
  private readonly upsertStatement: Statement<[string, string, number]>;
  private readonly deleteStatement: Statement<[string]>;

  constructor(
    database: Database,
    private readonly clock: Clock,
  ) {
    this.selectStatement = database.prepare<[string], string>("SELECT value FROM settings WHERE key = ?").pluck();
    this.upsertStatement = database.prepare<[string, string, number]>(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    this.deleteStatement = database.prepare<[string]>("DELETE FROM settings WHERE key = ?");
  }

  /** The setting's value as it was stored, or undefined when it is not set. Not checked: `T` is the caller's word. */
  get<T = unknown>(key: string): T | undefined {
    const text = this.selectStatement.get(key);
    return text === undefined ? undefined : fromJson<T>(text);
  }

  /** Stores `value` as JSON; `invalid_value` when JSON cannot hold it (undefined, a function, NaN, a Date, a cycle…). */
  set(key: string, value: unknown): void {
    this.upsertStatement.run(key, toJson(value, `setting "${key}"`), this.clock());
  }

  /** Removes the setting; false when it was not set. */
  delete(key: string): boolean {
    return this.deleteStatement.run(key).changes > 0;
  }
}
