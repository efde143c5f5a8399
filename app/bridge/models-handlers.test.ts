// The models page's handlers over a real models folder (a copy of the scripted model),
// the real local host (llama.cpp, two threads), downloads from a loopback HTTP server and
// a tiny OpenAI-compatible server for the remote provider's test. Inputs and outputs go
// through the contract's schemas, as the bindings send them.
import { copyFile, mkdir, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { McpPool } from "../../mcp/index.js";
import { SCRIPTED_MODEL } from "../../tests/fixtures/models.js";
import { startModelFileServer, type ModelFileServer } from "../../tests/fixtures/model-file-server.js";
import { invokeChannels, type EventChannel, type EventPayload, type InvokeChannel, type InvokeInput, type InvokeOutput } from "../contract/channels.js";
import type { DownloadState } from "../contract/models-channels.js";
import { LocalModelHost } from "../local-model-host.js";
import { ServerLogRecorder, AppLog } from "../log.js";
import { REMOTE_PROVIDER_SETTING } from "../model-sources.js";
import type { SecretVault } from "../secret-vault.js";
import { MemoryVault } from "../../tests/fixtures/memory-vault.js";
import { ChatStore } from "../store/index.js";
import { createModelsHandlers } from "./models-handlers.js";
import type { PageContext } from "./page-context.js";

const SCRIPTED = "local:scripted.gguf";

type Sent = { [Channel in EventChannel]: { channel: Channel; payload: EventPayload<Channel> } }[EventChannel];

let folder: string;
let models: LocalModelHost;
let store: ChatStore;
let sent: Sent[];
let handlers: ReturnType<typeof createModelsHandlers>;
const closers: Array<() => Promise<void> | void> = [];

/** A secret store in memory, as the desktop app's would behave. */

/** What the handlers registered to stop on dispose (core-handlers runs these). */
let cleanups: Array<() => void> = [];

function start(secrets?: SecretVault): void {
  cleanups = [];
  const pool = new McpPool({ autoRestart: false });
  const context: PageContext = {
    store,
    pool,
    models,
    mcpConfigPath: join(folder, "mcp-config.json"),
    dataFolder: folder,
    secrets,
    log: new AppLog(),
    serverLogs: new ServerLogRecorder(pool),
    onDispose: (cleanup) => void cleanups.push(cleanup),
    emit: (channel, payload) => void sent.push({ channel, payload } as Sent),
  };
  handlers = createModelsHandlers(context, { remoteTestTimeoutMs: 2_000 });
}

/** Calls a handler with its input and output checked against the contract. */
async function invoke<Channel extends keyof typeof handlers & InvokeChannel>(channel: Channel, input: InvokeInput<Channel>): Promise<InvokeOutput<Channel>> {
  const parsed = invokeChannels[channel].input.parse(input) as InvokeInput<Channel>;
  const handler = handlers[channel] as (input: InvokeInput<Channel>) => Promise<InvokeOutput<Channel>>;
  const output = await handler(parsed);
  return invokeChannels[channel].output.parse(output) as InvokeOutput<Channel>;
}

/** What `promise` threw: its code. */
async function failureCode(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => "no failure",
    (error: unknown) => String((error as { code?: unknown }).code),
  );
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "hearth-models-page-"));
  await mkdir(join(folder, "models"));
  await copyFile(SCRIPTED_MODEL, join(folder, "models", "scripted.gguf"));
  models = new LocalModelHost({ modelsFolder: join(folder, "models"), threads: 2, contextSize: 2048 });
  store = ChatStore.open(join(folder, "hearth.db"));
  sent = [];
  start();
});
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await models.dispose();
  store.close();
  await rm(folder, { recursive: true, force: true });
});

