// The remote provider against the scripted OpenAI-compatible server of
// tests/fixtures/openai-compatible-server.ts (a test double: no real inference server runs here).
import { getEventListeners } from "node:events";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { freePort } from "../tests/fixtures/net.js";
import {
  chunk,
  completionJson,
  errorResponse,
  startOpenAiCompatibleServer,
  stream,
  textStream,
  toolCallStream,
  usageChunk,
  type OpenAiCompatibleServer,
} from "../tests/fixtures/openai-compatible-server.js";
import { RemoteChatRunner, RemoteModelError, type RemoteChatRunnerOptions } from "./remote-runner.js";
import type { ChatFunction, ChatMessage, FunctionResult, RunnerEvent } from "./runner.js";

let server: OpenAiCompatibleServer;
const runners: RemoteChatRunner[] = [];
const question: ChatMessage[] = [{ role: "user", content: "What is the weather in Paris?" }];

function makeRunner(options: Partial<RemoteChatRunnerOptions> = {}): RemoteChatRunner {
  const runner = new RemoteChatRunner({ baseUrl: server.baseUrl, model: "test-model", ...options });
  runners.push(runner);
  return runner;
}

function weatherFunction(call: (args: Record<string, unknown>, signal: AbortSignal) => Promise<FunctionResult> = async (args) => ({ content: `Sunny in ${String(args.city)}` })): ChatFunction {
  return {
    name: "get_weather",
    description: "Current weather of a city",
    parameters: { type: "object", properties: { city: { type: "string" }, unit: { type: "string" } }, required: ["city"] },
    call,
  };
}

async function catchError(promise: Promise<unknown>): Promise<RemoteModelError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RemoteModelError);
  return error as RemoteModelError;
}

beforeEach(async () => {
  server = await startOpenAiCompatibleServer();
});

afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.dispose()));
  await server.close();
});

