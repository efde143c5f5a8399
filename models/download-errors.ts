/**
 * Errors of the model files side of `models/`: reading GGUF headers, the catalog folder,
 * resolving model URIs and downloading. Branch on `code`, never on the message text:
 * messages are for people and may change.
 * A subclass of `ModelError` (errors.ts) with codes of its own.
 */
import { ModelError } from "./errors.js";

export type ModelFileErrorCode =
  /** The file (or the catalog entry) does not exist. */
  | "file_not_found"
  /** The file does not start with the GGUF magic bytes: not a GGUF model. */
  | "not_gguf"
  /** The GGUF header is damaged, or the file is shorter than its tensors say (truncated). */
  | "gguf_invalid"
  /** A file name given for the catalog is empty, has a path separator, or is not `*.gguf`. */
  | "invalid_file_name"
  /** The catalog already holds a file of that name (pass `overwrite` to replace it). */
  | "already_exists"
  /** Reading or writing a file failed (permissions, disk full…); see `cause`. */
  | "file_io"
  /** A model URI or URL could not be parsed (`hf:user/repo[:quant]`, `hf:user/repo/file.gguf`, https URL). */
  | "invalid_uri"
  /** The Hugging Face repository has no single-file GGUF that matches the request. */
  | "no_matching_file"
  /** Several files of the repository match the quantisation; name the file instead. */
  | "ambiguous_file"
  /** The server answered with an HTTP error status (404, 500…); the message names the URL. */
  | "http_status"
  /** The connection failed or broke before the whole file arrived; the `.part` file is kept for a resume. */
  | "network"
  /** The downloaded bytes do not have the expected SHA-256 (or size); the file was not kept. */
  | "checksum_mismatch"
  /** Another download (this process or another) is writing the same file now; see `path` for its lock. */
  | "download_in_progress"
  /** The caller's AbortSignal fired; the `.part` file is kept for a resume. */
  | "cancelled";

/** An error with a stable `code`; `url` and `path` name what it concerns when known. */
export class ModelFileError extends ModelError<ModelFileErrorCode> {
  override readonly name = "ModelFileError";
  constructor(
    code: ModelFileErrorCode,
    message: string,
    readonly details: { cause?: unknown; url?: string; path?: string; status?: number } = {},
  ) {
    super(code, message, details);
  }
}

/** The message of anything thrown, for error texts. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
