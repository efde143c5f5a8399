/**
 * Streamed and non-streamed answers agree as a client sees them: the chunks, framed as
 * server-sent events and accumulated by the official `openai` package's stream helper, end
 * in the message that `completionResponse` gives for the same turn. The SSE text goes
 * through the client's own SSE decoder (`Stream.fromSSEResponse`, split at awkward
 * places), then `ChatCompletionStream.fromReadableStream` and `finalChatCompletion()`; and
 * again through a whole `OpenAI` client whose `fetch` answers with it.
 */
import OpenAI from "openai";
import { Stream } from "openai/core/streaming";
import { ChatCompletionStream } from "openai/lib/ChatCompletionStream";
import type { ChatCompletionChunk as OpenAiChunk } from "openai/resources/chat/completions";
import { describe, expect, it } from "vitest";
import {
  CompletionChunks,
  completionResponse,
  type ChatCompletionChunk,
  type FinishReason,
  type ReportedToolCall,
  sse,
  SSE_DONE,
} from "./responses.js";

/** One turn as the server saw it happen, in order. */
type Step = { text: string } | { call: ReportedToolCall } | { result: ReportedToolCall };

interface Turn {
  steps: Step[];
  finishReason: FinishReason;
  usage: { promptTokens: number; completionTokens: number };
}

const id = "chatcmpl-0123456789abcdef01234567";
const model = "qwen3-8b";
const created = 1_700_000_000;

/** The SSE text the server writes for `turn`, with the usage chunk. */
function streamed(turn: Turn): string {
  const chunks = new CompletionChunks(id, model, created);
  const sent: ChatCompletionChunk[] = [chunks.start()];
  for (const step of turn.steps) {
    if ("text" in step) sent.push(chunks.text(step.text));
    else if ("call" in step) sent.push(chunks.toolCall(step.call));
    else sent.push(chunks.toolResult(step.result));
  }
  sent.push(chunks.finish(turn.finishReason), chunks.usage(turn.usage));
  return sent.map(sse).join("") + SSE_DONE;
}

/** The non-streamed answer for `turn`. */
function whole(turn: Turn) {
  const content = turn.steps.map((step) => ("text" in step ? step.text : "")).join("");
  const toolCalls = turn.steps.flatMap((step) => ("call" in step ? [step.call] : []));
  return completionResponse({ id, model, created, content, toolCalls, finishReason: turn.finishReason, usage: turn.usage });
}

/** `text` as a byte stream cut every `pieceBytes` bytes (through lines, events and characters). */
function bytes(text: string, pieceBytes: number): ReadableStream<Uint8Array> {
  const all = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= all.length) return controller.close();
      controller.enqueue(all.slice(offset, offset + pieceBytes));
      offset += pieceBytes;
    },
  });
}

/** What `ChatCompletionStream.fromReadableStream` ends with, the SSE decoded by the client's own decoder. */
async function accumulated(sseText: string, pieceBytes: number) {
  const response = new Response(bytes(sseText, pieceBytes), { headers: { "content-type": "text/event-stream" } });
  const chunks = Stream.fromSSEResponse<OpenAiChunk>(response, new AbortController());
  return ChatCompletionStream.fromReadableStream(chunks.toReadableStream()).finalChatCompletion();
}

/** An `OpenAI` client whose every request is answered with `body`. */
function clientAnswering(body: string, contentType: string): OpenAI {
  return new OpenAI({
    apiKey: "test-key",
    baseURL: "http://127.0.0.1:9/v1",
    maxRetries: 0,
    fetch: async () => new Response(body, { status: 200, headers: { "content-type": contentType } }),
  });
}

const readNotes: ReportedToolCall = {
  id: "call_read",
  name: "fs__read_file",
  arguments: { path: "/home/ann/notes.md", range: { from: 1, to: 20 } },
  serverId: "fs",
  status: "ok",
  resultText: "# Notes\n- buy milk",
};
const denied: ReportedToolCall = { id: "call_rm", name: "fs__delete_file", arguments: { path: "/tmp/x" }, serverId: "fs", status: "denied" };
const chart: ReportedToolCall = { id: "call_chart", name: "render_chart", arguments: { title: "Ünïcödé \"quoted\"\n", values: [1, 2.5, null] } };
const clock: ReportedToolCall = { id: "call_now", name: "now", arguments: {} };

