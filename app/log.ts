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

/** Options of {@link logToAppLog}. */
export interface LogToAppLogOptions {
  /** The level of each message (default `info`); a call may give its own. */
  level?: LogLevel;
  /** The entries' source (default `app`). */
  source?: string;
  /** Also called with each message as given (e.g. to print it to stderr); default none. */
  echo?: (message: string) => void;
}

/**
 * A `(message, level?) => void` for start-up and other one-line messages (app/desktop-core.ts,
 * `hearth serve`): each message goes into `log`, so the settings page's log viewer shows it,
 * and to `echo` as it was given. A trailing newline is dropped in the log; a message of
 * several lines stays one entry. Never throws: a failing `echo` is ignored.
 */
export function logToAppLog(log: AppLog, options: LogToAppLogOptions = {}): (message: string, level?: LogLevel) => void {
  const { level: defaultLevel = "info", source = "app", echo } = options;
  return (message, level = defaultLevel) => {
    const text = message.replace(/\r?\n$/, "");
    if (text.trim().length > 0) log.write(level, text, source);
    try {
      echo?.(message);
    } catch {
      // Deliberately ignored: logging must not stop the app.
    }
  };
}

// ---------------------------------------------------------------------------------------
// MCP servers' logs

/**
 * MCP logging levels (spec 2025-06-18, "Logging", RFC 5424 severities) as the log viewer's
 * four. `notice` is information; `critical`, `alert` and `emergency` are errors.
 */
const MCP_LEVELS: Readonly<Record<string, LogLevel>> = {
  debug: "debug",
  info: "info",
  notice: "info",
  warning: "warn",
  error: "error",
  critical: "error",
  alert: "error",
  emergency: "error",
};

/** Level words that loggers commonly print at the start of a line, as the viewer's levels. */
const LEVEL_WORDS: Readonly<Record<string, LogLevel>> = {
  trace: "debug",
  debug: "debug",
  info: "info",
  notice: "info",
  warn: "warn",
  warning: "warn",
  error: "error",
  err: "error",
  fatal: "error",
  critical: "error",
  panic: "error",
};

/**
 * The level of one line of a server's log (`ServerConnection.log`). A server's stderr has no
 * levels, so this reads what the line says of itself and defaults to `info` (stderr is where
 * stdio servers log everything, not only errors):
 * - `[warning] …`: a `notifications/message` (mcp/connection/server-connection.ts), its MCP level;
 * - `[hearth] …`: Hearth's own note about the connection (a fallback, a failure): `warn`;
 * - `[stdout] …`: a stray stdout line, which breaks the stdio protocol: `warn`;
 * - otherwise a level word marked as one (bracketed, before a colon, or in capitals) among
 *   the first four words (`ERROR: …`, `2024-… WARN …`, `weather: fatal: …`), else `info`.
 */
export function serverLineLevel(line: string): LogLevel {
  const tagged = /^\[([a-z]+)\]/.exec(line);
  if (tagged) {
    const tag = tagged[1]!;
    if (tag === "hearth" || tag === "stdout") return "warn";
    const level = MCP_LEVELS[tag];
    if (level !== undefined) return level;
  }
  const words = line.slice(0, 120).split(/\s+/, 4);
  for (const word of words) {
    // A level word marked as one: bracketed, followed by a colon, or in capitals; a plain
    // "error" in a sentence is not a level.
    const marked = /^[[(<]([a-z]+)[\])>]:?$|^([a-z]+):$|^([A-Z]+)$/i.exec(word);
    if (marked === null) continue;
    const bare = marked[1] ?? marked[2] ?? marked[3]!;
    if (marked[3] !== undefined && bare !== bare.toUpperCase()) continue;
    const level = LEVEL_WORDS[bare.toLowerCase()];
    if (level !== undefined) return level;
  }
  return "info";
}

/** What {@link ServerLogRecorder} needs of the pool (`McpPool` has it). */
export interface ServerLogFeed {
  on(name: "serverLog", listener: (serverId: string, line: string) => void): () => void;
  servers(): ReadonlyArray<{ id: string; log: { lines(): string[] } }>;
}

/** Default of {@link ServerLogRecorder}'s `linesPerServer`. */
export const DEFAULT_SERVER_LOG_LINES = 1_000;

/**
 * Gives each line of each MCP server's log a time and a level, for the log viewer.
 * `ServerConnection.log` keeps bare lines (mcp/ knows nothing of this viewer), so the
 * recorder listens to the pool's `serverLog` events and stamps each line when it arrives.
 * Lines a server wrote before the recorder started carry the time the recorder started:
 * they happened then or earlier. A server's lines outlive its restarts (and its removal)
 * up to `linesPerServer` per server, oldest dropped first.
 */
export class ServerLogRecorder {
  private readonly entries = new Map<string, LogEntry[]>();
  private readonly stop: () => void;

  /**
   * @param feed - the pool.
   * @param linesPerServer - lines kept per server (default {@link DEFAULT_SERVER_LOG_LINES}).
   * @param clock - milliseconds since the epoch; tests pass their own.
   */
  constructor(
    feed: ServerLogFeed,
    private readonly linesPerServer = DEFAULT_SERVER_LOG_LINES,
    private readonly clock: () => number = Date.now,
  ) {
    const started = this.clock();
    for (const server of feed.servers()) for (const line of server.log.lines()) this.add(server.id, line, started);
    this.stop = feed.on("serverLog", (serverId, line) => this.add(serverId, line, this.clock()));
  }

  /** The servers with at least one line, in the order their first line arrived. */
  sources(): string[] {
    return [...this.entries.keys()];
  }

  /** `serverId`'s entries (absent: every server's, server by server) at `level` or above, oldest first within a server. */
  list(serverId?: string, level: LogLevel = "debug"): LogEntry[] {
    const least = LOG_LEVELS.indexOf(level);
    const lists = serverId === undefined ? [...this.entries.values()] : [this.entries.get(serverId) ?? []];
    return lists.flatMap((entries) => entries.filter((entry) => LOG_LEVELS.indexOf(entry.level) >= least));
  }

  /** Stops listening to the pool; what was recorded stays readable. Idempotent. */
  dispose(): void {
    this.stop();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  private add(serverId: string, line: string, at: number): void {
    let entries = this.entries.get(serverId);
    if (entries === undefined) {
      entries = [];
      this.entries.set(serverId, entries);
    }
    entries.push({ at, level: serverLineLevel(line), source: serverId, text: line });
    if (entries.length > this.linesPerServer) entries.splice(0, entries.length - this.linesPerServer);
  }
}

/**
 * Entries of several logs as one list, newest first (entries of the same millisecond keep
 * their logs' order, reversed), at most `limit` of them.
 */
export function newestFirst(lists: ReadonlyArray<readonly LogEntry[]>, limit: number): LogEntry[] {
  // Each list is oldest first; a stable sort on time keeps each one's order among ties.
  const merged = lists.flat().sort((a, b) => a.at - b.at);
  return merged.reverse().slice(0, limit);
}
