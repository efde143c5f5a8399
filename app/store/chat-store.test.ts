/**
 * Every kind of record goes through a real file, and must come back equal after the store
 * is closed and opened again.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ToolCallRecord } from "../contract/chat.js";
import { ChatStore, isStoreError, StoreError } from "./index.js";

let folder: string;
let file: string;
let now: number;
const clock = () => (now += 1);

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "hearth-store-"));
  file = join(folder, "nested", "hearth.db");
  now = 1_700_000_000_000;
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

/** Opens the file, runs `write`, closes it, opens it again and hands the new store to `read`. */
function reopened<T>(write: (store: ChatStore) => T, read: (store: ChatStore, written: T) => void): void {
  const store = ChatStore.open(file, { clock });
  const written = write(store);
  store.close();
  const again = ChatStore.open(file, { clock });
  try {
    read(again, written);
  } finally {
    again.close();
  }
}

function thrown(action: () => unknown): StoreError {
  try {
    action();
  } catch (error) {
    if (error instanceof StoreError) return error;
    throw error;
  }
  throw new Error("expected a StoreError");
}

describe("conversations", () => {
  it("come back after reopening, newest update first, with defaults filled in", () => {
    reopened(
      (store) => {
        const first = store.createConversation({ title: "Trip to Lisbon", systemPrompt: "Be brief." });
        const second = store.createConversation({ id: "fixed-id" });
        store.addMessage(first.id, { role: "user", content: "hello" });
        return { first: store.conversation(first.id)!, second };
      },
      (store, { first, second }) => {
        expect(second).toMatchObject({ id: "fixed-id", title: "New conversation" });
        expect(second.systemPrompt).toBeUndefined();
        expect(first.updatedAt).toBeGreaterThan(first.createdAt);
        expect(store.listConversations()).toEqual([first, second]);
        expect(store.listConversations({ limit: 1, offset: 1 })).toEqual([second]);
        expect(store.path).toBe(file);
      },
    );
  });

  it("are updated field by field, and a missing one is not_found", () => {
    reopened(
      (store) => {
        const conversation = store.createConversation({ title: "Draft", systemPrompt: "old" });
        store.updateConversation(conversation.id, { title: "Final" });
        return store.updateConversation(conversation.id, { systemPrompt: null, model: "local: qwen.gguf" });
      },
      (store, updated) => {
        expect(store.conversation(updated.id)).toEqual(updated);
        expect(updated).toMatchObject({ title: "Final", model: "local: qwen.gguf" });
        expect(updated.systemPrompt).toBeUndefined();
        const error = thrown(() => store.updateConversation("abc", { title: "x" }));
        expect(error.code).toBe("not_found");
        expect(error.message).toBe('conversation "abc" not found');
        expect(store.conversation("abc")).toBeUndefined();
        expect(store.deleteConversation("abc")).toBe(false);
      },
    );
  });

  it("keep their chosen model through a reopen, back to the default with null, without moving in the list", () => {
    reopened(
      (store) => {
        const chosen = store.createConversation({ title: "Chosen" });
        const other = store.createConversation({ title: "Other" });
        store.addMessage(other.id, { role: "user", content: "newest" });
        const set = store.setConversationModel(chosen.id, "local:qwen.gguf");
        const cleared = store.setConversationModel(other.id, "remote:gpt");
        return { set, cleared: store.setConversationModel(cleared.id, null) };
      },
      (store, { set, cleared }) => {
        expect(set.modelId).toBe("local:qwen.gguf");
        expect(store.conversation(set.id)).toEqual(set);
        expect(cleared.modelId).toBeUndefined();
        expect("modelId" in store.conversation(cleared.id)!).toBe(false);
        // The conversation with the newest message stays on top.
        expect(store.listConversations().map((conversation) => conversation.title)).toEqual(["Other", "Chosen"]);
        expect(thrown(() => store.setConversationModel("abc", "local:x.gguf")).code).toBe("not_found");
      },
    );
  });

  it("refuses a taken id and bad paging", () => {
    using store = ChatStore.open(":memory:");
    store.createConversation({ id: "one" });
    expect(thrown(() => store.createConversation({ id: "one" })).code).toBe("invalid_value");
    expect(thrown(() => store.listConversations({ limit: -1 })).code).toBe("invalid_value");
  });
});

