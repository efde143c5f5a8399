import { describe, expect, it } from "vitest";
import type { DownloadState, LocalModel } from "../../../app/contract/models-channels.js";
import { BridgeClientError } from "../bridge/types.js";
import { fakeClient, settle, type FakeHandlers } from "./fake-client.js";
import { downloadFraction, formatBytes, selectDownloadList, selectLoadProgress, selectLoadedModelId, selectResumable } from "./models-page-slice.js";
import { connectEvents, createHearthStore } from "./store.js";

const local = (fileName: string, extra: Partial<LocalModel> = {}): LocalModel => ({
  id: `local:${fileName}`,
  fileName,
  sizeBytes: 263_104,
  status: "ready",
  architecture: "llama",
  quantization: "F32",
  contextLength: 2048,
  loaded: false,
  ...extra,
});
const download = (downloadId: string, extra: Partial<DownloadState> = {}): DownloadState => ({ downloadId, uri: `hf:u/r:${downloadId}`, state: "running", bytes: 0, ...extra });

function setup(handlers: FakeHandlers = {}) {
  const fake = fakeClient(
    {
      "model.getStatus": () => ({ state: "none" }),
      "mcp.listServers": () => [],
      "conversations.list": () => [],
      "models.list": () => [],
      "models.listLocal": () => ({ folder: "/data/models", models: [local("a.gguf"), local("b.gguf")], partial: [{ fileName: "c.gguf", bytes: 100 }] }),
      "models.recommended": () => [{ uri: "hf:Qwen/Qwen3-0.6B-GGUF:Q8_0", name: "Qwen3 0.6B", sizeBytes: 640_000_000 }],
      "models.listDownloads": () => [download("d1", { fileName: "c.gguf", state: "cancelled", bytes: 100, totalBytes: 400 })],
      "models.getRemote": () => ({ apiKey: "not set" }),
      "models.load": () => ({ started: true }),
      "models.unload": () => ({ unloaded: true }),
      "models.download": () => ({ downloadId: "d2" }),
      "models.cancelDownload": () => ({ cancelled: true }),
      "models.delete": () => ({ deleted: true }),
      "models.setRemote": (input) => ("remove" in input ? { apiKey: "not set" } : { baseUrl: input.baseUrl, model: input.model, apiKey: input.apiKey ? "set" : "not set" }),
      "models.testRemote": () => ({ ok: true, models: ["m1"] }),
      ...handlers,
    },
    "open",
  );
  const store = createHearthStore(fake.client);
  connectEvents(store, fake.client);
  return { ...fake, store };
}

