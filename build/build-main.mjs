// `npm run build:main`: bundles the Electron main process (main/index.ts and the core it
// starts) into dist/main/index.js, and the preload script into dist/main/preload.cjs,
// where main/app.ts looks for it. Electron cannot load TypeScript, and a sandboxed preload
// cannot load ES modules or anything from node_modules, so both are bundled; `package.json`
// "main" names the first, so `electron .` and the packaged app start it.
//
// What stays out of the main bundle and is loaded from node_modules at run time:
// - `electron`, which only exists inside Electron;
// - node-llama-cpp, whose file layout is part of how it finds its binaries (prebuilt,
//   per-platform packages @node-llama-cpp/*, local builds), so it must keep it
//   (https://node-llama-cpp.withcat.ai/guide/electron, "Bundling");
// - better-sqlite3, a native addon located by `bindings` from its own folder.
// The rest of the dependencies are plain JavaScript and bundle (checked by loading the
// bundle: tests/desktop/build-main.test.ts). mcp/transports/process-control.ts loads
// cross-spawn through `createRequire` at run time, so it too comes from node_modules; it is
// a dependency, so it is installed and packaged.
import { randomBytes } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

/** The repository's root. */
export const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Where the bundles go. */
const MAIN_OUTPUT_FOLDER = join(ROOT, "dist", "main");

/** Packages the main bundle imports at run time instead of containing (see above). */
export const MAIN_EXTERNALS = ["electron", "node-llama-cpp", "better-sqlite3"];

/**
 * The Node inside Electron: 22 from Electron 35 on (45 ships a newer one). A lower
 * target only means esbuild transforms a little more; the TypeScript sources target ES2023.
 */
const NODE_TARGET = "node22";

// Bundled CommonJS dependencies call `require("node:…")`; an ES module has no `require`,
// so the bundle makes one (esbuild's own shim throws "Dynamic require … is not supported").
const REQUIRE_SHIM = 'import { createRequire as __hearthCreateRequire } from "node:module";\nconst require = __hearthCreateRequire(import.meta.url);';

/**
 * Builds both bundles; resolves to their paths and esbuild's metafiles (`mainMetafile`,
 * `preloadMetafile`: what went in, and what each output imports at run time). `log`
 * receives one line per bundle (default: nothing). Throws esbuild's error, which lists
 * every problem, when a build fails.
 */
export async function buildMain({ log = () => {} } = {}) {
  await mkdir(MAIN_OUTPUT_FOLDER, { recursive: true });
  const main = join(MAIN_OUTPUT_FOLDER, "index.js");
  const preload = join(MAIN_OUTPUT_FOLDER, "preload.cjs");
  // Written by `writeAtomically`, not by esbuild: see there.
  const common = { absWorkingDir: ROOT, bundle: true, platform: "node", target: NODE_TARGET, sourcemap: "linked", logLevel: "warning", legalComments: "none", metafile: true, write: false };
  const [mainResult, preloadResult] = await Promise.all([
    build({
      ...common,
      entryPoints: [join(ROOT, "main", "index.ts")],
      outfile: main,
      format: "esm",
      external: MAIN_EXTERNALS,
      banner: { js: REQUIRE_SHIM },
    }),
    build({
      ...common,
      entryPoints: [join(ROOT, "main", "preload.ts")],
      outfile: preload,
      format: "cjs",
      // Only `electron`: a sandboxed preload's `require` knows a handful of modules, none
      // from node_modules (https://www.electronjs.org/docs/latest/tutorial/sandbox#preload-scripts).
      external: ["electron"],
      // preload.ts imports `electron` with `import()` (to keep tsc from resolving it); a
      // sandboxed preload has no `import()`, so esbuild lowers it to `require("electron")`.
      supported: { "dynamic-import": false },
    }),
  ]);
  await Promise.all([...mainResult.outputFiles, ...preloadResult.outputFiles].map((file) => writeAtomically(file.path, file.contents)));
  for (const file of [main, preload]) log(`built ${relative(ROOT, file)}`);
  return { main, preload, mainMetafile: mainResult.metafile, preloadMetafile: preloadResult.metafile };
}

/**
 * Writes `contents` to a temporary file beside `path`, then renames it over `path`: a
 * process starting from the bundle meanwhile (Electron, a test; another `npm start`
 * building at the same time) reads the old file or the new one, never half of one.
 */
async function writeAtomically(path, contents) {
  const temporary = `${path}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    await buildMain({ log: (line) => console.log(line) });
  } catch (error) {
    // esbuild has already printed each problem with its location.
    console.error(`build:main failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    process.exitCode = 1;
  }
}

