// `npm run build:main` (build/build-main.mjs): the Electron main process and its preload,
// bundled. Electron cannot run here (no binary, no display), so the bundle is checked
// twice: by reading it (what it imports, what it contains) and by running it under plain
// Node with `electron` resolved to a stand-in (fixtures/fake-electron.mjs), which starts
// the real core over a temporary data folder, with an MCP server, and plays the window.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processMarker, waitForNoProcessesWith } from "../fixtures/processes.js";
import { weatherProcessSource } from "../fixtures/weather-server.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const STAND_IN = fileURLToPath(new URL("./fixtures/electron-stand-in.mjs", import.meta.url));

interface Metafile {
  outputs: Record<string, { imports: Array<{ path: string; kind: string; external?: boolean }> }>;
}
interface BuildModule {
  buildMain(): Promise<{ main: string; preload: string; mainMetafile: Metafile; preloadMetafile: Metafile }>;
  MAIN_EXTERNALS: string[];
}

let built: Awaited<ReturnType<BuildModule["buildMain"]>>;
let externals: string[];

beforeAll(async () => {
  const module = (await import(new URL("../../build/build-main.mjs", import.meta.url).href)) as BuildModule;
  built = await module.buildMain();
  externals = module.MAIN_EXTERNALS;
}, 120_000);

/**
 * What the bundle at `file` imports at run time, as esbuild's metafile records it:
 * `imports` (ES `import` and `import()`) and `requires` (bundled CommonJS's `require`),
 * Node's own modules left out.
 */
function externalImports(metafile: Metafile, file: string): { imports: string[]; requires: string[] } {
  const output = Object.entries(metafile.outputs).find(([path]) => join(ROOT, path) === file)?.[1];
  if (output === undefined) throw new Error(`the metafile has no output ${file}`);
  const external = output.imports.filter((entry) => entry.external === true && !isNodeModule(entry.path));
  const names = (entries: typeof external) => [...new Set(entries.map((entry) => entry.path))].sort();
  return { imports: names(external.filter((entry) => entry.kind !== "require-call")), requires: names(external.filter((entry) => entry.kind === "require-call")) };
}

/** Node's own modules (`node:sqlite` is newer than this Node 20, but Electron's Node has it). */
const isNodeModule = (name: string) => name.startsWith("node:") || isBuiltin(name);

/**
 * Packages that bundled CommonJS code may `require` at run time without them being
 * installed: the optional native helpers of `ws`, which it requires inside `try`.
 */
const OPTIONAL_AT_RUN_TIME = ["bufferutil", "utf-8-validate"];

