// The agent loop end to end: the scripted model (real llama.cpp), the weather MCP server
// over stdio and over HTTP (real MCP), Chats and a ChatStore on a real SQLite file.
import { existsSync, readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TurnEvent, TurnEventOf } from "../../app/contract/chat.js";
import { ChatWorld, SUNNY, ScriptedModel, type Wire } from "./turn-fixture.js";

const model = new ScriptedModel();
let world: ChatWorld | undefined;

beforeAll(() => model.load(), 60_000);
afterEach(async () => {
  await world?.close();
  world = undefined;
  await model.disposeContexts();
});
afterAll(() => model.dispose());

function only<Type extends TurnEvent["type"]>(type: Type): TurnEventOf<Type>[] {
  return world!.events.filter((event): event is TurnEventOf<Type> => event.type === type);
}

describe.each<Wire>(["stdio", "http"])("a turn with the weather server over %s", (wire) => {
  it("calls get_weather through MCP and answers with its result, storing every step", async () => {
    world = await ChatWorld.start(model, wire, { annotations: "readonly" });
    const { conversationId, outcome } = await world.send("What's the weather in Paris?");

    expect(outcome.text).toBe(SUNNY);
    expect(outcome.stopReason).toBe("stop");
    expect(world.eventTypes()).toEqual([
      "turnStarted",
      "toolCallRequested",
      "approvalAnswered",
      "toolCallStarted",
      "toolCallFinished",
      "textDelta",
      "turnFinished",
    ]);
    const [requested] = only("toolCallRequested");
    expect(requested).toMatchObject({ name: "get_weather", serverId: "weather", toolName: "get_weather", arguments: { city: "Paris" }, conversationId });
    // A read-only tool runs without a question.
    expect(only("approvalAnswered")[0]).toMatchObject({ answer: "allow", by: "policy", toolCallId: requested!.toolCallId });
    const [finished] = only("toolCallFinished");
    expect(finished).toMatchObject({
      status: "ok",
      truncatedChars: 0,
      result: { isError: false, content: [{ type: "text", text: "sunny, 24 °C in Paris" }], structuredContent: { city: "Paris", condition: "sunny", temperatureC: 24 } },
    });
    // The inspector's raw view: the request as sent and the answer to the same id.
    const exchange = finished?.type === "toolCallFinished" ? (finished.exchange ?? []) : [];
    expect(exchange[0]).toMatchObject({ direction: "sent", message: { method: "tools/call", params: { name: "get_weather", arguments: { city: "Paris" } } } });
    expect(exchange.at(-1)).toMatchObject({ direction: "received", message: { id: exchange[0]!.message.id, result: { content: [{ type: "text", text: "sunny, 24 °C in Paris" }] } } });
    // Ids are unique and ordered; times never go back.
    const ids = world.events.map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(world.events.every((event, index) => index === 0 || event.at >= world!.events[index - 1]!.at)).toBe(true);
    const turnFinished = only("turnFinished")[0]!;
    expect(turnFinished.usage.completionTokens).toBeGreaterThan(0);
    expect(turnFinished.timings.toolMs).toBeGreaterThan(0);

    // The store holds the turn as the model saw it, and the call for the inspector.
    const stored = world.store.messages(conversationId);
    expect(stored.map((message) => message.role)).toEqual(["user", "assistant", "tool", "assistant"]);
    expect(stored.map(({ role, content, toolCalls, toolCallId, name }) => ({ role, content, toolCalls, toolCallId, name })).slice(1)).toEqual(
      outcome.messages.map((message) => ({
        role: message.role,
        content: message.content,
        toolCalls: message.role === "assistant" ? message.toolCalls : undefined,
        toolCallId: message.role === "tool" ? message.toolCallId : undefined,
        name: message.role === "tool" ? message.name : undefined,
      })),
    );
    const [record] = world.store.toolCalls(conversationId);
    expect(record).toMatchObject({ id: requested!.toolCallId, serverId: "weather", status: "ok", arguments: { city: "Paris" }, result: finished!.result });
    expect(record!.durationMs).toBeGreaterThan(0);
    expect(record!.queuedMs).toBeGreaterThanOrEqual(0);
    expect(world.store.turn(outcome.turnId)).toMatchObject({ status: "finished", stopReason: "stop" });
  }, 60_000);

  it("asks before a tool without annotations; a denial goes back to the model and the server is never called", async () => {
    const calls = join(tmpdir(), `hearth-weather-calls-${randomUUID()}.txt`);
    world = await ChatWorld.start(model, wire, { callsFile: calls }, { ask: async () => "deny" });
    const { conversationId, outcome } = await world.send("Weather?");
    const callsMade = existsSync(calls) ? readFileSync(calls, "utf8") : "";
    rmSync(calls, { force: true });

    expect(world.eventTypes()).toEqual(["turnStarted", "toolCallRequested", "approvalRequested", "approvalAnswered", "toolCallFinished", "textDelta", "turnFinished"]);
    expect(only("approvalRequested")[0]).toMatchObject({ policy: "ask", destructive: false, serverId: "weather", arguments: { city: "Paris" } });
    expect(only("approvalAnswered")[0]).toMatchObject({ answer: "deny", by: "user" });
    expect(only("toolCallFinished")[0]).toMatchObject({ status: "denied" });
    expect(callsMade).toBe("");
    const tool = world.store.messages(conversationId).find((message) => message.role === "tool")!;
    expect(tool).toMatchObject({ isError: true, content: expect.stringContaining("denied") });
    expect(outcome.stopReason).toBe("stop");
  }, 60_000);
});