const turns: Record<string, Turn> = {
  "text only": { steps: [{ text: "Hello" }, { text: ", world" }, { text: "! 👋" }], finishReason: "stop", usage: { promptTokens: 12, completionTokens: 4 } },
  "MCP calls that ran, then an answer": {
    steps: [
      { text: "Let me read your notes.\n" },
      { call: readNotes },
      { call: denied },
      { result: readNotes },
      { result: denied },
      { text: "You need to buy milk." },
    ],
    finishReason: "stop",
    usage: { promptTokens: 300, completionTokens: 40 },
  },
  "MCP calls, then client calls returned unrun": {
    steps: [{ text: "Reading." }, { call: readNotes }, { result: readNotes }, { text: " Now the chart:" }, { call: chart }, { call: clock }],
    finishReason: "tool_calls",
    usage: { promptTokens: 500, completionTokens: 60 },
  },
  "client calls without text": { steps: [{ call: chart }], finishReason: "tool_calls", usage: { promptTokens: 50, completionTokens: 9 } },
  "cut by the token limit with nothing written": { steps: [], finishReason: "length", usage: { promptTokens: 7, completionTokens: 0 } },
};

describe.each(Object.entries(turns))("streamed and non-streamed agree: %s", (_name, turn) => {
  const expected = whole(turn).choices[0];

  it.each([1, 7, 4096])("through ChatCompletionStream.fromReadableStream, in pieces of %i bytes", async (pieceBytes) => {
    const final = await accumulated(streamed(turn), pieceBytes);
    const choice = final.choices[0];
    expect(choice?.message.content).toStrictEqual(expected.message.content);
    expect(choice?.message.tool_calls).toStrictEqual(expected.message.tool_calls);
    expect(choice?.finish_reason).toBe(expected.finish_reason);
    expect(final.usage).toStrictEqual(whole(turn).usage);
    expect(final.id).toBe(id);
  });

  it("through an OpenAI client, streamed and not", async () => {
    const streamedFinal = await clientAnswering(streamed(turn), "text/event-stream")
      .chat.completions.stream({ model, messages: [{ role: "user", content: "go" }], stream_options: { include_usage: true } })
      .finalChatCompletion();
    const plain = await clientAnswering(JSON.stringify(whole(turn)), "application/json").chat.completions.create({
      model,
      messages: [{ role: "user", content: "go" }],
    });
    expect(streamedFinal.choices[0]?.message.content).toStrictEqual(plain.choices[0]?.message.content);
    expect(streamedFinal.choices[0]?.message.tool_calls).toStrictEqual(plain.choices[0]?.message.tool_calls);
    expect(streamedFinal.choices[0]?.finish_reason).toBe(plain.choices[0]?.finish_reason);
    expect(streamedFinal.usage).toStrictEqual(plain.usage);
  });
});

describe("the client reads Hearth's extensions", () => {
  it("sees each mcp_tool_result chunk, in order, and the results on the non-streamed message", async () => {
    const turn = turns["MCP calls that ran, then an answer"]!;
    const response = new Response(streamed(turn), { headers: { "content-type": "text/event-stream" } });
    const seen: unknown[] = [];
    for await (const chunk of Stream.fromSSEResponse<OpenAiChunk & { mcp_tool_result?: unknown }>(response, new AbortController())) {
      if (chunk.mcp_tool_result !== undefined) seen.push(chunk.mcp_tool_result);
    }
    expect(seen).toStrictEqual(whole(turn).choices[0].message.mcp_tool_results);
    expect(seen).toStrictEqual([
      { tool_call_id: "call_read", server: "fs", status: "ok", content: "# Notes\n- buy milk" },
      { tool_call_id: "call_rm", server: "fs", status: "denied", content: "" },
    ]);
  });
});
