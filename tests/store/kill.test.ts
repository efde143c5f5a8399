/**
 * The durability promise: every committed write survives kill -9. A child process
 * (writer.ts) adds messages and prints each one once `addMessage` has returned; after 200
 * it gets SIGKILL. Every printed message must then be in the file with its content, the
 * file must pass SQLite's integrity check, and the store must take new writes.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, expect, it } from "vitest";
import { ChatStore } from "../../app/store/index.js";

const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url));
const writerScript = fileURLToPath(new URL("./writer.ts", import.meta.url));
const committedBeforeKill = 200;

let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "hearth-kill-"));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

interface Printed {
  id: string;
  content: string;
}

/** Runs the writer until it has printed `count` messages, kills it with SIGKILL, and returns every line it printed. */
async function writeUntilKilled(file: string, count: number): Promise<Printed[]> {
  const child = spawn(process.execPath, ["--import", "tsx", writerScript, file], {
    cwd: repositoryRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const printed: Printed[] = [];
  let pending = "";
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (text: string) => {
    stderr = (stderr + text).slice(-4_000);
  });
  child.stdout.setEncoding("utf8").on("data", (text: string) => {
    pending += text;
    const lines = pending.split("\n");
    pending = lines.pop()!; // an unfinished line is not a printed message
    for (const line of lines) printed.push(JSON.parse(line) as Printed);
    if (printed.length >= count && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  // "close" comes after stdout has ended, so every line the writer got out is read.
  const [code, signal] = (await once(child, "close")) as [number | null, NodeJS.Signals | null];
  expect({ code, signal }, `the writer was not killed; its stderr: ${stderr}`).toEqual({ code: null, signal: "SIGKILL" });
  return printed;
}

it("keeps every committed message after kill -9, with an intact file that takes new writes", { timeout: 180_000 }, async () => {
  const file = join(folder, "hearth.db");
  const printed = await writeUntilKilled(file, committedBeforeKill);
  expect(printed.length).toBeGreaterThanOrEqual(committedBeforeKill);

  // A plain connection first: it replays the write-ahead log the killed process left.
  const raw = new BetterSqlite3(file);
  try {
    expect(raw.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(() => raw.exec("INSERT INTO messages_search (messages_search, rank) VALUES ('integrity-check', 1)")).not.toThrow();
  } finally {
    raw.close();
  }

  using store = ChatStore.open(file);
  const stored = new Map(store.messages("kill-test").map((message) => [message.id, message.content]));
  const missing = printed.filter((message) => stored.get(message.id) !== message.content).map((message) => message.id);
  expect(missing).toEqual([]);
  // The turn the writer was in when it died is repaired by opening.
  expect(store.turn("kill-turn")?.status).toBe("interrupted");

  const after = store.addMessage("kill-test", { role: "user", content: "still works after the crash" });
  expect(store.messages("kill-test").at(-1)).toEqual(after);
  expect(store.search("crash").map((hit) => hit.messageId)).toEqual([after.id]);
});
