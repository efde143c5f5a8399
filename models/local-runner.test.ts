// The local runner through real llama.cpp, on the scripted model of
// ../shared/fixtures/models (ChatML, temperature 0): without functions it answers "The
// capital of France is Paris."; with functions it calls get_weather({"city": "Paris"}) and,
// after the result, answers "It's sunny in Paris.".
import { ChatMLChatWrapper, LlamaChat, LlamaLogLevel, getLlama, type LlamaContext, type LlamaModel, type TokenMeterState } from "node-llama-cpp";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SCRIPTED_MODEL, makeRandomModel } from "../tests/fixtures/models.js";
import { CANCELLED_RESULT } from "./function-calls.js";
import { LocalChatRunner, LocalRunnerError, type LocalChatRunnerOptions } from "./local-runner.js";
import type { ChatFunction, ChatMessage, FunctionResult, RunnerEvent, ToolCall } from "./runner.js";

const CAPITAL = "The capital of France is Paris.";
const SUNNY = "It's sunny in Paris.";
const question: ChatMessage[] = [{ role: "user", content: "What is the capital of France?" }];

let model: LlamaModel;
const contexts: LlamaContext[] = [];

beforeAll(async () => {
  const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
  model = await llama.loadModel({ modelPath: SCRIPTED_MODEL });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(contexts.splice(0).map((context) => context.dispose()));
});
afterAll(async () => {
  await model?.dispose();
});

/** A runner on a fresh context: 2,048 tokens (the function-calling prompt needs ~1,000), 2 threads (the cores there are). */
async function makeRunner(options: Partial<LocalChatRunnerOptions> = {}) {
  const context = await model.createContext({ contextSize: 2048, threads: 2 });
  contexts.push(context);
  const sequence = context.getSequence();
  const runner = new LocalChatRunner({ contextSequence: sequence, defaults: { temperature: 0 }, ...options });
  return { runner, sequence };
}

function weatherFunction(call: ChatFunction["call"] = async () => ({ content: "sunny, 24 °C" })): ChatFunction & { call: ReturnType<typeof vi.fn> } {
  return {
    name: "get_weather",
    description: "Current weather of a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    call: vi.fn(call),
  };
}

const textOf = (events: RunnerEvent[]) => events.flatMap((event) => (event.type === "textDelta" ? [event.text] : [])).join("");
const meter = (state: TokenMeterState) => ({ ...state });

