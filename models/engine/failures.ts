/**
 * Turns node-llama-cpp's failures into {@link ModelError}s with stable codes, and checks
 * numeric options before they reach llama.cpp (where a bad one can crash the process).
 */
import { DisposedError, InsufficientMemoryError } from "node-llama-cpp";
import { ModelError } from "../errors.js";

/**
 * The largest context accepted, in tokens (2^24, about 16.7 million). node-llama-cpp's
 * memory check for a context itself allocates memory in proportion to the size (about
 * 5 GB for 100 million tokens on the 1-layer test model, measured) and a size of
 * 2 billion killed the process, so absurd sizes are refused before it runs. No model
 * that exists needs more, and none would fit in memory at this size.
 */
export const MAX_CONTEXT_SIZE = 2 ** 24;

/** What was being done, for the messages. */
export interface FailureContext {
  /** The model file. */
  path: string;
  /** The caller's signal: aborted means the caller cancelled. */
  signal: AbortSignal | undefined;
  /** Aborted when the engine is being disposed. */
  disposeSignal: AbortSignal;
  /** What to try when memory runs out (a sentence fragment, e.g. "try fewer GPU layers"). */
  memoryAdvice: string;
  /** How to name a failure that is none of the above: loading the model or creating a context. */
  otherCode: "invalid_model" | undefined;
}

/** The {@link ModelError} for `error` thrown while loading a model or creating a context; other errors come back unchanged where `otherCode` is undefined. */
export function toModelError(error: unknown, context: FailureContext): unknown {
  if (error instanceof ModelError) return error;
  if (context.disposeSignal.aborted || error instanceof DisposedError) {
    return new ModelError("disposed", `The engine was disposed while loading ${context.path}`, { cause: error });
  }
  if (context.signal?.aborted) return new ModelError("load_cancelled", `Loading ${context.path} was cancelled`, { cause: error });
  if (error instanceof InsufficientMemoryError) {
    return new ModelError("out_of_memory", `Not enough memory for ${context.path}: ${error.message}; ${context.memoryAdvice}`, { cause: error });
  }
  if (context.otherCode === "invalid_model") {
    const message = error instanceof Error ? error.message : String(error);
    return new ModelError("invalid_model", `llama.cpp could not load ${context.path} (${message}); the file may be damaged or of an unsupported architecture`, {
      cause: error,
    });
  }
  return error;
}

/** Checks a whole number of at least `min`; `name` is the option's name for the message. */
export function requireWholeNumber(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new ModelError("invalid_options", `${name} must be a whole number of at least ${min}, got ${value}`);
  }
  return value;
}

/** Checks a context size in tokens: "auto", or a whole number from 1 to {@link MAX_CONTEXT_SIZE}. */
export function requireContextSize(value: "auto" | number): "auto" | number {
  if (value === "auto") return value;
  requireWholeNumber("contextSize", value, 1);
  if (value > MAX_CONTEXT_SIZE) {
    throw new ModelError(
      "out_of_memory",
      `A context of ${value} tokens cannot fit in memory (at most ${MAX_CONTEXT_SIZE} tokens are accepted); choose a smaller context size, or "auto" for what fits`,
    );
  }
  return value;
}
