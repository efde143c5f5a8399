/**
 * downloadFile against a local HTTP server serving a generated GGUF: progress, resume with
 * Range after a cut connection, a server that ignores Range, If-Range when the file
 * changed, checksums, cancellation and HTTP errors.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeRandomModel } from "../../tests/fixtures/models.js";
import { startModelFileServer, type ModelFileServer } from "../../tests/fixtures/model-file-server.js";
import { freePort } from "../../tests/fixtures/net.js";
import { ModelFileError } from "../download-errors.js";
import { downloadFile } from "./download-file.js";
import type { DownloadProgress } from "./progress.js";
import { rejectionOf } from "../../tests/fixtures/rejections.js";

let models: string;
let source: Buffer;
let sourceSha256: string;
let server: ModelFileServer;
let folder: string;
const PATH = "/files/tiny.gguf";

beforeAll(async () => {
  models = await mkdtemp(join(tmpdir(), "hearth-download-src-"));
  source = await readFile(await makeRandomModel(models, "tiny"));
  sourceSha256 = createHash("sha256").update(source).digest("hex");
});
afterAll(async () => {
  await rm(models, { recursive: true, force: true });
});
beforeEach(async () => {
  server = await startModelFileServer();
  server.serveFile(PATH, source);
  folder = await mkdtemp(join(tmpdir(), "hearth-download-"));
});
afterEach(async () => {
  await server.close();
  await rm(folder, { recursive: true, force: true });
});

const failure = (promise: Promise<unknown>) => rejectionOf(promise, ModelFileError);

describe("downloadFile", () => {
  it("downloads the whole file, reporting progress up to the total", async () => {
    server.setBehaviour(PATH, { chunkBytes: 16 * 1024, chunkDelayMs: 5 });
    const destination = join(folder, "tiny.gguf");
    const reports: DownloadProgress[] = [];
    const result = await downloadFile({ url: server.url + PATH, destination, sha256: sourceSha256, progressIntervalMs: 0, onProgress: (progress) => reports.push(progress) });

    expect(await readFile(destination)).toEqual(source);
    expect(result).toEqual({ path: destination, bytes: source.length, sha256: sourceSha256, resumedFromBytes: 0 });
    expect(reports.length).toBeGreaterThan(3);
    const last = reports.at(-1)!;
    expect(last).toMatchObject({ receivedBytes: source.length, totalBytes: source.length, done: true, etaSeconds: 0, resumedFromBytes: 0 });
    expect(reports.every((report) => report.totalBytes === source.length)).toBe(true);
    const received = reports.map((report) => report.receivedBytes);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    expect(reports.some((report) => report.bytesPerSecond > 0 && report.etaSeconds !== undefined && !report.done)).toBe(true);
    expect(existsSync(`${destination}.part`)).toBe(false);
    expect(existsSync(`${destination}.part.json`)).toBe(false);
  });

  it("keeps the .part after a cut connection and resumes it with Range from where it stopped", async () => {
    const cutAt = 50_000;
    server.setBehaviour(PATH, { cutAfterBytes: cutAt });
    const destination = join(folder, "tiny.gguf");
    const error = await failure(downloadFile({ url: server.url + PATH, destination, retries: 0 }));
    expect(error.code).toBe("network");
    expect(existsSync(destination)).toBe(false);
    expect((await stat(`${destination}.part`)).size).toBe(cutAt);

    const result = await downloadFile({ url: server.url + PATH, destination, sha256: sourceSha256, retries: 0 });
    const requests = server.requestsFor(PATH);
    expect(requests).toHaveLength(2);
    expect(requests[0]!.range).toBeUndefined();
    expect(requests[1]!.range).toBe(`bytes=${cutAt}-`);
    expect(requests[1]!.ifRange).toMatch(/^"[0-9a-f]+"$/);
    expect(result.resumedFromBytes).toBe(cutAt);
    expect((await readFile(destination)).equals(source)).toBe(true);
  });

  it("resumes by itself when retries are allowed", async () => {
    server.setBehaviour(PATH, { cutAfterBytes: 70_000, cutTimes: 2 });
    const destination = join(folder, "tiny.gguf");
    const result = await downloadFile({ url: server.url + PATH, destination, sha256: sourceSha256, retries: 2, retryDelayMs: 0 });
    expect(server.requestsFor(PATH).map((request) => request.range)).toEqual([undefined, "bytes=70000-", "bytes=140000-"]);
    expect(result.resumedFromBytes).toBe(0);
    expect((await readFile(destination)).equals(source)).toBe(true);
  });

  it("starts over cleanly when the server ignores Range and sends the whole file", async () => {
    server.setBehaviour(PATH, { cutAfterBytes: 60_000 });
    const destination = join(folder, "tiny.gguf");
    await failure(downloadFile({ url: server.url + PATH, destination, retries: 0 }));
    server.setBehaviour(PATH, { ignoreRange: true });

    const reports: DownloadProgress[] = [];
    const result = await downloadFile({ url: server.url + PATH, destination, sha256: sourceSha256, progressIntervalMs: 0, onProgress: (progress) => reports.push(progress) });
    expect(server.requestsFor(PATH)[1]!.range).toBe("bytes=60000-");
    expect(result.resumedFromBytes).toBe(0);
    expect(reports.at(-1)).toMatchObject({ receivedBytes: source.length, totalBytes: source.length, resumedFromBytes: 0 });
    expect((await readFile(destination)).equals(source)).toBe(true);
  });

  it("starts over when the file changed on the server since the part was written (If-Range)", async () => {
    server.setBehaviour(PATH, { cutAfterBytes: 40_000 });
    const destination = join(folder, "tiny.gguf");
    await failure(downloadFile({ url: server.url + PATH, destination, retries: 0 }));
    const changed = Buffer.from(source);
    changed.fill(7, 30_000);
    server.serveFile(PATH, changed);

    await downloadFile({ url: server.url + PATH, destination, retries: 0 });
    expect(server.requestsFor(PATH)[1]!.range).toBe("bytes=40000-");
    expect((await readFile(destination)).equals(changed)).toBe(true);
  });

  it("finishes a part that is already complete (416 for the range)", async () => {
    const destination = join(folder, "tiny.gguf");
    await writeFile(`${destination}.part`, source);
    const result = await downloadFile({ url: server.url + PATH, destination, sha256: sourceSha256 });
    expect(server.requestsFor(PATH)[0]!.range).toBe(`bytes=${source.length}-`);
    expect(result).toMatchObject({ bytes: source.length, resumedFromBytes: source.length });
    expect((await readFile(destination)).equals(source)).toBe(true);
  });

  it("follows redirects, keeping Range on the resumed request", async () => {
    server.serveRedirect("/resolve/tiny.gguf", PATH);
    server.setBehaviour(PATH, { cutAfterBytes: 30_000 });
    const destination = join(folder, "tiny.gguf");
    await failure(downloadFile({ url: `${server.url}/resolve/tiny.gguf`, destination, retries: 0 }));
    await downloadFile({ url: `${server.url}/resolve/tiny.gguf`, destination, retries: 0 });
    expect(server.requestsFor(PATH).map((request) => request.range)).toEqual([undefined, "bytes=30000-"]);
    expect((await readFile(destination)).equals(source)).toBe(true);
  });

  it("deletes the download when the SHA-256 does not match", async () => {
    const destination = join(folder, "tiny.gguf");
    const error = await failure(downloadFile({ url: server.url + PATH, destination, sha256: "0".repeat(64) }));
    expect(error.code).toBe("checksum_mismatch");
    expect(error.message).toContain(sourceSha256);
    expect(existsSync(destination)).toBe(false);
    expect(existsSync(`${destination}.part`)).toBe(false);
    expect(existsSync(`${destination}.part.json`)).toBe(false);
  });

  it("deletes the download when the size does not match the expected one", async () => {
    const destination = join(folder, "tiny.gguf");
    const error = await failure(downloadFile({ url: server.url + PATH, destination, expectedBytes: source.length + 1 }));
    expect(error.code).toBe("checksum_mismatch");
    expect(existsSync(`${destination}.part`)).toBe(false);
  });

  it("cancels mid-way with the AbortSignal, keeping the .part for a resume", async () => {
    const stallAt = 80_000;
    server.setBehaviour(PATH, { stallAfterBytes: stallAt, chunkBytes: 16_000 });
    const destination = join(folder, "tiny.gguf");
    const controller = new AbortController();
    const download = downloadFile({
      url: server.url + PATH,
      destination,
      signal: controller.signal,
      progressIntervalMs: 0,
      onProgress: (progress) => {
        if (progress.receivedBytes >= stallAt) controller.abort();
      },
    });
    const error = await failure(download);
    expect(error.code).toBe("cancelled");
    expect((await stat(`${destination}.part`)).size).toBe(stallAt);
    expect(existsSync(destination)).toBe(false);

    server.setBehaviour(PATH, { stallAfterBytes: undefined });
    const result = await downloadFile({ url: server.url + PATH, destination, sha256: sourceSha256 });
    expect(server.requestsFor(PATH)[1]!.range).toBe(`bytes=${stallAt}-`);
    expect(result.resumedFromBytes).toBe(stallAt);
    expect((await readFile(destination)).equals(source)).toBe(true);
  });

  it("refuses a second download of the same file while one runs, and takes over a lock left by a dead process", async () => {
    server.setBehaviour(PATH, { stallAfterBytes: 10_000 });
    const destination = join(folder, "tiny.gguf");
    const controller = new AbortController();
    const first = downloadFile({ url: server.url + PATH, destination, signal: controller.signal });
    const deadline = performance.now() + 10_000;
    while ((await stat(`${destination}.part`).catch(() => undefined))?.size !== 10_000 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    const second = await failure(downloadFile({ url: server.url + PATH, destination }));
    expect(second.code).toBe("download_in_progress");
    expect(second.message).toContain(String(process.pid));
    controller.abort();
    expect((await failure(first)).code).toBe("cancelled");
    expect(existsSync(`${destination}.part.lock`)).toBe(false);

    server.setBehaviour(PATH, { stallAfterBytes: undefined });
    await writeFile(`${destination}.part.lock`, "999999999");
    await downloadFile({ url: server.url + PATH, destination });
    expect((await readFile(destination)).equals(source)).toBe(true);
    expect(existsSync(`${destination}.part.lock`)).toBe(false);
  });

  it("fails at once when the signal is already aborted", async () => {
    const error = await failure(downloadFile({ url: server.url + PATH, destination: join(folder, "x.gguf"), signal: AbortSignal.abort() }));
    expect(error.code).toBe("cancelled");
    expect(server.requests()).toHaveLength(0);
  });

  it.each([404, 500])("turns HTTP %i into http_status naming the URL", async (status) => {
    server.setBehaviour(PATH, { status });
    const url = server.url + PATH;
    const error = await failure(downloadFile({ url, destination: join(folder, "tiny.gguf"), retryDelayMs: 0 }));
    expect(error.code).toBe("http_status");
    expect(error.details).toMatchObject({ url, status });
    expect(error.message).toContain(url);
    expect(error.message).toContain(String(status));
    expect(server.requestsFor(PATH)).toHaveLength(1);
  });

  it("reports an unreachable server as a network error naming the URL", async () => {
    const url = `http://127.0.0.1:${await freePort()}/tiny.gguf`;
    const error = await failure(downloadFile({ url, destination: join(folder, "tiny.gguf"), retries: 0 }));
    expect(error.code).toBe("network");
    expect(error.message).toContain(url);
  });

  it("runs the caller's check before moving the file into place, deleting it when the check fails", async () => {
    const destination = join(folder, "tiny.gguf");
    const error = await downloadFile({
      url: server.url + PATH,
      destination,
      verifyFile: async () => {
        throw new ModelFileError("not_gguf", "refused");
      },
    }).catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: "not_gguf" });
    expect(existsSync(destination)).toBe(false);
    expect(existsSync(`${destination}.part`)).toBe(false);
  });
});