describe("the models page's slice", () => {
  it("loads the local models, partial downloads, recommended list, downloads and remote provider", async () => {
    const { store } = setup();
    await store.getState().loadModelsPage();
    const state = store.getState();
    expect(state).toMatchObject({ modelsFolder: "/data/models", localModelsLoaded: true, partialDownloads: [{ fileName: "c.gguf", bytes: 100 }], remote: { apiKey: "not set" } });
    expect(state.localModels.map((model) => model.fileName)).toEqual(["a.gguf", "b.gguf"]);
    expect(state.recommendedModels).toHaveLength(1);
    expect(selectDownloadList(state)).toEqual([download("d1", { fileName: "c.gguf", state: "cancelled", bytes: 100, totalBytes: 400 })]);
    // The cancelled download resumes by its URI.
    expect(selectResumable(state)).toEqual([{ fileName: "c.gguf", bytes: 100, uri: "hf:u/r:d1" }]);
  });

  it("shows a load as progress from the click until the status says loaded", async () => {
    const { store, emit, calls } = setup();
    await settle();
    const loading = store.getState().loadLocalModel("local:a.gguf", { gpuLayers: "max", contextSize: 4096 });
    expect(selectLoadProgress(store.getState())).toEqual({ modelId: "local:a.gguf", progress: 0 });
    await loading;
    expect(calls.find((call) => call.channel === "models.load")?.input).toEqual({ modelId: "local:a.gguf", gpuLayers: "max", contextSize: 4096 });
    emit("model.statusChanged", { state: "loading", modelId: "local:a.gguf", description: "a.gguf", progress: 0.5 });
    expect(selectLoadProgress(store.getState())).toEqual({ modelId: "local:a.gguf", progress: 0.5 });
    emit("model.statusChanged", { state: "loaded", modelId: "local:a.gguf", description: "local: a.gguf (cpu, 2 threads)", backend: "cpu", gpuLayers: 0, totalLayers: 2, contextSize: 4096 });
    expect(selectLoadProgress(store.getState())).toBeUndefined();
    expect(store.getState().loadRequestedId).toBeUndefined();
    expect(selectLoadedModelId(store.getState())).toBe("local:a.gguf");

    await store.getState().unloadLocalModel();
    expect(calls.some((call) => call.channel === "models.unload")).toBe(true);
  });

  it("a refused load or delete shows the notice and no progress", async () => {
    const { store } = setup({
      "models.load": () => {
        throw new BridgeClientError("model_not_found", "no model");
      },
      "models.delete": () => {
        throw new BridgeClientError("busy", "a.gguf is loaded: unload it before deleting it");
      },
    });
    await store.getState().loadLocalModel("local:gone.gguf", {});
    expect(selectLoadProgress(store.getState())).toBeUndefined();
    expect(store.getState().notice?.code).toBe("model_not_found");
    expect(await store.getState().deleteLocalModel("a.gguf")).toBe(false);
    expect(store.getState().notice).toEqual({ code: "busy", message: "a.gguf is loaded: unload it before deleting it" });
  });

  it("follows downloads, and re-reads the folder when one ends", async () => {
    const { store, emit, calls } = setup();
    expect(await store.getState().startDownload("  hf:u/r:Q8_0 ")).toBe("d2");
    expect(store.getState().downloads.d2).toEqual({ downloadId: "d2", uri: "hf:u/r:Q8_0", state: "running", bytes: 0 });
    emit("models.downloadUpdated", download("d2", { uri: "hf:u/r:Q8_0", fileName: "r.gguf", bytes: 50, totalBytes: 200 }));
    expect(downloadFraction(store.getState().downloads.d2!)).toBe(0.25);
    const listsBefore = calls.filter((call) => call.channel === "models.listLocal").length;
    emit("models.downloadUpdated", download("d2", { uri: "hf:u/r:Q8_0", fileName: "r.gguf", state: "done", bytes: 200, totalBytes: 200 }));
    await settle();
    expect(calls.filter((call) => call.channel === "models.listLocal").length).toBe(listsBefore + 1);
    expect(calls.some((call) => call.channel === "models.list")).toBe(true);

    await store.getState().cancelDownload("d2");
    expect(calls.at(-1)).toEqual({ channel: "models.cancelDownload", input: { downloadId: "d2" } });
    // Downloading a URI again replaces its ended download.
    emit("models.downloadUpdated", download("d1", { uri: "hf:u/r:Q4", state: "cancelled", bytes: 5 }));
    await store.getState().startDownload("hf:u/r:Q4");
    expect(Object.keys(store.getState().downloads).sort()).toEqual(["d2"]);
  });

  it("saves, tests and removes the remote provider", async () => {
    let answer: (value: { ok: boolean; error?: string }) => void = () => {};
    const { store, calls } = setup({ "models.testRemote": () => new Promise((resolve) => (answer = resolve)) });
    expect(await store.getState().saveRemote({ baseUrl: "http://127.0.0.1:8080/v1", model: "m1", apiKey: "sk-1" })).toBe(true);
    expect(store.getState().remote).toEqual({ baseUrl: "http://127.0.0.1:8080/v1", model: "m1", apiKey: "set" });
    const testing = store.getState().testRemote({ baseUrl: "http://127.0.0.1:8080/v1", model: "m1", useSavedKey: true });
    expect(store.getState().remoteTest).toBe("testing");
    answer({ ok: false, error: "the server refused the API key (HTTP 401)" });
    await testing;
    expect(store.getState().remoteTest).toEqual({ ok: false, error: "the server refused the API key (HTTP 401)" });
    await store.getState().removeRemote();
    expect(calls.filter((call) => call.channel === "models.setRemote").at(-1)?.input).toEqual({ remove: true });
    expect(store.getState()).toMatchObject({ remote: { apiKey: "not set" }, remoteTest: undefined });
  });

  it("formats sizes as the Hub does", () => {
    expect([formatBytes(512), formatBytes(263_104), formatBytes(1_830_000_000), formatBytes(5_500_000)]).toEqual(["512 B", "263 kB", "1.8 GB", "5.5 MB"]);
    expect(downloadFraction({ bytes: 10 })).toBeUndefined();
  });
});
