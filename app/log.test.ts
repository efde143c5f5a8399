import { describe, expect, it } from "vitest";
import { AppLog, ServerLogRecorder, logToAppLog, newestFirst, serverLineLevel, type ServerLogFeed } from "./log.js";

/** A pool stand-in: servers with logs, and `serverLog` events pushed by the test. */
function fakeFeed(initial: Record<string, string[]> = {}) {
  const listeners = new Set<(serverId: string, line: string) => void>();
  const feed: ServerLogFeed = {
    on: (_name, listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    servers: () => Object.entries(initial).map(([id, lines]) => ({ id, log: { lines: () => lines } })),
  };
  return { feed, line: (serverId: string, line: string) => listeners.forEach((listener) => listener(serverId, line)), listeners };
}

describe("AppLog", () => {
  it("keeps the newest entries and filters by level", () => {
    let now = 0;
    const log = new AppLog(3, undefined, () => ++now);
    log.write("debug", "a");
    log.write("info", "b");
    log.write("warn", "c");
    log.write("error", "d", "models");
    expect(log.list().map((entry) => entry.text)).toEqual(["b", "c", "d"]);
    expect(log.list("warn")).toEqual([
      { at: 3, level: "warn", source: "app", text: "c" },
      { at: 4, level: "error", source: "models", text: "d" },
    ]);
  });
});

describe("logToAppLog", () => {
  it("writes each message as one entry and echoes it as given", () => {
    const log = new AppLog();
    const echoed: string[] = [];
    const write = logToAppLog(log, { echo: (message) => echoed.push(message) });
    write("hearth serve: listening on http://127.0.0.1:1\n");
    write("the config is not valid:\n  servers.0: bad", "error");
    write("\n");
    expect(log.list().map(({ level, source, text }) => ({ level, source, text }))).toEqual([
      { level: "info", source: "app", text: "hearth serve: listening on http://127.0.0.1:1" },
      { level: "error", source: "app", text: "the config is not valid:\n  servers.0: bad" },
    ]);
    expect(echoed).toEqual(["hearth serve: listening on http://127.0.0.1:1\n", "the config is not valid:\n  servers.0: bad", "\n"]);
  });

  it("survives an echo that throws, and takes a source and default level", () => {
    const log = new AppLog();
    const write = logToAppLog(log, { source: "startup", level: "warn", echo: () => { throw new Error("closed"); } });
    expect(() => write("no model")).not.toThrow();
    expect(log.list()).toMatchObject([{ level: "warn", source: "startup", text: "no model" }]);
  });
});

describe("serverLineLevel", () => {
  it.each([
    ["[warning] cache: cold", "warn"],
    ["[notice] ready", "info"],
    ["[critical] disk full", "error"],
    ["[debug] tick", "debug"],
    ["[hearth] Streamable HTTP was refused; trying SSE", "warn"],
    ["[stdout] hello", "warn"],
    ["weather: fatal: simulated crash", "error"],
    ["ERROR: cannot open /x", "error"],
    ["2024-05-01T10:00:00Z WARN slow request", "warn"],
    ["[INFO] started", "info"],
    ["Listening on stdio", "info"],
    ["the error rate of the sensor is 5%", "info"],
  ])("%s → %s", (line, level) => {
    expect(serverLineLevel(line)).toBe(level);
  });
});

describe("ServerLogRecorder", () => {
  it("stamps lines as they arrive, keeps the ones already there at its start time, and bounds each server", () => {
    let now = 100;
    const { feed, line, listeners } = fakeFeed({ fs: ["early line"] });
    const recorder = new ServerLogRecorder(feed, 2, () => now);
    now = 200;
    line("fs", "ERROR: boom");
    now = 300;
    line("git", "[warning] slow");
    line("fs", "third");
    expect(recorder.sources()).toEqual(["fs", "git"]);
    expect(recorder.list("fs")).toEqual([
      { at: 200, level: "error", source: "fs", text: "ERROR: boom" },
      { at: 300, level: "info", source: "fs", text: "third" },
    ]);
    expect(recorder.list(undefined, "warn").map((entry) => entry.text)).toEqual(["ERROR: boom", "[warning] slow"]);
    expect(recorder.list("none")).toEqual([]);
    recorder.dispose();
    expect(listeners.size).toBe(0);
    line("fs", "after");
    expect(recorder.list("fs").map((entry) => entry.text)).toEqual(["ERROR: boom", "third"]);
  });

  it("keeps the first lines' time when nothing came later", () => {
    const { feed } = fakeFeed({ fs: ["a", "b"] });
    using recorder = new ServerLogRecorder(feed, 10, () => 42);
    expect(recorder.list("fs")).toMatchObject([{ at: 42, text: "a" }, { at: 42, text: "b" }]);
  });
});

describe("newestFirst", () => {
  it("merges by time, newest first, keeping each list's order among ties, and limits", () => {
    const entry = (at: number, text: string) => ({ at, level: "info" as const, source: "s", text });
    const merged = newestFirst([[entry(1, "a1"), entry(3, "a3"), entry(3, "a3b")], [entry(2, "b2"), entry(4, "b4")]], 4);
    expect(merged.map((item) => item.text)).toEqual(["b4", "a3b", "a3", "b2"]);
  });
});
