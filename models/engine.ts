/**
 * The local inference engine: llama.cpp through node-llama-cpp. An {@link Engine} owns the
 * backend (node-llama-cpp's `Llama`) and at most one {@link LoadedModel}, which owns the
 * model and its contexts. Loading another model unloads the previous one first, so two
 * models never compete for memory. The chat runner takes `loadedModel.model` and a
 * context from `loadedModel.createContext()`.
 *
 * ```ts
 * const engine = await createEngine();                 // gpu "auto", threads from the cores
 * const loaded = await engine.loadModel(path, { onLoadProgress, signal });
 * const context = await loaded.createContext();         // contextSize "auto": what fits
 * const sequence = context.getSequence();
 * await engine.dispose();                                // frees everything
 * ```
 */
import type { Llama } from "node-llama-cpp";
import { ModelError } from "./errors.js";
import { backendOf, loadBackend, type Backend, type GpuSetting } from "./engine/backend.js";
import { requireContextSize, requireWholeNumber, toModelError } from "./engine/failures.js";
import { LoadedModel, type LoadedModelInfo } from "./engine/loaded-model.js";
import { checkModelFile } from "./engine/model-file.js";
import { monotonicProgress } from "./engine/progress.js";
import { chooseThreadCount } from "./threads.js";

export type { Backend, GpuSetting } from "./engine/backend.js";
export type { ContextOptions, LoadedModelInfo } from "./engine/loaded-model.js";
export { LoadedModel } from "./engine/loaded-model.js";
export { MAX_CONTEXT_SIZE } from "./engine/failures.js";

/** Options of {@link createEngine}. */
export interface EngineOptions {
  /** Which GPU backend: `"auto"` (default) picks the best that works; a GPU that fails to load falls back to the CPU. `false`: CPU only. */
  gpu?: GpuSetting;
  /**
   * Most CPU threads llama.cpp uses, a whole number of at least 1. Default:
   * `chooseThreadCount()` of ./threads.ts (the physical cores this process may use), not
   * node-llama-cpp's default of at least 4, which starves machines with fewer cores.
   */
  threads?: number;
  /** Receives llama.cpp's log lines (level: "error", "warn", …). Default: warnings and errors go to the console. */
  onLog?: (level: string, message: string) => void;
}

/** Options of {@link Engine.loadModel}. */
export interface LoadModelOptions {
  /**
   * Layers to offload to the GPU: `"auto"` (default) fits as many as the free VRAM allows
   * beside a context of `contextSize`; `"max"` all of them; a number exactly that many.
   * `"max"` and numbers fail with `out_of_memory` when they do not fit. Always 0 on the CPU.
   */
  gpuLayers?: "auto" | "max" | number;
  /** Default context size, in tokens, for `createContext`: a number, or `"auto"` (default) for the most that fits, up to the model's training size. */
  contextSize?: "auto" | number;
  /** Default batch size, in tokens, for `createContext`. Default: node-llama-cpp's (512, or the context size when smaller). */
  batchSize?: number;
  /** Flash attention for this model's contexts: `"auto"` (default) uses it where the model and backend support it. */
  flashAttention?: "auto" | boolean;
  /**
   * Called with the progress of the load, a fraction from 0 to 1: 0 first, never
   * decreasing, 1 last on success, nothing after the load settles. llama.cpp reports
   * asynchronously, so a small or cached model may go from 0 straight to 1.
   */
  onLoadProgress?: (progress: number) => void;
  /** Cancels the load: it fails with `ModelError("load_cancelled")` and nothing stays loaded. */
  signal?: AbortSignal;
}

/** What the UI and the CLI show about the engine; a plain object. */
export interface EngineInfo {
  /** The backend in use. */
  backend: Backend;
  /** The `gpu` setting the engine was made with. */
  requestedGpu: GpuSetting;
  /** Why the backend is the CPU (a sentence for people); `undefined` on a GPU backend. */
  cpuReason: string | undefined;
  /** Names of the GPU devices in use (empty on the CPU). */
  gpuDevices: string[];
  /** VRAM of the GPU devices in bytes; `undefined` on the CPU. */
  vram: { totalBytes: number; freeBytes: number } | undefined;
  /** CPU threads llama.cpp may use, as node-llama-cpp reports it (`llama.maxThreads`). */
  threads: number;
  /** CPU cores llama.cpp considers useful for math (node-llama-cpp's `cpuMathCores`). */
  cpuMathCores: number;
  /** The model loaded now, if any. */
  model: LoadedModelInfo | undefined;
}

