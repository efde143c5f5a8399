import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { getLlama, getLlamaGpuTypes, InsufficientMemoryError } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeRandomModel, SCRIPTED_MODEL } from "../tests/fixtures/models.js";
import { createEngine, MAX_CONTEXT_SIZE, type Engine, type EngineOptions } from "./engine.js";
import { ModelError, type ModelErrorCode } from "./errors.js";
import { chooseThreadCount } from "./threads.js";

/** Whether CUDA's backend can load here; the fallback test needs a machine where it cannot. */
const cudaWorks = (await getLlamaGpuTypes("supported")).includes("cuda");

/** Runs the garbage collector (the flag set at run time exposes `gc` to new contexts). */
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

/** llama.cpp's log lines go here instead of the test output. */
const logs: string[] = [];
const quiet: EngineOptions = { onLog: (level, message) => void logs.push(`${level}: ${message}`) };

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "hearth-engine-"));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** Resolves to the ModelError `promise` rejects with, after checking its code. */
async function rejection(promise: Promise<unknown>, code: ModelErrorCode): Promise<ModelError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ModelError);
  expect((error as ModelError).code).toBe(code);
  return error as ModelError;
}

describe("engine, no model needed", () => {
  it("runs on the CPU when the GPU is turned off, and says why", async () => {
    const engine = await createEngine({ ...quiet, gpu: false });
    try {
      const info = await engine.getInfo();
      expect(info).toMatchObject({ backend: "cpu", requestedGpu: false, gpuDevices: [], vram: undefined, model: undefined });
      expect(info.cpuReason).toMatch(/turned off/);
      // A plain object: it survives JSON (the UI gets it over IPC).
      expect(JSON.parse(JSON.stringify(info))).toEqual(info);
    } finally {
      await engine.dispose();
    }
  });

  it('picks a backend with "auto": a GPU with its devices and VRAM, or the CPU with a reason', async () => {
    const engine = await createEngine(quiet);
    try {
      const info = await engine.getInfo();
      console.info(`gpu "auto" here: ${info.backend}${info.cpuReason ? ` (${info.cpuReason})` : ""}; devices ${JSON.stringify(info.gpuDevices)}`);
      if (info.backend === "cpu") {
        expect(info.cpuReason).toBeTruthy();
        expect(info.vram).toBeUndefined();
      } else {
        expect(info.cpuReason).toBeUndefined();
        expect(info.gpuDevices.length).toBeGreaterThan(0);
        expect(info.vram?.totalBytes).toBeGreaterThan(0);
      }
    } finally {
      await engine.dispose();
    }
  });

  it.skipIf(cudaWorks)("falls back to the CPU when CUDA is asked for but cannot load", async () => {
    const engine = await createEngine({ ...quiet, gpu: "cuda" });
    try {
      expect(engine.backend).toBe("cpu");
      expect(engine.cpuReason).toMatch(/CUDA/);
    } finally {
      await engine.dispose();
    }
  });

  it.skipIf(process.platform === "darwin")("does not pretend Metal exists outside macOS", async () => {
    const engine = await createEngine({ ...quiet, gpu: "metal" });
    try {
      expect(engine.backend).toBe("cpu");
      expect(engine.cpuReason).toMatch(/Metal is only available on macOS/);
    } finally {
      await engine.dispose();
    }
  });

  it("uses the thread count chosen from the cores, and node-llama-cpp reports it back", async () => {
    const engine = await createEngine({ ...quiet, gpu: false });
    try {
      const chosen = chooseThreadCount();
      expect(engine.threads).toBe(chosen);
      expect(engine.llama.maxThreads).toBe(chosen);
      expect((await engine.getInfo()).threads).toBe(chosen);
      console.info(`threads: chosen ${chosen}, node-llama-cpp cpuMathCores ${engine.llama.cpuMathCores}`);
    } finally {
      await engine.dispose();
    }
  });

  it("shows why: node-llama-cpp's own CPU default is at least 4 threads", async () => {
    // Documents the upstream behaviour this engine works around (shared/fixtures/models/README.md).
    // If an upgrade changes it, the workaround may no longer be needed.
    const llama = await getLlama({ gpu: false, build: "never", skipDownload: true, progressLogs: false, logger: quiet.onLog! });
    try {
      console.info(`node-llama-cpp default maxThreads here: ${llama.maxThreads} (cpuMathCores ${llama.cpuMathCores})`);
      expect(llama.maxThreads).toBe(Math.max(4, llama.cpuMathCores));
    } finally {
      await llama.dispose();
    }
  });

  it("takes a thread count from the settings, and refuses a bad one", async () => {
    const engine = await createEngine({ ...quiet, gpu: false, threads: 1 });
    try {
      expect((await engine.getInfo()).threads).toBe(1);
    } finally {
      await engine.dispose();
    }
    await rejection(createEngine({ ...quiet, gpu: false, threads: 0 }), "invalid_options");
    await rejection(createEngine({ ...quiet, gpu: false, threads: 1.5 }), "invalid_options");
  });
});

