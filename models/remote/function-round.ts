/**
 * The calls of one remote model response, made ready to run: arguments parsed from their
 * JSON text and restored against the offered function's schema (nulls for optional fields
 * dropped, as for the local runner). `../function-calls.ts` runs them.
 */
import type { ChatFunction, FunctionResult, RunnerEvent, ToolCall } from "../runner.js";
import { runFunctionCalls } from "../function-calls.js";
import { restoreArguments } from "../function-schema.js";
import { parseToolArguments, type StreamedToolCall } from "./tool-calls.js";

/** A call of the round: what the app sees, and why it cannot run if it cannot. */
export interface PreparedCall {
  call: ToolCall;
  /** The arguments text as the model wrote it (sent back verbatim within the run). */
  argumentsText: string;
  /** Set when the arguments were not a JSON object: the call's result, without running it. */
  argumentsError?: string;
}

/**
 * Parses the calls' arguments. A call whose arguments are not a JSON object gets `{}` as
 * its `arguments` (the contract's type has no room for bad text) and an `argumentsError`.
 */
export function prepareCalls(calls: readonly StreamedToolCall[], functions: readonly ChatFunction[]): PreparedCall[] {
  return calls.map(({ id, name, argumentsText }) => {
    const parsed = parseToolArguments(argumentsText);
    if (!parsed.ok) return { call: { id, name, arguments: {} }, argumentsText, argumentsError: parsed.error };
    const schema = functions.find((candidate) => candidate.name === name)?.parameters;
    return { call: { id, name, arguments: schema === undefined ? parsed.value : restoreArguments(parsed.value, schema) }, argumentsText };
  });
}

/** Runs the prepared calls (see `../function-calls.ts`); a call with bad arguments is not run. */
export function runPreparedCalls(
  calls: readonly PreparedCall[],
  functions: readonly ChatFunction[],
  signal: AbortSignal,
  onEvent: ((event: RunnerEvent) => void) | undefined,
): Promise<FunctionResult[]> {
  const errors = new Map(calls.flatMap((prepared) => (prepared.argumentsError === undefined ? [] : [[prepared.call.id, prepared.argumentsError] as const])));
  return runFunctionCalls(calls.map((prepared) => prepared.call), functions, signal, onEvent, errors);
}
