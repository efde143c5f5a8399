// The local model host through real llama.cpp: a models folder holding a copy of the
// scripted model (answers "The capital of France is Paris.") and a random-weight model
// (writes gibberish), plus a file that is no model at all. Two threads at most: the
// machines that run this have two cores.
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunnerEvent } from "../models/runner.js";
import { SCRIPTED_MODEL, makeRandomModel } from "../tests/fixtures/models.js";
import type { ModelStatus } from "./contract/channels.js";
import { LocalModelHost, threadsFromSetting, type LocalModelHostOptions } from "./local-model-host.js";
import { ModelHostError } from "./model-host.js";

const CAPITAL = "The capital of France is Paris.";
const SCRIPTED = "local:scripted.gguf";
const RANDOM = "local:random-tiny-q8_0.gguf";

let folder: string;
let host: LocalModelHost | undefined;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "hearth-model-host-"));
  await copyFile(SCRIPTED_MODEL, join(folder, "scripted.gguf"));
  await makeRandomModel(folder, "tiny");
  await writeFile(join(folder, "broken.gguf"), "not a model");
}, 120_000);
afterEach(async () => {
  await host?.dispose();
  host = undefined;
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

function start(options: Partial<LocalModelHostOptions> = {}): LocalModelHost {
  host = new LocalModelHost({ modelsFolder: folder, threads: 2, contextSize: 2048, samplingDefaults: { temperature: 0 }, ...options });
  return host;
}

/** What `promise` threw, as a ModelHostError. */
async function failure(promise: Promise<unknown>): Promise<ModelHostError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ModelHostError)) throw new Error(`expected a ModelHostError, got ${String(error)}`);
  return error;
}

/** Lets the host do its asynchronous work (list the folder, queue) without any timing. */
async function turnOfEvents(models: LocalModelHost): Promise<void> {
  await models.list();
  await new Promise((resolve) => setImmediate(resolve));
}

