/**
 * Tool calls as OpenAI-compatible servers stream them: each `delta.tool_calls[]` entry
 * carries an `index` and some of `id`, `function.name` and a fragment of
 * `function.arguments` (a JSON text cut anywhere). They are put together by index here and
 * the arguments parsed once the response is complete.
 */
import { randomUUID } from "node:crypto";

/** One entry of a streamed `delta.tool_calls` array, as loosely as servers send it. */
export interface ToolCallDelta {
  index?: number;
  id?: string | null;
  type?: string | null;
  function?: { name?: string | null; arguments?: string | null } | null;
}

/** A call put together from its deltas, its arguments still JSON text. */
export interface StreamedToolCall {
  id: string;
  name: string;
  argumentsText: string;
}

/** Puts streamed tool-call deltas together, by `index`, in the order the calls first appear. */
export class ToolCallAccumulator {
  private readonly calls = new Map<number, { id: string; name: string; argumentsText: string }>();
  private lastIndex: number | undefined;

  /** Adds the deltas of one chunk. */
  add(deltas: readonly ToolCallDelta[]): void {
    for (const delta of deltas) {
      const index = this.indexOf(delta);
      this.lastIndex = index;
      let call = this.calls.get(index);
      if (call === undefined) {
        call = { id: "", name: "", argumentsText: "" };
        this.calls.set(index, call);
      }
      if (delta.id) call.id = delta.id;
      const name = delta.function?.name;
      // OpenAI sends the name whole in the call's first delta; a server that repeats it in
      // later deltas must not get it doubled, one that cuts it in pieces gets it joined.
      if (name && name !== call.name) call.name += name;
      const fragment = delta.function?.arguments;
      if (fragment) call.argumentsText += fragment;
    }
  }

  /** True until the first delta arrives. */
  get isEmpty(): boolean {
    return this.calls.size === 0;
  }

  /** The calls in index order; a call the server sent no id for gets a fresh `call_…` id. */
  finish(): StreamedToolCall[] {
    return [...this.calls.entries()]
      .sort(([left], [right]) => left - right)
      .map(([, call]) => ({ ...call, id: call.id || `call_${randomUUID().replaceAll("-", "")}` }));
  }

  /**
   * The index of a delta. Some servers leave `index` out: a delta with an id not seen yet
   * then starts a new call, and one without an id continues the last call.
   */
  private indexOf(delta: ToolCallDelta): number {
    if (typeof delta.index === "number") return delta.index;
    const last = this.lastIndex;
    if (last === undefined) return 0;
    if (delta.id && this.calls.get(last)?.id && this.calls.get(last)?.id !== delta.id) return Math.max(...this.calls.keys()) + 1;
    return last;
  }
}

/** Arguments parsed, or why they could not be. */
export type ParsedArguments = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

/**
 * Parses a call's arguments JSON. An empty text means no arguments (some servers send ""
 * for a function without parameters). Anything but a JSON object is an error, worded for
 * the model, which reads it as the call's result and may try again.
 */
export function parseToolArguments(text: string): ParsedArguments {
  if (text.trim() === "") return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `The arguments are not valid JSON (${reason}). Call the function again with a JSON object of arguments.` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, error: "The arguments must be a JSON object. Call the function again with a JSON object of arguments." };
  }
  return { ok: true, value: value as Record<string, unknown> };
}