describe("approvals", () => {
  it("denies by policy when nobody can be asked", async () => {
    world = await ChatWorld.start(model, "stdio");
    await world.send("Weather?");
    expect(world.eventTypes()).not.toContain("approvalRequested");
    expect(only("approvalAnswered")[0]).toMatchObject({ answer: "deny", by: "policy" });
    expect(only("toolCallFinished")[0]).toMatchObject({ status: "denied" });
  }, 60_000);

  it('remembers "always": the rule is stored, and the next turn runs without asking', async () => {
    let asked = 0;
    world = await ChatWorld.start(model, "stdio", { annotations: "destructive" }, { ask: async () => (asked++, "allowAlways") });
    await world.send("Weather?");
    expect(only("approvalRequested")[0]).toMatchObject({ destructive: true });
    expect(world.store.approvalRules()).toEqual([{ serverId: "weather", toolName: "get_weather", policy: "always", createdAt: expect.any(Number) }]);
    world.events.length = 0;
    await world.send("Weather again?");
    expect(asked).toBe(1);
    expect(only("approvalAnswered")[0]).toMatchObject({ answer: "allow", by: "policy" });
    expect(only("toolCallFinished")[0]).toMatchObject({ status: "ok" });
    // Revoked, it asks again.
    world.store.removeApprovalRule("weather", "get_weather");
    world.events.length = 0;
    await world.send("And now?");
    expect(asked).toBe(2);
  }, 90_000);

  it('"for this conversation" asks once per conversation', async () => {
    let asked = 0;
    world = await ChatWorld.start(model, "stdio", {}, { ask: async () => (asked++, "allowForConversation") });
    const { conversationId } = await world.send("Weather?");
    await world.send("Again?", { conversationId });
    expect(asked).toBe(1);
    await world.send("Elsewhere?");
    expect(asked).toBe(2);
  }, 90_000);
});

