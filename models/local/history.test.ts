// Hearth's history as node-llama-cpp's (no model needed).
import { ChatMLChatWrapper, type ChatHistoryItem, type LlamaTextJSON } from "node-llama-cpp";
import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../runner.js";
import { CallMemory, MISSING_RESULT, appendToModelResponse, continuedContextWindow, toChatHistory } from "./history.js";

const weatherCall = { id: "call_1", name: "get_weather", arguments: { city: "Paris" } };
const conversation: ChatMessage[] = [
  { role: "user", content: "Weather in Paris?" },
  { role: "assistant", content: "Let me look.", toolCalls: [weatherCall, { id: "call_2", name: "get_time", arguments: {} }] },
  { role: "tool", toolCallId: "call_2", name: "get_time", content: "noon" },
  { role: "tool", toolCallId: "call_1", name: "get_weather", content: "no such city", isError: true },
  { role: "assistant", content: "It's sunny in Paris." },
  { role: "user", content: "Thanks" },
];

describe("toChatHistory", () => {
  it("joins an assistant message, its calls' results and the answer into one model response", () => {
    expect(toChatHistory(conversation)).toEqual([
      { type: "user", text: "Weather in Paris?" },
      {
        type: "model",
        response: [
          "Let me look.",
          { type: "functionCall", name: "get_weather", params: { city: "Paris" }, result: "Error: no such city" },
          { type: "functionCall", name: "get_time", params: {}, result: "noon" },
          "It's sunny in Paris.",
        ],
      },
      { type: "user", text: "Thanks" },
    ]);
  });

  it("renders like the ChatML wrapper renders what LlamaChat generated", () => {
    const text = new ChatMLChatWrapper().generateContextState({ chatHistory: toChatHistory(conversation.slice(0, 5)) }).contextText.toString();
    expect(text).toContain('<|im_start|>assistant\nLet me look.||call: get_weather({"city": "Paris"})\n||result: "Error: no such city"\n');
    expect(text).toContain('||result: "noon"\nIt\'s sunny in Paris.');
  });

  it("prepends the system prompt unless the history starts with a system message", () => {
    expect(toChatHistory([{ role: "user", content: "hi" }], { systemPrompt: "Be brief." })).toEqual([
      { type: "system", text: "Be brief." },
      { type: "user", text: "hi" },
    ]);
    expect(toChatHistory([{ role: "system", content: "Mine" }, { role: "user", content: "hi" }], { systemPrompt: "Be brief." })).toEqual([
      { type: "system", text: "Mine" },
      { type: "user", text: "hi" },
    ]);
  });

  it("renders a remembered call as the model wrote it, with its descriptions and chunk marks", () => {
    const calls = new CallMemory();
    const rawCall: LlamaTextJSON = ["||call: get_weather", { type: "specialTokensText", value: "(" }, '{"city": "Paris", "unit": null}', { type: "specialTokensText", value: ")" }];
    calls.remember("call_1", { params: { city: "Paris", unit: null }, rawCall });
    const history = toChatHistory(conversation.slice(0, 4), { calls, parallelCalls: true, functionDescriptions: new Map([["get_weather", "Weather"]]) });
    expect((history[1] as { response: unknown[] }).response.slice(1)).toEqual([
      { type: "functionCall", name: "get_weather", description: "Weather", params: { city: "Paris", unit: null }, result: "Error: no such city", rawCall, startsNewChunk: true },
      { type: "functionCall", name: "get_time", params: {}, result: "noon" },
    ]);
  });

  it("gives a call without a tool message a result that says so, and a lone tool message a call", () => {
    const history = toChatHistory([
      { role: "user", content: "go" },
      { role: "assistant", content: "", toolCalls: [weatherCall] },
      { role: "user", content: "stop" },
      { role: "tool", toolCallId: "call_9", name: "get_time", content: "noon" },
    ]);
    expect(history).toEqual([
      { type: "user", text: "go" },
      { type: "model", response: [{ type: "functionCall", name: "get_weather", params: { city: "Paris" }, result: MISSING_RESULT }] },
      { type: "user", text: "stop" },
      { type: "model", response: [{ type: "functionCall", name: "get_time", params: {}, result: "noon" }] },
    ]);
  });
});

describe("CallMemory", () => {
  it("forgets the oldest calls past its capacity", () => {
    const memory = new CallMemory(2);
    for (const id of ["a", "b", "c"]) memory.remember(id, { params: { id }, rawCall: [id] });
    expect(memory.recall("a")).toBeUndefined();
    expect(memory.recall("c")).toEqual({ params: { id: "c" }, rawCall: ["c"] });
  });
});

describe("continuedContextWindow", () => {
  const user = (text: string): ChatHistoryItem => ({ type: "user", text });
  const model = (...response: string[]): ChatHistoryItem => ({ type: "model", response });
  const last = { history: [user("a"), model("b"), user("c"), model("d")], contextWindow: [user("c"), model("d")], contextShiftMetadata: { removed: 2 } };

  it("continues the last context window when the history extends the last history", () => {
    expect(continuedContextWindow(last, [...last.history, user("e"), model()])).toEqual([user("c"), model("d"), user("e"), model()]);
  });

  it("gives up when the history differs or is shorter", () => {
    expect(continuedContextWindow(last, [user("a"), model("B"), user("c"), model("d"), user("e")])).toBeUndefined();
    expect(continuedContextWindow(last, [user("a")])).toBeUndefined();
    expect(continuedContextWindow(undefined, [user("a")])).toBeUndefined();
  });
});

describe("appendToModelResponse", () => {
  it("adds to the last model response, or starts one", () => {
    const history: ChatHistoryItem[] = [{ type: "user", text: "a" }];
    const started = appendToModelResponse(history, []);
    expect(started).toEqual([{ type: "user", text: "a" }, { type: "model", response: [] }]);
    expect(appendToModelResponse(started, ["x"])).toEqual([{ type: "user", text: "a" }, { type: "model", response: ["x"] }]);
    expect(started[1]).toEqual({ type: "model", response: [] });
  });
});