/**
 * Loads llama.cpp's backend (never building or downloading it) and makes an engine.
 *
 * @throws ModelError `no_backend` when no llama.cpp binary loads, `invalid_options` for bad `threads`.
 */
export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  const gpu = options.gpu ?? "auto";
  const threads = requireWholeNumber("threads", options.threads ?? chooseThreadCount(), 1);
  const backend = await loadBackend(gpu, { threads, ...(options.onLog ? { onLog: options.onLog } : {}) });
  return new Engine(backend.llama, gpu, backend.cpuReason, options.onLog);
}

/** The local engine: one backend, at most one loaded model. Made by {@link createEngine}. */
export class Engine {
  /** node-llama-cpp's backend, for what the engine does not wrap (grammars, `getVramState`). Do not dispose it directly. */
  readonly llama: Llama;
  /** The `gpu` setting the engine was made with. */
  readonly requestedGpu: GpuSetting;
  /** Why the backend is the CPU; `undefined` on a GPU backend. */
  readonly cpuReason: string | undefined;
  #loaded: LoadedModel | undefined;
  /** Loads, unloads and disposal run one at a time, in call order. */
  #queue: Promise<unknown> = Promise.resolve();
  readonly #disposal = new AbortController();
  #disposing: Promise<void> | undefined;
  readonly #onLog: ((level: string, message: string) => void) | undefined;

  /** Use {@link createEngine}. */
  constructor(llama: Llama, requestedGpu: GpuSetting, cpuReason: string | undefined, onLog?: (level: string, message: string) => void) {
    this.llama = llama;
    this.requestedGpu = requestedGpu;
    this.cpuReason = cpuReason;
    this.#onLog = onLog;
  }

  /** The backend in use. */
  get backend(): Backend {
    return backendOf(this.llama);
  }

  /** CPU threads llama.cpp may use, read back from node-llama-cpp. */
  get threads(): number {
    return this.llama.maxThreads;
  }

  /** The model loaded now, if any. */
  get loadedModel(): LoadedModel | undefined {
    return this.#loaded;
  }

  /** Whether the engine has been disposed. */
  get disposed(): boolean {
    return this.#disposing !== undefined;
  }

  /** Backend, devices, VRAM, threads and the loaded model, for display. */
  async getInfo(): Promise<EngineInfo> {
    this.#throwIfDisposed();
    const onGpu = this.llama.gpu !== false;
    const vram = onGpu ? await this.llama.getVramState() : undefined;
    return {
      backend: this.backend,
      requestedGpu: this.requestedGpu,
      cpuReason: this.cpuReason,
      gpuDevices: onGpu ? await this.llama.getGpuDeviceNames() : [],
      vram: vram ? { totalBytes: vram.total, freeBytes: vram.free } : undefined,
      threads: this.threads,
      cpuMathCores: this.llama.cpuMathCores,
      model: this.#loaded?.info,
    };
  }

  /**
   * Loads the GGUF file at `path`. The file is checked first; then the model loaded now,
   * if any, is unloaded (so a typo in the path keeps it, and two models never share
   * memory); then the new one loads. Calls run one at a time.
   *
   * @throws ModelError `model_not_found`, `invalid_model` (not GGUF, or llama.cpp refuses
   * it), `out_of_memory` (with advice), `load_cancelled`, `invalid_options`, `disposed`.
   */
  loadModel(path: string, options: LoadModelOptions = {}): Promise<LoadedModel> {
    return this.#exclusive(() => this.#load(path, options));
  }