describe("LocalModelHost", () => {
  it("lists the folder's readable models, the default marked, none loaded", async () => {
    const models = start({ defaultModel: "random-tiny-q8_0.gguf" });
    expect(await models.list()).toEqual([
      { id: RANDOM, label: "random-tiny-q8_0.gguf", kind: "local", sizeBytes: expect.any(Number), loaded: false, isDefault: true },
      { id: SCRIPTED, label: "scripted.gguf", kind: "local", sizeBytes: expect.any(Number), loaded: false, isDefault: false },
    ]);
    expect(models.status()).toEqual({ state: "none" });
  });

  it("loads the chosen model, answers on it, then switches once its lease is released", async () => {
    const models = start();
    const log: string[] = [];
    const statuses: ModelStatus[] = [];
    models.onStatusChanged((status) => {
      // Progress comes as more `loading` statuses; the order of states is what counts here.
      if (statuses.at(-1)?.state === status.state) return;
      statuses.push(status);
      log.push(`${status.state} ${status.description ?? ""}`.trim());
    });

    const first = await models.acquire(SCRIPTED);
    expect(first.modelId).toBe(SCRIPTED);
    expect(models.status()).toMatchObject({ state: "loaded", modelId: SCRIPTED, description: expect.stringMatching(/^local: scripted\.gguf \(\w+, 2 threads\)$/) });
    const answer = await first.runner.run({ messages: [{ role: "user", content: "What is the capital of France?" }] });
    expect(answer.text).toBe(CAPITAL);
    expect((await models.list()).map((choice) => `${choice.id} ${choice.loaded}`)).toEqual([`${RANDOM} false`, `${SCRIPTED} true`]);

    // The other model waits for the lease: nothing is unloaded under a running turn.
    let switched = false;
    const second = models.acquire(RANDOM).then((lease) => {
      switched = true;
      return lease;
    });
    await turnOfEvents(models);
    expect(switched).toBe(false);
    expect(models.status().description).toContain("scripted.gguf");
    log.push("released scripted");
    first.release();
    first.release(); // twice is harmless

    const lease = await second;
    expect(lease.modelId).toBe(RANDOM);
    expect(log).toEqual([
      expect.stringMatching(/^loading scripted\.gguf/),
      expect.stringMatching(/^loaded local: scripted\.gguf/),
      "released scripted",
      expect.stringMatching(/^loading random-tiny-q8_0\.gguf/),
      expect.stringMatching(/^loaded local: random-tiny-q8_0\.gguf/),
    ]);
    expect(statuses.map((status) => status.state)).toEqual(["loading", "loaded", "loading", "loaded"]);
    // It really generates on the new model (gibberish: stopped at its first piece).
    const stop = new AbortController();
    const events: RunnerEvent[] = [];
    const written = await lease.runner.run({
      messages: [{ role: "user", content: "Hello" }],
      signal: stop.signal,
      onEvent: (event) => {
        events.push(event);
        if (event.type === "textDelta") stop.abort();
      },
    });
    expect(written.stopReason).toBe("aborted");
    expect(events.some((event) => event.type === "textDelta")).toBe(true);
    lease.release();
    expect((await models.list()).find((choice) => choice.loaded)?.id).toBe(RANDOM);
  }, 120_000);

  it("serves leases first come, first served, on the same model without reloading", async () => {
    const models = start({ defaultModel: SCRIPTED });
    const first = await models.acquire(undefined);
    const order: string[] = [];
    const second = models.acquire(SCRIPTED).then((lease) => (order.push("second"), lease));
    const third = models.acquire(undefined).then((lease) => (order.push("third"), lease));
    await turnOfEvents(models);
    expect(order).toEqual([]);
    first.release();
    (await second).release();
    (await third).release();
    expect(order).toEqual(["second", "third"]);
    expect(models.status().state).toBe("loaded");
  }, 60_000);

  it("an unknown id is model_not_found naming it, even while the model is busy; no model at all is no_model", async () => {
    const empty = new LocalModelHost({ modelsFolder: join(folder, "nothing-here") });
    expect((await failure(empty.acquire(undefined))).code).toBe("no_model");
    await empty.dispose();
    const models = start({ defaultModel: SCRIPTED });
    const held = await models.acquire(SCRIPTED);
    const missing = await failure(models.acquire("local:missing.gguf"));
    expect(missing.code).toBe("model_not_found");
    expect(missing.message).toContain("local:missing.gguf");
    // A file that is not a GGUF is not offered.
    expect((await failure(models.acquire("local:broken.gguf"))).code).toBe("model_not_found");
    held.release();
  }, 60_000);

  it("without a configured default, the folder's first model (by file name) is the default", async () => {
    const models = start();
    expect((await models.list()).filter((choice) => choice.isDefault).map((choice) => choice.id)).toEqual([RANDOM]);
  });

  it("a turn without a choice stays on the folder's first model, and moves when a file sorts before it", async () => {
    const models = start();
    const first = await models.acquire(undefined);
    expect(first.modelId).toBe(RANDOM);
    first.release();
    const again = await models.acquire(undefined);
    expect(again.modelId).toBe(RANDOM);
    again.release();
    const earlier = join(folder, "a-first.gguf");
    await copyFile(SCRIPTED_MODEL, earlier);
    try {
      const moved = await models.acquire(undefined);
      expect(moved.modelId).toBe("local:a-first.gguf");
      moved.release();
    } finally {
      await models.dispose();
      await rm(earlier, { force: true });
    }
  }, 60_000);

  it("a wait stopped by its signal is cancelled, and the queue goes on without it", async () => {
    const models = start();
    const held = await models.acquire(SCRIPTED);
    const stop = new AbortController();
    const waiting = failure(models.acquire(RANDOM, stop.signal));
    const next = models.acquire(SCRIPTED);
    await turnOfEvents(models);
    stop.abort();
    const cancelled = await waiting;
    expect(cancelled.code).toBe("cancelled");
    held.release();
    // The cancelled switch never happened: the next lease is on the same model.
    const lease = await next;
    expect(lease.modelId).toBe(SCRIPTED);
    expect(models.status().description).toContain("scripted.gguf");
    lease.release();
    expect((await failure(models.acquire(SCRIPTED, AbortSignal.abort()))).code).toBe("cancelled");
  }, 60_000);

  it("a start-up path that does not load is model_load_failed, and the status says why", async () => {
    const models = start({ defaultModel: join(folder, "broken.gguf") });
    expect((await models.list()).find((choice) => choice.isDefault)).toMatchObject({ id: "local:broken.gguf", kind: "local" });
    const failed = await failure(models.acquire(undefined));
    expect(failed.code).toBe("model_load_failed");
    expect(failed.message).toContain("broken.gguf");
    expect(models.status()).toMatchObject({ state: "error", error: expect.any(String) });
    // Another model still loads afterwards.
    (await models.acquire(SCRIPTED)).release();
    expect(models.status().state).toBe("loaded");
  }, 60_000);

  it("after dispose the status is none and acquire is closed", async () => {
    const models = start();
    (await models.acquire(SCRIPTED)).release();
    await models.dispose();
    expect(models.status()).toEqual({ state: "none" });
    expect((await failure(models.acquire(SCRIPTED))).code).toBe("closed");
  }, 60_000);

  it("loads a model with settings, progress rising to 1, then unloads it", async () => {
    const models = start();
    const statuses: ModelStatus[] = [];
    models.onStatusChanged((status) => statuses.push(status));
    await models.load(SCRIPTED, { gpuLayers: 0, contextSize: 1024 });
    const loading = statuses.filter((status) => status.state === "loading");
    expect(loading[0]).toEqual({ state: "loading", modelId: SCRIPTED, description: "scripted.gguf", progress: 0 });
    const progress = loading.map((status) => status.progress ?? -1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(1);
    expect(statuses.at(-1)).toEqual({
      state: "loaded",
      modelId: SCRIPTED,
      description: "local: scripted.gguf (cpu, 2 threads)",
      backend: "cpu",
      gpuLayers: 0,
      totalLayers: expect.any(Number),
      contextSize: 1024,
    });
    expect((await models.list()).find((choice) => choice.loaded)?.id).toBe(SCRIPTED);

    // The same settings again: nothing to do. Other settings: loaded again.
    const before = statuses.length;
    await models.load(SCRIPTED, { gpuLayers: 0, contextSize: 1024 });
    expect(statuses).toHaveLength(before);
    await models.load(SCRIPTED, { contextSize: 2048 });
    expect(models.status()).toMatchObject({ state: "loaded", contextSize: 2048 });

    expect(await models.unload()).toBe(true);
    expect(models.status()).toEqual({ state: "none" });
    expect((await models.list()).some((choice) => choice.loaded)).toBe(false);
    expect(await models.unload()).toBe(false);
    expect((await failure(models.load("local:missing.gguf"))).code).toBe("model_not_found");
  }, 60_000);

  it("load and unload wait for the turn that holds the model", async () => {
    const models = start();
    const held = await models.acquire(SCRIPTED);
    let loaded = false;
    const loading = models.load(RANDOM).then(() => (loaded = true));
    await turnOfEvents(models);
    expect(loaded).toBe(false);
    held.release();
    await loading;
    expect(models.status()).toMatchObject({ state: "loaded", modelId: RANDOM });
    const turn = await models.acquire(RANDOM);
    let unloaded = false;
    const unloading = models.unload().then(() => (unloaded = true));
    await turnOfEvents(models);
    expect(unloaded).toBe(false);
    turn.release();
    await unloading;
    expect(models.status().state).toBe("none");
  }, 60_000);

  it("reads the thread setting at each load", async () => {
    expect([threadsFromSetting(3), threadsFromSetting("auto"), threadsFromSetting(0), threadsFromSetting(undefined)]).toEqual([3, undefined, undefined, undefined]);
    let threads: number | undefined = 1;
    const models = start({ threads: () => threads });
    await models.load(SCRIPTED);
    expect(models.status().description).toBe("local: scripted.gguf (cpu, 1 thread)");
    threads = 2;
    await models.unload();
    await models.load(SCRIPTED);
    expect(models.status().description).toBe("local: scripted.gguf (cpu, 2 threads)");
  }, 60_000);

  it("changes the remote provider at run time", async () => {
    const models = start({ remote: { baseUrl: "http://127.0.0.1:9/v1", model: "first" } });
    expect((await models.list()).filter((choice) => choice.kind === "remote").map((choice) => choice.id)).toEqual(["remote:first"]);
    const first = await models.acquire("remote:first");
    expect(first.runner.description).toContain("127.0.0.1:9");
    first.release();
    expect(models.status()).toMatchObject({ state: "loaded", modelId: "remote:first", backend: "remote" });

    models.setRemote({ baseUrl: "http://127.0.0.1:10/v1", model: "first" });
    const again = await models.acquire("remote:first");
    expect(again.runner).not.toBe(first.runner);
    expect(again.runner.description).toContain("127.0.0.1:10");
    again.release();

    models.setRemote(undefined);
    expect((await models.list()).some((choice) => choice.kind === "remote")).toBe(false);
    expect((await failure(models.acquire("remote:first"))).code).toBe("model_not_found");
  });
});
