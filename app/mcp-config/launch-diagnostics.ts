/**
 * Launch diagnostics of a Process server (issue 7): how it is started and where its
 * command is, or where it was looked for, in words a person can act on. The lookup is
 * `resolveCommand` of mcp/transports/process-control.ts, the one a failed spawn's message uses.
 */
import { delimiter as platformDelimiter, resolve as resolvePath } from "node:path";
import type { ProcessSource } from "../../mcp/index.js";
import { loginShellPath, type PathSource } from "../../mcp/transports/login-shell-path.js";
import { commandHasPath, isDirectory, resolveCommand } from "../../mcp/transports/process-control.js";
import type { LaunchDiagnostics } from "../contract/mcp-channels.js";

export { resolveCommand, type CommandSearch } from "../../mcp/transports/process-control.js";

/** Where the PATH in force comes from, as the pool would start the server. */
export interface LaunchEnvironment {
  /** The pool's `processSearchPath` (the login shell's PATH), when it was turned on. */
  searchPath?: string;
  /** Hearth's own environment. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Default `process.platform`. */
  platform?: NodeJS.Platform;
  /** Ask the login shell when the command is not found, to suggest its PATH. Default true (not on Windows). */
  consultLoginShell?: boolean;
}

/**
 * How the Process server `source` is (or would be) started: the command, arguments,
 * working folder, the PATH folders searched and where that PATH came from, the resolved
 * file, and one sentence. When the command is missing from Hearth's own PATH but the
 * login shell's PATH has it, the sentence says so (GUI apps often miss that PATH).
 */
export async function diagnoseLaunch(source: ProcessSource, environment: LaunchEnvironment = {}): Promise<LaunchDiagnostics> {
  const env = environment.env ?? process.env;
  const platform = environment.platform ?? process.platform;
  const delimiter = platform === "win32" ? ";" : platform === process.platform ? platformDelimiter : ":";
  const ownPath = Object.entries(source.env).find(([key]) => key.toUpperCase() === "PATH")?.[1];
  let pathSource: PathSource = "process";
  let pathText = env.PATH ?? env.Path ?? "";
  if (ownPath !== undefined) pathText = ownPath;
  else if (environment.searchPath !== undefined) {
    pathText = environment.searchPath;
    pathSource = "login-shell";
  }
  const folders = pathText.split(delimiter).filter(Boolean);
  const workDir = source.work_dir === undefined ? process.cwd() : resolvePath(source.work_dir);
  const base = { command: source.command, args: [...source.args], workDir, path: folders, pathSource };
  if (source.work_dir !== undefined && !isDirectory(workDir)) {
    return { ...base, message: `The working folder ${workDir} does not exist or is not a folder.` };
  }
  const resolved = resolveCommand(source.command, { folders, workDir, platform });
  if (resolved !== undefined) return { ...base, resolved, message: `"${source.command}" runs ${resolved}.` };
  if (commandHasPath(source.command, platform === "win32")) {
    return { ...base, message: `"${source.command}" was not found: no executable file ${resolvePath(workDir, source.command)} (relative paths start from the working folder ${workDir}).` };
  }
  const from = ownPath !== undefined ? "the server's own env.PATH" : pathSource === "login-shell" ? "your login shell" : "Hearth's environment";
  let message = `"${source.command}" was not found in any of the ${folders.length} PATH folders (from ${from}): ${folders.join(", ") || "(none)"}.`;
  if (pathSource === "process" && ownPath === undefined && platform !== "win32" && environment.consultLoginShell !== false) {
    const shell = await loginShellPath({ env });
    const inShell = shell.source === "login-shell" ? resolveCommand(source.command, { folders: shell.path.split(delimiter).filter(Boolean), workDir, platform }) : undefined;
    if (inShell !== undefined) {
      message += ` Your login shell finds it at ${inShell}: apps started from the Dock or a launcher miss the login shell's PATH; give the full path as the command, or set PATH in the server's env.`;
    }
  }
  return { ...base, message };
}
