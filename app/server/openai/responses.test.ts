/**
 * The shapes of the answers: ids, finish reasons, usage, the `chat.completion` object and
 * each kind of `chat.completion.chunk`, and the server-sent event framing.
 */
import { describe, expect, it } from "vitest";
import {
  CompletionChunks,
  completionResponse,
  finishReasonOf,
  newCompletionId,
  type ReportedToolCall,
  sse,
  SSE_DONE,
  toUsage,
} from "./responses.js";

const ranCall: ReportedToolCall = {
  id: "call_1",
  name: "fs__read_file",
  arguments: { path: "notes.md" },
  serverId: "fs",
  status: "ok",
  resultText: "# Notes",
};
const clientCall: ReportedToolCall = { id: "call_2", name: "render_chart", arguments: { values: [1, 2] } };

describe("newCompletionId", () => {
  it("is chatcmpl- and 24 hex digits, new each time", () => {
    const ids = new Set(Array.from({ length: 50 }, () => newCompletionId()));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^chatcmpl-[0-9a-f]{24}$/);
  });
});

describe("finishReasonOf", () => {
  it.each([
    ["stop", false, "stop"],
    ["stopString", false, "stop"],
    ["maxTokens", false, "length"],
    ["aborted", false, "stop"],
    ["functionRoundLimit", false, "stop"],
    ["error", false, "stop"],
    ["stop", true, "tool_calls"],
    ["maxTokens", true, "tool_calls"],
  ] as const)("%s with client calls %s is %s", (stopReason, returned, expected) => {
    expect(finishReasonOf(stopReason, returned)).toBe(expected);
  });
});

describe("toUsage", () => {
  it("adds the total", () => {
    expect(toUsage({ promptTokens: 120, completionTokens: 30 })).toStrictEqual({ prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 });
  });
});

describe("completionResponse", () => {
  const base = { id: "chatcmpl-abc", model: "qwen3-8b", created: 1_700_000_000, usage: { promptTokens: 10, completionTokens: 5 } };

  it("is OpenAI's chat.completion object for a plain answer", () => {
    expect(completionResponse({ ...base, content: "Hello!", toolCalls: [], finishReason: "stop" })).toStrictEqual({
      id: "chatcmpl-abc",
      object: "chat.completion",
      created: 1_700_000_000,
      model: "qwen3-8b",
      system_fingerprint: null,
      choices: [{ index: 0, message: { role: "assistant", content: "Hello!" }, logprobs: null, finish_reason: "stop" }],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    });
  });

  it("lists every call in tool_calls and the calls that ran in mcp_tool_results", () => {
    const response = completionResponse({ ...base, content: "Here is the chart.", toolCalls: [ranCall, clientCall], finishReason: "tool_calls" });
    expect(response.choices[0]).toStrictEqual({
      index: 0,
      logprobs: null,
      finish_reason: "tool_calls",
      message: {
        role: "assistant",
        content: "Here is the chart.",
        tool_calls: [
          { id: "call_1", type: "function", function: { name: "fs__read_file", arguments: '{"path":"notes.md"}' } },
          { id: "call_2", type: "function", function: { name: "render_chart", arguments: '{"values":[1,2]}' } },
        ],
        mcp_tool_results: [{ tool_call_id: "call_1", server: "fs", status: "ok", content: "# Notes" }],
      },
    });
  });

  it("omits mcp_tool_results when no call ran, and gives null content when there is no text", () => {
    const message = completionResponse({ ...base, content: "", toolCalls: [clientCall], finishReason: "tool_calls" }).choices[0].message;
    expect(message).toStrictEqual({
      role: "assistant",
      content: null,
      tool_calls: [{ id: "call_2", type: "function", function: { name: "render_chart", arguments: '{"values":[1,2]}' } }],
    });
  });

  it("takes usage in OpenAI's shape as well as Hearth's", () => {
    const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
    expect(completionResponse({ ...base, usage, content: "x", toolCalls: [], finishReason: "stop" }).usage).toStrictEqual(usage);
    expect(new CompletionChunks("a", "m", 1).usage(usage).usage).toStrictEqual(usage);
  });

  it("reports a denied call with its status and an empty result", () => {
    const denied: ReportedToolCall = { id: "call_3", name: "fs__delete", arguments: {}, serverId: "fs", status: "denied" };
    const message = completionResponse({ ...base, content: "I was not allowed.", toolCalls: [denied], finishReason: "stop" }).choices[0].message;
    expect(message.mcp_tool_results).toStrictEqual([{ tool_call_id: "call_3", server: "fs", status: "denied", content: "" }]);
  });
});

describe("CompletionChunks", () => {
  const head = { id: "chatcmpl-abc", object: "chat.completion.chunk", created: 1_700_000_000, model: "qwen3-8b", system_fingerprint: null };
  const choice = (delta: object, finishReason: string | null = null) => [{ index: 0, delta, logprobs: null, finish_reason: finishReason }];

  it("makes each kind of chunk", () => {
    const chunks = new CompletionChunks("chatcmpl-abc", "qwen3-8b", 1_700_000_000);
    expect(chunks.start()).toStrictEqual({ ...head, choices: choice({ role: "assistant", content: "" }) });
    expect(chunks.text("Hel")).toStrictEqual({ ...head, choices: choice({ content: "Hel" }) });
    expect(chunks.toolCall(ranCall)).toStrictEqual({
      ...head,
      choices: choice({ tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "fs__read_file", arguments: '{"path":"notes.md"}' } }] }),
    });
    expect(chunks.toolResult(ranCall)).toStrictEqual({
      ...head,
      choices: choice({}),
      mcp_tool_result: { tool_call_id: "call_1", server: "fs", status: "ok", content: "# Notes" },
    });
    expect(chunks.finish("tool_calls")).toStrictEqual({ ...head, choices: choice({}, "tool_calls") });
    expect(chunks.usage({ promptTokens: 3, completionTokens: 4 })).toStrictEqual({
      ...head,
      choices: [],
      usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
    });
  });

  it("counts tool call indexes 0, 1, 2… per completion", () => {
    const first = new CompletionChunks("a", "m", 1);
    const indexes = [ranCall, clientCall, ranCall].map((call) => first.toolCall(call).choices[0]?.delta.tool_calls?.[0]?.index);
    expect(indexes).toStrictEqual([0, 1, 2]);
    const second = new CompletionChunks("b", "m", 1);
    expect(second.toolCall(clientCall).choices[0]?.delta.tool_calls?.[0]?.index).toBe(0);
  });
});

describe("sse", () => {
  it("frames one event as data: <json> and a blank line", () => {
    expect(sse({ a: 1 })).toBe('data: {"a":1}\n\n');
    expect(SSE_DONE).toBe("data: [DONE]\n\n");
  });

  it("keeps newlines in the text inside the one data line", () => {
    const event = sse({ text: "line one\nline two\r\n" });
    expect(event.slice(0, -2)).not.toMatch(/[\r\n]/);
    expect(JSON.parse(event.slice("data: ".length))).toStrictEqual({ text: "line one\nline two\r\n" });
  });
});
