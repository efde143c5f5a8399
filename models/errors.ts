/**
 * Errors of `models/`. Branch on `code`, never on the message text: messages are for
 * people and may change; codes are stable. `ModelError` carries the engine's codes (loading
 * llama.cpp, loading a model, creating a context); the runners and the download code have
 * subclasses with codes of their own (`LocalRunnerError`, `RemoteModelError`,
 * `ModelFileError`), so one `instanceof ModelError` catches any of them.
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

/** A fault in `models/`, with a stable code ({@link ModelErrorCode} for the engine's own). */
export class ModelError<Code extends string = ModelErrorCode> extends Error {
  /** What went wrong, for code to branch on. */
  readonly code: Code;

  /**
   * @param code - the stable code.
   * @param message - a sentence for people (names the path or the setting at fault).
   * @param options - `cause`: the underlying error (node-llama-cpp's, the file system's).
   */
  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ModelError";
    this.code = code;
  }
}

/** Whether `error` is a {@link ModelError} (or a subclass), and of `code` when one is given. */
export function isModelError<Code extends string = ModelErrorCode>(error: unknown, code?: Code): error is ModelError<Code> {
  return error instanceof ModelError && (code === undefined || error.code === code);
}
