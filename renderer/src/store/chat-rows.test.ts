import { describe, expect, it } from "vitest";
import type { StoredMessage, ToolCallRecord } from "../../../app/contract/chat.js";
import { buildChatRows } from "./chat-rows.js";
import { pendingTurn, type AnswerStats, type TurnState } from "./turn-reducer.js";

const message = (id: string, role: StoredMessage["role"], content: string, extra: Partial<StoredMessage> = {}): StoredMessage => ({ id, conversationId: "c1", role, content, status: "complete", createdAt: 1, ...extra });
const stats: AnswerStats = { stopReason: "stop", totalMs: 500, completionTokens: 10, tokensPerSecond: 30, timeToFirstTokenMs: 90 };

describe("buildChatRows", () => {
  it("shows user and assistant messages, tool calls as cards, and hides tool and system messages", () => {
    const messages = [
      message("s", "system", "be brief"),
      message("u1", "user", "read /a", { turnId: "t1" }),
      message("a1", "assistant", "", { turnId: "t1", toolCalls: [{ id: "call1", name: "fs_read", arguments: { path: "/a" } }] }),
      message("tool1", "tool", "contents", { turnId: "t1", toolCallId: "call1" }),
      message("a2", "assistant", "It says contents.", { turnId: "t1" }),
    ];
    const records: ToolCallRecord[] = [{ id: "call1", conversationId: "c1", turnId: "t1", name: "fs_read", arguments: { path: "/a" }, status: "ok", durationMs: 4, startedAt: 1 }];
    const rows = buildChatRows(messages, records, undefined, { t1: stats });
    expect(rows.map((row) => `${row.kind}:${row.key}`)).toEqual(["user:u1", "tool:call1", "assistant:a2"]);
    expect(rows[1]).toMatchObject({ card: { status: "done", durationMs: 4 } });
    expect(rows[2]).toMatchObject({ stats, streaming: false, stopped: false });
  });

  it("gives a stored call's card its JSON-RPC exchange (a reopened conversation)", () => {
    const exchange: NonNullable<ToolCallRecord["exchange"]> = [
      { direction: "sent", at: 1, message: { jsonrpc: "2.0", id: 0, method: "tools/call", params: { name: "read", arguments: { path: "/a" } } } },
      { direction: "received", at: 3, message: { jsonrpc: "2.0", id: 0, result: { content: [] } } },
    ];
    const messages = [message("a1", "assistant", "", { turnId: "t1", toolCalls: [{ id: "call1", name: "fs_read", arguments: { path: "/a" } }] })];
    const records: ToolCallRecord[] = [{ id: "call1", conversationId: "c1", turnId: "t1", name: "fs_read", arguments: { path: "/a" }, status: "ok", exchange, startedAt: 1 }];
    expect(buildChatRows(messages, records, undefined, {})[0]).toMatchObject({ kind: "tool", card: { exchange } });
  });

  it("puts the statistics under the last text of their turn only", () => {
    const messages = [message("a1", "assistant", "first", { turnId: "t1", toolCalls: [] }), message("a2", "assistant", "second", { turnId: "t1" })];
    const rows = buildChatRows(messages, [], undefined, { t1: stats });
    expect(rows.map((row) => (row.kind === "assistant" ? row.stats : undefined))).toEqual([undefined, stats]);
  });

  it("marks a stopped answer, and a call without a record as cancelled", () => {
    const messages = [message("a1", "assistant", "part", { turnId: "t1", status: "cancelled", toolCalls: [{ id: "x", name: "slow", arguments: {} }] })];
    const rows = buildChatRows(messages, [], undefined, {});
    expect(rows[0]).toMatchObject({ kind: "assistant", stopped: true });
    expect(rows[1]).toMatchObject({ kind: "tool", card: { status: "cancelled", name: "slow" } });
  });

  it("shows a pending turn as the user's text and a placeholder answer", () => {
    const rows = buildChatRows([message("u0", "user", "earlier")], [], pendingTurn("c1", "hello"), {});
    expect(rows.map((row) => row.kind)).toEqual(["user", "user", "assistant"]);
    expect(rows[1]).toMatchObject({ text: "hello" });
    expect(rows[2]).toMatchObject({ text: "", streaming: true });
  });

  it("shows a running turn's items in order, streaming only the last text", () => {
    const turn: TurnState = {
      turnId: "t2",
      conversationId: "c1",
      userText: "go",
      running: true,
      text: "ab",
      items: [{ kind: "text", text: "a" }, { kind: "tool", toolCallId: "k" }, { kind: "text", text: "b" }],
      toolCalls: { k: { toolCallId: "k", turnId: "t2", name: "n", arguments: {}, status: "running", requestedAt: 1 } },
    };
    const rows = buildChatRows([], [], turn, {});
    expect(rows.map((row) => row.kind)).toEqual(["user", "assistant", "tool", "assistant"]);
    expect(rows.map((row) => (row.kind === "assistant" ? row.streaming : null))).toEqual([null, false, null, true]);
  });

  it("leaves out stored messages of the turn on screen, but takes its user text from them", () => {
    const messages = [message("u2", "user", "stored question", { turnId: "t2" }), message("a2", "assistant", "stored partial", { turnId: "t2" })];
    const turn: TurnState = { turnId: "t2", running: true, text: "live", items: [{ kind: "text", text: "live" }], toolCalls: {} };
    const rows = buildChatRows(messages, [], turn, {});
    expect(rows.map((row) => (row.kind === "user" || row.kind === "assistant" ? row.text : row.kind))).toEqual(["stored question", "live"]);
  });

  it("gives a finished turn its statistics and error", () => {
    const turn: TurnState = { turnId: "t3", running: false, text: "", items: [], toolCalls: {}, finalText: "answer", stats: { ...stats, stopReason: "aborted" }, error: { code: "boom", message: "it broke" } };
    const rows = buildChatRows([], [], turn, {});
    expect(rows[0]).toMatchObject({ kind: "assistant", text: "answer", stopped: true, stats: { stopReason: "aborted" } });
    expect(rows[1]).toEqual({ kind: "error", key: "t3:error", code: "boom", message: "it broke" });
  });
});
