import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../runner.js";
import { fromOpenAiMessages, toOpenAiMessages, type OpenAiMessage } from "./messages.js";

const hearth: ChatMessage[] = [
  { role: "system", content: "Be brief." },
  { role: "user", content: "Weather in Paris and Rome?" },
  {
    role: "assistant",
    content: "Checking.",
    toolCalls: [
      { id: "call_1", name: "get_weather", arguments: { city: "Paris" } },
      { id: "call_2", name: "get_weather", arguments: { city: "Rome", days: [1, 2] } },
    ],
  },
  { role: "tool", toolCallId: "call_1", name: "get_weather", content: "Sunny" },
  { role: "tool", toolCallId: "call_2", name: "get_weather", content: "Rate limited", isError: true },
  { role: "assistant", content: "Sunny in Paris; Rome unknown." },
];

const openAi: OpenAiMessage[] = [
  { role: "system", content: "Be brief." },
  { role: "user", content: "Weather in Paris and Rome?" },
  {
    role: "assistant",
    content: "Checking.",
    tool_calls: [
      { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
      { id: "call_2", type: "function", function: { name: "get_weather", arguments: '{"city":"Rome","days":[1,2]}' } },
    ],
  },
  { role: "tool", tool_call_id: "call_1", content: "Sunny" },
  { role: "tool", tool_call_id: "call_2", content: "Error: Rate limited" },
  { role: "assistant", content: "Sunny in Paris; Rome unknown." },
];

describe("toOpenAiMessages", () => {
  it("maps every role; calls get JSON-string arguments, error results an Error: prefix", () => {
    expect(toOpenAiMessages(hearth)).toEqual(openAi);
  });
});

describe("fromOpenAiMessages", () => {
  it("maps back, tool names taken from the calls answered (isError cannot come back)", () => {
    const back = fromOpenAiMessages(openAi);
    expect(back.slice(0, 4)).toEqual(hearth.slice(0, 4));
    expect(back[4]).toEqual({ role: "tool", toolCallId: "call_2", name: "get_weather", content: "Error: Rate limited" });
  });

  it("takes developer messages, null content and text parts", () => {
    expect(
      fromOpenAiMessages([
        { role: "developer", content: [{ type: "text", text: "Be " }, { type: "text", text: "brief." }] },
        { role: "assistant", content: null, tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "" } }] },
        { role: "tool", tool_call_id: "c", name: "f", content: "ok" },
      ]),
    ).toEqual([
      { role: "system", content: "Be brief." },
      { role: "assistant", content: "", toolCalls: [{ id: "c", name: "f", arguments: {} }] },
      { role: "tool", toolCallId: "c", name: "f", content: "ok" },
    ]);
  });

  it("throws invalid_messages for images, bad arguments and results of no call", () => {
    const cases: OpenAiMessage[][] = [
      [{ role: "user", content: [{ type: "image_url" }] }],
      [{ role: "assistant", content: null, tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "[1]" } }] }],
      [{ role: "tool", tool_call_id: "nobody", content: "x" }],
    ];
    for (const messages of cases) expect(() => fromOpenAiMessages(messages)).toThrow(expect.objectContaining({ code: "invalid_messages" }));
  });
});
