/**
 * A {@link ModelHost} over one runner given by its owner (or none): for tests and anything
 * with a single model. It never loads or unloads; leases are exclusive and first come,
 * first served, as the local host's are.
 */
import type { ChatRunner } from "../models/runner.js";
import type { ModelChoice, ModelStatus } from "./contract/channels.js";
import { LeaseQueue } from "./lease-queue.js";
import { ModelHostError, type ModelHost } from "./model-host.js";

/** Options of {@link fixedModelHost}. */
export interface FixedModelOptions {
  /** Its `models.list` id. Default: from the runner's description (`local: x.gguf` → `local:x.gguf`). */
  modelId?: string;
  /** What the picker shows. Default: the id without its `local:`/`remote:` prefix. */
  label?: string;
}

/**
 * A host that offers `runner` alone, as the default, loaded. With `undefined` it offers
 * nothing: `acquire` throws `no_model` and the status is `none`. `load` of its one model
 * does nothing, `unload` and `setRemote` nothing either; `dispose()` leaves the runner to its owner.
 */
export function fixedModelHost(runner: ChatRunner | undefined, options: FixedModelOptions = {}): ModelHost {
  const leases = new LeaseQueue();
  const modelId = options.modelId ?? idFromDescription(runner?.description ?? "");
  let closed = false;
  return {
    async list(): Promise<ModelChoice[]> {
      if (runner === undefined) return [];
      const kind = modelId.startsWith("remote:") ? "remote" : "local";
      return [{ id: modelId, label: options.label ?? modelId.replace(/^(local|remote):/, ""), kind, loaded: true, isDefault: true }];
    },
    async acquire(wanted, signal) {
      if (closed) throw new ModelHostError("closed", "the model host is closed");
      if (runner === undefined) throw new ModelHostError("no_model", "no model is loaded: load a local model or choose a remote provider first");
      if (wanted !== undefined && wanted !== modelId) throw new ModelHostError("model_not_found", `no model "${wanted}": only "${modelId}" is offered`);
      const release = await leases.wait(signal);
      return { runner, modelId, release };
    },
    status(): ModelStatus {
      return runner === undefined ? { state: "none" } : { state: "loaded", description: runner.description };
    },
    modelsFolder: undefined,
    async load(wanted) {
      if (closed) throw new ModelHostError("closed", "the model host is closed");
      if (runner === undefined) throw new ModelHostError("no_model", "no model is loaded: load a local model or choose a remote provider first");
      // The only model is always loaded; there is nothing to do.
      if (wanted !== modelId) throw new ModelHostError("model_not_found", `no model "${wanted}": only "${modelId}" is offered`);
    },
    async unload() {
      // Its owner frees the runner.
      return false;
    },
    setRemote() {
      // A fixed host offers its one runner and no provider.
    },
    onStatusChanged() {
      // The status never changes.
      return () => {};
    },
    async dispose() {
      closed = true;
      leases.failAll(new ModelHostError("closed", "the model host is closed"));
    },
  };
}

/** `local: x.gguf` → `local:x.gguf`; `remote: m at https://…` → `remote:m`. */
function idFromDescription(description: string): string {
  const remote = /^remote: (.+?) at /.exec(description);
  if (remote) return `remote:${remote[1]}`;
  const local = /^local: (.+)$/.exec(description);
  return local ? `local:${local[1]}` : `local:${description || "model"}`;
}
