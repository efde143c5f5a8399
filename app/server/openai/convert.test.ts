/**
 * From checked requests to the runner's types: a realistic multi-turn history with tool
 * calls, the history a client builds from this server's own answers, and each rule of the
 * sampling, tool choice and client tools.
 */
import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../../../models/runner.js";
import { OpenAiHttpError } from "./errors.js";
import { clientTools, toChatMessages, toSampling, toToolChoice } from "./convert.js";
import { completionResponse } from "./responses.js";
import { parseChatCompletionRequest } from "./schema.js";

const parse = (fields: object) => parseChatCompletionRequest({ model: "qwen3-8b", messages: [{ role: "user", content: "Hi" }], ...fields });

function refused(action: () => unknown): OpenAiHttpError {
  try {
    action();
  } catch (error) {
    if (error instanceof OpenAiHttpError) return error;
    throw error;
  }
  throw new Error("no error was thrown");
}

/** What an agent built on the `openai` package sends on its third round. */
const history = [
  { role: "system", content: "You are a helpful assistant." },
  { role: "developer", content: [{ type: "text", text: "Prefer metric units." }, { type: "text", text: "Cite tools." }] },
  { role: "user", content: "What's the weather in Paris and in Oslo, and what file holds my notes?" },
  {
    role: "assistant",
    content: null,
    tool_calls: [
      { id: "call_paris", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris","units":{"temp":"C"}}' } },
      { id: "call_oslo", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } },
    ],
  },
  { role: "tool", tool_call_id: "call_oslo", content: "Oslo: 3°C, snow" },
  { role: "tool", tool_call_id: "call_paris", content: [{ type: "text", text: "Paris: 14°C" }, { type: "text", text: "light rain" }] },
  { role: "assistant", content: "Paris is 14°C with light rain; Oslo is 3°C with snow. Let me look for your notes.", tool_calls: [{ id: "call_ls", type: "function", function: { name: "list_files", arguments: "" } }] },
  { role: "tool", tool_call_id: "call_ls", content: "notes.md\ntodo.txt" },
  { role: "assistant", content: [{ type: "text", text: "Your notes are in notes.md." }] },
  { role: "user", content: [{ type: "text", text: "Thanks!" }] },
];

describe("toChatMessages", () => {
  it("converts a realistic multi-turn history with tool calls", () => {
    const expected: ChatMessage[] = [
      { role: "system", content: "You are a helpful assistant." },
      { role: "system", content: "Prefer metric units.\nCite tools." },
      { role: "user", content: "What's the weather in Paris and in Oslo, and what file holds my notes?" },
      {
        role: "assistant",
        content: "",
        toolCalls: [
          { id: "call_paris", name: "get_weather", arguments: { city: "Paris", units: { temp: "C" } } },
          { id: "call_oslo", name: "get_weather", arguments: { city: "Oslo" } },
        ],
      },
      { role: "tool", toolCallId: "call_oslo", name: "get_weather", content: "Oslo: 3°C, snow" },
      { role: "tool", toolCallId: "call_paris", name: "get_weather", content: "Paris: 14°C\nlight rain" },
      {
        role: "assistant",
        content: "Paris is 14°C with light rain; Oslo is 3°C with snow. Let me look for your notes.",
        toolCalls: [{ id: "call_ls", name: "list_files", arguments: {} }],
      },
      { role: "tool", toolCallId: "call_ls", name: "list_files", content: "notes.md\ntodo.txt" },
      { role: "assistant", content: "Your notes are in notes.md." },
      { role: "user", content: "Thanks!" },
    ];
    expect(toChatMessages(parseChatCompletionRequest({ model: "m", messages: history }))).toStrictEqual(expected);
  });

  it("reads back the history a client builds from this server's own answer", () => {
    const answer = completionResponse({
      id: "chatcmpl-1",
      model: "m",
      created: 1,
      content: "",
      toolCalls: [
        { id: "call_a", name: "fs__read_file", arguments: { path: "/tmp/a b.txt", lines: [1, 2], options: { raw: true } }, serverId: "fs", status: "ok", resultText: "text" },
        { id: "call_b", name: "render_chart", arguments: { series: [{ x: 1, y: "é\n\"" }] } },
      ],
      finishReason: "tool_calls",
      usage: { promptTokens: 1, completionTokens: 1 },
    });
    // The client keeps the message as it came (mcp_tool_results included) and answers its own call.
    const messages = [
      { role: "user", content: "Chart the file" },
      JSON.parse(JSON.stringify(answer.choices[0].message)) as object,
      { role: "tool", tool_call_id: "call_b", content: "chart.png written" },
    ];
    expect(toChatMessages(parseChatCompletionRequest({ model: "m", messages }))).toStrictEqual([
      { role: "user", content: "Chart the file" },
      {
        role: "assistant",
        content: "",
        toolCalls: [
          { id: "call_a", name: "fs__read_file", arguments: { path: "/tmp/a b.txt", lines: [1, 2], options: { raw: true } } },
          { id: "call_b", name: "render_chart", arguments: { series: [{ x: 1, y: "é\n\"" }] } },
        ],
      },
      { role: "tool", toolCallId: "call_b", name: "render_chart", content: "chart.png written" },
    ]);
  });

  it("keeps an assistant message without calls free of toolCalls", () => {
    const messages = [{ role: "user", content: "a" }, { role: "assistant", tool_calls: [] }, { role: "assistant", content: null }];
    expect(toChatMessages(parseChatCompletionRequest({ model: "m", messages }))).toStrictEqual([
      { role: "user", content: "a" },
      { role: "assistant", content: "" },
      { role: "assistant", content: "" },
    ]);
  });

  it.each([
    ["not JSON", "{city: Paris}"],
    ["an array", "[1, 2]"],
    ["a string", '"Paris"'],
    ["null", "null"],
    ["a number", "3"],
  ])("refuses arguments that are %s, naming the call", (_kind, text) => {
    const messages = [
      { role: "user", content: "a" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "c1", type: "function", function: { name: "f", arguments: "{}" } },
          { id: "c2", type: "function", function: { name: "g", arguments: text } },
        ],
      },
    ];
    const error = refused(() => toChatMessages(parseChatCompletionRequest({ model: "m", messages })));
    expect(error.status).toBe(400);
    expect(error.param).toBe("messages[1].tool_calls[1].function.arguments");
    expect(error.message).toContain("messages[1].tool_calls[1].function.arguments");
  });

  it("refuses a tool message whose id no earlier call has", () => {
    const messages = [
      { role: "user", content: "a" },
      { role: "tool", tool_call_id: "call_later", content: "early" },
      { role: "assistant", content: null, tool_calls: [{ id: "call_later", type: "function", function: { name: "f", arguments: "{}" } }] },
    ];
    const error = refused(() => toChatMessages(parseChatCompletionRequest({ model: "m", messages })));
    expect(error.status).toBe(400);
    expect(error.param).toBe("messages[1].tool_call_id");
    expect(error.message).toContain("call_later");
  });
});

