/**
 * The app's own log, kept in memory for the settings page's log viewer: a bounded ring of
 * entries (oldest dropped first). MCP servers keep their own logs (their stderr and
 * `notifications/message`, `ServerConnection.log`); `logs.list` shows both.
 *
 * Never write a secret's value here: entries reach the renderer as they are.
 */
import type { LogEntry } from "./contract/mcp-channels.js";

export type LogLevel = LogEntry["level"];

/** Levels from least to most severe; a filter on one shows it and those above. */
export const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];

/** Default of {@link AppLog}'s `capacity`: entries kept. */
export const DEFAULT_LOG_CAPACITY = 2_000;

/** The app's log; see the file's comment. */
export class AppLog {
  private readonly entries: LogEntry[] = [];

  /**
   * @param capacity - entries kept (default {@link DEFAULT_LOG_CAPACITY}).
   * @param echo - also called with each entry (e.g. to write it to stderr); default none.
   * @param clock - milliseconds since the epoch; tests pass their own.
   */
  constructor(
    private readonly capacity = DEFAULT_LOG_CAPACITY,
    private readonly echo?: (entry: LogEntry) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Adds an entry from `source` (`app`, or a part of it such as `models`). */
  write(level: LogLevel, text: string, source = "app"): void {
    const entry: LogEntry = { at: this.clock(), level, source, text };
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    this.echo?.(entry);
  }

  /** The entries at `level` or above, oldest first. */
  list(level: LogLevel = "debug"): LogEntry[] {
    const least = LOG_LEVELS.indexOf(level);
    return this.entries.filter((entry) => LOG_LEVELS.indexOf(entry.level) >= least);
  }
}
