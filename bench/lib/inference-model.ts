/**
 * The inference benchmark's model and engine set-up: the random-weight SmolLM2-135M-shaped
 * q8_0 model (written at bench time under bench/results/models/, git-ignored, never
 * committed), Hearth's engine on it (models/engine.ts, its thread choice from
 * models/threads.ts), and bare node-llama-cpp engines for the thread comparison.
 */
import { stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { getLlama, LlamaLogLevel, type Llama, type LlamaContext, type LlamaModel } from "node-llama-cpp";
import { createEngine } from "../../models/engine.js";
import { chooseThreadCount, readCpuCores } from "../../models/threads.js";
import { makeRandomModel } from "../../tests/fixtures/models.js";

/** Where the generated model lives: git-ignored with the rest of bench/results/. */
const MODELS_FOLDER = fileURLToPath(new URL("../results/models/", import.meta.url));

/** The benchmark's model file, and how long writing it took (0 when it was already there). */
export interface ModelFile {
  path: string;
  bytes: number;
  preset: "smollm2-135m";
  type: "q8_0";
  generatedMs: number;
}

/** Writes the random SmolLM2-135M-shaped q8_0 model once (about 10 s, 174 MB); later runs reuse it. */
export async function prepareModelFile(): Promise<ModelFile> {
  const startedAt = performance.now();
  const path = await makeRandomModel(MODELS_FOLDER, "smollm2-135m", "q8_0");
  const generatedMs = performance.now() - startedAt;
  const { size } = await stat(path);
  return { path, bytes: size, preset: "smollm2-135m", type: "q8_0", generatedMs: generatedMs > 1_000 ? generatedMs : 0 };
}

/** The thread count Hearth uses for CPU inference, and where the number came from. */
export interface ThreadChoice {
  threads: number;
  source: string;
}

/** Hearth's thread choice on this machine, `chooseThreadCount()` of models/threads.ts, with the figures behind it. */
export function hearthThreadChoice(): ThreadChoice {
  const cores = readCpuCores();
  const figures = `available ${cores.available}, physical ${cores.physical ?? "unknown"}, quota ${cores.quota ?? "none"}`;
  return { threads: chooseThreadCount(cores), source: `chooseThreadCount(): min(${figures})` };
}

/** A llama.cpp binding, one model loaded on it, and one context with a single sequence. */
export interface LoadedEngine {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  dispose(): Promise<void>;
}

/** Context size of every context here: room for the prompt, both turns and the answers. */
export const CONTEXT_SIZE = 2048;

/**
 * Hearth's engine as the app makes it (`createEngine`, its default thread count unless
 * `threads` is given), on the CPU, with `modelPath` loaded and one context of
 * {@link CONTEXT_SIZE} tokens from `LoadedModel.createContext()`.
 */
export async function loadHearthEngine(modelPath: string, threads?: number): Promise<LoadedEngine> {
  const engine = await createEngine({ gpu: false, ...(threads === undefined ? {} : { threads }) });
  try {
    const loaded = await engine.loadModel(modelPath, { contextSize: CONTEXT_SIZE });
    const context = await loaded.createContext();
    return { llama: engine.llama, model: loaded.model, context, dispose: () => engine.dispose() };
  } catch (error) {
    await engine.dispose();
    throw error;
  }
}

/**
 * Loads `modelPath` on bare node-llama-cpp, on the CPU. `threads` undefined means node-llama-cpp's defaults all the
 * way: `getLlama` without `maxThreads`, `createContext` without `threads` (on CPU that is at
 * least 4 threads, whatever the machine has).
 */
export async function loadBareEngine(modelPath: string, threads: number | undefined): Promise<LoadedEngine> {
  // build: "never" keeps a benchmark from downloading or compiling llama.cpp.
  const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error, ...(threads === undefined ? {} : { maxThreads: threads }) });
  try {
    const model = await llama.loadModel({ modelPath });
    const context = await model.createContext({ contextSize: CONTEXT_SIZE, sequences: 1, ...(threads === undefined ? {} : { threads }) });
    return { llama, model, context, dispose: () => llama.dispose() };
  } catch (error) {
    await llama.dispose();
    throw error;
  }
}

/** "CPU" or the GPU kind, with the llama.cpp release, for the report. */
export function backendName(llama: Llama): string {
  const kind = llama.gpu === false ? "CPU" : `GPU (${llama.gpu})`;
  return `${kind}, llama.cpp ${llama.llamaCppRelease.release}, ${llama.cpuMathCores} math cores`;
}
