/**
 * Running one round of function calls, the same for every runner: the calls a model
 * response asked for run concurrently with the run's AbortSignal, and each ends with a
 * result for the model to read, never a rejection.
 */
import { randomUUID } from "node:crypto";
import type { ChatFunction, FunctionResult, RunnerEvent, ToolCall } from "./runner.js";

/** The result text of a call that the run's signal cut short. */
export const CANCELLED_RESULT = "The call was cancelled: the user stopped the run.";

/** A new tool call id, unique across runs (`call_` and 32 hex digits, like OpenAI's). */
export function newToolCallId(): string {
  return `call_${randomUUID().replaceAll("-", "")}`;
}

/**
 * Runs the calls concurrently; resolves with their results in call order, emitting a
 * `functionResult` event as each ends. A call listed in `presetErrors` (by id: arguments
 * that were not a JSON object, say) is not run and gets that text as an error result. An
 * unknown function, a function that throws, and a call still running when `signal` aborts
 * (it is not waited for) become results marked `isError`.
 */
export async function runFunctionCalls(
  calls: readonly ToolCall[],
  functions: readonly ChatFunction[],
  signal: AbortSignal,
  emit: ((event: RunnerEvent) => void) | undefined,
  presetErrors: ReadonlyMap<string, string> = new Map(),
): Promise<FunctionResult[]> {
  return Promise.all(
    calls.map(async (call) => {
      const started = performance.now();
      const preset = presetErrors.get(call.id);
      const result = preset === undefined ? await resultOf(call, functions, signal) : { content: preset, isError: true };
      emit?.({ type: "functionResult", call, result, durationMs: performance.now() - started });
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
    return await Promise.race([chatFunction.call(call.arguments, signal, call), cancelled]);
  } catch (error) {
    if (signal.aborted) return { content: CANCELLED_RESULT, isError: true };
    return { content: `The function failed: ${error instanceof Error ? error.message : String(error)}`, isError: true };
  } finally {
    stopWaiting();
  }
}
