// Native modules for `npm start`'s Electron. better-sqlite3 is a native addon built against
// one ABI: `npm install` builds it for Node (the CLI, `hearth serve` and the tests need
// that one), and Electron refuses it ("was compiled against a different Node.js version").
// Rebuilding it in place, as `electron-builder install-app-deps` would, breaks the CLI and
// the tests instead. So Electron gets its own copy, in dist/node_modules/better-sqlite3:
// the main bundle (dist/main/index.js) imports better-sqlite3 as an external, and Node's
// resolution from dist/main/ finds dist/node_modules/ before the project's node_modules/.
// The copy is built once per Electron and better-sqlite3 version, as Electron's docs
// describe (https://www.electronjs.org/docs/latest/tutorial/using-native-node-modules):
// a prebuilt binary for Electron from prebuild-install, else node-gyp against Electron's
// headers. Both download, once. The packaged app does not use this folder:
// electron-builder rebuilds for Electron itself (`npmRebuild`, electron-builder.yml).
//
// Neither step runs through npm: npm would hand them the user's npm config, and a
// `nodedir` there makes node-gyp build against Node's headers, for Node's ABI, whatever
// the target says. The result is checked all the same: a binary that plain Node can load
// was not built for Electron.
//
// node-llama-cpp needs none of this: its binaries use Node-API, whose ABI Electron shares.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, sep } from "node:path";

/** Where Electron's copies of native modules go, relative to the root. */
const ELECTRON_MODULES_FOLDER = join("dist", "node_modules");

/** The native modules that need an Electron build (see the file's comment), and their addon. */
const ELECTRON_NATIVE_MODULES = [{ name: "better-sqlite3", addon: join("build", "Release", "better_sqlite3.node") }];

/** Where Electron's headers are downloaded from. */
const ELECTRON_HEADERS_URL = "https://electronjs.org/headers";

/** The file in each copy that records what it was built for. */
const STAMP_FILE = ".hearth-electron-build";

const readVersion = (folder) => JSON.parse(readFileSync(join(folder, "package.json"), "utf8")).version;

/**
 * What a copy must have been built for: Electron's version, the module's, the platform and
 * the architecture. A copy whose stamp differs is rebuilt.
 */
function electronBuildStamp({ electronVersion, moduleVersion, platform = process.platform, arch = process.arch }) {
  return `electron ${electronVersion}, module ${moduleVersion}, ${platform}-${arch}`;
}

/** `environment` without npm's `nodedir` setting (see the file's comment). */
function withoutNodedir(environment) {
  return Object.fromEntries(Object.entries(environment).filter(([name]) => name.toLowerCase() !== "npm_config_nodedir"));
}

/**
 * Builds the module copied into `folder` for Electron `electronVersion`: prebuild-install
 * first, node-gyp when no prebuilt binary can be had. Returns `{ ok: true }` or
 * `{ ok: false, reason }`; the tools' output goes to this process's stdout and stderr.
 */
function buildForElectron(folder, { root, electronVersion, arch = process.arch }) {
  const environment = withoutNodedir(process.env);
  const flags = ["--runtime=electron", `--target=${electronVersion}`, `--arch=${arch}`];
  const resolveFromModule = createRequire(join(folder, "package.json"));
  const run = (script, args) => spawnSync(process.execPath, [script, ...args], { cwd: folder, env: environment, stdio: "inherit" }).status;

  let prebuildInstall;
  try {
    prebuildInstall = resolveFromModule.resolve("prebuild-install/bin.js");
  } catch {
    prebuildInstall = undefined;
  }
  if (prebuildInstall !== undefined && run(prebuildInstall, flags) === 0) return { ok: true };

  // npm tells its scripts where its node-gyp is; electron-builder brings one too.
  const candidates = [process.env.npm_config_node_gyp, join(root, "node_modules", "node-gyp", "bin", "node-gyp.js")];
  const nodeGyp = candidates.find((path) => path !== undefined && path.endsWith(".js") && existsSync(path));
  if (nodeGyp === undefined) return { ok: false, reason: "no prebuilt binary could be downloaded, and node-gyp (which electron-builder installs) was not found to compile one" };
  const status = run(nodeGyp, ["rebuild", "--release", ...flags, `--dist-url=${ELECTRON_HEADERS_URL}`]);
  return status === 0 ? { ok: true } : { ok: false, reason: `no prebuilt binary could be downloaded, and compiling against Electron's headers failed (exit status ${status})` };
}

/** Whether plain Node loads the addon at `path`, which it must not do with one built for Electron. */
function nodeLoads(path) {
  return spawnSync(process.execPath, ["-e", `require(${JSON.stringify(path)})`], { stdio: "ignore" }).status === 0;
}

/**
 * Makes sure each module of {@link ELECTRON_NATIVE_MODULES} has a copy built for the
 * installed Electron under `root`/dist/node_modules. Returns `{ ok: true, built }`
 * (`built`: the modules it had to build) or `{ ok: false, reason }`. `build(folder,
 * options)` builds a copy (default {@link buildForElectron}); `log` gets progress lines.
 */
export function ensureElectronNativeModules({ root, log = () => {}, build = buildForElectron }) {
  const electronVersion = readVersion(join(root, "node_modules", "electron"));
  const built = [];
  for (const { name, addon } of ELECTRON_NATIVE_MODULES) {
    const source = join(root, "node_modules", name);
    const target = join(root, ELECTRON_MODULES_FOLDER, name);
    const stamp = electronBuildStamp({ electronVersion, moduleVersion: readVersion(source) });
    const stampFile = join(target, STAMP_FILE);
    if (existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp && existsSync(join(target, addon))) continue;

    log(`building ${name} for Electron ${electronVersion} (once; Node's own build stays in node_modules)…`);
    rmSync(target, { recursive: true, force: true });
    // Everything but the Node build (build/) and the module's own node_modules; its
    // dependencies (bindings, prebuild-install) resolve from the project's node_modules.
    const skipped = [join(source, "build"), join(source, "node_modules")];
    cpSync(source, target, { recursive: true, filter: (path) => !skipped.some((folder) => path === folder || path.startsWith(folder + sep)) });
    const fail = (why) => {
      rmSync(target, { recursive: true, force: true });
      return { ok: false, reason: `${name} could not be built for Electron ${electronVersion}: ${why}` };
    };
    const result = build(target, { root, electronVersion });
    if (!result.ok) return fail(result.reason);
    if (!existsSync(join(target, addon))) return fail(`the build left no ${addon}`);
    if (nodeLoads(join(target, addon))) return fail("the build targeted Node's ABI, not Electron's (is `nodedir` set in your npm or node-gyp config?)");
    writeFileSync(stampFile, stamp);
    built.push(name);
    log(`built ${relative(root, target)}`);
  }
  return { ok: true, built };
}