describe("messages and turns", () => {
  it("keep their order, fields and status through a reopen", () => {
    reopened(
      (store) => {
        const { id } = store.createConversation();
        store.beginTurn(id, "turn-1", "local: qwen.gguf");
        const written = [
          store.addMessage(id, { turnId: "turn-1", role: "user", content: "What's the weather in Paris?" }),
          store.addMessage(id, {
            turnId: "turn-1",
            role: "assistant",
            content: "",
            toolCalls: [{ id: "call-1", name: "weather_get", arguments: { city: "Paris", days: [1, 2], units: { metric: true } } }],
          }),
          store.addMessage(id, { id: "tool-answer", turnId: "turn-1", role: "tool", toolCallId: "call-1", name: "weather_get", content: "boom", isError: true }),
          store.addMessage(id, { turnId: "turn-1", role: "assistant", content: "It is sun", status: "cancelled" }),
        ];
        store.updateMessage(written[3]!.id, { content: "It is sunny.", status: "complete" });
        store.finishTurn("turn-1", {
          stopReason: "stop",
          usage: { promptTokens: 120, completionTokens: 30, evaluatedPromptTokens: 40 },
          timings: { totalMs: 2500.5, timeToFirstTokenMs: 300, tokensPerSecond: 12.5, toolMs: 800 },
        });
        return { id, written };
      },
      (store, { id, written }) => {
        const messages = store.messages(id);
        expect(messages).toEqual([...written.slice(0, 3), { ...written[3], content: "It is sunny.", status: "complete" }]);
        expect(messages[2]).toMatchObject({ id: "tool-answer", isError: true, toolCallId: "call-1", name: "weather_get" });
        expect(messages[0]!.status).toBe("complete");
        expect(store.conversation(id)!.model).toBe("local: qwen.gguf");
        expect(store.turn("turn-1")).toEqual({
          id: "turn-1",
          conversationId: id,
          status: "finished",
          model: "local: qwen.gguf",
          stopReason: "stop",
          usage: { promptTokens: 120, completionTokens: 30, evaluatedPromptTokens: 40 },
          timings: { totalMs: 2500.5, timeToFirstTokenMs: 300, tokensPerSecond: 12.5, toolMs: 800 },
          startedAt: expect.any(Number),
          finishedAt: expect.any(Number),
        });
        expect(store.turn("nope")).toBeUndefined();
      },
    );
  });

  it("adding a message bumps the conversation to the top of the list", () => {
    using store = ChatStore.open(":memory:", { clock });
    const older = store.createConversation({ title: "older" });
    store.createConversation({ title: "newer" });
    const message = store.addMessage(older.id, { role: "user", content: "back to this one" });
    expect(store.listConversations().map((conversation) => conversation.title)).toEqual(["older", "newer"]);
    expect(store.conversation(older.id)!.updatedAt).toBe(message.createdAt);
  });

  it("refuses messages for a missing conversation, unknown ids, bad values and unbegun turns", () => {
    using store = ChatStore.open(":memory:");
    const { id } = store.createConversation();
    expect(thrown(() => store.addMessage("ghost", { role: "user", content: "hi" })).code).toBe("not_found");
    store.addMessage(id, { id: "m1", role: "user", content: "hi" });
    expect(thrown(() => store.addMessage(id, { id: "m1", role: "user", content: "again" })).code).toBe("invalid_value");
    const badRole = { role: "robot", content: "beep" } as unknown as Parameters<ChatStore["addMessage"]>[1];
    expect(thrown(() => store.addMessage(id, badRole)).code).toBe("invalid_value");
    expect(thrown(() => store.updateMessage("ghost", { content: "x" })).code).toBe("not_found");
    expect(thrown(() => store.finishTurn("ghost", { stopReason: "stop", usage: { promptTokens: 0, completionTokens: 0, evaluatedPromptTokens: 0 }, timings: { totalMs: 0, toolMs: 0 } })).code).toBe("not_found");
    expect(thrown(() => store.beginTurn("ghost", "t")).code).toBe("not_found");
    store.beginTurn(id, "t");
    expect(thrown(() => store.beginTurn(id, "t")).code).toBe("invalid_value");
    // Nothing half-written: the failed messages left no row.
    expect(store.messages(id).map((message) => message.id)).toEqual(["m1"]);
  });
});

