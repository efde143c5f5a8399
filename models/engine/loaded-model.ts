/**
 * A model loaded by the engine, and the contexts made from it. It owns both: disposing it
 * disposes its contexts, then the model (node-llama-cpp's ownership graph: llama ->
 * model -> context -> sequence).
 */
import type { LlamaContext, LlamaModel } from "node-llama-cpp";
import { ModelError } from "../errors.js";
import { requireContextSize, requireWholeNumber, toModelError } from "./failures.js";

/** Options of {@link LoadedModel.createContext}; each left out takes the value given to `Engine.loadModel`. */
export interface ContextOptions {
  /** Tokens the context holds: a number, or `"auto"` for the most that fits in memory, up to the model's training size. */
  contextSize?: "auto" | number;
  /** Tokens evaluated in one batch. Default: node-llama-cpp's (512, or the context size when smaller). */
  batchSize?: number;
  /** CPU threads for this context's evaluations. Default: the engine's thread count. */
  threads?: number;
  /** Cancels creating the context: `ModelError("load_cancelled")`. */
  signal?: AbortSignal;
}

/** What the UI shows about a loaded model; a plain object. */
export interface LoadedModelInfo {
  /** The absolute path of the GGUF file. */
  path: string;
  /** The model's size in memory, in bytes. */
  sizeBytes: number;
  /** Layers offloaded to the GPU (0 on the CPU backend). */
  offloadedLayers: number;
  /** Layers the model has, counted as llama.cpp does for offloading (its blocks plus the output layer). */
  totalLayers: number;
  /** The context size the model was trained with, in tokens. */
  trainContextSize: number;
  /** Whether the model supports flash attention at all. */
  flashAttentionSupported: boolean;
  /** The sizes, in tokens, of the contexts open now, oldest first. */
  contextSizes: number[];
}

/** How the engine made this model; see `Engine.loadModel`. */
export interface LoadedModelSetup {
  path: string;
  contextSize: "auto" | number;
  batchSize: number | undefined;
  threads: number;
  /** Aborted when the engine is being disposed. */
  disposeSignal: AbortSignal;
  /** Called once when the model is disposed, by whichever path. */
  onDisposed: () => void;
}

/**
 * A loaded GGUF model and its contexts. Made by `Engine.loadModel`, never directly.
 * Dispose it (or load another model through the engine) to free its memory.
 */
export class LoadedModel {
  /** node-llama-cpp's model: tokenizer, metadata, chat template; for `LlamaChat` and friends. Do not dispose it directly. */
  readonly model: LlamaModel;
  /** The absolute path of the GGUF file. */
  readonly path: string;
  readonly #setup: LoadedModelSetup;
  readonly #contexts = new Set<LlamaContext>();
  #disposing: Promise<void> | undefined;

  /** @param model - node-llama-cpp's model, now owned by this object. */
  constructor(model: LlamaModel, setup: LoadedModelSetup) {
    this.model = model;
    this.path = setup.path;
    this.#setup = setup;
    // The model can also go away under us (the engine disposed its Llama): tell the engine either way.
    model.onDispose.createListener(() => setup.onDisposed());
  }

  /** Whether the model has been disposed (then nothing here may be used). */
  get disposed(): boolean {
    return this.#disposing !== undefined || this.model.disposed;
  }

  /** The contexts open now, oldest first. */
  get contexts(): readonly LlamaContext[] {
    return [...this.#contexts];
  }

  /** What the UI shows about this model. */
  get info(): LoadedModelInfo {
    return {
      path: this.path,
      sizeBytes: this.model.size,
      offloadedLayers: this.model.gpuLayers,
      totalLayers: this.model.fileInsights.totalLayers,
      trainContextSize: this.model.trainContextSize,
      flashAttentionSupported: this.model.flashAttentionSupported,
      contextSizes: this.contexts.map((context) => context.contextSize),
    };
  }

  /**
   * Creates a context (the KV cache that holds a conversation's tokens) owned by this
   * model; take a sequence from it with `context.getSequence()`. Disposing the model
   * disposes it; dispose it yourself to free its memory sooner.
   *
   * @throws ModelError `out_of_memory` (with advice), `load_cancelled`, `invalid_options`, `disposed`.
   */
  async createContext(options: ContextOptions = {}): Promise<LlamaContext> {
    if (this.disposed) throw new ModelError("disposed", `The model ${this.path} was unloaded`);
    const contextSize = requireContextSize(options.contextSize ?? this.#setup.contextSize);
    const batchSize = options.batchSize ?? this.#setup.batchSize;
    if (batchSize !== undefined) requireWholeNumber("batchSize", batchSize, 1);
    const threads = requireWholeNumber("threads", options.threads ?? this.#setup.threads, 1);
    const sizeWords = contextSize === "auto" ? "the context" : `a context of ${contextSize} tokens`;
    const failure = {
      path: this.path,
      signal: options.signal,
      disposeSignal: this.#setup.disposeSignal,
      memoryAdvice: `${sizeWords} does not fit; try a smaller context size, or fewer GPU layers to leave VRAM for it`,
      otherCode: undefined,
    };
    let context: LlamaContext;
    try {
      options.signal?.throwIfAborted();
      context = await this.model.createContext({
        contextSize,
        ...(batchSize !== undefined ? { batchSize } : {}),
        threads,
        ...(options.signal ? { createSignal: options.signal } : {}),
      });
    } catch (error) {
      throw toModelError(error, failure);
    }
    this.#contexts.add(context);
    context.onDispose.createListener(() => this.#contexts.delete(context));
    return context;
  }

  /** Disposes the contexts, then the model. Safe to call more than once. */
  dispose(): Promise<void> {
    this.#disposing ??= this.#disposeAll();
    return this.#disposing;
  }

  /** Same as {@link LoadedModel.dispose}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }

  async #disposeAll(): Promise<void> {
    for (const context of this.#contexts) await context.dispose();
    await this.model.dispose();
  }
}
