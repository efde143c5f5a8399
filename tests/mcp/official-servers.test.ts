/**
 * The official filesystem and memory servers, started as Process servers the way a user's
 * config starts them: with args, a working folder and env merged over Hearth's own.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeAllPools, resultText, startPool } from "./pool-helpers.js";

const require = createRequire(import.meta.url);
const filesystemEntry = require.resolve("@modelcontextprotocol/server-filesystem/dist/index.js");
const memoryEntry = require.resolve("@modelcontextprotocol/server-memory/dist/index.js");

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "hearth-official-"));
  await writeFile(join(folder, "notes.txt"), "buy bread\n");
});
afterEach(closeAllPools);
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe("official servers as Process servers", () => {
  it("server-filesystem reads and writes inside its folder and refuses outside it", async () => {
    const pool = await startPool({
      servers: [{ id: "files", tool_prefix: "fs", source: { type: "Process", command: process.execPath, args: [filesystemEntry, folder] } }],
    });
    expect(pool.server("files")!.state.status).toBe("running");
    const read = await pool.callTool("fs_read_text_file", { path: join(folder, "notes.txt") });
    expect(resultText(read.result)).toContain("buy bread");
    await pool.callTool("fs_write_file", { path: join(folder, "todo.txt"), content: "call mum" });
    expect(await readFile(join(folder, "todo.txt"), "utf8")).toBe("call mum");
    const outside = await pool.callTool("fs_read_text_file", { path: "/etc/hostname" });
    expect(outside.result.isError).toBe(true);
    expect(resultText(outside.result)).toMatch(/denied|outside|not allowed/i);
  });

  it("server-memory keeps entities in the file its env names, relative to work_dir", async () => {
    const pool = await startPool({
      servers: [
        {
          id: "memory",
          source: { type: "Process", command: process.execPath, args: [memoryEntry], work_dir: folder, env: { MEMORY_FILE_PATH: join(folder, "memory.jsonl") } },
        },
      ],
    });
    await pool.callTool("create_entities", {
      entities: [{ name: "Hearth", entityType: "project", observations: ["talks MCP"] }],
    });
    const graph = await pool.callTool("read_graph");
    expect(JSON.stringify(graph.result)).toContain("talks MCP");
    expect(await readFile(join(folder, "memory.jsonl"), "utf8")).toContain("Hearth");
  });
});
