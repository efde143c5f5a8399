/**
 * The {@link ModelHost} of the desktop app and of `hearth serve --ui`: the GGUF files of
 * the models folder through llama.cpp, one in memory at a time, and optionally a remote
 * OpenAI-compatible provider. A switch waits for the lease on the old model, unloads it,
 * then loads the new one; the status goes none → loading (with progress) → loaded (with
 * the backend, GPU layers, VRAM and context size) or error (with why). The folder is read
 * afresh on every call, so downloads and deletes show at once; a turn on the model in
 * memory reads only its file names, not every GGUF header.
 */
import { describeModel, listModelFileNames } from "../models/catalog.js";
import type { Engine } from "../models/engine.js";
import type { ChatRunner, SamplingSettings } from "../models/runner.js";
import { chooseThreadCount } from "../models/threads.js";
import type { ModelChoice, ModelStatus } from "./contract/channels.js";
import { LeaseQueue } from "./lease-queue.js";
import { ModelHostError, type LoadSettings, type ModelHost, type ModelLease } from "./model-host.js";
import { defaultModelId, findModelSources, localModelId, remoteModelId, type ModelSource, type RemoteProvider } from "./model-sources.js";

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

/** The setting the settings page writes the CPU thread count to: a whole number, or `"auto"`. */
export const THREADS_SETTING = "inference.threads";

/** The `threads` option from the {@link THREADS_SETTING} value: its number, or undefined (the default) for `"auto"` or anything else. */
export function threadsFromSetting(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 ? value : undefined;
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
  /**
   * CPU threads for llama.cpp: a number, or a function read at each load (the settings
   * page's `inference.threads` applies from the next load) that may answer undefined for
   * the default. Default: models/threads.ts `chooseThreadCount()` (the physical cores).
   */
  threads?: number | (() => number | undefined) | undefined;
  /** Layers offloaded to the GPU: `"auto"` (default), `"max"` or a number; `load()` may ask for others. */
  gpuLayers?: "auto" | "max" | number | undefined;
  /** Context size in tokens, or `"auto"` (default): the most that fits, up to the model's training size. */
  contextSize?: "auto" | number | undefined;
  /** Sampling settings under each request's own, for local and remote runners (e.g. `{ temperature: 0 }`). Default: the runners' own. */
  samplingDefaults?: SamplingSettings | undefined;
  /** A model loaded already; kept in memory until `dispose()` (see {@link PreloadedModel}). */
  preloaded?: PreloadedModel | undefined;
}

/** The model in use: its runner, what the status says of it, and how to free it when another takes its place. */
interface ActiveModel {
  modelId: string;
  runner: ChatRunner;
  /** The `loaded` status while it is in use. */
  status: ModelStatus;
  /** The settings a local model was loaded with. */
  settings?: Required<LoadSettings>;
  /** A remote model whose provider has changed since it was opened: reopened on its next use. */
  stale?: boolean;
  remote: boolean;
  unload(): Promise<void>;
}

/** Least change of the load progress worth a status event (llama.cpp reports very often). */
const PROGRESS_STEP = 0.01;

/** See the file's comment. Leases are exclusive and first come, first served. */
export class LocalModelHost implements ModelHost {
  private readonly leases = new LeaseQueue();
  private readonly listeners = new Set<(status: ModelStatus) => void>();
  private active: ActiveModel | undefined;
  private engine: Promise<Engine> | undefined;
  private current: ModelStatus = { state: "none" };
  private closed = false;
  private remote: RemoteProvider | undefined;

  constructor(private readonly options: LocalModelHostOptions) {
    this.remote = options.remote;
    const preloaded = options.preloaded;
    if (preloaded !== undefined) {
      this.active = preloadedModel(preloaded);
      this.current = this.active.status;
    }
  }

