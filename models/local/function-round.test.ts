// One round of function calls of the local runner (no model needed).
import { describe, expect, it } from "vitest";
import type { ChatFunction, FunctionResult, RunnerEvent, ToolCall } from "../runner.js";
import { CANCELLED_RESULT, newToolCallId, runFunctionCalls } from "../function-calls.js";
import { prepareCalls } from "./function-round.js";

function chatFunction(name: string, call: ChatFunction["call"], parameters: ChatFunction["parameters"] = { type: "object", properties: {} }): ChatFunction {
  return { name, parameters, call };
}

const call = (name: string, args: Record<string, unknown> = {}): ToolCall => ({ id: newToolCallId(), name, arguments: args });

describe("prepareCalls", () => {
  it("gives every call a unique id and restores its arguments against the original schema", () => {
    const weather = chatFunction("get_weather", async () => ({ content: "" }), {
      type: "object",
      properties: { city: { type: "string" }, unit: { type: "string" } },
      required: ["city"],
    });
    const raw = ["||call: get_weather"];
    const prepared = prepareCalls(
      [
        { functionName: "get_weather", params: { city: "Paris", unit: null }, raw },
        { functionName: "get_weather", params: { city: "Oslo", unit: "C" }, raw },
      ],
      [weather],
    );
    expect(prepared.map(({ call }) => call.arguments)).toEqual([{ city: "Paris" }, { city: "Oslo", unit: "C" }]);
    expect(prepared[0]!.modelParams).toEqual({ city: "Paris", unit: null });
    expect(prepared[0]!.call.id).toMatch(/^call_[0-9a-f]{32}$/);
    expect(new Set(prepared.map(({ call }) => call.id)).size).toBe(2);
  });
});

describe("runFunctionCalls", () => {
  it("runs the calls of a round concurrently and returns results in call order", async () => {
    let started = 0;
    let releaseAll!: () => void;
    const allStarted = new Promise<void>((resolve) => (releaseAll = resolve));
    const waitForBoth = async (content: string): Promise<FunctionResult> => {
      if (++started === 2) releaseAll();
      await allStarted; // a sequential runner would never get here for the first call
      return { content };
    };
    const events: RunnerEvent[] = [];
    const calls = [call("slow"), call("fast")];
    const results = await runFunctionCalls(
      calls,
      [chatFunction("slow", () => waitForBoth("slow result")), chatFunction("fast", () => waitForBoth("fast result"))],
      new AbortController().signal,
      (event) => events.push(event),
    );
    expect(results).toEqual([{ content: "slow result" }, { content: "fast result" }]);
    expect(events.map((event) => event.type === "functionResult" && event.call.name).sort()).toEqual(["fast", "slow"]);
  });

  it("turns a throwing function and an unknown name into error results", async () => {
    const results = await runFunctionCalls(
      [call("broken"), call("missing")],
      [chatFunction("broken", async () => Promise.reject(new Error("disk full")))],
      new AbortController().signal,
      () => {},
    );
    expect(results).toEqual([
      { content: "The function failed: disk full", isError: true },
      { content: 'There is no function named "missing". Available functions: broken.', isError: true },
    ]);
  });

  it("hands the signal to the function and stops waiting for it on abort", async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const hanging = chatFunction("hang", (_args, signal) => {
      seen = signal;
      setTimeout(() => controller.abort(), 10);
      return new Promise<FunctionResult>(() => {});
    });
    const results = await runFunctionCalls([call("hang")], [hanging], controller.signal, () => {});
    expect(seen).toBe(controller.signal);
    expect(results).toEqual([{ content: CANCELLED_RESULT, isError: true }]);
  });
});
