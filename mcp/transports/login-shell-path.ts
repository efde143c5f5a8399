/**
 * The PATH a terminal would have. An app started from the macOS Dock or a Linux desktop
 * launcher inherits a minimal PATH (`/usr/bin:/bin:…`) because the login shell's startup
 * files (`~/.zprofile`, `~/.bash_profile`, nvm, Homebrew) never ran, so `npx` or `uvx`
 * "is not found" although it works in a terminal. Here the user's own `$SHELL` is asked,
 * as a login interactive shell (`-ilc`), to print its PATH between markers: startup files
 * may print banners, and only what lies between the markers counts.
 *
 * On Windows the process PATH already comes from the registry, so it is used as is.
 */
import { execFile } from "node:child_process";

/** Where a PATH came from: the user's login shell, or Hearth's own environment. */
export type PathSource = "login-shell" | "process";

/** A PATH and where it came from. */
export interface ResolvedPath {
  /** The PATH value, folders joined by the platform's delimiter. */
  path: string;
  source: PathSource;
}

/** Options of {@link loginShellPath}. */
export interface LoginShellPathOptions {
  /** The shell to ask. Default `$SHELL`, else `/bin/sh`. */
  shell?: string;
  /** Milliseconds the shell may take before the process PATH is used. Default 3,000. */
  timeoutMs?: number;
  /** The environment the shell starts with, and whose PATH is the fallback. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Default `process.platform`; on `win32` the process PATH is returned. */
  platform?: NodeJS.Platform;
  /** Ask again even if an answer is cached. Default false. */
  refresh?: boolean;
}

/** Default of {@link LoginShellPathOptions.timeoutMs}. */
export const LOGIN_SHELL_TIMEOUT_MS = 3_000;

const START = "__HEARTH_PATH_START__";
const END = "__HEARTH_PATH_END__";

/** Answers by shell, so the shell runs once per app run (startup files can be slow). */
const cache = new Map<string, Promise<ResolvedPath>>();

/**
 * The PATH of the user's login shell; the process PATH (`source: "process"`) on Windows,
 * or when the shell fails, times out or prints no PATH. Never rejects. Cached per shell.
 */
export function loginShellPath(options: LoginShellPathOptions = {}): Promise<ResolvedPath> {
  const env = options.env ?? process.env;
  const fallback: ResolvedPath = { path: env.PATH ?? env.Path ?? "", source: "process" };
  if ((options.platform ?? process.platform) === "win32") return Promise.resolve(fallback);
  const shell = options.shell ?? (env.SHELL || "/bin/sh");
  const cached = cache.get(shell);
  if (cached !== undefined && !options.refresh) return cached;
  const asked = askShell(shell, env, options.timeoutMs ?? LOGIN_SHELL_TIMEOUT_MS).then(
    (path): ResolvedPath => (path === undefined ? fallback : { path, source: "login-shell" }),
  );
  cache.set(shell, asked);
  return asked;
}

/** Forgets cached answers (for tests, or after the user changed their shell setup). */
export function clearLoginShellPathCache(): void {
  cache.clear();
}

function askShell(shell: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string | undefined> {
  // printf, not echo: some shells' echo interprets backslashes.
  const script = `printf '%s%s%s' '${START}' "$PATH" '${END}'`;
  return new Promise((resolve) => {
    // A grandchild the startup files left running may hold stdout open past the shell's
    // death, which would delay execFile's callback: answer at the limit regardless.
    const limit = setTimeout(() => resolve(undefined), timeoutMs + 500);
    limit.unref();
    try {
      execFile(
        shell,
        ["-ilc", script],
        // No stdin: an interactive shell must not wait for the user; DISABLE_AUTO_UPDATE
        // keeps oh-my-zsh from prompting.
        { env: { ...env, DISABLE_AUTO_UPDATE: "true" }, timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 1024 * 1024, windowsHide: true },
        (_error, stdout) => {
          clearTimeout(limit);
          // Startup files may fail after PATH is set; the markers decide, not the exit code.
          const text = String(stdout);
          const start = text.lastIndexOf(START);
          const end = text.indexOf(END, start);
          const path = start === -1 || end === -1 ? "" : text.slice(start + START.length, end).trim();
          resolve(path === "" ? undefined : path);
        },
      ).stdin?.end();
    } catch {
      clearTimeout(limit);
      resolve(undefined);
    }
  });
}
