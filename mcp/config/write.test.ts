import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readMcpConfigFile } from "./load.js";
import { writeFileAtomic, writeMcpConfigFile } from "./write.js";

describe("writeFileAtomic", () => {
  let folder: string;
  let path: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), "hearth-write-"));
    path = join(folder, "mcp-config.json");
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it("creates a new file, with no .bak and no temporary file left", async () => {
    await writeFileAtomic(path, "first\n");
    expect(await readFile(path, "utf8")).toBe("first\n");
    expect(await readdir(folder)).toEqual(["mcp-config.json"]);
  });

  it("replaces a file and keeps the previous version as .bak", async () => {
    await writeFileAtomic(path, "first\n");
    await writeFileAtomic(path, "second\n");
    expect(await readFile(path, "utf8")).toBe("second\n");
    expect(await readFile(`${path}.bak`, "utf8")).toBe("first\n");
    await writeFileAtomic(path, "third\n");
    expect(await readFile(`${path}.bak`, "utf8")).toBe("second\n");
    expect((await readdir(folder)).sort()).toEqual(["mcp-config.json", "mcp-config.json.bak"]);
  });

  it.skipIf(process.platform === "win32")("keeps the file's permissions", async () => {
    await writeFile(path, "secret\n");
    await chmod(path, 0o600);
    await writeFileAtomic(path, "still secret\n");
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it.skipIf(process.platform === "win32")("replaces the target of a symbolic link, keeping the link", async () => {
    const real = join(folder, "dotfiles-config.json");
    await writeFile(real, "old\n");
    await symlink(real, path);
    await writeFileAtomic(path, "new\n");
    expect((await lstat(path)).isSymbolicLink()).toBe(true);
    expect(await readFile(real, "utf8")).toBe("new\n");
    expect(await readFile(`${real}.bak`, "utf8")).toBe("old\n");
  });

  it("leaves the old file intact and no temporary file when the write fails", async () => {
    await writeFile(path, "old\n");
    // A folder where the .bak must go makes the write fail after the temporary file exists.
    await mkdir(`${path}.bak`);
    await expect(writeFileAtomic(path, "new\n")).rejects.toMatchObject({ code: "config_io" });
    expect(await readFile(path, "utf8")).toBe("old\n");
    expect((await readdir(folder)).sort()).toEqual(["mcp-config.json", "mcp-config.json.bak"]);
  });

  it("reports a missing folder as config_io naming the path", async () => {
    const missing = join(folder, "no-such-folder", "mcp-config.json");
    const error = await writeFileAtomic(missing, "x").catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "config_io" });
    expect((error as Error).message).toContain(missing);
  });
});

describe("writeMcpConfigFile", () => {
  it("writes 2-space JSON with a trailing newline that reads back the same", async () => {
    const folder = await mkdtemp(join(tmpdir(), "hearth-write-"));
    try {
      const path = join(folder, "mcp-config.json");
      const config = { servers: [{ id: "files", source: { type: "Process" as const, command: "npx" } }] };
      await writeMcpConfigFile(path, config);
      const text = await readFile(path, "utf8");
      expect(text).toBe(`${JSON.stringify(config, null, 2)}\n`);
      expect(text).toContain('\n  "servers": [\n    {\n      "id": "files",');
      const result = await readMcpConfigFile(path);
      expect(result.ok && result.config.servers[0]?.source).toEqual({ type: "Process", command: "npx", args: [], env: {} });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
