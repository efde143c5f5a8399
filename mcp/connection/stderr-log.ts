/**
 * A bounded log of the lines a server wrote to stderr (and, from the process transport,
 * the stray lines it wrote to stdout). A server that fails is shown to the user with its
 * last lines (ARCHITECTURE.md, "Habits"), so the log must survive a chatty server: it
 * keeps the newest `maxLines` lines and cuts each line to `maxLineLength` characters.
 */

/** Called with each completed line, in order. */
export type StderrLineListener = (line: string) => void;

/** Default number of lines a {@link StderrLog} keeps. */
export const DEFAULT_STDERR_LOG_LINES = 200;

/** Default length, in UTF-16 characters, past which a line is cut. */
export const DEFAULT_STDERR_LOG_LINE_LENGTH = 2_000;

/** A bounded, line-oriented log of a server's output. */
export class StderrLog {
  private readonly kept: string[] = [];
  private readonly listeners = new Set<StderrLineListener>();
  /** The start of a line whose newline has not arrived yet; never longer than maxLineLength. */
  private partial = "";
  /** Characters of the partial line dropped because it was already too long. */
  private partialDropped = 0;

  /**
   * @param maxLines - lines kept; older lines are dropped first. Default 200, at least 1.
   * @param maxLineLength - characters kept per line (UTF-16 units); the rest is replaced
   *   by a `… [N more characters]` marker. Default 2,000, at least 1.
   */
  constructor(
    readonly maxLines: number = DEFAULT_STDERR_LOG_LINES,
    readonly maxLineLength: number = DEFAULT_STDERR_LOG_LINE_LENGTH,
  ) {
    if (!Number.isInteger(maxLines) || maxLines < 1) throw new RangeError(`maxLines must be a positive integer, got ${maxLines}`);
    if (!Number.isInteger(maxLineLength) || maxLineLength < 1) {
      throw new RangeError(`maxLineLength must be a positive integer, got ${maxLineLength}`);
    }
  }

  /**
   * Adds decoded text as it arrives from a stream. Splits on `\n` (a `\r` before it is
   * dropped); the text after the last newline is held until a later chunk completes it or
   * {@link flush} is called.
   */
  append(chunk: string): void {
    let start = 0;
    let newline = chunk.indexOf("\n");
    while (newline !== -1) {
      this.growPartial(chunk, start, newline);
      this.completePartial();
      start = newline + 1;
      newline = chunk.indexOf("\n", start);
    }
    if (start < chunk.length) this.growPartial(chunk, start, chunk.length);
  }

  /** Adds one complete line (it should not contain a newline); a pending partial line is kept. */
  appendLine(line: string): void {
    this.push(this.truncate(line, 0));
  }

  /**
   * Completes the pending partial line, if any. Call it when the stream ends, so that a last
   * line written without a newline (typical of a crash message) is not lost.
   */
  flush(): void {
    if (this.partial.length > 0 || this.partialDropped > 0) this.completePartial();
  }

  /** A copy of the kept lines, oldest first. The pending partial line is not included. */
  lines(): string[] {
    return this.kept.slice();
  }

  /** The newest `count` lines (default 20), oldest first. */
  tail(count = 20): string[] {
    if (count <= 0) return [];
    return this.kept.slice(-count);
  }

  /** Forgets every kept line and the pending partial line; listeners stay subscribed. */
  clear(): void {
    this.kept.length = 0;
    this.partial = "";
    this.partialDropped = 0;
  }

  /**
   * Calls `listener` with each line completed from now on. Returns a function that
   * unsubscribes. A listener that throws is ignored, so one bad subscriber cannot stop the
   * log, the other subscribers or the transport that feeds it.
   */
  onLine(listener: StderrLineListener): () => void {
    // Wrap so that subscribing the same function twice gives two independent subscriptions.
    const subscription: StderrLineListener = (line) => listener(line);
    this.listeners.add(subscription);
    return () => {
      this.listeners.delete(subscription);
    };
  }

  private growPartial(chunk: string, start: number, end: number): void {
    const room = this.maxLineLength - this.partial.length;
    const length = end - start;
    if (length <= room) {
      this.partial += chunk.slice(start, end);
    } else {
      // Keep memory bounded even when a server writes megabytes without a newline.
      this.partial += chunk.slice(start, start + room);
      this.partialDropped += length - room;
    }
  }

  private completePartial(): void {
    let line = this.partial;
    const dropped = this.partialDropped;
    this.partial = "";
    this.partialDropped = 0;
    if (dropped === 0 && line.endsWith("\r")) line = line.slice(0, -1);
    this.push(this.truncate(line, dropped));
  }

  private truncate(line: string, alreadyDropped: number): string {
    const over = Math.max(0, line.length - this.maxLineLength) + alreadyDropped;
    if (over === 0) return line;
    return `${line.slice(0, this.maxLineLength)}… [${over} more characters]`;
  }

  private push(line: string): void {
    this.kept.push(line);
    if (this.kept.length > this.maxLines) this.kept.shift();
    for (const listener of this.listeners) {
      try {
        listener(line);
      } catch {
        // Deliberately ignored: see onLine.
      }
    }
  }
}