  /** The folder whose GGUF files are offered. */
  get modelsFolder(): string {
    return this.options.modelsFolder;
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
    const id = modelId ?? (await this.turnDefaultId());
    if (id === undefined) throw new ModelHostError("no_model", "no model is chosen and there is no default: add a GGUF file to the models folder, or choose a remote provider");
    // Checked before waiting, so a wrong id fails at once rather than after other turns.
    if (!this.isInUse(id)) await this.find(id);
    const release = await this.leases.wait(signal);
    try {
      this.throwIfClosed();
      const active = this.isInUse(id) ? this.active! : await this.switchTo(await this.find(id), this.settingsFor(undefined), signal);
      return { runner: active.runner, modelId: active.modelId, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  /**
   * Makes `modelId` the model in memory with `settings` (the host's own where left out),
   * once the leases before it are released; a local model loaded with other settings is
   * loaded again. Throws like {@link LocalModelHost.acquire}.
   */
  async load(modelId: string, settings: LoadSettings = {}, signal?: AbortSignal): Promise<void> {
    this.throwIfClosed();
    await this.find(modelId);
    const wanted = this.settingsFor(settings);
    const release = await this.leases.wait(signal);
    try {
      this.throwIfClosed();
      const active = this.active;
      if (this.isInUse(modelId) && (active?.settings === undefined || sameSettings(active.settings, wanted))) return;
      await this.switchTo(await this.find(modelId), wanted, signal);
    } finally {
      release();
    }
  }

  /** Frees the model in memory once no turn holds it (the status becomes `none`); false when none was loaded. */
  async unload(signal?: AbortSignal): Promise<boolean> {
    this.throwIfClosed();
    const release = await this.leases.wait(signal);
    try {
      const active = this.active;
      this.active = undefined;
      await active?.unload();
      this.setStatus({ state: "none" });
      return active !== undefined;
    } finally {
      release();
    }
  }

  /** Replaces the remote provider; a remote model in use is reopened with it on its next use. */
  setRemote(remote: RemoteProvider | undefined): void {
    this.remote = remote;
    if (this.active?.remote && !this.isPreloaded(this.active.modelId)) this.active.stale = true;
  }

  /** The model in use: none, loading (with progress), loaded (with its backend and threads) or error (with why). */
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
    return this.configuredDefaultId() ?? [...sources.values()].find((source) => source.kind === "local")?.id;
  }

  /** The default that needs no look at the folder: the configured one, the preloaded model or the remote provider. */
  private configuredDefaultId(): string | undefined {
    const { defaultModel, preloaded } = this.options;
    if (defaultModel !== undefined && defaultModel !== "") return defaultModelId(defaultModel);
    if (preloaded !== undefined) return preloaded.modelId;
    if (this.remote !== undefined) return remoteModelId(this.remote.model);
    return undefined;
  }

  /**
   * {@link LocalModelHost.defaultId} for `acquire`, which every turn of a conversation
   * without a choice calls. When the default is the folder's first ready model and the
   * model in memory is a file of the folder, only the headers of the files sorted before
   * it are read (usually none): if none of them is ready, the model in memory (readable,
   * it loaded) is the default. Anything else reads the folder as `list()` does.
   */
  private async turnDefaultId(): Promise<string | undefined> {
    const configured = this.configuredDefaultId();
    if (configured !== undefined) return configured;
    const inUse = this.active?.modelId;
    if (inUse !== undefined && this.isInUse(inUse)) {
      const folder = this.options.modelsFolder;
      const names = await listModelFileNames(folder);
      const index = names.findIndex((name) => localModelId(name) === inUse);
      if (index !== -1) {
        let earlierReady = false;
        for (const name of names.slice(0, index)) {
          earlierReady = (await describeModel(folder, name).catch(() => undefined))?.status === "ready";
          if (earlierReady) break;
        }
        if (!earlierReady) return inUse;
      }
    }
    return this.defaultId(await this.sources());
  }

  private sources(): Promise<Map<string, ModelSource>> {
    const { modelsFolder, defaultModel, preloaded } = this.options;
    return findModelSources({ modelsFolder, defaultModel, remote: this.remote, preloadedId: preloaded?.modelId });
  }

  private async find(id: string): Promise<ModelSource> {
    const source = (await this.sources()).get(id);
    if (source === undefined) throw new ModelHostError("model_not_found", `no model "${id}": it is not in the models folder (${this.options.modelsFolder}) nor a configured provider`);
    return source;
  }

  /** Whether `id` is the model in memory, usable as it is. */
  private isInUse(id: string): boolean {
    return this.active !== undefined && this.active.modelId === id && this.active.stale !== true;
  }

  private isPreloaded(id: string): boolean {
    return this.options.preloaded?.modelId === id;
  }

  /** `settings` over the host's own. */
  private settingsFor(settings: LoadSettings | undefined): Required<LoadSettings> {
    return {
      gpuLayers: settings?.gpuLayers ?? this.options.gpuLayers ?? "auto",
      contextSize: settings?.contextSize ?? this.options.contextSize ?? "auto",
    };
  }

  /** Frees the model in use, then makes `source` the one; the caller holds the lease. */
  private async switchTo(source: ModelSource, settings: Required<LoadSettings>, signal: AbortSignal | undefined): Promise<ActiveModel> {
    const previous = this.active;
    this.active = undefined;
    await previous?.unload();
    if (source.kind === "preloaded") return this.activate(preloadedModel(this.options.preloaded!));
    const loading: ModelStatus = { state: "loading", modelId: source.id, description: source.label, progress: 0 };
    this.setStatus(loading);
    try {
      return this.activate(source.kind === "local" ? await this.loadLocal(source, settings, signal) : await this.openRemote(source));
    } catch (error) {
      if (signal?.aborted || this.closed) {
        this.setStatus({ state: "none" });
        throw new ModelHostError(this.closed ? "closed" : "cancelled", `stopped while loading ${source.label}`);
      }
      const reason = error instanceof Error ? error.message : String(error);
      this.setStatus({ state: "error", modelId: source.id, description: source.label, error: reason });
      throw new ModelHostError("model_load_failed", `cannot load ${source.label}: ${reason}`);
    }
  }

  private activate(active: ActiveModel): ActiveModel {
    this.active = active;
    this.setStatus(active.status);
    return active;
  }

  private async loadLocal(source: Extract<ModelSource, { kind: "local" }>, settings: Required<LoadSettings>, signal: AbortSignal | undefined): Promise<ActiveModel> {
    const engine = await this.startEngine();
    // The thread setting applies from this load on (node-llama-cpp reads it when the context is made).
    engine.llama.maxThreads = this.threadCount();
    const onGpu = engine.backend !== "cpu";
    const vramBefore = onGpu ? await usedVram(engine) : undefined;
    let reported = 0;
    const onLoadProgress = (progress: number) => {
      if (progress < 1 && progress - reported < PROGRESS_STEP) return;
      reported = progress;
      this.setStatus({ state: "loading", modelId: source.id, description: source.label, progress });
    };
    const loaded = await engine.loadModel(source.path, { ...settings, onLoadProgress, ...(signal ? { signal } : {}) });
    try {
      const context = await loaded.createContext(signal ? { signal } : {});
      const { LocalChatRunner } = await import("../models/local-runner.js");
      const { samplingDefaults } = this.options;
      const runner = new LocalChatRunner({ contextSequence: context.getSequence(), ...(samplingDefaults ? { defaults: samplingDefaults } : {}) });
      const info = loaded.info;
      const vramAfter = onGpu ? await usedVram(engine) : undefined;
      const status: ModelStatus = {
        state: "loaded",
        modelId: source.id,
        description: `${runner.description} (${engine.backend}, ${engine.threads} thread${engine.threads === 1 ? "" : "s"})`,
        backend: engine.backend,
        gpuLayers: info.offloadedLayers,
        totalLayers: info.totalLayers,
        contextSize: context.contextSize,
      };
      if (vramBefore !== undefined && vramAfter !== undefined) status.vramBytes = Math.max(0, vramAfter - vramBefore);
      return {
        modelId: source.id,
        runner,
        status,
        settings,
        remote: false,
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
    const remote = this.remote!;
    const { RemoteChatRunner } = await import("../models/remote-runner.js");
    const runner = new RemoteChatRunner({ ...remote, ...(this.options.samplingDefaults ? { defaults: this.options.samplingDefaults } : {}) });
    return {
      modelId: source.id,
      runner,
      status: { state: "loaded", modelId: source.id, description: runner.description, backend: "remote" },
      remote: true,
      unload: () => runner.dispose(),
    };
  }

  /** The thread setting as it is now: a whole number of at least 1, else the default. */
  private threadCount(): number {
    const { threads } = this.options;
    return threadsFromSetting(typeof threads === "function" ? threads() : threads) ?? chooseThreadCount();
  }

  /** The engine, made on the first local load and kept until `dispose()`. */
  private startEngine(): Promise<Engine> {
    this.engine ??= import("../models/engine.js").then(({ createEngine }) => createEngine({ threads: this.threadCount() }));
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

/** Whether two load settings ask for the same thing. */
function sameSettings(left: Required<LoadSettings>, right: Required<LoadSettings>): boolean {
  return left.gpuLayers === right.gpuLayers && left.contextSize === right.contextSize;
}

/** GPU memory in use now, in bytes; undefined when the backend cannot say. */
async function usedVram(engine: Engine): Promise<number | undefined> {
  return engine.llama.getVramState().then(
    (state) => state.used,
    () => undefined,
  );
}

/** The preloaded model as the model in use; switching away keeps it in memory (its owner frees it). */
function preloadedModel(preloaded: PreloadedModel): ActiveModel {
  const remote = preloaded.modelId.startsWith("remote:");
  return {
    modelId: preloaded.modelId,
    runner: preloaded.runner,
    status: { state: "loaded", modelId: preloaded.modelId, description: preloaded.description, ...(remote ? { backend: "remote" } : {}) },
    remote,
    unload: async () => {},
  };
}
