import { describe, expect, it } from "vitest";
import type { TurnEvent, TurnEventOf, TurnEventType } from "../../../app/contract/chat.js";
import { cardFromRecord, pendingTurn, reduceTurn, type TurnState } from "./turn-reducer.js";

let sequence = 0;
type EventBody<Type extends TurnEventType> = Omit<TurnEventOf<Type>, "id" | "turnId" | "conversationId" | "at" | "type">;

/** A stamped event of turn `t1` in conversation `c1`. */
function event<Type extends TurnEventType>(type: Type, body: EventBody<Type>, turnId = "t1"): TurnEvent {
  sequence += 1;
  return { id: `${turnId}:${sequence}`, turnId, conversationId: "c1", at: 1_000 + sequence, type, ...body } as unknown as TurnEvent;
}

function run(events: TurnEvent[], start?: TurnState): TurnState {
  return events.reduce<TurnState | undefined>((state, next) => reduceTurn(state, next), start)!;
}

const finished = (stopReason: "stop" | "aborted" = "stop", text = "") =>
  event("turnFinished", {
    stopReason,
    text,
    usage: { promptTokens: 10, completionTokens: 20, evaluatedPromptTokens: 10 },
    timings: { totalMs: 900, timeToFirstTokenMs: 120, tokensPerSecond: 42.5, toolMs: 0 },
  });

describe("reduceTurn", () => {
  it("streams text into one item per round, and keeps the whole text", () => {
    const turn = run([event("turnStarted", { model: "local: m.gguf", tools: [] }), event("textDelta", { text: "Hel" }), event("textDelta", { text: "lo" })]);
    expect(turn).toMatchObject({ turnId: "t1", conversationId: "c1", model: "local: m.gguf", running: true, text: "Hello" });
    expect(turn.items).toEqual([{ kind: "text", text: "Hello" }]);
  });

  it("adopts the turn id of the first event into the pending turn, keeping the user's text", () => {
    const turn = run([event("turnStarted", { model: "m", tools: [] })], pendingTurn("c1", "hi"));
    expect(turn).toMatchObject({ turnId: "t1", userText: "hi", running: true });
  });

  it("starts afresh for an event of another turn", () => {
    const first = run([event("textDelta", { text: "old" })]);
    const second = reduceTurn(first, event("textDelta", { text: "new" }, "t2"));
    expect(second).toMatchObject({ turnId: "t2", text: "new" });
  });

  it("follows a tool call from request to result: queued, running, progress, done", () => {
    const base = [
      event("textDelta", { text: "Let me look." }),
      event("toolCallRequested", { toolCallId: "call1", name: "fs_read", serverId: "fs", toolName: "read", arguments: { path: "/a" } }),
    ];
    let turn = run(base);
    expect(turn.items).toEqual([{ kind: "text", text: "Let me look." }, { kind: "tool", toolCallId: "call1" }]);
    expect(turn.toolCalls.call1).toMatchObject({ status: "queued", name: "fs_read", serverId: "fs", toolName: "read", arguments: { path: "/a" } });

    turn = run([event("toolCallStarted", { toolCallId: "call1", queuedMs: 15 }), event("toolCallProgress", { toolCallId: "call1", progress: 3, total: 10, message: "reading" })], turn);
    expect(turn.toolCalls.call1).toMatchObject({ status: "running", queuedMs: 15, progress: { progress: 3, total: 10, message: "reading" } });

    const result = { content: [{ type: "text" as const, text: "contents" }], isError: false };
    turn = run([event("toolCallFinished", { toolCallId: "call1", status: "ok", result, durationMs: 80, truncatedChars: 0 }), event("textDelta", { text: "It says contents." })], turn);
    expect(turn.toolCalls.call1).toMatchObject({ status: "done", durationMs: 80, result });
    expect(turn.items.map((item) => item.kind)).toEqual(["text", "tool", "text"]);
  });

  it("puts the call's raw JSON-RPC exchange on its card when it finishes", () => {
    const exchange = [
      { direction: "sent" as const, at: 2_000, message: { jsonrpc: "2.0", id: 4, method: "tools/call", params: { name: "get_weather", arguments: { city: "Paris" } } } },
      { direction: "received" as const, at: 2_030, message: { jsonrpc: "2.0", id: 4, result: { content: [{ type: "text", text: "sunny" }] } } },
    ];
    const running = run([event("toolCallRequested", { toolCallId: "w1", name: "weather_get_weather", arguments: { city: "Paris" } }), event("toolCallStarted", { toolCallId: "w1", queuedMs: 0 })]);
    expect(running.toolCalls.w1?.exchange).toBeUndefined();
    const done = reduceTurn(running, event("toolCallFinished", { toolCallId: "w1", status: "ok", result: { content: [{ type: "text", text: "sunny" }], isError: false }, exchange, durationMs: 30, truncatedChars: 0 }));
    expect(done.toolCalls.w1).toMatchObject({ status: "done", exchange });
    // A call that never reached its server (denied) has no exchange to show.
    const denied = run([event("toolCallRequested", { toolCallId: "d1", name: "x", arguments: {} }), event("toolCallFinished", { toolCallId: "d1", status: "denied", error: "no", durationMs: 0, truncatedChars: 0 })]);
    expect(denied.toolCalls.d1).not.toHaveProperty("exchange");
  });

  it("shows an approval question, then the answer: allowed calls queue, denied ones end", () => {
    const asked = run([
      event("toolCallRequested", { toolCallId: "a", name: "fs_write", arguments: {} }),
      event("approvalRequested", { toolCallId: "a", name: "fs_write", serverId: "fs", toolName: "write", arguments: {}, policy: "ask", destructive: true }),
    ]);
    expect(asked.toolCalls.a).toMatchObject({ status: "waiting-for-approval", approval: { policy: "ask", destructive: true }, serverId: "fs" });

    const allowed = reduceTurn(asked, event("approvalAnswered", { toolCallId: "a", answer: "allowForConversation", by: "user" }));
    expect(allowed.toolCalls.a).toMatchObject({ status: "queued", answered: { answer: "allowForConversation", by: "user" } });
    expect(allowed.toolCalls.a?.approval).toBeUndefined();

    const denied = run([event("approvalAnswered", { toolCallId: "a", answer: "deny", by: "user" }), event("toolCallFinished", { toolCallId: "a", status: "denied", error: "denied by the user", durationMs: 0, truncatedChars: 0 })], asked);
    expect(denied.toolCalls.a).toMatchObject({ status: "denied", error: "denied by the user" });
  });

  it("makes a card for an approval question that came without a request", () => {
    const turn = run([event("approvalRequested", { toolCallId: "b", name: "x_y", serverId: "x", toolName: "y", arguments: { n: 1 }, policy: "once" })]);
    expect(turn.items).toEqual([{ kind: "tool", toolCallId: "b" }]);
    expect(turn.toolCalls.b).toMatchObject({ status: "waiting-for-approval", arguments: { n: 1 } });
  });

  it("marks failed, timed-out and isError calls as errors", () => {
    const turn = run([
      event("toolCallRequested", { toolCallId: "e1", name: "a", arguments: {} }),
      event("toolCallRequested", { toolCallId: "e2", name: "b", arguments: {} }),
      event("toolCallRequested", { toolCallId: "e3", name: "c", arguments: {} }),
      event("toolCallFinished", { toolCallId: "e1", status: "timeout", error: "timed out", durationMs: 5, truncatedChars: 0 }),
      event("toolCallFinished", { toolCallId: "e2", status: "error", error: "server gone", durationMs: 5, truncatedChars: 0 }),
      event("toolCallFinished", { toolCallId: "e3", status: "ok", result: { content: [], isError: true }, durationMs: 5, truncatedChars: 0 }),
    ]);
    expect(Object.values(turn.toolCalls).map((card) => card.status)).toEqual(["error", "error", "error"]);
  });

  it("ends the turn with its statistics and cancels the calls still open", () => {
    const turn = run([event("textDelta", { text: "partial" }), event("toolCallRequested", { toolCallId: "w", name: "slow", arguments: {} }), event("approvalRequested", { toolCallId: "w", name: "slow", serverId: "s", toolName: "slow", arguments: {}, policy: "ask" }), finished("aborted", "partial")]);
    expect(turn).toMatchObject({ running: false, finalText: "partial", text: "partial", stats: { stopReason: "aborted", tokensPerSecond: 42.5, timeToFirstTokenMs: 120, totalMs: 900, completionTokens: 20 } });
    expect(turn.toolCalls.w?.status).toBe("cancelled");
    expect(turn.toolCalls.w?.approval).toBeUndefined();
  });

  it("keeps an error of the turn", () => {
    const turn = run([event("error", { code: "context_overflow", message: "too long" })]);
    expect(turn.error).toEqual({ code: "context_overflow", message: "too long" });
  });

  it("ignores events for cards it does not know", () => {
    const turn = run([event("textDelta", { text: "x" })]);
    expect(reduceTurn(turn, event("toolCallStarted", { toolCallId: "nope", queuedMs: 1 })).toolCalls).toEqual({});
  });
});

