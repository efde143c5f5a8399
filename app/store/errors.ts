/**
 * Errors of the conversation store. Branch on `code`, never on the message text: messages
 * are for people and may change; codes are stable.
 */

/** The stable codes of {@link StoreError}. */
export type StoreErrorCode =
  /** No conversation, message, turn or tool call has that id; the message names it. */
  | "not_found"
  /** The database was written by a newer Hearth (its schema version is above the newest this one knows). */
  | "newer_schema"
  /** The file could not be opened or is not a Hearth database (a folder, not SQLite, no permission). */
  | "open_failed"
  /** A value cannot be stored: not representable as JSON, not of the contract's shape, or an id already taken. */
  | "invalid_value";

/** A fault of the conversation store, with a stable {@link StoreErrorCode}. */
export class StoreError extends Error {
  override readonly name = "StoreError";
  /** What went wrong, for code to branch on. */
  readonly code: StoreErrorCode;

  /**
   * @param code - the stable code.
   * @param message - a sentence for people that names what is wrong (the id, the path, the setting).
   * @param options - `cause`: the underlying error (SQLite's, the file system's).
   */
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** Whether `error` is a {@link StoreError}, and of `code` when one is given. */
export function isStoreError(error: unknown, code?: StoreErrorCode): error is StoreError {
  return error instanceof StoreError && (code === undefined || error.code === code);
}

/** The `not_found` error for a record of `kind` ("conversation", "message"…) with `id`. */
export function notFound(kind: string, id: string): StoreError {
  return new StoreError("not_found", `${kind} "${id}" not found`);
}