describe("tool calls", () => {
  const image = { type: "image" as const, data: "iVBORw0KGgo=", mimeType: "image/png" };

  it("keep arguments, results (image content, structuredContent) and timings through a reopen", () => {
    reopened(
      (store) => {
        const { id } = store.createConversation();
        const first: ToolCallRecord = {
          id: "call-1",
          conversationId: id,
          turnId: "turn-1",
          name: "everything_screenshot",
          arguments: { region: { x: 0, y: 10.5 }, tags: ["a", "b"], nothing: null, nested: [[1], { deep: "ü" }] },
          startedAt: 1_000,
        };
        const second: ToolCallRecord = { ...first, id: "call-2", name: "fs_read", arguments: { path: "/tmp/x" }, startedAt: 1_001.25 };
        store.addToolCall(first);
        store.addToolCall(second);
        store.updateToolCall("call-1", { serverId: "everything", toolName: "screenshot", queuedMs: 3 });
        const result = {
          content: [{ type: "text" as const, text: "here" }, image, { type: "resource_link" as const, uri: "file:///x", name: "x" }],
          structuredContent: { width: 640, height: 480, labels: ["cat"] },
          isError: false,
        };
        store.updateToolCall("call-1", { status: "ok", result, durationMs: 41.5, finishedAt: 1_045 });
        store.updateToolCall("call-2", { status: "timeout", error: "no answer in 30 s", finishedAt: 31_001 });
        return {
          id,
          expected: [
            { ...first, serverId: "everything", toolName: "screenshot", queuedMs: 3, status: "ok", result, durationMs: 41.5, finishedAt: 1_045 },
            { ...second, status: "timeout", error: "no answer in 30 s", finishedAt: 31_001 },
          ],
        };
      },
      (store, { id, expected }) => {
        expect(store.toolCalls(id)).toStrictEqual(expected);
        expect(store.toolCalls(id, { turnId: "turn-1" })).toHaveLength(2);
        expect(store.toolCalls(id, { turnId: "turn-2" })).toEqual([]);
        expect(store.toolCalls("ghost")).toEqual([]);
      },
    );
  });

  it("a repeated id from a later turn is kept, and updates go to the newest", () => {
    using store = ChatStore.open(":memory:");
    const { id } = store.createConversation();
    const base = { id: "call_0", conversationId: id, name: "t", arguments: {} };
    store.addToolCall({ ...base, turnId: "turn-1", startedAt: 1, status: "ok", finishedAt: 2 });
    store.addToolCall({ ...base, turnId: "turn-2", startedAt: 3 });
    store.updateToolCall("call_0", { status: "denied", finishedAt: 4 });
    expect(store.toolCalls(id).map((call) => [call.turnId, call.status])).toEqual([
      ["turn-1", "ok"],
      ["turn-2", "denied"],
    ]);
  });

  it("refuses a missing conversation, a missing call and arguments JSON cannot hold", () => {
    using store = ChatStore.open(":memory:");
    const { id } = store.createConversation();
    const record = { id: "c", conversationId: id, turnId: "t", name: "n", arguments: {}, startedAt: 1 };
    expect(thrown(() => store.addToolCall({ ...record, conversationId: "ghost" })).code).toBe("not_found");
    expect(thrown(() => store.addToolCall({ ...record, arguments: { when: new Date() } })).code).toBe("invalid_value");
    expect(thrown(() => store.updateToolCall("ghost", { status: "ok" })).code).toBe("not_found");
    expect(store.toolCalls(id)).toEqual([]);
  });
});

