/** readGgufInfo on the shared test models: header facts without loading weights, and clear errors. */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCRIPTED_MODEL, makeRandomModel } from "../tests/fixtures/models.js";
import { readGgufInfo } from "./gguf-info.js";

let folder: string;
let randomModel: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "hearth-gguf-info-"));
  randomModel = await makeRandomModel(folder, "tiny", "q8_0");
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe("readGgufInfo", () => {
  it("reads the scripted model's architecture, size, context length and chat template", async () => {
    const info = await readGgufInfo(SCRIPTED_MODEL);
    expect(info).toMatchObject({
      path: SCRIPTED_MODEL,
      ggufVersion: 3,
      architecture: "llama",
      name: "scripted-toolcall-test",
      quantization: "F32",
      fileType: 0,
      contextLength: 4096,
      hasChatTemplate: true,
      tensorCount: 12,
      parameterCountSource: "tensors",
    });
    expect(info.sizeBytes).toBe((await readFile(SCRIPTED_MODEL)).length);
    expect(info.chatTemplate).toContain("<|im_start|>");
    // An F32 file holds 4 bytes per weight, and little else.
    expect(info.parameterCount).toBeGreaterThan(0);
    expect(info.parameterCount * 4).toBeLessThanOrEqual(info.sizeBytes);
    expect(info.parameterCount * 4).toBeGreaterThan(info.sizeBytes * 0.8);
  });

  it("names the quantisation of a q8_0 model", async () => {
    const info = await readGgufInfo(randomModel);
    expect(info).toMatchObject({ architecture: "llama", quantization: "Q8_0", fileType: 7, contextLength: 4096, tensorCount: 21 });
  });

  it("says file_not_found for a missing file", async () => {
    await expect(readGgufInfo(join(folder, "missing.gguf"))).rejects.toMatchObject({ code: "file_not_found", message: expect.stringContaining("missing.gguf") });
  });

  it.each([
    ["a text file", "hello, not a model"],
    ["an empty file", ""],
  ])("says not_gguf for %s", async (_what, content) => {
    const path = join(folder, "fake.gguf");
    await writeFile(path, content);
    await expect(readGgufInfo(path)).rejects.toMatchObject({ code: "not_gguf", message: expect.stringContaining("not a GGUF") });
  });

  it.each([3000, 20_000, 190_000])("says gguf_invalid for a model truncated to %i bytes", async (length) => {
    const path = join(folder, `truncated-${length}.gguf`);
    await writeFile(path, (await readFile(randomModel)).subarray(0, length));
    await expect(readGgufInfo(path)).rejects.toMatchObject({ code: "gguf_invalid", message: expect.stringContaining("truncated") });
  });
});
