/**
 * `hearth models info|pull|list`, run as a user runs them: the real bin in a child process,
 * against the shared scripted model and a local file server, with exit codes, printed
 * output and the files left on disk asserted.
 */
import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startModelFileServer, type ModelFileServer } from "../fixtures/model-file-server.js";
import { SCRIPTED_MODEL, makeRandomModel } from "../fixtures/models.js";

const bin = fileURLToPath(new URL("../../bin/hearth.js", import.meta.url));
const FILE = "/files/random-tiny-q8_0.gguf";
let sources: string;
let source: Buffer;
let folder: string;
let server: ModelFileServer;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function hearth(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 80_000, env: { ...process.env, HEARTH_DATA_DIR: join(folder, "data"), ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  sources = await mkdtemp(join(tmpdir(), "hearth-models-cli-src-"));
  source = await readFile(await makeRandomModel(sources, "tiny"));
});
afterAll(async () => {
  await rm(sources, { recursive: true, force: true });
});
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "hearth-models-cli-"));
  server = await startModelFileServer();
  server.serveFile(FILE, source);
});
afterEach(async () => {
  await server.close();
  await rm(folder, { recursive: true, force: true });
});

// Each case starts the CLI through tsx (and node-llama-cpp for info/list): slow on a loaded 2-core machine.
describe("hearth models", { timeout: 90_000 }, () => {
  it("info --json prints the scripted model's header facts", async () => {
    const { code, stdout } = await hearth(["models", "info", SCRIPTED_MODEL, "--json"]);
    expect(code).toBe(0);
    const info = JSON.parse(stdout) as Record<string, unknown>;
    expect(info).toMatchObject({ path: SCRIPTED_MODEL, architecture: "llama", quantization: "F32", contextLength: 4096, hasChatTemplate: true });
    expect(info.chatTemplate).toContain("<|im_start|>");
    expect(info.parameterCount).toBeGreaterThan(0);
  });

  it("info exits 2 with the error code for a file that is not GGUF", async () => {
    const path = join(folder, "notes.gguf");
    await writeFile(path, "notes");
    const { code, stderr } = await hearth(["models", "info", path]);
    expect(code).toBe(2);
    expect(stderr).toContain("[not_gguf]");
  });

  it("pull downloads a URL into --models-dir, printing plain progress lines off a TTY", async () => {
    const modelsDir = join(folder, "models");
    const { code, stdout, stderr } = await hearth(["models", "pull", server.url + FILE, "--models-dir", modelsDir]);
    expect(code).toBe(0);
    const path = join(modelsDir, "random-tiny-q8_0.gguf");
    expect(stdout).toBe(`saved ${path} (196.0 KB, SHA-256 ${createHash("sha256").update(source).digest("hex")})\n`);
    expect(stderr).toContain(`downloading random-tiny-q8_0.gguf from ${server.url}${FILE}`);
    expect(stderr).toMatch(/^100% {2}196\.0 KB \/ 196\.0 KB/m);
    expect(stderr).not.toContain("\r");
    expect((await readFile(path)).equals(source)).toBe(true);

    const again = await hearth(["models", "pull", server.url + FILE, "--models-dir", modelsDir]);
    expect(again).toMatchObject({ code: 0, stdout: expect.stringContaining("already in the catalog") });
  });

  it("pull resumes by itself after the connection is cut, with a Range request", async () => {
    server.setBehaviour(FILE, { cutAfterBytes: 64 * 1024 });
    const { code } = await hearth(["models", "pull", server.url + FILE]);
    expect(code).toBe(0);
    expect(server.requestsFor(FILE).map((request) => request.range)).toEqual([undefined, `bytes=${64 * 1024}-`]);
    expect((await readFile(join(folder, "data", "models", "random-tiny-q8_0.gguf"))).equals(source)).toBe(true);
  });

  it("pull stops on Ctrl-C keeping the .part, and the same command resumes it", async () => {
    const stallAt = 100_000;
    server.setBehaviour(FILE, { stallAfterBytes: stallAt });
    const modelsDir = join(folder, "models");
    const part = join(modelsDir, "random-tiny-q8_0.gguf.part");
    const child = spawn(process.execPath, [bin, "models", "pull", server.url + FILE, "--models-dir", modelsDir], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const deadline = performance.now() + 30_000;
    while (!((await stat(part).catch(() => undefined))?.size === stallAt)) {
      if (performance.now() > deadline) throw new Error(`the part never reached ${stallAt} bytes; stderr: ${stderr}`);
      await sleep(25);
    }
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stderr).toContain(`cancelled; the partial download is kept in ${part}`);
    expect((await stat(part)).size).toBe(stallAt);

    server.setBehaviour(FILE, { stallAfterBytes: undefined });
    const resumed = await hearth(["models", "pull", server.url + FILE, "--models-dir", modelsDir]);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain("resuming after 100.0 KB downloaded earlier");
    expect(server.requestsFor(FILE).at(-1)!.range).toBe(`bytes=${stallAt}-`);
    expect(existsSync(part)).toBe(false);
    expect((await readFile(join(modelsDir, "random-tiny-q8_0.gguf"))).equals(source)).toBe(true);
  });

  it("pull resolves hf: URIs through HF_ENDPOINT, and list shows the model", async () => {
    const sha256 = createHash("sha256").update(source).digest("hex");
    server.serveJson("/api/models/test/tiny-GGUF/revision/main", { siblings: [{ rfilename: "tiny-Q8_0.gguf", size: source.length, lfs: { sha256, size: source.length, pointerSize: 134 } }] });
    server.serveFile("/test/tiny-GGUF/resolve/main/tiny-Q8_0.gguf", source);
    const pulled = await hearth(["models", "pull", "hf:test/tiny-GGUF:Q8_0"], { HF_ENDPOINT: server.url });
    expect(pulled.code).toBe(0);
    expect(pulled.stdout).toContain("SHA-256 verified");

    const listed = await hearth(["models", "list", "--json"]);
    expect(listed.code).toBe(0);
    const catalog = JSON.parse(listed.stdout) as { folder: string; models: { fileName: string; status: string; info: { architecture: string; quantization: string } }[] };
    expect(catalog.folder).toBe(join(folder, "data", "models"));
    expect(catalog.models).toEqual([expect.objectContaining({ fileName: "tiny-Q8_0.gguf", status: "ready", info: expect.objectContaining({ architecture: "llama", quantization: "Q8_0" }) })]);
  });

  it("pull exits 1 naming the URL on a 404", async () => {
    const { code, stderr } = await hearth(["models", "pull", `${server.url}/files/missing.gguf`]);
    expect(code).toBe(1);
    expect(stderr).toContain("[http_status]");
    expect(stderr).toContain(`HTTP 404 Not Found from ${server.url}/files/missing.gguf`);
  });
});
