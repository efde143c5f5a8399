// build/electron-natives.mjs: `npm start` gives Electron its own build of better-sqlite3 in
// dist/node_modules, leaving Node's in node_modules. The real build downloads (a prebuilt
// binary or Electron's headers), so here the build step is a stand-in, over a temporary
// project: what is copied, when a copy is rebuilt, and that a build for Node's ABI (what
// an npm `nodedir` setting silently causes) is refused.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const NODE_ADDON = join(ROOT, "node_modules", "better-sqlite3", "build", "Release", "better_sqlite3.node");

type BuildResult = { ok: true } | { ok: false; reason: string };
type Build = (folder: string, options: { root: string; electronVersion: string }) => BuildResult;
interface NativesModule {
  ensureElectronNativeModules(options: { root: string; log?: (line: string) => void; build?: Build }): { ok: true; built: string[] } | { ok: false; reason: string };
}
const { ensureElectronNativeModules } = (await import(new URL("../../build/electron-natives.mjs", import.meta.url).href)) as NativesModule;

let project: string;
const copyFolder = () => join(project, "dist", "node_modules", "better-sqlite3");
const addonIn = (folder: string) => join(folder, "build", "Release", "better_sqlite3.node");

async function writeJson(path: string, value: unknown) {
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, JSON.stringify(value));
}

beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), "hearth-natives-"));
  await writeJson(join(project, "node_modules", "electron", "package.json"), { name: "electron", version: "45.4.1" });
  const module = join(project, "node_modules", "better-sqlite3");
  await writeJson(join(module, "package.json"), { name: "better-sqlite3", version: "12.11.1" });
  await writeFile(join(module, "binding.gyp"), "{}");
  await mkdir(join(module, "build", "Release"), { recursive: true });
  await writeFile(join(module, "build", "Release", "node-only-marker"), "");
});
afterEach(async () => {
  await rm(project, { recursive: true, force: true });
});

/** A build that leaves an addon plain Node cannot load (as one built for Electron is), counting its calls. */
function electronLikeBuild(): Build & { calls: string[] } {
  const calls: string[] = [];
  const build: Build = (folder) => {
    calls.push(folder);
    // Not a shared object at all: Node refuses it, as it refuses Electron's ABI.
    mkdirSync(join(folder, "build", "Release"), { recursive: true });
    writeFileSync(addonIn(folder), "not an ELF file");
    return { ok: true };
  };
  return Object.assign(build, { calls });
}

describe("ensureElectronNativeModules", () => {
  it("builds a copy without Node's build in dist/node_modules, once per Electron version", async () => {
    const build = electronLikeBuild();
    const lines: string[] = [];
    expect(ensureElectronNativeModules({ root: project, build, log: (line) => lines.push(line) })).toEqual({ ok: true, built: ["better-sqlite3"] });
    expect(build.calls).toEqual([copyFolder()]);
    expect(existsSync(join(copyFolder(), "binding.gyp"))).toBe(true);
    expect(existsSync(join(copyFolder(), "build", "Release", "node-only-marker"))).toBe(false);
    expect(readFileSync(join(copyFolder(), ".hearth-electron-build"), "utf8")).toContain("electron 45.4.1");
    expect(lines[0]).toMatch(/building better-sqlite3 for Electron 45\.4\.1/);

    // Built already: nothing to do.
    expect(ensureElectronNativeModules({ root: project, build })).toEqual({ ok: true, built: [] });
    expect(build.calls).toHaveLength(1);

    // Another Electron: built again.
    await writeJson(join(project, "node_modules", "electron", "package.json"), { name: "electron", version: "46.0.0" });
    expect(ensureElectronNativeModules({ root: project, build })).toEqual({ ok: true, built: ["better-sqlite3"] });
    expect(build.calls).toHaveLength(2);
  });

  it("refuses a build that plain Node can load: it was built for Node's ABI", async () => {
    const build: Build = (folder) => {
      mkdirSync(join(folder, "build", "Release"), { recursive: true });
      copyFileSync(NODE_ADDON, addonIn(folder));
      return { ok: true };
    };
    const result = ensureElectronNativeModules({ root: project, build });
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/better-sqlite3 could not be built for Electron 45\.4\.1: .*Node's ABI/) });
    expect(existsSync(copyFolder())).toBe(false);
  });

  it("says why when the build fails or leaves no addon, and keeps no half-built copy", () => {
    expect(ensureElectronNativeModules({ root: project, build: () => ({ ok: false, reason: "offline" }) })).toEqual({ ok: false, reason: "better-sqlite3 could not be built for Electron 45.4.1: offline" });
    expect(existsSync(copyFolder())).toBe(false);
    expect(ensureElectronNativeModules({ root: project, build: () => ({ ok: true }) })).toEqual({ ok: false, reason: expect.stringContaining("left no build/Release/better_sqlite3.node") });
    expect(existsSync(copyFolder())).toBe(false);
  });

  it("rebuilds a copy whose addon has gone", async () => {
    const build = electronLikeBuild();
    ensureElectronNativeModules({ root: project, build });
    await rm(addonIn(copyFolder()));
    expect(ensureElectronNativeModules({ root: project, build })).toEqual({ ok: true, built: ["better-sqlite3"] });
    expect(await readdir(join(copyFolder(), "build", "Release"))).toEqual(["better_sqlite3.node"]);
  });
});