describe("LocalChatRunner on the scripted model", () => {
  it("answers without functions, streaming the text, with counts and timings", async () => {
    const { runner } = await makeRunner();
    expect(runner.description).toBe("local: scripted-toolcall.gguf");
    expect(runner.chatWrapper.wrapperName).toBe("ChatML");
    const events: RunnerEvent[] = [];
    const result = await runner.run({ messages: question, onEvent: (event) => events.push(event) });
    expect(result).toMatchObject({ text: CAPITAL, stopReason: "stop", messages: [{ role: "assistant", content: CAPITAL }] });
    expect(textOf(events)).toBe(CAPITAL);
    expect(events.every((event) => event.type === "textDelta")).toBe(true);
    // 7 word tokens and the end-of-turn token; a fresh sequence evaluates the whole prompt.
    expect(result.usage.completionTokens).toBe(8);
    expect(result.usage.promptTokens).toBeGreaterThan(40);
    expect(result.usage.evaluatedPromptTokens).toBe(result.usage.promptTokens);
    expect(result.timings.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(result.timings.tokensPerSecond).toBeGreaterThan(0);
    expect(result.timings.totalMs).toBeGreaterThanOrEqual(result.timings.timeToFirstTokenMs!);
  });

  it("calls get_weather, runs it, and answers with its result", async () => {
    const { runner } = await makeRunner();
    const weather = weatherFunction();
    const events: RunnerEvent[] = [];
    const result = await runner.run({ messages: [{ role: "user", content: "Weather in Paris?" }], functions: [weather], onEvent: (event) => events.push(event) });

    const callEvents = events.filter((event) => event.type === "functionCalls");
    expect(callEvents).toHaveLength(1);
    const [call] = (callEvents[0] as { calls: ToolCall[] }).calls;
    expect(call).toEqual({ id: expect.stringMatching(/^call_[0-9a-f]{32}$/), name: "get_weather", arguments: { city: "Paris" } });
    expect(weather.call).toHaveBeenCalledOnce();
    expect(weather.call).toHaveBeenCalledWith({ city: "Paris" }, expect.any(AbortSignal), call);
    expect(events.map((event) => event.type)).toEqual(["functionCalls", "functionResult", ...Array(5).fill("textDelta")]);
    expect(events[1]).toMatchObject({ type: "functionResult", call, result: { content: "sunny, 24 °C" }, durationMs: expect.any(Number) });

    expect(result.text).toBe(SUNNY);
    expect(result.stopReason).toBe("stop");
    expect(result.messages).toEqual([
      { role: "assistant", content: "", toolCalls: [call] },
      { role: "tool", toolCallId: call!.id, name: "get_weather", content: "sunny, 24 °C" },
      { role: "assistant", content: SUNNY },
    ]);
  });

  it("takes its messages back: the next turn continues the history and the context window", async () => {
    const { runner } = await makeRunner();
    const weather = weatherFunction();
    const first = await runner.run({ messages: [{ role: "user", content: "Weather in Paris?" }], functions: [weather] });
    const generate = vi.spyOn(LlamaChat.prototype, "generateResponse");
    const history: ChatMessage[] = [{ role: "user", content: "Weather in Paris?" }, ...first.messages, { role: "user", content: "And tomorrow?" }];
    const second = await runner.run({ messages: history, functions: [weather] });
    // After a function result the scripted model answers the weather sentence again.
    expect(second).toMatchObject({ text: SUNNY, stopReason: "stop", messages: [{ role: "assistant", content: SUNNY }] });
    expect(weather.call).toHaveBeenCalledOnce();
    // The stored messages render as the model generated them (its raw call, its nulls), so
    // the runner recognised them and handed LlamaChat the last context window.
    const options = generate.mock.calls[0]![1]!;
    expect(options.lastEvaluationContextWindow?.history).toEqual(generate.mock.calls[0]![0]);
    expect(second.usage.evaluatedPromptTokens).toBeLessThan(second.usage.promptTokens / 10);
  });

  it("evaluates only the new tokens of a follow-up turn (KV cache reuse)", async () => {
    const { runner, sequence } = await makeRunner();
    const history: ChatMessage[] = [{ role: "user", content: `${"Tell me about France. ".repeat(30)}What is its capital?` }];
    const first = await runner.run({ messages: history });
    expect(first.usage.evaluatedPromptTokens).toBe(first.usage.promptTokens);

    const before = meter(sequence.tokenMeter.getState());
    const second = await runner.run({ messages: [...history, ...first.messages, { role: "user", content: "And Germany?" }] });
    const evaluated = sequence.tokenMeter.usedInputTokens - before.usedInputTokens;
    expect(second.text).toBe(CAPITAL);
    // The whole first prompt stays in the KV cache; what is new is the rendered first
    // answer (the scripted model's word tokens re-tokenize as bytes, so it counts as new)
    // and the new user message.
    expect(second.usage.promptTokens).toBeGreaterThan(700);
    expect(second.usage.evaluatedPromptTokens).toBe(second.usage.promptTokens - first.usage.promptTokens);
    expect(second.usage.evaluatedPromptTokens).toBeLessThan(second.usage.promptTokens / 8);
    // The sequence's own meter agrees: the prompt's last token is evaluated for its logits
    // (counted as output), the rest as input.
    expect(evaluated).toBe(second.usage.evaluatedPromptTokens - 1);
  });

  it("evaluates only the call's result when it continues after a function call", async () => {
    const { runner, sequence } = await makeRunner();
    const states: TokenMeterState[] = [meter(sequence.tokenMeter.getState())];
    const result = await runner.run({
      messages: [{ role: "user", content: "Weather in Paris?" }],
      functions: [weatherFunction()],
      onEvent: (event) => void (event.type === "functionResult" && states.push(meter(sequence.tokenMeter.getState()))),
    });
    states.push(meter(sequence.tokenMeter.getState()));
    const [start, afterCall, end] = states as [TokenMeterState, TokenMeterState, TokenMeterState];
    const firstRound = afterCall.usedInputTokens - start.usedInputTokens;
    const secondRound = end.usedInputTokens - afterCall.usedInputTokens;
    expect(result.text).toBe(SUNNY);
    // Two prompts of ~950 tokens (the function-calling system prompt) were rendered…
    expect(result.usage.promptTokens).toBeGreaterThan(1800);
    expect(firstRound).toBeGreaterThan(900);
    // …but the second round evaluated only the result's tokens (`\n||result: "sunny, 24 °C"\n`, byte by byte).
    expect(secondRound).toBeLessThan(60);
    expect(result.usage.evaluatedPromptTokens).toBeLessThan(firstRound + 60);
  });

  it("stops at maxTokens", async () => {
    const { runner } = await makeRunner();
    const result = await runner.run({ messages: question, sampling: { maxTokens: 3 } });
    expect(result).toMatchObject({ text: "The capital of", stopReason: "maxTokens", messages: [{ role: "assistant", content: "The capital of" }] });
    expect(result.usage.completionTokens).toBe(3);
  });

  it("stops before a stop string", async () => {
    const { runner } = await makeRunner();
    const result = await runner.run({ messages: question, sampling: { stop: [" France"] } });
    expect(result).toMatchObject({ text: "The capital of", stopReason: "stopString" });
  });

  it("passes every sampling setting to LlamaChat, the request's over the defaults", async () => {
    const { runner } = await makeRunner({ defaults: { temperature: 0, topK: 5, seed: 1 } });
    const generate = vi.spyOn(LlamaChat.prototype, "generateResponse");
    const result = await runner.run({ messages: question, sampling: { temperature: 0.8, topP: 0.9, minP: 0.05, repeatPenalty: 1.1, seed: 42 } });
    // The scripted model's logits are so peaked that sampling still follows the script.
    expect(result.text).toBe(CAPITAL);
    expect(generate.mock.calls[0]![1]).toMatchObject({ temperature: 0.8, topK: 5, topP: 0.9, minP: 0.05, seed: 42, repeatPenalty: { penalty: 1.1 } });
  });

  it("stops within one token when aborted, keeping the partial answer", async () => {
    const { runner } = await makeRunner();
    const controller = new AbortController();
    const deltas: string[] = [];
    const result = await runner.run({
      messages: question,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type !== "textDelta") return;
        deltas.push(event.text);
        controller.abort();
      },
    });
    expect(result.stopReason).toBe("aborted");
    expect(result.text).not.toBe("");
    expect(CAPITAL.startsWith(result.text)).toBe(true);
    expect(deltas).toEqual(["The"]);
    expect(result.text).toBe("The");
    expect(result.messages).toEqual([{ role: "assistant", content: "The" }]);
  });

  it("returns at once for a signal aborted before the run", async () => {
    const { runner } = await makeRunner();
    const onEvent = vi.fn();
    const result = await runner.run({ messages: question, signal: AbortSignal.abort(), onEvent });
    expect(result).toMatchObject({ text: "", stopReason: "aborted", messages: [] });
    expect(onEvent).not.toHaveBeenCalled();
  });

  it("cancels a running call on abort and does not generate again", async () => {
    const { runner } = await makeRunner();
    const controller = new AbortController();
    const weather = weatherFunction(async (_args, signal) => {
      setTimeout(() => controller.abort(), 5);
      return new Promise<FunctionResult>((resolve) => signal.addEventListener("abort", () => setTimeout(() => resolve({ content: "late" }), 1000)));
    });
    const generate = vi.spyOn(LlamaChat.prototype, "generateResponse");
    const result = await runner.run({ messages: [{ role: "user", content: "Weather?" }], functions: [weather], signal: controller.signal });
    expect(result.stopReason).toBe("aborted");
    expect(generate).toHaveBeenCalledOnce();
    expect(result.messages).toEqual([
      { role: "assistant", content: "", toolCalls: [expect.objectContaining({ name: "get_weather" })] },
      { role: "tool", toolCallId: expect.any(String), name: "get_weather", content: CANCELLED_RESULT, isError: true },
    ]);
  });

  it("stops with functionRoundLimit when the model calls past maxFunctionRounds, without running the call", async () => {
    const { runner } = await makeRunner();
    const weather = weatherFunction();
    const onEvent = vi.fn();
    const result = await runner.run({ messages: [{ role: "user", content: "Weather?" }], functions: [weather], maxFunctionRounds: 0, onEvent });
    expect(result).toMatchObject({ text: "", stopReason: "functionRoundLimit", messages: [] });
    expect(weather.call).not.toHaveBeenCalled();
    expect(onEvent).not.toHaveBeenCalled();
  });

  it("tells the model when a function fails, and goes on", async () => {
    const { runner } = await makeRunner();
    const weather = weatherFunction(async () => Promise.reject(new Error("service down")));
    const result = await runner.run({ messages: [{ role: "user", content: "Weather?" }], functions: [weather] });
    expect(result.messages[1]).toEqual({ role: "tool", toolCallId: expect.any(String), name: "get_weather", content: "The function failed: service down", isError: true });
    expect(result.text).toBe(SUNNY);
  });

  it("hands back all calls of one response together and runs them concurrently", async () => {
    const { runner } = await makeRunner();
    let started = 0;
    let releaseAll!: () => void;
    const bothStarted = new Promise<void>((resolve) => (releaseAll = resolve));
    const together = async (args: Record<string, unknown>): Promise<FunctionResult> => {
      if (++started === 2) releaseAll();
      await bothStarted;
      return { content: `sunny in ${String(args.city)}` };
    };
    const weather = weatherFunction(together);
    // ChatML has no parallel calls, so the first response comes from a stand-in with two;
    // the second round is real generation on the history with both results.
    vi.spyOn(LlamaChat.prototype, "generateResponse").mockImplementationOnce(async function (this: LlamaChat, history) {
      const raw = (city: string) => ["||call: get_weather", { type: "specialTokensText" as const, value: "(" }, `{"city": "${city}"}`, { type: "specialTokensText" as const, value: ")" }];
      return {
        response: "",
        fullResponse: [""],
        functionCalls: [
          { functionName: "get_weather", params: { city: "Paris" }, raw: raw("Paris") },
          { functionName: "get_weather", params: { city: "Lyon" }, raw: raw("Lyon") },
        ],
        lastEvaluation: { cleanHistory: history, contextWindow: history, contextShiftMetadata: null },
        metadata: { stopReason: "functionCalls" },
      } as never;
    });
    const events: RunnerEvent[] = [];
    // Two results are more than the scripted model's script knows ("It's" repeats), so the answer is cut short.
    const result = await runner.run({ messages: [{ role: "user", content: "Weather?" }], functions: [weather], sampling: { maxTokens: 20 }, onEvent: (event) => events.push(event) });
    const callEvents = events.filter((event) => event.type === "functionCalls") as Array<{ calls: ToolCall[] }>;
    expect(callEvents).toHaveLength(1);
    const calls = callEvents[0]!.calls;
    expect(calls.map((call) => call.arguments)).toEqual([{ city: "Paris" }, { city: "Lyon" }]);
    expect(calls[0]!.id).not.toBe(calls[1]!.id);
    expect(events.filter((event) => event.type === "functionResult")).toHaveLength(2);
    expect(result.messages).toEqual([
      { role: "assistant", content: "", toolCalls: calls },
      { role: "tool", toolCallId: calls[0]!.id, name: "get_weather", content: "sunny in Paris" },
      { role: "tool", toolCallId: calls[1]!.id, name: "get_weather", content: "sunny in Lyon" },
      { role: "assistant", content: result.text },
    ]);
    expect(result.text).toMatch(/^It's/);
  });

  it("puts the system prompt first unless the history has one", async () => {
    const { runner } = await makeRunner({ systemPrompt: "You are terse." });
    const generate = vi.spyOn(LlamaChat.prototype, "generateResponse");
    await runner.run({ messages: question });
    await runner.run({ messages: [{ role: "system", content: "Mine." }, ...question] });
    expect(generate.mock.calls[0]![0][0]).toEqual({ type: "system", text: "You are terse." });
    expect(generate.mock.calls[1]![0].filter((item) => item.type === "system")).toEqual([{ type: "system", text: "Mine." }]);
  });

  it("uses the model's Jinja template or a given chat wrapper when told", async () => {
    const jinja = (await makeRunner({ chatWrapper: "jinjaTemplate" })).runner;
    expect(jinja.chatWrapper.wrapperName).toBe("JinjaTemplate");
    expect((await jinja.run({ messages: question })).text).toBe(CAPITAL);
    const wrapper = new ChatMLChatWrapper();
    expect((await makeRunner({ chatWrapper: wrapper })).runner.chatWrapper).toBe(wrapper);
  });

  it("runs one request at a time on its sequence", async () => {
    const { runner } = await makeRunner();
    const [first, second] = await Promise.all([
      runner.run({ messages: question }),
      runner.run({ messages: [{ role: "user", content: "Weather?" }], functions: [weatherFunction()] }),
    ]);
    expect(first.text).toBe(CAPITAL);
    expect(second.text).toBe(SUNNY);
  });

  it("refuses to run once disposed", async () => {
    const { runner } = await makeRunner();
    runner.dispose();
    const error = await runner.run({ messages: question }).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(LocalRunnerError);
    expect((error as LocalRunnerError).code).toBe("disposed");
  });
});

