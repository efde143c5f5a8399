/**
 * After a crash in the middle of a turn, opening the store repairs it: the turn is
 * interrupted, the running tool call cancelled, and the history handed to a model again
 * has a result for every call it asked for.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { StoredMessage } from "../contract/chat.js";
import { ChatStore, interruptedCallError, interruptedResultContent } from "./index.js";

let folder: string;
let file: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "hearth-recovery-"));
  file = join(folder, "hearth.db");
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const usage = { promptTokens: 1, completionTokens: 1, evaluatedPromptTokens: 1 };
const timings = { totalMs: 1, toolMs: 0 };

/** Writes a turn that stops between two tool calls, as the app would before dying. */
function writeInterruptedTurn(store: ChatStore): { conversationId: string; answeredAt: StoredMessage } {
  const { id } = store.createConversation({ title: "Crashed" });
  store.beginTurn(id, "turn-1", "local: qwen.gguf");
  store.addMessage(id, { turnId: "turn-1", role: "user", content: "Read both files" });
  store.addMessage(id, {
    turnId: "turn-1",
    role: "assistant",
    content: "",
    toolCalls: [
      { id: "call-a", name: "fs_read_file", arguments: { path: "a.txt" } },
      { id: "call-b", name: "fs_read_file", arguments: { path: "b.txt" } },
    ],
  });
  const base = { conversationId: id, turnId: "turn-1", name: "fs_read_file", serverId: "fs", toolName: "read_file" };
  store.addToolCall({ ...base, id: "call-a", arguments: { path: "a.txt" }, startedAt: 10 });
  store.addToolCall({ ...base, id: "call-b", arguments: { path: "b.txt" }, startedAt: 11 });
  store.updateToolCall("call-a", { status: "ok", result: { content: [{ type: "text", text: "A" }], isError: false }, durationMs: 5, finishedAt: 15 });
  const answeredAt = store.addMessage(id, { turnId: "turn-1", role: "tool", toolCallId: "call-a", name: "fs_read_file", content: "A" });
  return { conversationId: id, answeredAt };
}

describe("recovery of interrupted turns", () => {
  it("on reopening: interrupts the turn, cancels the running call and answers the unanswered one", () => {
    const before = ChatStore.open(file);
    const { conversationId, answeredAt } = writeInterruptedTurn(before);
    // Another conversation whose turn finished normally must not be touched.
    const calm = before.createConversation({ title: "Calm" }).id;
    before.beginTurn(calm, "turn-calm");
    before.addMessage(calm, { turnId: "turn-calm", role: "assistant", content: "", toolCalls: [{ id: "old", name: "x", arguments: {} }] });
    before.finishTurn("turn-calm", { stopReason: "stop", usage, timings });
    const startedBeforeCrash = Date.now();
    before.close(); // what kill -9 leaves on disk is the same: the turn never finished

    using store = ChatStore.open(file);
    const turn = store.turn("turn-1")!;
    expect(turn.status).toBe("interrupted");
    expect(turn.finishedAt).toBeGreaterThanOrEqual(startedBeforeCrash);
    expect(turn.stopReason).toBeUndefined();

    const [callA, callB] = store.toolCalls(conversationId);
    expect(callA).toMatchObject({ id: "call-a", status: "ok", finishedAt: 15 });
    expect(callA!.error).toBeUndefined();
    expect(callB).toMatchObject({ id: "call-b", status: "cancelled", error: interruptedCallError });
    expect(callB!.finishedAt).toBeGreaterThanOrEqual(startedBeforeCrash);

    const messages = store.messages(conversationId);
    expect(messages).toHaveLength(4);
    expect(messages[2]).toEqual(answeredAt);
    expect(messages[3]).toEqual({
      id: expect.any(String),
      conversationId,
      turnId: "turn-1",
      role: "tool",
      content: interruptedResultContent,
      toolCallId: "call-b",
      name: "fs_read_file",
      isError: true,
      status: "interrupted",
      createdAt: expect.any(Number),
    });
    expect(interruptedResultContent).toBe("The call was interrupted: Hearth stopped before it finished.");
    expect(interruptedCallError).toBe("Hearth stopped before the call finished");

    // Every call asked for has its result: the history is valid for a model again.
    const requested = messages.flatMap((message) => message.toolCalls?.map((call) => call.id) ?? []);
    const answered = messages.filter((message) => message.role === "tool").map((message) => message.toolCallId);
    expect(answered.sort()).toEqual(requested.sort());

    // The finished conversation was left as it was, unanswered call included.
    expect(store.turn("turn-calm")!.status).toBe("finished");
    expect(store.messages(calm)).toHaveLength(1);
  });

  it("does nothing the second time, so reopening again adds no duplicate results", () => {
    const first = ChatStore.open(file);
    const { conversationId } = writeInterruptedTurn(first);
    first.close();
    ChatStore.open(file).close();
    using store = ChatStore.open(file);
    expect(store.recoverInterruptedTurns()).toBe(0);
    expect(store.messages(conversationId)).toHaveLength(4);
  });

  it("returns how many turns it fixed, and a conversation without tool calls only gets its turn interrupted", () => {
    using store = ChatStore.open(":memory:");
    const one = store.createConversation().id;
    const two = store.createConversation().id;
    store.beginTurn(one, "t1");
    store.beginTurn(two, "t2");
    store.addMessage(two, { turnId: "t2", role: "user", content: "hello?" });
    expect(store.recoverInterruptedTurns()).toBe(2);
    expect([store.turn("t1")!.status, store.turn("t2")!.status]).toEqual(["interrupted", "interrupted"]);
    expect(store.messages(two).map((message) => message.role)).toEqual(["user"]);
    expect(store.recoverInterruptedTurns()).toBe(0);
  });
});