describe("failures end the turn cleanly", () => {
  it("a call that times out is a result the model reads", async () => {
    world = await ChatWorld.start(model, "stdio", { mode: "hang", annotations: "readonly" }, { toolTimeoutSecs: 1 });
    const { outcome } = await world.send("Weather?");
    expect(only("toolCallFinished")[0]).toMatchObject({ status: "timeout", error: expect.stringContaining("timed out") });
    expect(outcome.stopReason).toBe("stop");
    expect(world.eventTypes().at(-1)).toBe("turnFinished");
  }, 60_000);

  it.each<Wire>(["stdio", "http"])("a server that crashes mid-call (over %s) fails the call at once, not the turn", async (wire) => {
    // tool_timeout_secs 60: the call must fail because the server died, not time out.
    world = await ChatWorld.start(model, wire, { mode: "crash", annotations: "readonly" }, { toolTimeoutSecs: 60 });
    const { conversationId, outcome } = await world.send("Weather?");
    const [finished] = only("toolCallFinished");
    expect(finished).toMatchObject({ status: "error" });
    expect(finished!.error).toMatch(/exit|closed|stopped answering/i);
    expect(finished!.durationMs).toBeLessThan(20_000);
    expect(outcome.stopReason).toBe("stop");
    expect(world.store.toolCalls(conversationId)[0]).toMatchObject({ status: "error" });
  }, 60_000);

  it("a tool-level error is an ok call whose result says isError", async () => {
    world = await ChatWorld.start(model, "http", { mode: "error", annotations: "readonly" });
    const { conversationId } = await world.send("Weather?");
    expect(only("toolCallFinished")[0]).toMatchObject({ status: "ok", result: { isError: true } });
    expect(world.store.messages(conversationId).find((message) => message.role === "tool")).toMatchObject({ isError: true, content: expect.stringContaining("unavailable") });
  }, 60_000);

  it("stop mid-call cancels the call and the turn, keeping what was stored", async () => {
    world = await ChatWorld.start(model, "stdio", { mode: "slow", delayMs: 20_000, annotations: "readonly" });
    const stop = new AbortController();
    const started = performance.now();
    const { conversationId, outcome } = await world.send("Weather?", {
      signal: stop.signal,
      onEvent: (event) => {
        if (event.type === "toolCallProgress") stop.abort();
      },
    });
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(outcome.stopReason).toBe("aborted");
    expect(only("toolCallFinished")[0]).toMatchObject({ status: "cancelled" });
    expect(world.eventTypes().at(-1)).toBe("turnFinished");
    expect(world.store.turn(outcome.turnId)).toMatchObject({ status: "finished", stopReason: "aborted" });
    expect(world.store.messages(conversationId).map((message) => message.role)).toEqual(["user", "assistant", "tool"]);
    expect(world.store.toolCalls(conversationId)[0]).toMatchObject({ status: "cancelled" });
  }, 60_000);
});

describe("tool results", () => {
  it("cuts a result over the budget for the model, with a marker, and keeps it whole for the inspector", async () => {
    world = await ChatWorld.start(model, "stdio", { mode: "huge", size: 200_000, annotations: "readonly" }, { toolResultBudgetChars: 2_000 });
    const { conversationId } = await world.send("Weather?");
    const [finished] = only("toolCallFinished");
    const text = finished!.result!.content.map((item) => (item.type === "text" ? item.text : "")).join("");
    expect(text.length).toBe(200_000);
    expect(finished!.truncatedChars).toBeGreaterThan(198_000);
    const tool = world.store.messages(conversationId).find((message) => message.role === "tool")!;
    expect(tool.content.length).toBeLessThanOrEqual(2_000);
    expect(tool.content).toMatch(/more characters left out/);
    expect(world.store.toolCalls(conversationId)[0]!.result).toEqual(finished!.result);
  }, 60_000);

  it("keeps an image for the UI and gives the text-only model a placeholder", async () => {
    world = await ChatWorld.start(model, "stdio", { mode: "image", annotations: "readonly" });
    const { conversationId } = await world.send("Weather?");
    const [finished] = only("toolCallFinished");
    expect(finished!.result!.content.some((item) => item.type === "image" && item.mimeType === "image/png" && item.data.length > 0)).toBe(true);
    const tool = world.store.messages(conversationId).find((message) => message.role === "tool")!;
    expect(tool.content).toMatch(/\[image: image\/png/);
    // The model reads no base64.
    expect(tool.content).not.toContain("iVBOR");
  }, 60_000);
});

describe("tool selection", () => {
  it("offers no tool when the conversation switches the server off, and the model answers without one", async () => {
    world = await ChatWorld.start(model, "stdio", { annotations: "readonly" });
    const conversationId = world.store.createConversation().id;
    world.chats.select(conversationId, { serverId: "weather", on: false });
    expect(world.chats.tools(conversationId)).toEqual([expect.objectContaining({ name: "get_weather", selected: false, policy: "always" })]);
    const { outcome } = await world.send("Weather?", { conversationId });
    expect(outcome.toolCalls).toEqual([]);
    expect(outcome.text).toBe("The capital of France is Paris.");
    expect(only("turnStarted")[0]).toMatchObject({ tools: [] });
  }, 60_000);

  it("continues a stored conversation evaluating only the new tokens", async () => {
    world = await ChatWorld.start(model, "stdio", { annotations: "readonly" });
    const { conversationId } = await world.send("Weather?");
    const { outcome } = await world.send("And tomorrow?", { conversationId });
    expect(outcome.text).toBe(SUNNY);
    expect(outcome.usage.evaluatedPromptTokens).toBeLessThan(outcome.usage.promptTokens / 5);
  }, 60_000);
});
