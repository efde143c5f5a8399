import { describe, it, expect } from "vitest";
import { StderrLog } from "./stderr-log.js";

describe("StderrLog", () => {
  it("splits chunks on newlines and holds a partial line until it is completed", () => {
    const log = new StderrLog();
    log.append("first\nsec");
    expect(log.lines()).toEqual(["first"]);
    log.append("ond\nthi");
    log.append("rd\n");
    expect(log.lines()).toEqual(["first", "second", "third"]);
  });

  it("drops the carriage return of CRLF line endings and keeps empty lines", () => {
    const log = new StderrLog();
    log.append("a\r\n\r\nb\n");
    expect(log.lines()).toEqual(["a", "", "b"]);
  });

  it("flush() completes a last line written without a newline", () => {
    const log = new StderrLog();
    log.append("Error: boom");
    expect(log.lines()).toEqual([]);
    log.flush();
    expect(log.lines()).toEqual(["Error: boom"]);
    log.flush();
    expect(log.lines()).toEqual(["Error: boom"]);
  });

  it("appendLine() adds a whole line without disturbing a pending partial line", () => {
    const log = new StderrLog();
    log.append("par");
    log.appendLine("[stdout] banner");
    log.append("tial\n");
    expect(log.lines()).toEqual(["[stdout] banner", "partial"]);
  });

  it("keeps only the newest maxLines lines", () => {
    const log = new StderrLog(3);
    for (let index = 1; index <= 5; index++) log.appendLine(`line ${index}`);
    expect(log.lines()).toEqual(["line 3", "line 4", "line 5"]);
  });

  it("defaults to 200 lines", () => {
    const log = new StderrLog();
    for (let index = 0; index < 250; index++) log.appendLine(String(index));
    expect(log.lines()).toHaveLength(200);
    expect(log.lines()[0]).toBe("50");
  });

  it("tail() returns the newest lines, oldest first, 20 by default", () => {
    const log = new StderrLog();
    for (let index = 0; index < 30; index++) log.appendLine(String(index));
    expect(log.tail(3)).toEqual(["27", "28", "29"]);
    expect(log.tail()).toHaveLength(20);
    expect(log.tail()[0]).toBe("10");
    expect(log.tail(0)).toEqual([]);
    expect(new StderrLog().tail()).toEqual([]);
  });

  it("truncates absurdly long lines and says how much was cut", () => {
    const log = new StderrLog(10, 2_000);
    log.appendLine("x".repeat(5_000));
    const [line] = log.lines();
    expect(line?.startsWith("x".repeat(2_000))).toBe(true);
    expect(line).toContain("[3000 more characters]");
  });

  it("bounds a partial line that never ends, across many chunks", () => {
    const log = new StderrLog(10, 100);
    for (let index = 0; index < 1_000; index++) log.append("y".repeat(1_000));
    log.append("\nnext\n");
    const [long, next] = log.lines();
    expect(long?.length).toBeLessThan(150);
    expect(long).toContain(`[${1_000_000 - 100} more characters]`);
    expect(next).toBe("next");
  });

  it("lines() returns a copy", () => {
    const log = new StderrLog();
    log.appendLine("a");
    log.lines().push("b");
    expect(log.lines()).toEqual(["a"]);
  });

  it("clear() forgets lines and the partial line", () => {
    const log = new StderrLog();
    log.append("a\npartial");
    log.clear();
    log.append("b\n");
    expect(log.lines()).toEqual(["b"]);
  });

  it("onLine() reports each completed line until unsubscribed", () => {
    const log = new StderrLog();
    const seen: string[] = [];
    const unsubscribe = log.onLine((line) => seen.push(line));
    log.append("one\ntw");
    expect(seen).toEqual(["one"]);
    log.append("o\n");
    log.appendLine("three");
    unsubscribe();
    log.appendLine("four");
    expect(seen).toEqual(["one", "two", "three"]);
  });

  it("a listener that throws does not stop the log or other listeners", () => {
    const log = new StderrLog();
    const seen: string[] = [];
    log.onLine(() => {
      throw new Error("bad subscriber");
    });
    log.onLine((line) => seen.push(line));
    expect(() => log.append("a\n")).not.toThrow();
    expect(seen).toEqual(["a"]);
    expect(log.lines()).toEqual(["a"]);
  });

  it("the same function subscribed twice is two subscriptions", () => {
    const log = new StderrLog();
    const seen: string[] = [];
    const listener = (line: string): void => void seen.push(line);
    const first = log.onLine(listener);
    log.onLine(listener);
    first();
    log.appendLine("x");
    expect(seen).toEqual(["x"]);
  });

  it("rejects a maxLines that is not a positive integer", () => {
    expect(() => new StderrLog(0)).toThrow(RangeError);
    expect(() => new StderrLog(1.5)).toThrow(RangeError);
    expect(() => new StderrLog(10, 0)).toThrow(RangeError);
  });
});