describe("toolChoice", () => {
  it('"none" offers no function: the scripted model answers instead of calling', async () => {
    const { runner } = await makeRunner();
    const weather = weatherFunction();
    const result = await runner.run({ messages: question, functions: [weather], toolChoice: "none" });
    expect(result.text).toBe(CAPITAL);
    expect(weather.call).not.toHaveBeenCalled();
  });

  describe("on a random-weight model, which never calls a function by itself", () => {
    let folder: string;
    let randomModel: LlamaModel;
    beforeAll(async () => {
      folder = await mkdtemp(join(tmpdir(), "hearth-runner-"));
      const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
      randomModel = await llama.loadModel({ modelPath: await makeRandomModel(folder, "tiny") });
    }, 120_000);
    afterAll(async () => {
      await randomModel?.dispose();
      await rm(folder, { recursive: true, force: true });
    });

    async function randomRunner() {
      const context = await randomModel.createContext({ contextSize: 2048, threads: 2 });
      contexts.push(context);
      return new LocalChatRunner({ contextSequence: context.getSequence(), chatWrapper: "chatML", defaults: { temperature: 0, maxTokens: 64 } });
    }
    // An enum keeps the forced arguments short: a random model never closes a free string.
    const pick = (name: string): ChatFunction & { call: ReturnType<typeof vi.fn> } => ({
      name,
      parameters: { type: "object", properties: { city: { enum: ["Paris", "Rome"] } }, required: ["city"] },
      call: vi.fn(async () => ({ content: "sunny" })),
    });

    it('"auto" leaves it free, and it writes text', async () => {
      const weather = pick("get_weather");
      const result = await (await randomRunner()).run({ messages: question, functions: [weather] });
      expect(weather.call).not.toHaveBeenCalled();
      expect(result.messages.some((message) => message.role === "tool")).toBe(false);
    });

    it('"required" makes the first response a call with arguments that fit the schema, then frees it', async () => {
      const weather = pick("get_weather");
      const result = await (await randomRunner()).run({ messages: question, functions: [weather], toolChoice: "required" });
      expect(weather.call).toHaveBeenCalledOnce();
      expect(["Paris", "Rome"]).toContain(weather.call.mock.calls[0]![0].city);
      expect(result.messages[0]).toMatchObject({ role: "assistant", toolCalls: [{ name: "get_weather" }] });
      expect(result.messages[1]).toMatchObject({ role: "tool", content: "sunny" });
      // Later rounds are free: the run ends with text, not with the round limit.
      expect(result.stopReason).not.toBe("functionRoundLimit");
    });

    it("{ name } offers and calls only that function", async () => {
      const weather = pick("get_weather");
      const time = pick("get_time");
      await (await randomRunner()).run({ messages: question, functions: [weather, time], toolChoice: { name: "get_time" } });
      expect(time.call).toHaveBeenCalledOnce();
      expect(weather.call).not.toHaveBeenCalled();
    });
  });
});

describe("contextOverflow", () => {
  it('"error" refuses a prompt longer than the context before evaluating any of it', async () => {
    const context = await model.createContext({ contextSize: 256, threads: 2 });
    contexts.push(context);
    const runner = new LocalChatRunner({ contextSequence: context.getSequence(), defaults: { temperature: 0 } });
    const long: ChatMessage[] = [{ role: "user", content: "word ".repeat(600) }];
    const before = runner.contextUsage().usedTokens;
    const error = await runner.run({ messages: long, contextOverflow: "error" }).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(LocalRunnerError);
    expect((error as LocalRunnerError).code).toBe("context_overflow");
    expect((error as Error).message).toMatch(/^The prompt is \d+ tokens; the context holds 256$/);
    expect(runner.contextUsage().usedTokens).toBe(before);
    // A prompt that fits still runs on the same runner.
    expect((await runner.run({ messages: question, contextOverflow: "error" })).text).toBe(CAPITAL);
  }, 60_000);
});
