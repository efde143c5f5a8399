/** pullModel: from a URL or an `hf:` URI (fake Hub API) into a models folder. */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeRandomModel } from "../../tests/fixtures/models.js";
import { startModelFileServer, type ModelFileServer } from "../../tests/fixtures/model-file-server.js";
import { pullModel } from "./pull.js";

let sources: string;
let source: Buffer;
let sha256: string;
let server: ModelFileServer;
let folder: string;

beforeAll(async () => {
  sources = await mkdtemp(join(tmpdir(), "hearth-pull-src-"));
  source = await readFile(await makeRandomModel(sources, "tiny"));
  sha256 = createHash("sha256").update(source).digest("hex");
});
afterAll(async () => {
  await rm(sources, { recursive: true, force: true });
});
beforeEach(async () => {
  server = await startModelFileServer();
  folder = join(await mkdtemp(join(tmpdir(), "hearth-pull-")), "models");
});
afterEach(async () => {
  await server.close();
  await rm(join(folder, ".."), { recursive: true, force: true });
});

describe("pullModel", () => {
  it("downloads a URL into the models folder, and does nothing when the model is already there", async () => {
    server.serveFile("/m/tiny.gguf", source);
    const first = await pullModel(`${server.url}/m/tiny.gguf`, { modelsFolder: folder });
    expect(first).toMatchObject({ path: join(folder, "tiny.gguf"), fileName: "tiny.gguf", alreadyPresent: false, bytes: source.length, sha256, verified: false });
    expect((await readFile(first.path)).equals(source)).toBe(true);

    const again = await pullModel(`${server.url}/m/tiny.gguf`, { modelsFolder: folder });
    expect(again).toMatchObject({ alreadyPresent: true, bytes: source.length });
    expect(server.requestsFor("/m/tiny.gguf")).toHaveLength(1);
  });

  it("pulls hf:user/repo:quant through the listing, checking its SHA-256, and sends the token only to the Hub", async () => {
    server.serveJson("/api/models/test/tiny-GGUF/revision/main", {
      siblings: [
        { rfilename: "tiny-Q8_0.gguf", size: source.length, lfs: { sha256, size: source.length, pointerSize: 134 } },
        { rfilename: "tiny-F16.gguf", size: 10 },
      ],
    });
    server.serveFile("/test/tiny-GGUF/resolve/main/tiny-Q8_0.gguf", source);
    const resolved: string[] = [];
    const result = await pullModel("hf:test/tiny-GGUF:Q8_0", { modelsFolder: folder, huggingFaceEndpoint: server.url, token: "hf_x", onResolved: (file) => resolved.push(file.url) });
    expect(result).toMatchObject({ fileName: "tiny-Q8_0.gguf", verified: true, sha256 });
    expect(resolved).toEqual([`${server.url}/test/tiny-GGUF/resolve/main/tiny-Q8_0.gguf`]);
    expect(server.requestsFor("/test/tiny-GGUF/resolve/main/tiny-Q8_0.gguf")[0]!.headers.authorization).toBe("Bearer hf_x");

    server.serveFile("/elsewhere/tiny.gguf", source);
    await pullModel(`${server.url}/elsewhere/tiny.gguf`, { modelsFolder: folder, huggingFaceEndpoint: "https://huggingface.co", token: "hf_x" });
    expect(server.requestsFor("/elsewhere/tiny.gguf")[0]!.headers.authorization).toBeUndefined();
  });

  it("refuses a download that is not a GGUF file and keeps nothing", async () => {
    server.serveFile("/page.gguf", Buffer.from("<!doctype html><title>Sign in</title>"));
    await expect(pullModel(`${server.url}/page.gguf`, { modelsFolder: folder })).rejects.toMatchObject({ code: "not_gguf" });
    expect(await readdir(folder)).toEqual([]);
  });

  it("refuses a URL that does not name a .gguf file unless given a file name", async () => {
    server.serveFile("/download", source);
    await expect(pullModel(`${server.url}/download`, { modelsFolder: folder })).rejects.toMatchObject({ code: "invalid_file_name" });
    const result = await pullModel(`${server.url}/download`, { modelsFolder: folder, fileName: "named.gguf" });
    expect(existsSync(join(folder, "named.gguf"))).toBe(true);
    expect(result.fileName).toBe("named.gguf");
  });

  it("keeps the .part when cancelled and resumes it on the next pull", async () => {
    server.serveFile("/m/tiny.gguf", source, { stallAfterBytes: 100_000 });
    const controller = new AbortController();
    const pull = pullModel(`${server.url}/m/tiny.gguf`, {
      modelsFolder: folder,
      signal: controller.signal,
      progressIntervalMs: 0,
      onProgress: (progress) => {
        if (progress.receivedBytes >= 100_000) controller.abort();
      },
    });
    await expect(pull).rejects.toMatchObject({ code: "cancelled" });
    expect(existsSync(join(folder, "tiny.gguf.part"))).toBe(true);
    server.setBehaviour("/m/tiny.gguf", { stallAfterBytes: undefined });
    const result = await pullModel(`${server.url}/m/tiny.gguf`, { modelsFolder: folder });
    expect(result.resumedFromBytes).toBe(100_000);
    expect((await readFile(result.path)).equals(source)).toBe(true);
  });
});
