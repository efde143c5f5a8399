/**
 * Server-sent events parsing, as much of it as OpenAI-compatible servers need: the `data`
 * field of each event (HTML Living Standard, "Server-sent events", §9.2.6 "Interpreting an
 * event stream"). Bytes may be split anywhere, inside a line, a `\r\n` pair or a UTF-8
 * character; lines end in `\n`, `\r\n` or `\r`; `:` lines are comments (keep-alives); an
 * event's `data` lines are joined with `\n` and dispatched at the blank line that ends it.
 * Other fields (`event`, `id`, `retry`) are read past: chat completion streams do not use them.
 */

/** Splits a byte stream into the `data` of its events. Feed it with `push`, then `end`. */
export class SseDataParser {
  private readonly decoder = new TextDecoder("utf-8");
  /** Text of the line being received (no line end yet). */
  private partialLine = "";
  /** The last piece ended in `\r`: a `\n` at the start of the next one belongs to it. */
  private afterCarriageReturn = false;
  /** `data` lines of the event being received; undefined when it has none yet. */
  private data: string[] | undefined;
  private firstLine = true;

  /** Takes the next bytes; returns the data of every event they complete, in order. */
  push(bytes: Uint8Array): string[] {
    return this.takeText(this.decoder.decode(bytes, { stream: true }));
  }

  /**
   * Ends the stream; returns the data of an event that was not closed by a blank line.
   * The standard drops such an event, but servers that close the connection right after
   * their last `data:` line are common enough that keeping it costs nothing.
   */
  end(): string[] {
    const events = this.takeText(this.decoder.decode());
    if (this.partialLine !== "") this.takeLine(this.partialLine, events);
    this.partialLine = "";
    if (this.data !== undefined) events.push(this.data.join("\n"));
    this.data = undefined;
    return events;
  }

  private takeText(text: string): string[] {
    const events: string[] = [];
    if (text === "") return events;
    let start = 0;
    if (this.afterCarriageReturn && text.startsWith("\n")) start = 1;
    this.afterCarriageReturn = false;
    for (let index = start; index < text.length; index++) {
      const character = text[index];
      if (character !== "\n" && character !== "\r") continue;
      this.takeLine(this.partialLine + text.slice(start, index), events);
      this.partialLine = "";
      if (character === "\r") {
        if (index + 1 === text.length) this.afterCarriageReturn = true;
        else if (text[index + 1] === "\n") index++;
      }
      start = index + 1;
    }
    this.partialLine += text.slice(start);
    return events;
  }

  private takeLine(rawLine: string, events: string[]): void {
    // A byte order mark may start the stream and is not part of the first field name.
    const line = this.firstLine && rawLine.startsWith("\uFEFF") ? rawLine.slice(1) : rawLine;
    this.firstLine = false;
    if (line === "") {
      if (this.data !== undefined) events.push(this.data.join("\n"));
      this.data = undefined;
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== "data") return;
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    (this.data ??= []).push(value);
  }
}