describe("the bundles", () => {
  it("writes dist/main/index.js and dist/main/preload.cjs, where package.json and main/app.ts look for them", () => {
    expect(built.main).toBe(join(ROOT, "dist", "main", "index.js"));
    expect(built.preload).toBe(join(ROOT, "dist", "main", "preload.cjs"));
    expect(existsSync(built.main) && existsSync(built.preload)).toBe(true);
    const packageJson = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { main?: string; type?: string };
    expect(packageJson.main).toBe("dist/main/index.js");
    // Electron loads it as an ES module (its top-level await must finish before `ready`).
    expect(packageJson.type).toBe("module");
  });

  it("the preload requires `electron` and nothing else (a sandboxed preload can require no more)", () => {
    expect(externalImports(built.preloadMetafile, built.preload)).toEqual({ imports: [], requires: ["electron"] });
    const code = readFileSync(built.preload, "utf8");
    const required = [...code.matchAll(/(?<![\w$.])require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((match) => match[1]);
    expect(new Set(required)).toEqual(new Set(["electron"]));
    // CommonJS through and through: no `import()` (a sandboxed preload has none), no ES module syntax.
    expect(code).not.toMatch(/(?<![\w$.])import\(\s*["'`]/);
    expect(code).not.toMatch(/^(import|export)\s/m);
    expect(code).toContain("exposeInMainWorld");
  });

  it("the main bundle loads Electron and the native packages from node_modules, and contains the rest", () => {
    expect(externals).toEqual(expect.arrayContaining(["electron", "node-llama-cpp", "better-sqlite3"]));
    const { imports, requires } = externalImports(built.mainMetafile, built.main);
    expect(imports).toEqual([...externals].sort());
    expect(requires.filter((name) => !OPTIONAL_AT_RUN_TIME.includes(name))).toEqual([]);
    const code = readFileSync(built.main, "utf8");
    expect(code).toMatch(/\bimport\("electron"\)/);
    expect(code).toMatch(/^import \w+ from "better-sqlite3";$/m);
    expect(code).toMatch(/^import \{[^}]*\} from "node-llama-cpp";$/m);
    // The window code of main/app.ts and the core are inside.
    expect(code).toContain("contextIsolation");
    expect(code).toContain("preload.cjs");
    expect(code).toContain("createDesktopCore");
  });
});

describe("the main bundle under a stand-in Electron", () => {
  let dataFolder: string;
  let runFolder: string;
  const marker = processMarker();

  beforeAll(async () => {
    dataFolder = await mkdtemp(join(tmpdir(), "hearth-desktop-"));
    // The bundles run from a copy inside the project (so node_modules resolves as from
    // dist/main) but outside dist/: `npm start` may have put Electron's better-sqlite3 in
    // dist/node_modules, which plain Node cannot load (build/electron-natives.mjs).
    await mkdir(join(ROOT, ".tmp"), { recursive: true });
    runFolder = await mkdtemp(join(ROOT, ".tmp", "desktop-main-"));
    for (const file of [built.main, built.preload]) await copyFile(file, join(runFolder, basename(file)));
    const weather = weatherProcessSource();
    await writeFile(join(dataFolder, "mcp-config.json"), JSON.stringify({ servers: [{ id: "weather", source: { ...weather, args: [...weather.args, marker] } }] }));
  });
  afterAll(async () => {
    await rm(dataFolder, { recursive: true, force: true });
    await rm(runFolder, { recursive: true, force: true });
  });

  it("starts the core, binds IPC, opens the hardened window, serves the page and quits in order", async () => {
    const child = spawn(process.execPath, ["--import", STAND_IN, join(runFolder, basename(built.main))], {
      cwd: ROOT,
      env: { ...process.env, HEARTH_FAKE_USER_DATA: dataFolder, HEARTH_DATA_DIR: dataFolder },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    const [code] = (await once(child, "exit")) as [number | null];
    clearTimeout(timer);

    const events = stdout
      .split("\n")
      .filter((line) => line.startsWith("fake-electron "))
      .map((line) => JSON.parse(line.slice("fake-electron ".length)) as Record<string, unknown> & { event: string });
    const context = `stdout:\n${stdout}\nstderr:\n${stderr}`;
    const first = (name: string) => events.find((event) => event.event === name);
    expect(code, context).toBe(0);
    expect(first("failure"), context).toBeUndefined();
    expect(first("error-box"), context).toBeUndefined();

    expect(first("schemes")).toMatchObject({ schemes: ["hearth"] });
    expect(first("protocol")).toMatchObject({ scheme: "hearth" });
    expect(first("window")).toMatchObject({
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, preload: join(runFolder, basename(built.preload)) },
      preloadExists: true,
    });
    expect(first("load")).toMatchObject({ url: "hearth://app/index.html" });
    const invokes = events.filter((event) => event.event === "invoke");
    expect(invokes[0]).toMatchObject({ from: "app", result: { ok: true, output: { version: "0.0.0-fake", binding: "electron" } } });
    expect(invokes[1]).toMatchObject({ from: "foreign", result: { ok: false, error: { code: "forbidden_sender" } } });
    expect(first("servers"), context).toMatchObject({ servers: [{ id: "weather", status: "running", tools: 1 }] });
    expect(first("scheme-request")).toHaveProperty("status");

    // The first quit is held while the core stops; the second passes, with IPC unbound.
    const quits = events.filter((event) => event.event === "quit");
    expect(quits).toEqual([
      { event: "quit", held: true, handlersLeft: 0 },
      { event: "quit", held: false, handlersLeft: 0 },
    ]);
    expect(existsSync(join(dataFolder, "hearth.db"))).toBe(true);
    expect(await waitForNoProcessesWith(marker, 10_000)).toEqual([]);
  }, 120_000);
});
