/**
 * The {@link ModelHost} of the desktop app and of `hearth serve --ui`: the GGUF files of
 * the models folder through llama.cpp, one in memory at a time, and optionally a remote
 * OpenAI-compatible provider. A switch waits for the lease on the old model, unloads it,
 * then loads the new one; the status goes none → loading → loaded (or error, with why).
 */
import type { Engine } from "../models/engine.js";
import type { ChatRunner, SamplingSettings } from "../models/runner.js";
import type { ModelChoice, ModelStatus } from "./contract/channels.js";
import { LeaseQueue } from "./lease-queue.js";
import { ModelHostError, type ModelHost, type ModelLease } from "./model-host.js";
import { defaultModelId, findModelSources, remoteModelId, type ModelSource, type RemoteProvider } from "./model-sources.js";

export type { RemoteProvider } from "./model-sources.js";

/** A model its owner loaded already and hands to the host (`hearth serve --ui` gives the one its API serves). */
export interface PreloadedModel {
  /** Its `models.list` id: `local:<file name>` or `remote:<model name>`. */
  modelId: string;
  runner: ChatRunner;
  /** What the status shows while it is the model in use, e.g. `local: x.gguf (cpu, 2 threads)`. */
  description: string;
  /** Called once by the host's `dispose()`; a no-op when its owner frees it. The host never unloads it before. */
  dispose(): Promise<void>;
}

/** Options of {@link LocalModelHost}. */
export interface LocalModelHostOptions {
  /** The folder whose `*.gguf` files are offered (models/catalog.ts `listModels`; only readable ones). */
  modelsFolder: string;
  /**
   * What a conversation without a choice runs on: a `models.list` id, an absolute GGUF
   * path (offered as `local:<its file name>` even outside the folder) or a file name of the
   * folder. Default: the preloaded model, else the remote provider, else none (`no_model`).
   */
  defaultModel?: string | undefined;
  /** A remote OpenAI-compatible provider, offered as `remote:<model>`. Default: none. */
  remote?: RemoteProvider | undefined;
  /** CPU threads for llama.cpp. Default: models/threads.ts `chooseThreadCount()` (the physical cores). */
  threads?: number | undefined;
  /** Layers offloaded to the GPU: `"auto"` (default), `"max"` or a number. */
  gpuLayers?: "auto" | "max" | number | undefined;
  /** Context size in tokens, or `"auto"` (default): the most that fits, up to the model's training size. */
  contextSize?: "auto" | number | undefined;
  /** Sampling settings under each request's own, for local and remote runners (e.g. `{ temperature: 0 }`). Default: the runners' own. */
  samplingDefaults?: SamplingSettings | undefined;
  /** A model loaded already; kept in memory until `dispose()` (see {@link PreloadedModel}). */
  preloaded?: PreloadedModel | undefined;
}

/** The model in use: its runner and how to free it when another takes its place. */
interface ActiveModel {
  modelId: string;
  runner: ChatRunner;
  description: string;
  unload(): Promise<void>;
}

/** See the file's comment. Leases are exclusive and first come, first served. */
export class LocalModelHost implements ModelHost {
  private readonly leases = new LeaseQueue();
  private readonly listeners = new Set<(status: ModelStatus) => void>();
  private active: ActiveModel | undefined;
  private engine: Promise<Engine> | undefined;
  private current: ModelStatus = { state: "none" };
  private closed = false;

  constructor(private readonly options: LocalModelHostOptions) {
    const preloaded = options.preloaded;
    if (preloaded !== undefined) {
      this.active = preloadedModel(preloaded);
      this.current = { state: "loaded", description: preloaded.description };
    }
  }

  /** The folder's ready models (sorted by file name), then the start-up path, the preloaded model and the remote provider. */
  async list(): Promise<ModelChoice[]> {
    const sources = await this.sources();
    const defaultId = this.defaultId(sources);
    return [...sources.values()].map((source) => {
      const choice: ModelChoice = {
        id: source.id,
        label: source.label,
        kind: source.kind === "preloaded" ? (source.remote ? "remote" : "local") : source.kind,
        loaded: source.id === this.active?.modelId,
        isDefault: source.id === defaultId,
      };
      if (source.kind !== "remote" && source.sizeBytes !== undefined) choice.sizeBytes = source.sizeBytes;
      return choice;
    });
  }

