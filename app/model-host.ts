/**
 * Which model runs a conversation's turn. The UI lets each conversation pick a model
 * (`conversations.setModel`, a `models.list` id); the host owns what is in memory and
 * hands a runner out for one turn at a time.
 *
 * A turn holds its runner through a {@link ModelLease}: a local model has one context
 * sequence, so two turns cannot share it at once, and a model cannot be unloaded for
 * another while a turn still runs on it. `acquire` therefore waits for the lease before
 * it, and switching models waits until the old one is released.
 */
import type { ModelChoice, ModelStatus } from "./contract/channels.js";
import type { ChatRunner } from "../models/runner.js";

/** A runner held for one turn; `release()` (idempotent) lets the next turn or a model switch go on. */
export interface ModelLease {
  readonly runner: ChatRunner;
  /** The `models.list` id of the model behind `runner`. */
  readonly modelId: string;
  release(): void;
}

/** Thrown by {@link ModelHost.acquire}; `code` crosses the UI boundary as it is. */
export class ModelHostError extends Error {
  override readonly name = "ModelHostError";

  /**
   * @param code - `no_model` (nothing chosen and no default), `model_not_found` (the id is
   *   not in `list()`), `model_load_failed` (the file could not be loaded; the message says why),
   *   `cancelled` (the signal fired while waiting or loading), `closed` (disposed).
   */
  constructor(
    readonly code: "no_model" | "model_not_found" | "model_load_failed" | "cancelled" | "closed",
    message: string,
  ) {
    super(message);
  }
}

/** The models a front end offers and the one in memory. */
export interface ModelHost {
  /** Every model a conversation may choose, the loaded one and the default marked. */
  list(): Promise<ModelChoice[]>;
  /**
   * The runner for `modelId` (undefined: the default), loading it first, and unloading
   * the one in memory, when it is not loaded. Waits for the lease before it. Throws
   * {@link ModelHostError}.
   */
  acquire(modelId: string | undefined, signal?: AbortSignal): Promise<ModelLease>;
  /** What `model.getStatus` answers. */
  status(): ModelStatus;
  /** Called on every change of `status()`; returns the unsubscribe function. */
  onStatusChanged(listener: (status: ModelStatus) => void): () => void;
  /** Unloads what is loaded; later `acquire`s throw `closed`. */
  dispose(): Promise<void>;
}
