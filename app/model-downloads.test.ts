// The download manager over a loopback file server: ids, throttled updates, errors, and
// stopping everything at dispose.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SCRIPTED_MODEL } from "../tests/fixtures/models.js";
import { startModelFileServer, type ModelFileServer } from "../tests/fixtures/model-file-server.js";
import type { DownloadState } from "./contract/models-channels.js";
import { ModelDownloads } from "./model-downloads.js";

let folder: string;
let server: ModelFileServer;
let content: Buffer;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "hearth-downloads-"));
  server = await startModelFileServer();
  content = await readFile(SCRIPTED_MODEL);
});
afterEach(async () => {
  await server.close();
  await rm(folder, { recursive: true, force: true });
});

describe("ModelDownloads", () => {
  it("sends a running download's progress at most every intervalMs, and its end", async () => {
    server.serveFile("/slow.gguf", content, { chunkBytes: 16_384, chunkDelayMs: 15 });
    const updates: DownloadState[] = [];
    const finished: DownloadState[] = [];
    const downloads = new ModelDownloads({ modelsFolder: folder, intervalMs: 100, onUpdate: (state) => updates.push(state), onFinished: (state) => finished.push(state) });
    const id = downloads.start(`${server.url}/slow.gguf`);
    const final = await downloads.settled(id);
    expect(final).toEqual({ downloadId: id, uri: `${server.url}/slow.gguf`, fileName: "slow.gguf", state: "done", bytes: content.length, totalBytes: content.length });
    expect(finished).toEqual([final]);
    const running = updates.filter((update) => update.state === "running");
    expect(running.length).toBeGreaterThanOrEqual(2);
    // About 17 chunks over about 250 ms: a handful of updates, not one per chunk.
    expect(running.length).toBeLessThan(8);
    expect(running.map((update) => update.bytes)).toEqual([...running.map((update) => update.bytes)].sort((a, b) => a - b));
    expect(downloads.list()).toEqual([final]);
  });

  it("a failure is an error state saying why; unknown ids are neither cancelled nor settled", async () => {
    server.serveFile("/gone.gguf", content, { status: 404 });
    const downloads = new ModelDownloads({ modelsFolder: folder, onUpdate: () => {} });
    const id = downloads.start(`${server.url}/gone.gguf`);
    expect(await downloads.settled(id)).toMatchObject({ state: "error", error: expect.stringContaining("404") });
    expect(downloads.cancel("nope")).toBe(false);
    // Downloading it again replaces the failed download.
    const again = downloads.start(`${server.url}/gone.gguf`);
    expect(downloads.list().map((download) => download.downloadId)).toEqual([again]);
    await downloads.settled(again);
    expect(await downloads.settled("nope")).toBeUndefined();
  });

  it("dispose cancels what runs", async () => {
    server.serveFile("/stall.gguf", content, { stallAfterBytes: 1_000 });
    const downloads = new ModelDownloads({ modelsFolder: folder, onUpdate: () => {} });
    const id = downloads.start(`${server.url}/stall.gguf`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await downloads.dispose();
    expect(await downloads.settled(id)).toMatchObject({ state: "cancelled" });
  });
});
