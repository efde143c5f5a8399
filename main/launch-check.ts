/**
 * Whether the desktop app can start here, asked before spawning Electron so that
 * `npm start` can fall back to the headless UI (`hearth serve --ui`) with a reason instead
 * of crashing: Linux needs a display server, and the `electron` package must be installed
 * with its binary (its install script downloads the binary and records where it put it in
 * `path.txt`; a failed download leaves the package without either).
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The stable codes of a failed {@link canLaunchElectron}. */
export type LaunchProblemCode = "no_display" | "electron_missing" | "electron_binary_missing";

/** The answer of {@link canLaunchElectron}. */
export type LaunchCheck = { ok: true; executable: string } | { ok: false; code: LaunchProblemCode; reason: string };

/** Where the check runs: the platform and the environment variables. */
export interface LaunchEnvironment {
  /** `process.platform`. */
  platform: string;
  /** `process.env`. */
  variables: Readonly<Record<string, string | undefined>>;
}

/** The file system and module resolution the check reads. */
export interface LaunchFileSystem {
  /** `require.resolve`: the entry file of `specifier`; throws when it is not installed. */
  resolve(specifier: string): string;
  existsSync(path: string): boolean;
  readFileSync(path: string, encoding: "utf8"): string;
}

/** The real file system, resolving from this folder as `require("electron")` would. */
export function nodeLaunchFileSystem(): LaunchFileSystem {
  const require = createRequire(import.meta.url);
  return {
    resolve: (specifier) => require.resolve(specifier),
    existsSync: (path) => existsSync(path),
    readFileSync: (path, encoding) => readFileSync(path, encoding),
  };
}

const nonEmpty = (value: string | undefined) => value !== undefined && value.trim() !== "";

/**
 * Whether Electron can be launched: on Linux, `DISPLAY` or `WAYLAND_DISPLAY` is set; the
 * `electron` package resolves; its `path.txt` names a binary that exists (under
 * `ELECTRON_OVERRIDE_DIST_PATH` when set, as the package's own index.js does). On success,
 * `executable` is that binary.
 */
export function canLaunchElectron(environment: LaunchEnvironment, fs: LaunchFileSystem = nodeLaunchFileSystem()): LaunchCheck {
  const { platform, variables } = environment;
  if (platform === "linux" && !nonEmpty(variables.DISPLAY) && !nonEmpty(variables.WAYLAND_DISPLAY)) {
    return { ok: false, code: "no_display", reason: "no display: neither DISPLAY nor WAYLAND_DISPLAY is set (a server or a terminal without a desktop session)" };
  }
  let entry: string;
  try {
    entry = fs.resolve("electron");
  } catch {
    return { ok: false, code: "electron_missing", reason: "the electron package is not installed (npm install electron)" };
  }
  const packageFolder = dirname(entry);
  const pathFile = join(packageFolder, "path.txt");
  let relativeExecutable: string | undefined;
  if (fs.existsSync(pathFile)) {
    try {
      relativeExecutable = fs.readFileSync(pathFile, "utf8").trim() || undefined;
    } catch {
      relativeExecutable = undefined;
    }
  }
  const override = variables.ELECTRON_OVERRIDE_DIST_PATH;
  const overrideFolder = override !== undefined && override.trim() !== "" ? override : undefined;
  if (relativeExecutable === undefined && overrideFolder === undefined) {
    return {
      ok: false,
      code: "electron_binary_missing",
      reason: `the electron package has no binary (${pathFile} is missing: its download failed or was skipped); run npm start again with network access, or npx install-electron`,
    };
  }
  const executable = overrideFolder !== undefined ? join(overrideFolder, relativeExecutable ?? "electron") : join(packageFolder, "dist", relativeExecutable ?? "electron");
  if (!fs.existsSync(executable)) {
    return { ok: false, code: "electron_binary_missing", reason: `the Electron binary ${executable} does not exist; run npm start again with network access, or npx install-electron` };
  }
  return { ok: true, executable };
}
