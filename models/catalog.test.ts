/** The model catalog: list (with unreadable files), import (atomic, GGUF only), delete. */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SCRIPTED_MODEL } from "../tests/fixtures/models.js";
import { deleteModel, describeModel, importModel, listModels, listPartialDownloads } from "./catalog.js";

let root: string;
let folder: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "hearth-catalog-"));
  folder = join(root, "models");
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("catalog", () => {
  it("lists nothing for a folder that does not exist yet", async () => {
    expect(await listModels(folder)).toEqual([]);
    expect(await listPartialDownloads(folder)).toEqual([]);
  });

  it("imports the scripted model (creating the folder) and lists it with its metadata", async () => {
    const entry = await importModel(SCRIPTED_MODEL, folder);
    expect(entry).toMatchObject({ status: "ready", fileName: "scripted-toolcall.gguf", path: join(folder, "scripted-toolcall.gguf") });
    expect((await readFile(entry.path)).equals(await readFile(SCRIPTED_MODEL))).toBe(true);

    const [listed, ...rest] = await listModels(folder);
    expect(rest).toEqual([]);
    if (listed?.status !== "ready") throw new Error(`expected a ready entry, got ${JSON.stringify(listed)}`);
    expect(listed.info).toMatchObject({ architecture: "llama", hasChatTemplate: true, contextLength: 4096, quantization: "F32" });
    expect(listed.info.chatTemplate).toContain("<|im_start|>");
    expect(listed.sizeBytes).toBe(listed.info.sizeBytes);
    // Nothing but the model: the temporary copy was renamed into place.
    expect(await readdir(folder)).toEqual(["scripted-toolcall.gguf"]);
  });

  it("imports under another name, refuses to replace one unless told to", async () => {
    await importModel(SCRIPTED_MODEL, folder, { fileName: "mine.gguf" });
    await expect(importModel(SCRIPTED_MODEL, folder, { fileName: "mine.gguf" })).rejects.toMatchObject({ code: "already_exists" });
    await expect(importModel(SCRIPTED_MODEL, folder, { fileName: "mine.gguf", overwrite: true })).resolves.toMatchObject({ status: "ready" });
    await expect(importModel(SCRIPTED_MODEL, folder, { fileName: "../escape.gguf" })).rejects.toMatchObject({ code: "invalid_file_name" });
    await expect(importModel(SCRIPTED_MODEL, folder, { fileName: "model.bin" })).rejects.toMatchObject({ code: "invalid_file_name" });
    expect(await readdir(folder)).toEqual(["mine.gguf"]);
  });

  it("refuses to import a file that is not GGUF, copying nothing", async () => {
    const fake = join(root, "notes.gguf");
    await writeFile(fake, "just some notes");
    await expect(importModel(fake, folder)).rejects.toMatchObject({ code: "not_gguf" });
    await expect(importModel(join(root, "missing.gguf"), folder)).rejects.toMatchObject({ code: "file_not_found" });
    expect(existsSync(folder)).toBe(false);
  });

  it("lists unreadable files with their error instead of dropping them, and skips other files", async () => {
    await importModel(SCRIPTED_MODEL, folder);
    await writeFile(join(folder, "broken.gguf"), "not a model");
    await writeFile(join(folder, "half.gguf"), (await readFile(SCRIPTED_MODEL)).subarray(0, 100_000));
    await writeFile(join(folder, "readme.txt"), "ignored");
    await writeFile(join(folder, "next.gguf.part"), "12345");
    await mkdir(join(folder, "subfolder.gguf"));

    const entries = await listModels(folder);
    expect(entries.map((entry) => [entry.fileName, entry.status])).toEqual([
      ["broken.gguf", "unreadable"],
      ["half.gguf", "unreadable"],
      ["scripted-toolcall.gguf", "ready"],
    ]);
    expect(entries[0]).toMatchObject({ error: { code: "not_gguf" }, sizeBytes: 11 });
    expect(entries[1]).toMatchObject({ error: { code: "gguf_invalid", message: expect.stringContaining("truncated") } });
    expect(await listPartialDownloads(folder)).toEqual([{ fileName: "next.gguf", path: join(folder, "next.gguf.part"), bytes: 5, modifiedAt: expect.any(Date) }]);
    await expect(describeModel(folder, "broken.gguf")).resolves.toMatchObject({ status: "unreadable" });
  });

  it("deletes a model (and its unfinished .part), and says file_not_found for one that is not there", async () => {
    await importModel(SCRIPTED_MODEL, folder);
    await writeFile(join(folder, "scripted-toolcall.gguf.part"), "stale");
    await deleteModel(folder, "scripted-toolcall.gguf");
    expect(await readdir(folder)).toEqual([]);
    await expect(deleteModel(folder, "scripted-toolcall.gguf")).rejects.toMatchObject({ code: "file_not_found" });
    await expect(deleteModel(folder, "../models/x.gguf")).rejects.toMatchObject({ code: "invalid_file_name" });
    await expect(describeModel(folder, "gone.gguf")).rejects.toMatchObject({ code: "file_not_found" });
  });
});