describe("the models page's handlers", () => {
  it("lists the folder's models with their GGUF facts", async () => {
    const listed = await invoke("models.listLocal", {});
    expect(listed).toEqual({
      folder: join(folder, "models"),
      models: [
        {
          id: SCRIPTED,
          fileName: "scripted.gguf",
          sizeBytes: (await stat(SCRIPTED_MODEL)).size,
          status: "ready",
          architecture: "llama",
          quantization: expect.any(String),
          contextLength: expect.any(Number),
          parameters: expect.any(Number),
          loaded: false,
        },
      ],
      partial: [],
    });
    const recommended = await invoke("models.recommended", {});
    expect(recommended.length).toBeGreaterThan(0);
    expect(recommended[0]).toMatchObject({ uri: expect.stringMatching(/^hf:/), name: expect.any(String), sizeBytes: expect.any(Number) });
  });

  it("loads a model, refuses to delete it while loaded, unloads it, then deletes it", async () => {
    expect(await invoke("models.load", { modelId: SCRIPTED, gpuLayers: "auto", contextSize: 1024 })).toEqual({ started: true });
    await until(() => models.status().state === "loaded", "the model to load");
    expect(models.status()).toMatchObject({ modelId: SCRIPTED, backend: "cpu", contextSize: 1024 });
    expect((await invoke("models.listLocal", {})).models[0]?.loaded).toBe(true);
    expect(await failureCode(invoke("models.delete", { fileName: "scripted.gguf" }))).toBe("busy");

    expect(await invoke("models.unload", {})).toEqual({ unloaded: true });
    expect(await invoke("models.delete", { fileName: "scripted.gguf" })).toEqual({ deleted: true });
    expect((await invoke("models.listLocal", {})).models).toEqual([]);
    expect(await failureCode(invoke("models.delete", { fileName: "scripted.gguf" }))).toBe("not_found");
    expect(await failureCode(invoke("models.delete", { fileName: "../hearth.db" }))).toBe("invalid_input");
    expect(await failureCode(invoke("models.load", { modelId: SCRIPTED }))).toBe("model_not_found");
  }, 60_000);

  it("downloads with throttled progress; a cancelled download leaves a .part that the next download resumes", async () => {
    const server: ModelFileServer = await startModelFileServer();
    closers.push(() => server.close());
    const content = await readFile(SCRIPTED_MODEL);
    server.serveFile("/files/fetched.gguf", content, { stallAfterBytes: 100_000 });
    const uri = `${server.url}/files/fetched.gguf`;
    expect(await failureCode(invoke("models.download", { uri: "ftp://example.com/x.gguf" }))).toBe("invalid_uri");

    const { downloadId } = await invoke("models.download", { uri });
    // The same URI while it runs is the same download.
    expect((await invoke("models.download", { uri })).downloadId).toBe(downloadId);
    const part = join(folder, "models", "fetched.gguf.part");
    await until(async () => ((await stat(part).catch(() => undefined))?.size ?? 0) >= 100_000, "the first 100 kB");
    expect(await invoke("models.cancelDownload", { downloadId })).toEqual({ cancelled: true });
    await until(() => sent.some((event) => event.channel === "models.downloadUpdated" && event.payload.state === "cancelled"), "the cancellation");
    expect(await invoke("models.cancelDownload", { downloadId })).toEqual({ cancelled: false });
    expect(await invoke("models.listDownloads", {})).toEqual([expect.objectContaining({ downloadId, uri, fileName: "fetched.gguf", state: "cancelled" })]);
    expect((await invoke("models.listLocal", {})).partial).toEqual([{ fileName: "fetched.gguf", bytes: 100_000 }]);

    server.serveFile("/files/fetched.gguf", content);
    const resumed = await invoke("models.download", { uri });
    expect(resumed.downloadId).not.toBe(downloadId);
    await until(() => sent.some((event) => event.channel === "models.downloadUpdated" && event.payload.downloadId === resumed.downloadId && event.payload.state === "done"), "the resumed download");
    expect(server.requestsFor("/files/fetched.gguf").at(-1)?.range).toBe("bytes=100000-");
    expect((await readFile(join(folder, "models", "fetched.gguf"))).equals(content)).toBe(true);

    const listed = await invoke("models.listLocal", {});
    expect(listed.models.map((model) => model.fileName)).toEqual(["fetched.gguf", "scripted.gguf"]);
    expect(listed.partial).toEqual([]);
    const updates = sent.flatMap((event) => (event.channel === "models.downloadUpdated" && event.payload.downloadId === resumed.downloadId ? [event.payload] : []));
    expect(updates[0]).toMatchObject({ state: "running" });
    expect(updates.at(-1)).toEqual<DownloadState>({ downloadId: resumed.downloadId, uri, fileName: "fetched.gguf", state: "done", bytes: content.length, totalBytes: content.length });
    expect(updates.length).toBeLessThan(10);
    // The downloaded model is offered at once.
    expect((await models.list()).map((choice) => choice.id)).toContain("local:fetched.gguf");

    // What a cancelled download left can be discarded.
    server.serveFile("/files/other.gguf", content, { stallAfterBytes: 50_000 });
    const other = await invoke("models.download", { uri: `${server.url}/files/other.gguf` });
    await until(async () => ((await stat(join(folder, "models", "other.gguf.part")).catch(() => undefined))?.size ?? 0) >= 50_000, "the first 50 kB");
    expect(await failureCode(invoke("models.delete", { fileName: "other.gguf" }))).toBe("busy");
    await invoke("models.cancelDownload", { downloadId: other.downloadId });
    await until(() => sent.some((event) => event.channel === "models.downloadUpdated" && event.payload.downloadId === other.downloadId && event.payload.state === "cancelled"), "the cancellation");
    expect((await invoke("models.listLocal", {})).partial).toEqual([{ fileName: "other.gguf", bytes: 50_000 }]);
    expect(await invoke("models.delete", { fileName: "other.gguf" })).toEqual({ deleted: true });
    expect((await invoke("models.listLocal", {})).partial).toEqual([]);
  }, 60_000);

  it("stops a download in flight when the core is disposed, keeping its .part", async () => {
    const server: ModelFileServer = await startModelFileServer();
    closers.push(() => server.close());
    server.serveFile("/files/stalled.gguf", await readFile(SCRIPTED_MODEL), { stallAfterBytes: 60_000 });
    const { downloadId } = await invoke("models.download", { uri: `${server.url}/files/stalled.gguf` });
    const part = join(folder, "models", "stalled.gguf.part");
    await until(async () => ((await stat(part).catch(() => undefined))?.size ?? 0) >= 60_000, "the first 60 kB");
    expect(cleanups.length).toBeGreaterThan(0);
    for (const cleanup of cleanups) cleanup();
    await until(() => sent.some((event) => event.channel === "models.downloadUpdated" && event.payload.downloadId === downloadId && event.payload.state === "cancelled"), "the cancellation");
    expect((await stat(part)).size).toBe(60_000);
  }, 60_000);

  it("keeps the remote provider in the settings without an OS secret store, never showing the key", async () => {
    const server = await startModelsServer("sk-good");
    expect(await invoke("models.getRemote", {})).toEqual({ apiKey: "not set" });
    const view = await invoke("models.setRemote", { baseUrl: `${server}/v1`, model: "m1", apiKey: "sk-good" });
    expect(view).toEqual({ baseUrl: `${server}/v1`, model: "m1", apiKey: "set" });
    // As `hearth serve` reads it.
    expect(store.setting(REMOTE_PROVIDER_SETTING)).toEqual({ baseUrl: `${server}/v1`, model: "m1", apiKey: "sk-good" });
    expect((await models.list()).map((choice) => choice.id)).toContain("remote:m1");
    // No key given: the saved one stays.
    expect(await invoke("models.setRemote", { baseUrl: `${server}/v1`, model: "m2" })).toEqual({ baseUrl: `${server}/v1`, model: "m2", apiKey: "set" });
    expect(JSON.stringify(await invoke("models.getRemote", {}))).not.toContain("sk-good");

    expect(await invoke("models.testRemote", { baseUrl: `${server}/v1`, model: "m1", useSavedKey: true })).toEqual({ ok: true, models: ["m1", "m2"] });
    const refused = await invoke("models.testRemote", { baseUrl: `${server}/v1`, model: "m1", apiKey: "sk-bad" });
    expect(refused).toEqual({ ok: false, error: expect.stringContaining("401") });
    expect(refused.error).not.toContain("sk-bad");
    expect(await invoke("models.testRemote", { baseUrl: `${server}/html`, model: "m1", useSavedKey: true })).toEqual({ ok: false, error: expect.stringContaining("not answer with an OpenAI-compatible") });
    expect(await invoke("models.testRemote", { baseUrl: `${server}/nothing`, model: "m1" })).toEqual({ ok: false, error: expect.stringContaining("HTTP 404") });
    expect(await invoke("models.testRemote", { baseUrl: "http://127.0.0.1:9/v1", model: "m1" })).toEqual({ ok: false, error: expect.stringContaining("cannot reach") });

    expect(await invoke("models.setRemote", { baseUrl: `${server}/v1`, model: "m2", apiKey: null })).toEqual({ baseUrl: `${server}/v1`, model: "m2", apiKey: "not set" });
    expect(await invoke("models.setRemote", { remove: true })).toEqual({ apiKey: "not set" });
    expect(store.setting(REMOTE_PROVIDER_SETTING)).toBeUndefined();
    expect((await models.list()).some((choice) => choice.kind === "remote")).toBe(false);
  });

  it("puts the key in the OS secret store where there is one", async () => {
    const vault = new MemoryVault();
    start(vault);
    const server = await startModelsServer("sk-vault");
    expect(await invoke("models.setRemote", { baseUrl: `${server}/v1`, model: "m1", apiKey: "sk-vault" })).toMatchObject({ apiKey: "set" });
    expect(store.setting(REMOTE_PROVIDER_SETTING)).toEqual({ baseUrl: `${server}/v1`, model: "m1" });
    expect(vault.values.get("inference.remote.apiKey")).toBe("sk-vault");
    expect(await invoke("models.testRemote", { baseUrl: `${server}/v1`, model: "m1", useSavedKey: true })).toMatchObject({ ok: true });
    await invoke("models.setRemote", { remove: true });
    expect(vault.values.size).toBe(0);
  });
});

/** A server whose `/v1/models` lists m1 and m2 for `key`, whose `/html/models` is a web page, and nothing else. */
async function startModelsServer(key: string): Promise<string> {
  const server: Server = createServer((request, response) => {
    if (request.url === "/html/models") {
      response.writeHead(200, { "content-type": "text/html" }).end("<html>hello</html>");
    } else if (request.url !== "/v1/models") {
      response.writeHead(404).end();
    } else if (request.headers.authorization !== `Bearer ${key}`) {
      response.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "Incorrect API key" } }));
    } else {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data: [{ id: "m1", object: "model" }, { id: "m2", object: "model" }] }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