  /**
   * The lease on `modelId` (undefined: the default), after every earlier lease is released;
   * loads it first when another model is in use. Throws ModelHostError `no_model`,
   * `model_not_found` (at once, naming the id), `model_load_failed`, `cancelled`, `closed`.
   */
  async acquire(modelId: string | undefined, signal?: AbortSignal): Promise<ModelLease> {
    this.throwIfClosed();
    const id = modelId ?? this.defaultId(await this.sources());
    if (id === undefined) throw new ModelHostError("no_model", "no model is chosen and there is no default: add a GGUF file to the models folder, or choose a remote provider");
    // Checked before waiting, so a wrong id fails at once rather than after other turns.
    if (id !== this.active?.modelId) await this.find(id);
    const release = await this.leases.wait(signal);
    try {
      this.throwIfClosed();
      const active = id === this.active?.modelId ? this.active : await this.switchTo(await this.find(id), signal);
      return { runner: active.runner, modelId: active.modelId, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  /** The model in use: none, loading, loaded (with its backend and threads) or error (with why). */
  status(): ModelStatus {
    return { ...this.current };
  }

  /** Calls `listener` with each new status; returns the unsubscribe function. */
  onStatusChanged(listener: (status: ModelStatus) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Fails the waiting leases with `closed`, unloads the host's own model and engine, then disposes the preloaded model. Idempotent. */
  async dispose(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.leases.failAll(new ModelHostError("closed", "the model host is closed"));
    const active = this.active;
    this.active = undefined;
    await active?.unload().catch(() => undefined);
    const engine = await this.engine?.catch(() => undefined);
    await engine?.dispose();
    await this.options.preloaded?.dispose();
    this.setStatus({ state: "none" });
  }

  /**
   * The id of the model a conversation without a choice runs on, if any: the configured
   * default, else the preloaded model, else the remote provider, else the folder's first
   * model (someone who has put one model in the folder expects it to be used).
   */
  private defaultId(sources: Map<string, ModelSource>): string | undefined {
    const { defaultModel, preloaded, remote } = this.options;
    if (defaultModel !== undefined && defaultModel !== "") return defaultModelId(defaultModel);
    if (preloaded !== undefined) return preloaded.modelId;
    if (remote !== undefined) return remoteModelId(remote.model);
    return [...sources.values()].find((source) => source.kind === "local")?.id;
  }

  private sources(): Promise<Map<string, ModelSource>> {
    const { modelsFolder, defaultModel, remote, preloaded } = this.options;
    return findModelSources({ modelsFolder, defaultModel, remote, preloadedId: preloaded?.modelId });
  }

  private async find(id: string): Promise<ModelSource> {
    const source = (await this.sources()).get(id);
    if (source === undefined) throw new ModelHostError("model_not_found", `no model "${id}": it is not in the models folder (${this.options.modelsFolder}) nor a configured provider`);
    return source;
  }

  /** Frees the model in use, then makes `source` the one; the caller holds the lease. */
  private async switchTo(source: ModelSource, signal: AbortSignal | undefined): Promise<ActiveModel> {
    const previous = this.active;
    this.active = undefined;
    await previous?.unload();
    if (source.kind === "preloaded") return this.activate(preloadedModel(this.options.preloaded!));
    this.setStatus({ state: "loading", description: source.label });
    try {
      return this.activate(source.kind === "local" ? await this.loadLocal(source, signal) : await this.openRemote(source));
    } catch (error) {
      if (signal?.aborted || this.closed) {
        this.setStatus({ state: "none" });
        throw new ModelHostError(this.closed ? "closed" : "cancelled", `stopped while loading ${source.label}`);
      }
      const reason = error instanceof Error ? error.message : String(error);
      this.setStatus({ state: "error", description: source.label, error: reason });
      throw new ModelHostError("model_load_failed", `cannot load ${source.label}: ${reason}`);
    }
  }

  private activate(active: ActiveModel): ActiveModel {
    this.active = active;
    this.setStatus({ state: "loaded", description: active.description });
    return active;
  }

  private async loadLocal(source: Extract<ModelSource, { kind: "local" }>, signal: AbortSignal | undefined): Promise<ActiveModel> {
    const engine = await this.startEngine();
    const { gpuLayers, contextSize, samplingDefaults } = this.options;
    const loaded = await engine.loadModel(source.path, { gpuLayers: gpuLayers ?? "auto", contextSize: contextSize ?? "auto", ...(signal ? { signal } : {}) });
    try {
      const context = await loaded.createContext(signal ? { signal } : {});
      const { LocalChatRunner } = await import("../models/local-runner.js");
      const runner = new LocalChatRunner({ contextSequence: context.getSequence(), ...(samplingDefaults ? { defaults: samplingDefaults } : {}) });
      return {
        modelId: source.id,
        runner,
        description: `${runner.description} (${engine.backend}, ${engine.threads} thread${engine.threads === 1 ? "" : "s"})`,
        unload: async () => {
          runner.dispose();
          await engine.unloadModel();
        },
      };
    } catch (error) {
      await engine.unloadModel();
      throw error;
    }
  }

  private async openRemote(source: Extract<ModelSource, { kind: "remote" }>): Promise<ActiveModel> {
    const remote = this.options.remote!;
    const { RemoteChatRunner } = await import("../models/remote-runner.js");
    const runner = new RemoteChatRunner({ ...remote, ...(this.options.samplingDefaults ? { defaults: this.options.samplingDefaults } : {}) });
    return { modelId: source.id, runner, description: runner.description, unload: () => runner.dispose() };
  }

  /** The engine, made on the first local load and kept until `dispose()`. */
  private startEngine(): Promise<Engine> {
    this.engine ??= import("../models/engine.js").then(({ createEngine }) => createEngine(this.options.threads === undefined ? {} : { threads: this.options.threads }));
    // A backend that failed to load may load on a later try (e.g. after a driver install).
    this.engine.catch(() => (this.engine = undefined));
    return this.engine;
  }

  private setStatus(status: ModelStatus): void {
    this.current = status;
    for (const listener of [...this.listeners]) {
      try {
        listener({ ...status });
      } catch {
        // A listener's failure is its own.
      }
    }
  }

  private throwIfClosed(): void {
    if (this.closed) throw new ModelHostError("closed", "the model host is closed");
  }
}

/** The preloaded model as the model in use; switching away keeps it in memory (its owner frees it). */
function preloadedModel(preloaded: PreloadedModel): ActiveModel {
  return { modelId: preloaded.modelId, runner: preloaded.runner, description: preloaded.description, unload: async () => {} };
}