describe("cardFromRecord", () => {
  it("shows a stored call as a card", () => {
    const card = cardFromRecord({ id: "r1", conversationId: "c1", turnId: "t0", name: "fs_read", serverId: "fs", toolName: "read", arguments: { p: 1 }, status: "ok", result: { content: [], isError: false }, queuedMs: 2, durationMs: 30, startedAt: 5 });
    expect(card).toMatchObject({ toolCallId: "r1", status: "done", queuedMs: 2, durationMs: 30, requestedAt: 5, serverId: "fs" });
  });

  it("keeps a stored call's raw JSON-RPC exchange, so a reopened conversation shows it", () => {
    const exchange = [
      { direction: "sent" as const, at: 10, message: { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "read", arguments: { p: 1 } } } },
      { direction: "received" as const, at: 12, message: { jsonrpc: "2.0", id: 1, result: { content: [] } } },
    ];
    const card = cardFromRecord({ id: "r3", conversationId: "c1", turnId: "t0", name: "fs_read", arguments: { p: 1 }, status: "ok", result: { content: [], isError: false }, exchange, startedAt: 5 });
    expect(card.exchange).toEqual(exchange);
    expect(cardFromRecord({ id: "r4", conversationId: "c1", turnId: "t0", name: "x", arguments: {}, status: "denied", startedAt: 1 })).not.toHaveProperty("exchange");
  });

  it("shows a call that never finished as cancelled", () => {
    expect(cardFromRecord({ id: "r2", conversationId: "c1", turnId: "t0", name: "x", arguments: {}, startedAt: 1 }).status).toBe("cancelled");
  });
});