describe("engine, model needed", () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await createEngine({ ...quiet, gpu: false });
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  it("loads a GGUF with progress from 0 to 1, never going back, and reports the offloaded layers", async () => {
    const progress: number[] = [];
    const loaded = await engine.loadModel(SCRIPTED_MODEL, { onLoadProgress: (value) => progress.push(value) });
    expect(progress[0]).toBe(0);
    expect(progress.at(-1)).toBe(1);
    // Between them come llama.cpp's own reports, which it delivers asynchronously: a model
    // this small often loads before any arrives, so their number is not asserted.
    for (let index = 1; index < progress.length; index++) expect(progress[index]).toBeGreaterThan(progress[index - 1]!);

    expect(engine.loadedModel).toBe(loaded);
    const info = (await engine.getInfo()).model!;
    // The scripted model has 1 block; llama.cpp counts the output layer too.
    expect(info).toMatchObject({ path: SCRIPTED_MODEL, offloadedLayers: 0, totalLayers: 2, trainContextSize: 4096, contextSizes: [] });
    expect(info.sizeBytes).toBeGreaterThan(0);
  });

  it("creates contexts that use the engine's threads, and frees them with the model", async () => {
    const loaded = await engine.loadModel(SCRIPTED_MODEL, { contextSize: 512 });
    const context = await loaded.createContext();
    expect(context.contextSize).toBeGreaterThanOrEqual(512);
    expect(context.idealThreads).toBe(engine.threads);
    expect(context.currentThreads).toBeLessThanOrEqual(engine.threads);
    // The context works: evaluate a few tokens on a sequence, as the runner will.
    const sequence = context.getSequence();
    await sequence.evaluateWithoutGeneratingNewTokens(loaded.model.tokenize("Hello"));
    expect(sequence.nextTokenIndex).toBeGreaterThan(0);

    const small = await loaded.createContext({ contextSize: 256, threads: 1 });
    expect(small.idealThreads).toBe(1);
    expect(loaded.info.contextSizes).toEqual([context.contextSize, small.contextSize]);

    await loaded.dispose();
    expect(context.disposed).toBe(true);
    expect(small.disposed).toBe(true);
    expect(loaded.model.disposed).toBe(true);
    expect(engine.loadedModel).toBeUndefined();
    await rejection(loaded.createContext(), "disposed");
  });

  it("unloads the previous model (and its contexts) when switching to another", async () => {
    const first = await engine.loadModel(SCRIPTED_MODEL);
    const firstContext = await first.createContext({ contextSize: 256 });
    const tiny = await makeRandomModel(join(folder, "random"), "tiny", "q8_0");
    const second = await engine.loadModel(tiny);
    expect(first.disposed).toBe(true);
    expect(firstContext.disposed).toBe(true);
    expect(engine.loadedModel).toBe(second);
    expect(second.info.totalLayers).toBe(3);
    await engine.unloadModel();
    expect(second.disposed).toBe(true);
    expect(engine.loadedModel).toBeUndefined();
  });

  it("keeps the loaded model when the next path is wrong", async () => {
    const loaded = await engine.loadModel(SCRIPTED_MODEL);
    const missing = join(folder, "no-such-model.gguf");
    const error = await rejection(engine.loadModel(missing), "model_not_found");
    expect(error.message).toContain(missing);
    expect(loaded.disposed).toBe(false);
    expect(engine.loadedModel).toBe(loaded);
  });

  it("says invalid_model, naming the path, for a file that is not GGUF or a folder", async () => {
    const text = join(folder, "notes.gguf");
    await writeFile(text, "these are not the weights you are looking for");
    expect((await rejection(engine.loadModel(text), "invalid_model")).message).toContain(text);

    const empty = join(folder, "empty.gguf");
    await writeFile(empty, "");
    expect((await rejection(engine.loadModel(empty), "invalid_model")).message).toContain(empty);

    const directory = join(folder, "a-folder.gguf");
    await mkdir(directory, { recursive: true });
    expect((await rejection(engine.loadModel(directory), "invalid_model")).message).toContain(directory);
  });

  it("says invalid_model for a damaged GGUF that llama.cpp refuses, and still disposes afterwards", async () => {
    // Its own engine: node-llama-cpp 3.22.1 leaks a disposal handle on such a failure, and
    // once the orphaned model is garbage-collected Llama.dispose() never resolves. The
    // engine's dispose must finish anyway (it stops waiting for the backend after a while).
    const own = await createEngine({ ...quiet, gpu: false });
    const truncated = join(folder, "truncated.gguf");
    await writeFile(truncated, (await readFile(SCRIPTED_MODEL)).subarray(0, 2000)); // right magic, cut short
    const error = await rejection(own.loadModel(truncated), "invalid_model");
    expect(error.message).toContain(truncated);
    for (let round = 0; round < 3; round++) {
      collectGarbage();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await own.dispose();
    expect(own.disposed).toBe(true);
    const leaked = logs.some((line) => line.includes("was not released"));
    console.info(`node-llama-cpp's disposal leak after a refused file: ${leaked ? "present" : "not seen"}`);
  });

  it("cancels a load through its signal, before or after it has started, leaving nothing loaded", async () => {
    await engine.loadModel(SCRIPTED_MODEL);
    const copy = join(folder, "copy.gguf");
    await copyFile(SCRIPTED_MODEL, copy);

    const before = new AbortController();
    before.abort();
    await rejection(engine.loadModel(copy, { signal: before.signal }), "load_cancelled");
    expect(engine.loadedModel?.path).toBe(SCRIPTED_MODEL); // nothing was touched yet

    // Aborted once the load has started (the first progress report, after the previous
    // model was unloaded). llama.cpp's own reports come too late on a model this small to
    // abort from them reliably.
    const started = new AbortController();
    const seen: number[] = [];
    const onLoadProgress = (value: number): void => {
      seen.push(value);
      started.abort();
    };
    await rejection(engine.loadModel(copy, { signal: started.signal, onLoadProgress }), "load_cancelled");
    expect(seen).toEqual([0]);
    expect(engine.loadedModel).toBeUndefined();

    // The engine still works afterwards.
    const loaded = await engine.loadModel(copy);
    expect(loaded.disposed).toBe(false);
  });

  it("says out_of_memory, with advice, when a context cannot fit", async () => {
    const loaded = await engine.loadModel(SCRIPTED_MODEL);

    // Absurd sizes are refused before node-llama-cpp's check, which itself allocates
    // memory in proportion to the size. (10,000,000 tokens, the obvious try, is no use
    // here: on the 1-layer model it fits in about 3 GB of RAM and really gets allocated.)
    const absurd = await rejection(loaded.createContext({ contextSize: 1_000_000_000 }), "out_of_memory");
    expect(absurd.message).toMatch(/smaller context size/);
    await rejection(engine.loadModel(SCRIPTED_MODEL, { contextSize: MAX_CONTEXT_SIZE + 1 }), "out_of_memory");

    // node-llama-cpp's own memory check, made to fail cheaply with a RAM cap of 1 kB.
    await engine.llama.setRamCap(1000);
    try {
      const error = await rejection(loaded.createContext({ contextSize: 4096 }), "out_of_memory");
      expect(error.cause).toBeInstanceOf(InsufficientMemoryError);
      expect(error.message).toMatch(/smaller context size/);
      expect(error.message).toContain(SCRIPTED_MODEL);
    } finally {
      await engine.llama.setRamCap(null);
    }
    expect(loaded.contexts).toHaveLength(0);
  });

  it("refuses bad numbers before llama.cpp sees them", async () => {
    await rejection(engine.loadModel(SCRIPTED_MODEL, { gpuLayers: -1 }), "invalid_options");
    await rejection(engine.loadModel(SCRIPTED_MODEL, { batchSize: 0 }), "invalid_options");
    await rejection(engine.loadModel(SCRIPTED_MODEL, { contextSize: 0 }), "invalid_options");
  });

  it("frees everything on dispose, and refuses work afterwards", async () => {
    const own = await createEngine({ ...quiet, gpu: false });
    const loaded = await own.loadModel(SCRIPTED_MODEL);
    const context = await loaded.createContext({ contextSize: 256 });
    await own.dispose();
    expect(own.disposed).toBe(true);
    expect(loaded.disposed).toBe(true);
    expect(context.disposed).toBe(true);
    expect(own.llama.disposed).toBe(true);
    await rejection(own.loadModel(SCRIPTED_MODEL), "disposed");
    await rejection(own.getInfo(), "disposed");
  });

  it("cancels a load in progress when the engine is disposed", async () => {
    const own = await createEngine({ ...quiet, gpu: false });
    let disposing: Promise<void> | undefined;
    const load = own.loadModel(SCRIPTED_MODEL, {
      onLoadProgress: () => {
        disposing ??= own.dispose();
      },
    });
    await rejection(load, "disposed");
    await disposing;
    expect(own.loadedModel).toBeUndefined();
  });
});