describe("tool selection, approvals and grants", () => {
  it("come back after reopening", () => {
    reopened(
      (store) => {
        const { id } = store.createConversation();
        const untouched = store.createConversation();
        store.setToolSelection(id, { servers: { fs: false }, tools: { "fs/read_file": true } });
        store.setApprovalRule({ serverId: "fs", policy: "ask" });
        store.setApprovalRule({ serverId: "fs", toolName: "read_file", policy: "always" });
        store.setApprovalRule({ serverId: "fs", toolName: "read_file", policy: "once" });
        store.setApprovalRule({ serverId: "git", policy: "always" });
        store.grantForConversation(id, "fs", "write_file");
        store.grantForConversation(id, "fs", "write_file");
        store.grantForConversation(id, "git", "commit");
        return { id, untouched: untouched.id };
      },
      (store, { id, untouched }) => {
        expect(store.toolSelection(id)).toEqual({ servers: { fs: false }, tools: { "fs/read_file": true } });
        expect(store.toolSelection(untouched)).toEqual({ servers: {}, tools: {} });
        expect(store.approvalRules().map(({ createdAt: _createdAt, ...rule }) => rule)).toEqual([
          { serverId: "fs", policy: "ask" },
          { serverId: "fs", toolName: "read_file", policy: "once" },
          { serverId: "git", policy: "always" },
        ]);
        expect(store.conversationGrants(id)).toEqual(["fs/write_file", "git/commit"]);
        expect(store.conversationGrants(untouched)).toEqual([]);
        expect(store.removeApprovalRule("fs", "read_file")).toBe(true);
        expect(store.removeApprovalRule("fs", "read_file")).toBe(false);
        expect(store.approvalRules().map((rule) => [rule.serverId, rule.toolName])).toEqual([
          ["fs", undefined],
          ["git", undefined],
        ]);
        expect(store.removeApprovalRule("fs")).toBe(true);
        expect(store.approvalRules().map((rule) => rule.serverId)).toEqual(["git"]);
      },
    );
  });

  it("refuses an unknown policy, an empty tool name and a missing conversation", () => {
    using store = ChatStore.open(":memory:");
    expect(thrown(() => store.setApprovalRule({ serverId: "fs", policy: "never" as "ask" })).code).toBe("invalid_value");
    expect(thrown(() => store.setApprovalRule({ serverId: "fs", toolName: "", policy: "ask" })).code).toBe("invalid_value");
    expect(thrown(() => store.setToolSelection("ghost", { servers: {}, tools: {} })).code).toBe("not_found");
    expect(thrown(() => store.grantForConversation("ghost", "fs", "read")).code).toBe("not_found");
    expect(store.approvalRules()).toEqual([]);
  });
});

describe("settings", () => {
  it("round-trip JSON values through a reopen, and can be deleted", () => {
    const values = { theme: "dark", fontSize: 14.5, gpu: { layers: 33, enabled: true }, recent: ["a", null, 3], empty: null };
    reopened(
      (store) => {
        for (const [key, value] of Object.entries(values)) store.setSetting(key, value);
        store.setSetting("theme", "light");
        store.setSetting("gone", 1);
        expect(store.deleteSetting("gone")).toBe(true);
      },
      (store) => {
        expect(store.setting("theme")).toBe("light");
        expect(store.setting<typeof values.gpu>("gpu")).toEqual({ layers: 33, enabled: true });
        expect(store.setting("recent")).toEqual(["a", null, 3]);
        expect(store.setting("fontSize")).toBe(14.5);
        expect(store.setting("empty")).toBeNull();
        expect(store.setting("gone")).toBeUndefined();
        expect(store.deleteSetting("gone")).toBe(false);
      },
    );
  });

  it.each([
    ["undefined", undefined],
    ["a function", () => 1],
    ["a symbol", Symbol("s")],
    ["a bigint", 10n],
    ["NaN", Number.NaN],
    ["Infinity inside an array", [1, Number.POSITIVE_INFINITY]],
    ["a Date", new Date(0)],
    ["a Map", new Map()],
    ["a function inside an object", { nested: { call: () => 1 } }],
  ])("refuses %s with invalid_value and keeps the old value", (_what, value) => {
    using store = ChatStore.open(":memory:");
    store.setSetting("key", "before");
    const error = thrown(() => store.setSetting("key", value));
    expect(isStoreError(error, "invalid_value")).toBe(true);
    expect(error.message).toContain('setting "key"');
    expect(store.setting("key")).toBe("before");
  });

  it("refuses a value that contains itself", () => {
    using store = ChatStore.open(":memory:");
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(thrown(() => store.setSetting("loop", loop)).code).toBe("invalid_value");
  });
});
