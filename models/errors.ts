/**
 * Errors of the local inference engine (loading llama.cpp, loading a model, creating a
 * context). Branch on `code`, never on the message text: messages are for people and may
 * change; codes are stable.
 */

/** The stable codes of {@link ModelError}. */
export type ModelErrorCode =
  /** The model file does not exist (or cannot be opened); the message names the path. */
  | "model_not_found"
  /** The file is not a GGUF model, or llama.cpp could not load it (damaged, truncated, unsupported architecture). */
  | "invalid_model"
  /** Too little RAM or VRAM for the model or the context; the message suggests fewer GPU layers or a smaller context. */
  | "out_of_memory"
  /** The load was cancelled through its AbortSignal. */
  | "load_cancelled"
  /** No llama.cpp binary could be loaded for this machine, not even the CPU one (it is never built at run time). */
  | "no_backend"
  /** An option is out of range (threads, gpuLayers, contextSize, batchSize). */
  | "invalid_options"
  /** The engine or the loaded model was disposed before the call. */
  | "disposed";

/** A local fault of the engine, with a stable {@link ModelErrorCode}. */
export class ModelError extends Error {
  /** What went wrong, for code to branch on. */
  readonly code: ModelErrorCode;

  /**
   * @param code - the stable code.
   * @param message - a sentence for people (names the path or the setting at fault).
   * @param options - `cause`: the underlying error (node-llama-cpp's, the file system's).
   */
  constructor(code: ModelErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ModelError";
    this.code = code;
  }
}

/** Whether `error` is a {@link ModelError}, and of `code` when one is given. */
export function isModelError(error: unknown, code?: ModelErrorCode): error is ModelError {
  return error instanceof ModelError && (code === undefined || error.code === code);
}