describe("toSampling", () => {
  it("is empty when the request sets nothing", () => {
    expect(toSampling(parse({}))).toStrictEqual({});
  });

  it("maps every field", () => {
    expect(toSampling(parse({ temperature: 0.2, top_p: 0.9, max_tokens: 100, stop: ["\n\n", "END"], seed: 42 }))).toStrictEqual({
      temperature: 0.2,
      topP: 0.9,
      maxTokens: 100,
      stop: ["\n\n", "END"],
      seed: 42,
    });
  });

  it("prefers max_completion_tokens over max_tokens", () => {
    expect(toSampling(parse({ max_tokens: 100, max_completion_tokens: 50 })).maxTokens).toBe(50);
    expect(toSampling(parse({ max_completion_tokens: 70 })).maxTokens).toBe(70);
  });

  it("makes a single stop string an array", () => {
    expect(toSampling(parse({ stop: "END" })).stop).toStrictEqual(["END"]);
    expect(toSampling(parse({ stop: [] })).stop).toStrictEqual([]);
  });

  it("keeps a temperature of 0 (greedy)", () => {
    expect(toSampling(parse({ temperature: 0 }))).toStrictEqual({ temperature: 0 });
  });
});

describe("toToolChoice", () => {
  it("maps each form", () => {
    expect(toToolChoice(parse({}))).toBeUndefined();
    expect(toToolChoice(parse({ tool_choice: "auto" }))).toBe("auto");
    expect(toToolChoice(parse({ tool_choice: "none" }))).toBe("none");
    expect(toToolChoice(parse({ tool_choice: "required" }))).toBe("required");
    expect(toToolChoice(parse({ tool_choice: { type: "function", function: { name: "fs__read_file" } } }))).toStrictEqual({ name: "fs__read_file" });
  });
});

describe("clientTools", () => {
  it("is empty without tools", () => {
    expect(clientTools(parse({}))).toStrictEqual([]);
  });

  it("keeps name, description and parameters, defaulting parameters to an empty object schema", () => {
    const parameters = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };
    const request = parse({
      tools: [
        { type: "function", function: { name: "get_weather", description: "Current weather", parameters } },
        { type: "function", function: { name: "now" } },
      ],
    });
    expect(clientTools(request)).toStrictEqual([
      { name: "get_weather", description: "Current weather", parameters },
      { name: "now", parameters: { type: "object", properties: {} } },
    ]);
  });
});
