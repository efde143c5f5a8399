/**
 * One round of function calls: the calls a model response asked for, checked against the
 * offered functions, run concurrently with the run's AbortSignal, each result (or failure)
 * ready to go back to the model as a tool message.
 */
import type { ChatFunction, FunctionResult, RunnerEvent, ToolCall } from "../runner.js";
import { dropNullOptionalArguments, parseToolArguments, type StreamedToolCall } from "./tool-calls.js";

/** A call of the round: what the app sees, and why it cannot run if it cannot. */
export interface PreparedCall {
  call: ToolCall;
  /** The arguments text as the model wrote it (sent back verbatim within the run). */
  argumentsText: string;
  /** Set when the arguments were not a JSON object: the call's result, without running it. */
  argumentsError?: string;
}

/** The result text of a call that the run's signal cut short. */
export const CANCELLED_RESULT = "The call was cancelled: the user stopped the run.";

/**
 * Parses the calls' arguments. A call whose arguments are not a JSON object gets `{}` as
 * its `arguments` (the contract's type has no room for bad text) and an `argumentsError`.
 */
export function prepareCalls(calls: readonly StreamedToolCall[], functions: readonly ChatFunction[]): PreparedCall[] {
  return calls.map(({ id, name, argumentsText }) => {
    const parsed = parseToolArguments(argumentsText);
    if (!parsed.ok) return { call: { id, name, arguments: {} }, argumentsText, argumentsError: parsed.error };
    const schema = functions.find((candidate) => candidate.name === name)?.parameters;
    return { call: { id, name, arguments: dropNullOptionalArguments(parsed.value, schema) }, argumentsText };
  });
}

/**
 * Runs the calls concurrently and resolves with their results in call order. Emits a
 * `functionResult` event as each one ends. A call never rejects: bad arguments, an unknown
 * function, a function that throws, and a call still running when `signal` aborts (it is
 * not waited for) all become results marked `isError`, for the model to read.
 */
export async function runFunctionCalls(
  calls: readonly PreparedCall[],
  functions: readonly ChatFunction[],
  signal: AbortSignal,
  onEvent: ((event: RunnerEvent) => void) | undefined,
): Promise<FunctionResult[]> {
  return Promise.all(
    calls.map(async (prepared) => {
      const started = performance.now();
      const result = await resultOf(prepared, functions, signal);
      onEvent?.({ type: "functionResult", call: prepared.call, result, durationMs: performance.now() - started });
      return result;
    }),
  );
}

async function resultOf(prepared: PreparedCall, functions: readonly ChatFunction[], signal: AbortSignal): Promise<FunctionResult> {
  if (prepared.argumentsError !== undefined) return { content: prepared.argumentsError, isError: true };
  const chatFunction = functions.find((candidate) => candidate.name === prepared.call.name);
  if (chatFunction === undefined) {
    const names = functions.map((candidate) => candidate.name).join(", ") || "none";
    return { content: `There is no function named "${prepared.call.name}". Available functions: ${names}.`, isError: true };
  }
  if (signal.aborted) return { content: CANCELLED_RESULT, isError: true };
  let stopWaiting: (() => void) | undefined;
  const cancelled = new Promise<FunctionResult>((resolve) => {
    const onAbort = () => resolve({ content: CANCELLED_RESULT, isError: true });
    signal.addEventListener("abort", onAbort, { once: true });
    stopWaiting = () => signal.removeEventListener("abort", onAbort);
  });
  try {
    return await Promise.race([chatFunction.call(prepared.call.arguments, signal), cancelled]);
  } catch (error) {
    if (signal.aborted) return { content: CANCELLED_RESULT, isError: true };
    return { content: `The function failed: ${error instanceof Error ? error.message : String(error)}`, isError: true };
  } finally {
    stopWaiting?.();
  }
}
