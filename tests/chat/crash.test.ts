// A crash at any moment loses at most the answer being streamed: a real Hearth process is
// killed with SIGKILL in the middle of a turn (its tool call running), and the database
// reopened. What was committed is there; the turn is marked interrupted; the history is
// whole again (the unanswered call gets a result), so the conversation goes on.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { ChatStore } from "../../app/store/index.js";
import { processMarker, processesWith } from "../fixtures/processes.js";

const CHILD = fileURLToPath(new URL("./turn-child.ts", import.meta.url));
let folder: string | undefined;
let marker: string | undefined;

afterEach(async () => {
  // SIGKILL gave Hearth no chance to stop its server: do it here.
  for (const pid of marker ? processesWith(marker) : []) process.kill(pid, "SIGKILL");
  if (folder) await rm(folder, { recursive: true, force: true });
  folder = marker = undefined;
});

describe("kill -9 during a turn", () => {
  it("keeps every committed message and tool call, and recovers the turn on reopen", async () => {
    folder = await mkdtemp(join(tmpdir(), "hearth-crash-"));
    marker = processMarker();
    const path = join(folder, "hearth.db");
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, path, marker], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const started = await new Promise<string>((resolve, reject) => {
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        const line = stdout.split("\n").find((candidate) => candidate.startsWith("call-started "));
        if (line) resolve(line);
      });
      child.on("exit", (code) => reject(new Error(`the child exited (${code}) before its call started:\n${stderr}`)));
    });
    const [, conversationId, turnId] = started.split(" ") as [string, string, string];
    const exited = new Promise((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");

    using store = ChatStore.open(path);
    expect(store.conversation(conversationId)).toMatchObject({ title: "Paris weather" });
    expect(store.turn(turnId)).toMatchObject({ status: "interrupted" });
    const messages = store.messages(conversationId);
    // The user's message and the model's call were committed before the kill; the
    // recovery answered the call, so the next turn's history is valid.
    expect(messages.map((message) => [message.role, message.status])).toEqual([
      ["user", "complete"],
      ["assistant", "complete"],
      ["tool", "interrupted"],
    ]);
    expect(messages[0]!.content).toBe("What's the weather in Paris?");
    const callId = messages[1]!.toolCalls![0]!.id;
    expect(messages[1]!.toolCalls).toEqual([{ id: callId, name: "get_weather", arguments: { city: "Paris" } }]);
    expect(messages[2]).toMatchObject({ toolCallId: callId, isError: true });
    expect(store.toolCalls(conversationId)).toEqual([
      expect.objectContaining({ id: callId, serverId: "weather", status: "cancelled", queuedMs: expect.any(Number), finishedAt: expect.any(Number) }),
    ]);
  }, 90_000);
});
