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
import type { RemoteProvider } from "./model-sources.js";

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

/** How {@link ModelHost.load} loads a local model; each left out takes the host's own setting. */
export interface LoadSettings {
  /** Layers offloaded to the GPU: `"auto"` (what fits), `"max"` (all) or a number. */
  gpuLayers?: "auto" | "max" | number | undefined;
  /** Context size in tokens, or `"auto"`: the most that fits, up to the model's training size. */
  contextSize?: "auto" | number | undefined;
}

/** The models a front end offers, the one in memory, and the models page's controls over them. */
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
  /** The folder whose GGUF files are offered; undefined when the host has none (a fixed runner). */
  readonly modelsFolder: string | undefined;
  /**
   * Makes `modelId` the model in memory with `settings` (reloading it when it is loaded
   * with other settings), after the leases before it are released. Progress shows in
   * `status()` (`loading` with `progress` 0..1, then `loaded` with the backend, layers,
   * VRAM and context size). Throws {@link ModelHostError}.
   */
  load(modelId: string, settings?: LoadSettings, signal?: AbortSignal): Promise<void>;
  /** Frees the model in memory once no turn holds it; false when none was loaded. */
  unload(signal?: AbortSignal): Promise<boolean>;
  /**
   * Replaces the remote provider (undefined: none) from now on; a remote model in use is
   * reopened with the new settings on its next turn.
   */
  setRemote(remote: RemoteProvider | undefined): void;
  /** Unloads what is loaded; later `acquire`s throw `closed`. */
  dispose(): Promise<void>;
}
