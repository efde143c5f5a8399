/**
 * One round of function calls of the local runner: the calls of one model response, with
 * fresh ids and their arguments restored to what the functions expect, run concurrently
 * with the run's AbortSignal; every call ends with a result, never a rejection.
 */
import { randomUUID } from "node:crypto";
import type { LlamaTextJSON } from "node-llama-cpp";
import { restoreArguments } from "../function-schema.js";
import type { ChatFunction, FunctionResult, RunnerEvent, ToolCall } from "../runner.js";

/** The result text of a call that the run's signal cut short. */
export const CANCELLED_RESULT = "The call was cancelled: the user stopped the run.";

/** A function call as node-llama-cpp's `LlamaChat` returns it. */
export interface ModelFunctionCall {
  /** One of the offered functions (the grammar allows no other). */
  functionName: string;
  /** The arguments as the model wrote them, for the converted schema (nulls included). */
  params: unknown;
  /** The call's text as generated, so that the history renders to the same tokens. */
  raw: LlamaTextJSON;
}

/** A call of the round: what the app sees, and what the model wrote. */
export interface PreparedCall {
  /** The call as the app sees it: a new id, the arguments without the model's nulls for optional fields. */
  call: ToolCall;
  /** The arguments as the model wrote them (rendered back into the history). */
  modelParams: unknown;
  /** The call's text as generated. */
  rawCall: LlamaTextJSON;
}

/** A new tool call id, unique across runs (`call_` and 32 hex digits, like OpenAI's). */
export function newToolCallId(): string {
  return `call_${randomUUID().replaceAll("-", "")}`;
}

/** Gives each call an id and restores its arguments against the offered function's original schema. */
export function prepareCalls(calls: readonly ModelFunctionCall[], functions: readonly ChatFunction[]): PreparedCall[] {
  return calls.map(({ functionName, params, raw }) => {
    const schema = functions.find((candidate) => candidate.name === functionName)?.parameters;
    const args = schema === undefined ? (isRecord(params) ? params : {}) : restoreArguments(params, schema);
    return { call: { id: newToolCallId(), name: functionName, arguments: args }, modelParams: params, rawCall: raw };
  });
}

/**
 * Runs the calls concurrently; resolves with their results in call order, emitting a
 * `functionResult` event as each ends. An unknown function, a function that throws and
 * a call still running when `signal` aborts (it is not waited for) become results marked
 * `isError`, for the model to read.
 */
export async function runFunctionCalls(
  calls: readonly ToolCall[],
  functions: readonly ChatFunction[],
  signal: AbortSignal,
  emit: (event: RunnerEvent) => void,
): Promise<FunctionResult[]> {
  return Promise.all(
    calls.map(async (call) => {
      const started = performance.now();
      const result = await resultOf(call, functions, signal);
      emit({ type: "functionResult", call, result, durationMs: performance.now() - started });
      return result;
    }),
  );
}

async function resultOf(call: ToolCall, functions: readonly ChatFunction[], signal: AbortSignal): Promise<FunctionResult> {
  const chatFunction = functions.find((candidate) => candidate.name === call.name);
  if (chatFunction === undefined) {
    const names = functions.map((candidate) => candidate.name).join(", ") || "none";
    return { content: `There is no function named "${call.name}". Available functions: ${names}.`, isError: true };
  }
  if (signal.aborted) return { content: CANCELLED_RESULT, isError: true };
  let stopWaiting = () => {};
  const cancelled = new Promise<FunctionResult>((resolve) => {
    const onAbort = () => resolve({ content: CANCELLED_RESULT, isError: true });
    signal.addEventListener("abort", onAbort, { once: true });
    stopWaiting = () => signal.removeEventListener("abort", onAbort);
  });
  try {
    return await Promise.race([chatFunction.call(call.arguments, signal), cancelled]);
  } catch (error) {
    if (signal.aborted) return { content: CANCELLED_RESULT, isError: true };
    return { content: `The function failed: ${error instanceof Error ? error.message : String(error)}`, isError: true };
  } finally {
    stopWaiting();
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
