/**
 * How Hearth starts and stops server processes at the OS level: spawning (with Windows'
 * `.cmd` shims in mind), explaining a failed spawn, and the process groups servers lead.
 *
 * Each server leads its own process group (POSIX), whose id is the server's pid. Groups
 * stay listed until nothing in them is left, so that if Hearth exits (Ctrl-C on the CLI)
 * while servers run, an 'exit' listener can SIGKILL them: detached children do not get
 * the terminal's SIGINT and would otherwise be orphaned. Note that Node runs 'exit'
 * listeners only when the process exits through `process.exit()` or an empty event loop,
 * not when a signal's default action kills it: the CLI must handle SIGINT and SIGTERM.
 */

import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, isAbsolute, join, resolve } from "node:path";

/** True on Windows, which has no process groups: only the pid itself is signalled there. */
export const isWindows = process.platform === "win32";

const liveGroups = new Set<number>();
let exitListenerRegistered = false;

/** Polling interval (ms) while waiting for what is left of a group to go. */
const SWEEP_POLL_MS = 50;

/** Lists a group led by a freshly spawned server; registers the exit listener on first use. */
export function trackGroup(pid: number): void {
  liveGroups.add(pid);
  if (exitListenerRegistered) return;
  exitListenerRegistered = true;
  // 'exit' listeners must be synchronous; process.kill is.
  process.on("exit", () => {
    for (const group of liveGroups) killGroup(group, "SIGKILL");
  });
}

/**
 * Sends `signal` to every process in the group led by `pid` (to `pid` alone on Windows);
 * signal 0 only tests for existence. Returns false when nothing was there to signal.
 */
export function killGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(isWindows ? pid : -pid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is empty (EPERM cannot happen for our own children).
  }
}

/**
 * Called once the group's leader (the server) has exited: what is left of the group
 * (grandchildren that lost their parent) gets SIGTERM, then SIGKILL after `graceMs` (ms)
 * if anything remains. Runs in the background on unref'd timers; the exit listener covers
 * Hearth exiting meanwhile. The group is unlisted when done.
 */
export function sweepGroup(pid: number, graceMs: number): void {
  if (isWindows || !killGroup(pid, "SIGTERM")) {
    liveGroups.delete(pid);
    return;
  }
  const deadline = Date.now() + graceMs;
  const poll = (): void => {
    if (killGroup(pid, 0) && Date.now() < deadline) {
      setTimeout(poll, SWEEP_POLL_MS).unref();
      return;
    }
    // A zombie (where init does not reap orphans) still counts as a member, so a group can
    // look alive to the end; SIGKILL is harmless then.
    killGroup(pid, "SIGKILL");
    liveGroups.delete(pid);
  };
  setTimeout(poll, SWEEP_POLL_MS).unref();
}

/** The groups currently listed, for tests and diagnostics. */
export function liveProcessGroups(): number[] {
  return [...liveGroups];
}

/**
 * Plain `spawn` on POSIX. Windows cannot run `npx.cmd`-style shims without a shell, and
 * quoting arguments for cmd.exe safely is what `cross-spawn` (the SDK's own choice) does,
 * so it is loaded there only. It arrives as a dependency of the SDK, not of Hearth.
 */
export function spawnProcess(command: string, args: string[], options: SpawnOptions): ChildProcess {
  if (!isWindows) return spawn(command, args, options);
  const crossSpawn = createRequire(import.meta.url)("cross-spawn") as typeof spawn;
  return crossSpawn(command, args, options);
}

/**
 * A message a person can act on for a failed spawn: which command, which PATH folders
 * were searched, which working folder. `env` is the environment given to the child (its
 * PATH is the one searched).
 */
export function describeSpawnFailure(
  error: unknown,
  command: string,
  workDir: string | undefined,
  env: NodeJS.ProcessEnv,
): string {
  const code = (error as NodeJS.ErrnoException).code;
  const folder = workDir ?? process.cwd();
  // Node reports a missing cwd as ENOENT, the same code as a missing command: check first.
  if (workDir !== undefined && !isDirectory(workDir)) {
    return `working folder does not exist or is not a folder: "${workDir}"`;
  }
  if (code === "ENOENT") {
    const isPath = /[\\/]/.test(command);
    const searchPath = (env.PATH ?? env.Path ?? "").split(delimiter).filter(Boolean);
    const found = resolveCommand(command, { folders: searchPath, workDir: folder });
    if (found !== undefined) {
      // execve answers ENOENT too when a script's interpreter (its #! line) is missing.
      return `command "${command}" was found at ${found}, but its interpreter (the #! line) was not found`;
    }
    const searched = isPath
      ? `no such file: ${resolve(folder, command)}`
      : `searched PATH: ${searchPath.join(", ") || "(empty)"}; working folder: ${folder}`;
    return `command not found: "${command}" (${searched})`;
  }
  if (code === "EACCES") {
    return `command is not executable: "${command}" (permission denied; working folder: ${folder})`;
  }
  return `could not start "${command}": ${error instanceof Error ? error.message : String(error)}`;
}

/** What {@link resolveCommand} searches. */
export interface CommandSearch {
  /** PATH folders, in order. */
  folders: readonly string[];
  /** Where a relative command path is taken from. */
  workDir: string;
  /** Default `process.platform`. */
  platform?: NodeJS.Platform;
  /** Windows' executable extensions. Default `$PATHEXT`, else `.COM;.EXE;.BAT;.CMD`. */
  pathext?: string;
}

/**
 * The file `command` runs, or undefined when no executable file is found. Mirrors what
 * `spawn` does: a name without a slash is searched in each PATH folder (with each PATHEXT
 * extension on Windows), a path is taken relative to the working folder.
 */
export function resolveCommand(command: string, search: CommandSearch): string | undefined {
  const windows = (search.platform ?? process.platform) === "win32";
  const extensions = windows ? ["", ...(search.pathext ?? process.env.PATHEXT ?? ".COM;.EXE;.BAT;.CMD").split(";").filter(Boolean)] : [""];
  const candidates = commandHasPath(command, windows)
    ? [isAbsolute(command) ? command : resolve(search.workDir, command)]
    : search.folders.map((folder) => join(folder, command));
  for (const candidate of candidates) {
    for (const extension of extensions) {
      if (isExecutableFile(candidate + extension, windows)) return candidate + extension;
    }
  }
  return undefined;
}

/** Whether `command` is a path (has a separator) rather than a name looked up on PATH. */
export function commandHasPath(command: string, windows: boolean): boolean {
  return windows ? /[\\/]/.test(command) : command.includes("/");
}

function isExecutableFile(path: string, windows: boolean): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    if (!windows) accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether `path` is an existing folder. */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
