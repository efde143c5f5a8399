/**
 * Writing config files so that a crash or a full disk never leaves a half-written file:
 * write a temporary file beside the target, flush it to disk, then rename it over the
 * target (a rename within one folder is atomic on POSIX and NTFS).
 */
import { randomBytes } from "node:crypto";
import { copyFile, open, realpath, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { McpClientError } from "../errors.js";
import type { McpConfig, McpConfigInput } from "./schema.js";

/** How often a rename refused by Windows (antivirus or an editor holding the file) is retried. */
const RENAME_ATTEMPTS = 5;
/** Wait before the first retry, in milliseconds; doubles each time. */
const RENAME_RETRY_DELAY_MS = 20;

/**
 * Replaces the file at `path` with `text` (UTF-8) atomically. The previous version, if
 * any, is kept as `<path>.bak`, and the file's permission bits are kept (a config may
 * hold secrets, so a 0600 file stays 0600). A symbolic link (a config kept in a dotfiles
 * repository) is followed, so the link stays and its target is replaced. The folder must exist.
 * @throws McpClientError `config_io` naming `path`; the old file is then left as it was.
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  // Renaming over a link would replace the link itself with a plain file.
  const target = await realpath(path).catch(() => path);
  const folder = dirname(target);
  const temporaryPath = join(folder, `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    const mode = await existingMode(target);
    // "wx": never follow or reuse a file someone else created under our temporary name.
    const handle = await open(temporaryPath, "wx", mode ?? 0o666);
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (mode !== undefined) await copyFile(target, `${target}.bak`);
    await renameWithRetry(temporaryPath, target);
  } catch (error) {
    await unlink(temporaryPath).catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new McpClientError("config_io", `cannot write ${path}: ${reason}`, { cause: error });
  }
  await syncFolder(folder);
}

/**
 * Writes an MCP config as JSON with 2-space indentation and a trailing newline,
 * atomically (see `writeFileAtomic`). It does not validate: `McpConfigFile.save` does.
 * @throws McpClientError `config_io` naming `path`.
 */
export async function writeMcpConfigFile(path: string, config: McpConfig | McpConfigInput): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(config, null, 2)}\n`);
}

/** The permission bits of the file at `path`, or undefined when there is none. */
async function existingMode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await rename(from, to);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const transient = process.platform === "win32" && (code === "EPERM" || code === "EACCES" || code === "EBUSY");
      if (!transient || attempt >= RENAME_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, RENAME_RETRY_DELAY_MS * 2 ** (attempt - 1)));
    }
  }
}

/**
 * Flushes the folder entry so the rename itself survives a power cut. Best effort: it
 * is not possible on Windows, and the new file is already in place either way.
 */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === "win32") return;
  try {
    const handle = await open(folder, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some file systems refuse fsync on a folder; the data is written already.
  }
}
