/**
 * The calls of one local model response, made ready to run: fresh ids, and arguments
 * restored to what the functions expect. `../function-calls.ts` runs them.
 */
import type { LlamaTextJSON } from "node-llama-cpp";
import { restoreArguments } from "../function-schema.js";
import { newToolCallId } from "../function-calls.js";
import type { ChatFunction, ToolCall } from "../runner.js";


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


/** Gives each call an id and restores its arguments against the offered function's original schema. */
export function prepareCalls(calls: readonly ModelFunctionCall[], functions: readonly ChatFunction[]): PreparedCall[] {
  return calls.map(({ functionName, params, raw }) => {
    const schema = functions.find((candidate) => candidate.name === functionName)?.parameters;
    const args = schema === undefined ? (isRecord(params) ? params : {}) : restoreArguments(params, schema);
    return { call: { id: newToolCallId(), name: functionName, arguments: args }, modelParams: params, rawCall: raw };
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
