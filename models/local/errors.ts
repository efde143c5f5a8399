/**
 * Errors of the local chat runner. Branch on `code`, never on the message text: messages
 * are for people and may change. A failed function call is not an error here: it goes
 * back to the model as a tool result marked `isError`.
 */
import { ModelError } from "../errors.js";

export type LocalRunnerErrorCode =
  /** The runner's options are unusable (an unknown chat wrapper name). */
  | "invalid_options"
  /** The runner, its LlamaChat or its context sequence was disposed. */
  | "disposed"
  /** The prompt does not fit the context and the request said `contextOverflow: "error"`. */
  | "context_overflow"
  /** node-llama-cpp failed to generate (the context is too small for the prompt, a native error…); see `cause`. */
  | "generation_failed";

/** An error of the local runner with a stable `code`. */
export class LocalRunnerError extends ModelError<LocalRunnerErrorCode> {
  override readonly name = "LocalRunnerError";
}