  /** Unloads the model loaded now (its contexts too); does nothing when none is. */
  unloadModel(): Promise<void> {
    return this.#exclusive(async () => {
      await this.#loaded?.dispose();
    });
  }

  /**
   * Cancels a load in progress, unloads the model and releases the backend. Safe to call
   * more than once. Resolves at the latest {@link BACKEND_RELEASE_WAIT_MS} after the model
   * is unloaded (see there why).
   */
  dispose(): Promise<void> {
    if (!this.#disposing) {
      this.#disposal.abort();
      const run = async (): Promise<void> => {
        await this.#loaded?.dispose();
        if (!(await settlesWithin(this.llama.dispose(), BACKEND_RELEASE_WAIT_MS))) {
          const message = `llama.cpp's backend was not released within ${BACKEND_RELEASE_WAIT_MS} ms (a failed or cancelled model load holds it); carrying on`;
          if (this.#onLog) this.#onLog("warn", message);
          else console.warn(`[hearth] ${message}`);
        }
      };
      this.#disposing = this.#queue.then(run, run);
    }
    return this.#disposing;
  }

  /** Same as {@link Engine.dispose}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }

  async #load(path: string, options: LoadModelOptions): Promise<LoadedModel> {
    this.#throwIfDisposed();
    const gpuLayers = options.gpuLayers ?? "auto";
    if (typeof gpuLayers === "number") requireWholeNumber("gpuLayers", gpuLayers, 0);
    const contextSize = requireContextSize(options.contextSize ?? "auto");
    if (options.batchSize !== undefined) requireWholeNumber("batchSize", options.batchSize, 1);
    const { signal } = options;
    const disposeSignal = this.#disposal.signal;
    const failure = { path: String(path), signal, disposeSignal, memoryAdvice: "", otherCode: "invalid_model" as const };

    const progress = monotonicProgress(options.onLoadProgress);
    try {
      signal?.throwIfAborted();
      const absolute = await checkModelFile(path);
      failure.path = absolute;
      failure.memoryAdvice =
        gpuLayers === "auto"
          ? "try a smaller context size"
          : `try fewer GPU layers than ${gpuLayers === "max" ? "all of them" : gpuLayers} (or "auto"), or a smaller context size`;
      signal?.throwIfAborted();
      await this.#loaded?.dispose();
      progress(0);
      const model = await this.llama.loadModel({
        modelPath: absolute,
        // "auto" leaves VRAM for a context of the size asked for, not only for "auto"'s guess.
        gpuLayers: gpuLayers === "auto" && typeof contextSize === "number" ? { fitContext: { contextSize } } : gpuLayers,
        defaultContextFlashAttention: options.flashAttention ?? "auto",
        onLoadProgress: progress,
        loadSignal: signal ? AbortSignal.any([signal, disposeSignal]) : disposeSignal,
      });
      if (signal?.aborted || disposeSignal.aborted) {
        // The abort came as the load finished; the caller still asked for nothing to stay loaded.
        await model.dispose();
        signal?.throwIfAborted();
        disposeSignal.throwIfAborted();
      }
      progress(1);
      progress.close();
      const loaded: LoadedModel = new LoadedModel(model, {
        path: absolute,
        contextSize,
        batchSize: options.batchSize,
        threads: this.threads,
        disposeSignal,
        onDisposed: () => {
          if (this.#loaded === loaded) this.#loaded = undefined;
        },
      });
      this.#loaded = loaded;
      return loaded;
    } catch (error) {
      progress.close();
      throw toModelError(error, failure);
    }
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    // A failed task must not block the next one; its caller gets the failure from `run`.
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #throwIfDisposed(): void {
    if (this.#disposing) throw new ModelError("disposed", "The engine was disposed");
  }
}

/**
 * How long {@link Engine.dispose} waits for node-llama-cpp to release the backend, in
 * milliseconds. node-llama-cpp 3.22.1 leaks a disposal handle when a model load fails
 * inside llama.cpp (a damaged file) or is cancelled half way; once that orphaned model is
 * garbage-collected, `Llama.dispose()` never resolves. Models and contexts are already
 * freed by then; only the backend's own teardown is left running in the background.
 */
const BACKEND_RELEASE_WAIT_MS = 3000;

/** Whether `promise` settles within `ms` milliseconds (a rejection counts as settled). */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    // unref: a stuck backend must not keep the process alive either.
    timer = setTimeout(() => resolve(false), ms).unref();
  });
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