describe("RemoteChatRunner", () => {
  it("describes itself by model and origin, never by key or credentials", () => {
    const runner = makeRunner({ baseUrl: "http://user:secret@127.0.0.1:9/v1/?token=q", apiKey: "sk-hidden" });
    expect(runner.description).toBe("remote: test-model at http://127.0.0.1:9");
  });

  it("streams a plain answer cut into 3-byte pieces (inside UTF-8 characters too)", async () => {
    server.respond(textStream(["Paris is ", "sunny ☀️, ", "22 °C."], { usage: { prompt: 12, completion: 9 }, pieceBytes: 3 }));
    const events: RunnerEvent[] = [];
    const result = await makeRunner().run({ messages: question, onEvent: (event) => events.push(event) });

    expect(result.text).toBe("Paris is sunny ☀️, 22 °C.");
    expect(result.stopReason).toBe("stop");
    expect(result.messages).toEqual([{ role: "assistant", content: "Paris is sunny ☀️, 22 °C." }]);
    expect(events.every((event) => event.type === "textDelta")).toBe(true);
    expect(events.map((event) => (event.type === "textDelta" ? event.text : "")).join("")).toBe(result.text);
    expect(result.usage).toEqual({ promptTokens: 12, completionTokens: 9, evaluatedPromptTokens: 12 });
    expect(result.timings.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(result.timings.tokensPerSecond).toBeGreaterThan(0);
    expect(result.timings.totalMs).toBeGreaterThanOrEqual(result.timings.timeToFirstTokenMs ?? 0);

    const [request] = server.requests;
    expect(request?.path).toBe("/v1/chat/completions");
    expect(request?.body).toMatchObject({ model: "test-model", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: question[0]?.content }] });
    expect(request?.body.tools).toBeUndefined();
  });

  it("runs a tool call streamed in fragments and sends the call and its result back", async () => {
    server.respond(
      toolCallStream([{ id: "call_1", name: "get_weather", arguments: '{"city": "Paris", "unit": null}', fragments: 5 }], { usage: { prompt: 40, completion: 12 }, pieceBytes: 7 }),
      textStream(["It's sunny ", "in Paris."], { usage: { prompt: 60, completion: 6 } }),
    );
    const received: Array<Record<string, unknown>> = [];
    const events: RunnerEvent[] = [];
    const result = await makeRunner({ systemPrompt: "You are terse." }).run({
      messages: question,
      functions: [weatherFunction(async (args) => (received.push(args), { content: "Sunny, 22 °C" }))],
      onEvent: (event) => events.push(event),
    });

    // `unit: null` is an optional field left out: removed, as the contract promises.
    expect(received).toEqual([{ city: "Paris" }]);
    const call = { id: "call_1", name: "get_weather", arguments: { city: "Paris" } };
    expect(events.map((event) => event.type)).toEqual(["functionCalls", "functionResult", "textDelta", "textDelta"]);
    expect(events[0]).toEqual({ type: "functionCalls", calls: [call] });
    expect(events[1]).toMatchObject({ type: "functionResult", call, result: { content: "Sunny, 22 °C" } });
    expect(result).toMatchObject({ text: "It's sunny in Paris.", stopReason: "stop" });
    expect(result.messages).toEqual([
      { role: "assistant", content: "", toolCalls: [call] },
      { role: "tool", toolCallId: "call_1", name: "get_weather", content: "Sunny, 22 °C" },
      { role: "assistant", content: "It's sunny in Paris." },
    ]);
    expect(result.usage).toEqual({ promptTokens: 100, completionTokens: 18, evaluatedPromptTokens: 100 });

    expect(server.requests).toHaveLength(2);
    const [first, second] = server.requests;
    expect(first?.body.tools).toEqual([
      { type: "function", function: { name: "get_weather", description: "Current weather of a city", parameters: weatherFunction().parameters } },
    ]);
    expect(first?.body.tool_choice).toBeUndefined();
    expect(second?.body.messages).toEqual([
      { role: "system", content: "You are terse." },
      { role: "user", content: question[0]?.content },
      { role: "assistant", content: "", tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city": "Paris", "unit": null}' } }] },
      { role: "tool", tool_call_id: "call_1", content: "Sunny, 22 °C" },
    ]);
  });

  it("runs two calls of one response concurrently, results in call order", async () => {
    // The two calls' deltas interleave, as servers that generate calls in parallel send them.
    server.respond(
      stream([
        chunk({ role: "assistant", content: null }),
        chunk({ tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "get_weather", arguments: '{"ci' } }] }),
        chunk({ tool_calls: [{ index: 1, id: "call_b", type: "function", function: { name: "get_weather", arguments: '{"city":' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Paris"}' } }] }),
        chunk({ tool_calls: [{ index: 1, function: { arguments: '"Rome"}' } }] }),
        chunk({}, "tool_calls"),
      ]),
      textStream(["Both sunny."]),
    );
    const started: string[] = [];
    let bothStarted!: () => void;
    const barrier = new Promise<void>((resolve) => (bothStarted = resolve));
    const order: string[] = [];
    const weather = weatherFunction(async (args) => {
      const city = String(args.city);
      started.push(city);
      if (started.length === 2) bothStarted();
      // Each call waits until the other has started: sequential calls would never finish.
      await Promise.race([barrier, new Promise((_, reject) => setTimeout(() => reject(new Error("calls ran one after the other")), 2_000))]);
      if (city === "Paris") await new Promise((resolve) => setTimeout(resolve, 30));
      order.push(city);
      return { content: `Sunny in ${city}` };
    });
    const events: RunnerEvent[] = [];
    const result = await makeRunner().run({ messages: question, functions: [weather], onEvent: (event) => events.push(event) });

    expect(result.text).toBe("Both sunny.");
    expect(order).toEqual(["Rome", "Paris"]);
    const results = events.filter((event) => event.type === "functionResult");
    expect(results.map((event) => event.call.id)).toEqual(["call_b", "call_a"]);
    expect(result.messages.slice(0, 3)).toEqual([
      {
        role: "assistant",
        content: "",
        toolCalls: [
          { id: "call_a", name: "get_weather", arguments: { city: "Paris" } },
          { id: "call_b", name: "get_weather", arguments: { city: "Rome" } },
        ],
      },
      { role: "tool", toolCallId: "call_a", name: "get_weather", content: "Sunny in Paris" },
      { role: "tool", toolCallId: "call_b", name: "get_weather", content: "Sunny in Rome" },
    ]);
  });

  it("sends invalid arguments JSON back to the model as an error result instead of calling", async () => {
    server.respond(toolCallStream([{ id: "call_bad", name: "get_weather", arguments: '{"city": Paris' }]), textStream(["Sorry."]));
    let calls = 0;
    const events: RunnerEvent[] = [];
    const result = await makeRunner().run({
      messages: question,
      functions: [weatherFunction(async () => (calls++, { content: "never" }))],
      onEvent: (event) => events.push(event),
    });

    expect(calls).toBe(0);
    expect(result.stopReason).toBe("stop");
    const toolMessage = result.messages[1];
    expect(toolMessage).toMatchObject({ role: "tool", toolCallId: "call_bad", isError: true });
    expect(toolMessage?.content).toMatch(/not valid JSON/);
    expect(events[1]).toMatchObject({ type: "functionResult", result: { isError: true } });
    // The model sees its own text back, and the error.
    const sent = server.requests[1]?.body.messages;
    expect(sent[1].tool_calls[0].function.arguments).toBe('{"city": Paris');
    expect(sent[2].content).toMatch(/^Error: The arguments are not valid JSON/);
  });

  it("answers an unknown function and a throwing function with error results", async () => {
    server.respond(
      toolCallStream([
        { id: "call_1", name: "get_time", arguments: "{}" },
        { id: "call_2", name: "get_weather", arguments: '{"city":"Oslo"}' },
      ]),
      textStream(["Done."]),
    );
    const result = await makeRunner().run({ messages: question, functions: [weatherFunction(async () => Promise.reject(new Error("service down")))] });
    expect(result.messages[1]).toMatchObject({ role: "tool", isError: true, content: 'There is no function named "get_time". Available functions: get_weather.' });
    expect(result.messages[2]).toMatchObject({ role: "tool", isError: true, content: "The function failed: service down" });
  });

  it("stops after maxFunctionRounds: the last request forbids calls, calls made anyway are not run", async () => {
    const round = () => toolCallStream([{ id: `call_${Math.random()}`, name: "get_weather", arguments: '{"city":"Paris"}' }], { text: "Checking." });
    server.respond(round(), round());
    let calls = 0;
    const result = await makeRunner().run({ messages: question, functions: [weatherFunction(async () => (calls++, { content: "sunny" }))], maxFunctionRounds: 1 });
    expect(calls).toBe(1);
    expect(result.stopReason).toBe("functionRoundLimit");
    expect(server.requests[1]?.body.tool_choice).toBe("none");
    expect(result.messages.map((message) => message.role)).toEqual(["assistant", "tool", "assistant"]);
    expect(result.messages[2]).toEqual({ role: "assistant", content: "Checking." });
  });

  it('maps finish_reason "length" to maxTokens and sends max_tokens', async () => {
    server.respond(textStream(["The capital of France is"], { finishReason: "length", usage: { prompt: 5, completion: 4 } }));
    const result = await makeRunner().run({ messages: question, sampling: { maxTokens: 4 } });
    expect(result).toMatchObject({ text: "The capital of France is", stopReason: "maxTokens" });
    expect(server.requests[0]?.body.max_tokens).toBe(4);
  });

  it("sends sampling settings, the request's over the runner's defaults", async () => {
    server.respond(textStream(["ok"]));
    await makeRunner({ defaults: { temperature: 0.2, topK: 40, seed: 1 } }).run({
      messages: question,
      sampling: { temperature: 0, topP: 0.9, minP: 0.05, repeatPenalty: 1.1, maxTokens: 64, seed: 7, stop: ["</s>"], topK: undefined },
    });
    const body = server.requests[0]?.body;
    expect(body).toMatchObject({ temperature: 0, top_p: 0.9, top_k: 40, min_p: 0.05, repeat_penalty: 1.1, repetition_penalty: 1.1, max_tokens: 64, seed: 7, stop: ["</s>"] });
  });

  it("sends temperature 0.7 and no other sampling fields by default", async () => {
    server.respond(textStream(["ok"]));
    await makeRunner().run({ messages: question });
    const body = server.requests[0]?.body;
    expect(body.temperature).toBe(0.7);
    for (const name of ["top_p", "top_k", "min_p", "repeat_penalty", "max_tokens", "seed", "stop"]) expect(body).not.toHaveProperty(name);
  });

  it("aborts mid-stream promptly and resolves with the partial text", async () => {
    const pieces = Array.from({ length: 200 }, (_, index) => `w${index} `);
    server.respond(textStream(pieces, { delayMs: 20 }));
    const controller = new AbortController();
    let deltas = 0;
    let abortedAt = 0;
    const result = await makeRunner().run({
      messages: question,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type !== "textDelta" || ++deltas !== 3) return;
        abortedAt = performance.now();
        controller.abort();
      },
    });
    // Resolved at once (the whole stream would take 4 s), and the server saw the connection close.
    expect(performance.now() - abortedAt).toBeLessThan(500);
    await server.nextDisconnect();
    expect(result.stopReason).toBe("aborted");
    expect(result.text).toBe("w0 w1 w2 ");
    expect(result.messages).toEqual([{ role: "assistant", content: "w0 w1 w2 " }]);
    expect(server.disconnects()).toBe(1);
  });

  it("aborts while functions run: they get the signal and are not waited for", async () => {
    server.respond(toolCallStream([{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }]));
    const controller = new AbortController();
    let sawAbort = false;
    const hanging = weatherFunction(
      (_args, signal) =>
        new Promise(() => {
          signal.addEventListener("abort", () => (sawAbort = true));
          setTimeout(() => controller.abort(), 10);
        }),
    );
    const result = await makeRunner().run({ messages: question, functions: [hanging], signal: controller.signal });
    expect(sawAbort).toBe(true);
    expect(result.stopReason).toBe("aborted");
    expect(result.messages[1]).toMatchObject({ role: "tool", toolCallId: "call_1", isError: true });
    expect(server.requests).toHaveLength(1);
  });

  it("leaves no listener on the caller's signal after a run of several requests", async () => {
    server.respond(toolCallStream([{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }]), textStream(["Sunny."]));
    const controller = new AbortController();
    await makeRunner().run({ messages: question, functions: [weatherFunction()], signal: controller.signal });
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("returns at once when the signal is already aborted", async () => {
    const result = await makeRunner().run({ messages: question, signal: AbortSignal.abort() });
    expect(result).toMatchObject({ text: "", stopReason: "aborted", messages: [] });
    expect(server.requests).toHaveLength(0);
  });

  it("sends the bearer key; a wrong key fails with auth_failed naming the URL, not the key", async () => {
    await server.close();
    server = await startOpenAiCompatibleServer({ apiKey: "sk-right" });
    server.respond(textStream(["hello"]));
    await expect(makeRunner({ apiKey: "sk-right" }).run({ messages: question })).resolves.toMatchObject({ text: "hello" });
    expect(server.requests[0]?.headers.authorization).toBe("Bearer sk-right");

    const error = await catchError(makeRunner({ apiKey: "sk-wrong-secret" }).run({ messages: question }));
    expect(error.code).toBe("auth_failed");
    expect(error.status).toBe(401);
    expect(error.message).toContain(server.baseUrl);
    expect(error.message).not.toContain("sk-wrong-secret");
    expect(error.message).toMatch(/rejected the API key/);
    expect(JSON.stringify(error)).not.toContain("sk-wrong-secret");

    const missing = await catchError(makeRunner().run({ messages: question }));
    expect(missing.message).toMatch(/requires an API key/);
  });

  it("fails with unreachable naming the URL when nothing listens", async () => {
    const baseUrl = `http://127.0.0.1:${await freePort()}/v1`;
    const error = await catchError(makeRunner({ baseUrl }).run({ messages: question }));
    expect(error.code).toBe("unreachable");
    expect(error.message).toBe(`Could not connect to ${baseUrl}: connection refused (is the server running?)`);
  });

  it("fails with the OpenAI error message of a non-2xx answer", async () => {
    server.respond(errorResponse(400, "the request exceeds the available context size (8192 tokens)"), { type: "text", status: 502, body: "Bad Gateway" });
    const error = await catchError(makeRunner().run({ messages: question }));
    expect(error).toMatchObject({ code: "http_error", status: 400 });
    expect(error.message).toBe(`The server at ${server.baseUrl} answered HTTP 400: the request exceeds the available context size (8192 tokens)`);
    const plain = await catchError(makeRunner().run({ messages: question }));
    expect(plain.message).toBe(`The server at ${server.baseUrl} answered HTTP 502: Bad Gateway`);
  });

  it("fails with server_error when the stream carries an error event", async () => {
    server.respond(stream([chunk({ content: "Hel" }), { error: { code: 500, message: "slot unavailable", type: "server_error" } }], { done: false }));
    const error = await catchError(makeRunner().run({ messages: question }));
    expect(error.code).toBe("server_error");
    expect(error.message).toMatch(/slot unavailable/);
  });

  it("fails with connection_lost when the server breaks the connection mid-stream", async () => {
    server.respond(stream([chunk({ content: "Hel" })], { done: false, breakConnection: true }));
    const deltas: string[] = [];
    const error = await catchError(makeRunner().run({ messages: question, onEvent: (event) => event.type === "textDelta" && deltas.push(event.text) }));
    expect(error.code).toBe("connection_lost");
    expect(error.message).toContain(server.baseUrl);
    expect(deltas).toEqual(["Hel"]);
  });

  it("fails with timeout when the server does not answer in timeoutMs", async () => {
    server.respond(textStream(["late"], { headersDelayMs: 1_000 }));
    const error = await catchError(makeRunner({ timeoutMs: 100 }).run({ messages: question }));
    expect(error.code).toBe("timeout");
    expect(error.message).toContain(server.baseUrl);
  });

  it("reads a non-streamed JSON completion from a server that ignores stream: true", async () => {
    server.respond(
      completionJson(null, { toolCalls: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }], usage: { prompt: 20, completion: 8 } }),
      completionJson("Sunny.", { usage: { prompt: 30, completion: 2 } }),
    );
    const result = await makeRunner().run({ messages: question, functions: [weatherFunction()] });
    expect(result).toMatchObject({ text: "Sunny.", stopReason: "stop", usage: { promptTokens: 50, completionTokens: 10 } });
    expect(result.messages[1]).toMatchObject({ role: "tool", content: "Sunny in Paris" });
  });

  it("reads a usage chunk that comes with the finish chunk (llama.cpp) and tolerates no usage", async () => {
    server.respond(
      stream([chunk({ content: "Hi" }), { ...chunk({}, "stop"), ...usageChunk(3, 1), choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }]),
      textStream(["Hi"]),
    );
    const runner = makeRunner();
    expect((await runner.run({ messages: question })).usage).toEqual({ promptTokens: 3, completionTokens: 1, evaluatedPromptTokens: 3 });
    const bare = await runner.run({ messages: question });
    expect(bare.usage).toEqual({ promptTokens: 0, completionTokens: 0, evaluatedPromptTokens: 0 });
    expect(bare.timings.tokensPerSecond).toBeUndefined();
  });

  it("rejects options it cannot use, and runs after dispose", async () => {
    expect(() => new RemoteChatRunner({ baseUrl: "ftp://host/v1", model: "m" })).toThrow(expect.objectContaining({ code: "invalid_options" }));
    expect(() => new RemoteChatRunner({ baseUrl: "not a url", model: "m" })).toThrow(expect.objectContaining({ code: "invalid_options" }));
    const runner = makeRunner();
    await runner.dispose();
    expect((await catchError(runner.run({ messages: question }))).code).toBe("disposed");
  });
});
