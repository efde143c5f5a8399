/**
 * Where Hearth keeps its data on each platform, and the default models folder inside it.
 * The rule lives here (not in `app/`) because the model catalog needs its default and
 * `models/` may not import `app/`; `app/` reuses it for settings and the store.
 */
import { homedir } from "node:os";
import { posix, win32 } from "node:path";

/** What the data folder depends on; tests pass their own. Defaults: this process's. */
export interface DataFolderEnvironment {
  /** `process.platform`. */
  platform?: NodeJS.Platform;
  /** `process.env`. */
  env?: Record<string, string | undefined>;
  /** `os.homedir()`. */
  home?: string;
}

/**
 * The user's Hearth data folder:
 * - `HEARTH_DATA_DIR` when set (any platform), as given;
 * - Linux and other Unixes: `$XDG_DATA_HOME/hearth`, else `~/.local/share/hearth`
 *   (XDG Base Directory spec: `XDG_DATA_HOME` must be absolute, a relative one is ignored);
 * - macOS: `~/Library/Application Support/Hearth`;
 * - Windows: `%APPDATA%\Hearth`, else `~\AppData\Roaming\Hearth`.
 */
export function userDataFolder(environment: DataFolderEnvironment = {}): string {
  const platform = environment.platform ?? process.platform;
  const env = environment.env ?? process.env;
  const home = environment.home ?? homedir();
  const override = env.HEARTH_DATA_DIR?.trim();
  if (override) return override;
  if (platform === "win32") return win32.join(env.APPDATA?.trim() || win32.join(home, "AppData", "Roaming"), "Hearth");
  if (platform === "darwin") return posix.join(home, "Library", "Application Support", "Hearth");
  const xdgDataHome = env.XDG_DATA_HOME?.trim();
  if (xdgDataHome && posix.isAbsolute(xdgDataHome)) return posix.join(xdgDataHome, "hearth");
  return posix.join(home, ".local", "share", "hearth");
}

/** The default models folder: `models` inside {@link userDataFolder}. */
export function defaultModelsFolder(environment: DataFolderEnvironment = {}): string {
  const platform = environment.platform ?? process.platform;
  return (platform === "win32" ? win32 : posix).join(userDataFolder(environment), "models");
}
