// The installable packages (electron-builder.yml, `npm run dist`). They cannot be built
// here (electron-builder downloads Electron and, per target, its tools), so the config is
// checked instead: electron-builder's own schema accepts it, and the rules hold: the
// targets of each platform, the app's files and nothing else, only the target platform's
// node-llama-cpp binaries, native code unpacked from the asar, native modules rebuilt for
// Electron, and a real icon. `files` and `asarUnpack` are evaluated the way
// electron-builder applies them: globs with its ${os} and ${arch} macros, the last
// matching pattern deciding, production dependencies in unless a pattern takes them out.
import { readFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inflateSync } from "node:zlib";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

type Target = string | { target: string; arch?: string[] };
interface PlatformOptions {
  target: Target[];
  icon?: string;
  category?: string;
  maintainer?: string;
}
interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { output: string; buildResources: string };
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  linux: PlatformOptions;
  mac: PlatformOptions;
  win: PlatformOptions;
}
interface PackageJson {
  main: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

const config = parse(readFileSync(join(ROOT, "electron-builder.yml"), "utf8")) as BuilderConfig;
const packageJson = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as PackageJson;

/** A glob (minimatch's `*`, `**`, `?`) as a regular expression over `/`-separated paths. */
function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let index = 0; index < glob.length; index++) {
    const character = glob[index]!;
    if (glob.startsWith("**/", index)) {
      source += "(?:.*/)?";
      index += 2;
    } else if (glob.startsWith("/**", index) && index + 3 === glob.length) {
      source += "(?:/.*)?";
      index += 2;
    } else if (glob.startsWith("**", index)) {
      source += ".*";
      index += 1;
    } else if (character === "*") source += "[^/]*";
    else if (character === "?") source += "[^/]";
    else source += character.replace(/[.+^$(){}|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/** `pattern` with electron-builder's ${os} (mac, linux, win) and ${arch} macros filled in. */
const expand = (pattern: string, os: string, arch: string) => pattern.replaceAll("${os}", os).replaceAll("${arch}", arch);

/**
 * Whether `path` goes into the package for `os`/`arch` under `files`: the last pattern that
 * matches decides (`!` excludes); with none, a production dependency's file is in and
 * anything else is out.
 */
function isPackaged(path: string, os = "linux", arch = "x64"): boolean {
  let included = path.startsWith("node_modules/");
  for (const pattern of config.files) {
    const negated = pattern.startsWith("!");
    if (globToRegExp(expand(negated ? pattern.slice(1) : pattern, os, arch)).test(path)) included = !negated;
  }
  return included;
}

/** Whether `path` is unpacked from the asar: an `asarUnpack` pattern matches it or a folder holding it. */
function isUnpacked(path: string): boolean {
  const parts = path.split("/");
  const candidates = parts.map((_, index) => parts.slice(0, index + 1).join("/"));
  return config.asarUnpack.some((pattern) => candidates.some((candidate) => globToRegExp(pattern).test(candidate)));
}

const targetNames = (options: PlatformOptions) => options.target.map((target) => (typeof target === "string" ? target : target.target));

describe("electron-builder.yml", () => {
  it("is a configuration electron-builder accepts", async () => {
    // electron-builder's own loader and schema check (app-builder-lib comes with it).
    const require = createRequire(join(ROOT, "node_modules", "electron-builder", "package.json"));
    const { getConfig, validateConfiguration } = require("app-builder-lib/out/util/config/config.js") as {
      getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<object>;
      validateConfiguration(config: object, debugLogger: object): Promise<void>;
    };
    const { DebugLogger } = require("builder-util") as { DebugLogger: new (isEnabled: boolean) => object };
    const loaded = await getConfig(ROOT, join(ROOT, "electron-builder.yml"), null);
    await expect(validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it("names the app and puts the packages in release/, with build/ as its resources", () => {
    expect(config.productName).toBe("Hearth");
    expect(config.appId).toMatch(/^[a-z][\w-]*(\.[a-z][\w-]*)+$/);
    expect(config.directories).toEqual({ output: "release", buildResources: "build" });
  });

  it("builds AppImage and deb on Linux, dmg on macOS, an NSIS installer on Windows", () => {
    expect(targetNames(config.linux)).toEqual(expect.arrayContaining(["AppImage", "deb"]));
    expect(targetNames(config.mac)).toEqual(["dmg"]);
    expect(targetNames(config.win)).toEqual(["nsis"]);
    // A deb needs a maintainer (package.json has no author) and a menu category.
    expect(config.linux.maintainer).toBeTruthy();
    expect(config.linux.category).toBeTruthy();
  });

  it("packages the bundles and package.json, whose main is the bundled entry, and no sources", () => {
    expect(packageJson.main).toMatch(/^dist\/main\//);
    for (const path of ["package.json", packageJson.main, "dist/main/preload.cjs", "dist/renderer/index.html", "dist/renderer/assets/index-abc123.js"]) {
      expect(isPackaged(path), path).toBe(true);
    }
    for (const path of ["main/app.ts", "app/desktop-core.ts", "renderer/main.tsx", "tests/desktop/packaging.test.ts", "build/start.mjs", "dist/main/index.js.map", "README.md"]) {
      expect(isPackaged(path), path).toBe(false);
    }
    // What only the CLI needs stays out; what the main bundle imports at run time is in.
    for (const path of ["node_modules/tsx/dist/cli.mjs", "node_modules/esbuild/lib/main.js", "node_modules/@esbuild/linux-x64/bin/esbuild"]) expect(isPackaged(path), path).toBe(false);
    for (const path of ["node_modules/node-llama-cpp/dist/index.js", "node_modules/better-sqlite3/lib/index.js", "node_modules/cross-spawn/index.js"]) expect(isPackaged(path), path).toBe(true);
  });

  describe("node-llama-cpp: only the target platform's binaries", () => {
    let binaryPackages: string[];
    beforeAll(() => {
      // Every platform package node-llama-cpp may install (@node-llama-cpp/linux-x64, …).
      const manifest = JSON.parse(readFileSync(join(ROOT, "node_modules", "node-llama-cpp", "package.json"), "utf8")) as { optionalDependencies: Record<string, string> };
      binaryPackages = Object.keys(manifest.optionalDependencies).filter((name) => name.startsWith("@node-llama-cpp/")).map((name) => name.slice("@node-llama-cpp/".length));
      expect(binaryPackages).toEqual(expect.arrayContaining(["linux-x64", "mac-arm64-metal", "win-x64"]));
    });

    it.each([
      ["linux", "x64"],
      ["linux", "arm64"],
      ["mac", "arm64"],
      ["mac", "x64"],
      ["win", "x64"],
      ["win", "arm64"],
    ])("for %s-%s", (os, arch) => {
      const packaged = binaryPackages.filter((name) => isPackaged(`node_modules/@node-llama-cpp/${name}/bins/${name}/llama-addon.node`, os, arch));
      expect(packaged.length, `no binaries for ${os}-${arch}`).toBeGreaterThan(0);
      expect(packaged.every((name) => name === `${os}-${arch}` || name.startsWith(`${os}-${arch}-`))).toBe(true);
      // Other platforms' packages are left out whole, not just their binaries.
      for (const other of binaryPackages.filter((name) => !packaged.includes(name))) {
        expect(isPackaged(`node_modules/@node-llama-cpp/${other}/package.json`, os, arch), other).toBe(false);
      }
      expect(isPackaged(`node_modules/@node-llama-cpp/${packaged[0]}/package.json`, os, arch)).toBe(true);
      // Local builds and binaries inside node-llama-cpp itself follow the same rule.
      expect(isPackaged(`node_modules/node-llama-cpp/llama/localBuilds/${os}-${arch}/Release/llama-addon.node`, os, arch)).toBe(true);
      expect(isPackaged(`node_modules/node-llama-cpp/llama/localBuilds/${os === "win" ? "linux" : "win"}-${arch}/Release/llama-addon.node`, os, arch)).toBe(false);
      expect(isPackaged(`node_modules/node-llama-cpp/bins/${os}-${arch}/llama-addon.node`, os, arch)).toBe(true);
      expect(isPackaged(`node_modules/node-llama-cpp/bins/${os === "mac" ? "linux" : "mac"}-${arch}/llama-addon.node`, os, arch)).toBe(false);
    });
  });

  it("unpacks native code from the asar: node-llama-cpp's binaries and better-sqlite3's addon", () => {
    expect(config.asar).toBe(true);
    for (const path of [
      "node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/llama-addon.node",
      "node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/libggml-base.so",
      "node_modules/@node-llama-cpp/win-x64-cuda/bins/win-x64-cuda/ggml-cuda.dll",
      "node_modules/node-llama-cpp/bins/mac-arm64-metal/llama-addon.node",
      "node_modules/node-llama-cpp/llama/localBuilds/linux-x64/Release/llama-addon.node",
      "node_modules/better-sqlite3/build/Release/better_sqlite3.node",
    ]) {
      expect(isUnpacked(path), path).toBe(true);
    }
    expect(isUnpacked("dist/main/index.js")).toBe(false);
    expect(isUnpacked("node_modules/zod/index.js")).toBe(false);
  });

  it("rebuilds native modules for Electron, with electron and electron-builder as devDependencies; `npm run dist` builds first", () => {
    expect(config.npmRebuild).toBe(true);
    expect(packageJson.devDependencies).toHaveProperty("electron");
    expect(packageJson.devDependencies).toHaveProperty("electron-builder");
    // electron-builder refuses electron among the dependencies.
    expect(packageJson.dependencies).not.toHaveProperty("electron");
    // `npm run dist` builds the renderer and the main process, then runs electron-builder.
    expect(packageJson.scripts.dist).toBe("node build/dist.mjs");
    const script = readFileSync(join(ROOT, "build", "dist.mjs"), "utf8");
    expect(script).toMatch(/vite\.js"\), "build"/);
    expect(script).toMatch(/buildMain\(/);
    expect(script).toMatch(/"electron-builder", "cli\.js"/);
  });

  it("uses build/icon.png, a valid square PNG of at least 512×512", () => {
    for (const platform of [config.linux, config.mac, config.win]) expect(platform.icon).toBe("build/icon.png");
    const file = join(ROOT, "build", "icon.png");
    expect(existsSync(file)).toBe(true);
    const png = readFileSync(file);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // Walk the chunks, checking each CRC, and inflate the image data.
    const chunks: Array<{ type: string; data: Buffer }> = [];
    for (let offset = 8; offset < png.length; ) {
      const length = png.readUInt32BE(offset);
      const type = png.toString("ascii", offset + 4, offset + 8);
      const data = png.subarray(offset + 8, offset + 8 + length);
      expect(png.readUInt32BE(offset + 8 + length), `CRC of ${type}`).toBe(crc32(png.subarray(offset + 4, offset + 8 + length)));
      chunks.push({ type, data });
      offset += 12 + length;
    }
    expect(chunks[0]!.type).toBe("IHDR");
    expect(chunks.at(-1)!.type).toBe("IEND");
    const header = chunks[0]!.data;
    const [width, height, bitDepth, colourType] = [header.readUInt32BE(0), header.readUInt32BE(4), header[8], header[9]];
    expect(width).toBe(height);
    expect(width).toBeGreaterThanOrEqual(512);
    expect({ bitDepth, colourType }).toEqual({ bitDepth: 8, colourType: 6 });
    const pixels = inflateSync(Buffer.concat(chunks.filter((chunk) => chunk.type === "IDAT").map((chunk) => chunk.data)));
    expect(pixels.length).toBe(height * (1 + width * 4));
  });
});

/** CRC-32 (PNG spec, "CRC algorithm"). */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
