/**
 * Small JSON files of the desktop app (window state, encrypted secrets) written so that a
 * crash or a power cut leaves either the old file or the new one, never half of one: the
 * text goes to a temporary file beside the target, is flushed to disk, then renamed over it
 * (a rename within one folder is atomic on every platform Electron runs on).
 */
import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";

/** Windows refuses a rename while another process (an antivirus, an indexer) holds the file: retry a few times. */
const RENAME_RETRIES = 5;
const RENAME_RETRY_DELAY_MS = 40;

/**
 * Writes `text` to `file` atomically, creating its folder when needed.
 * @param options - `mode`: the new file's permission bits (default 0o644; secrets use 0o600).
 */
export async function writeFileAtomic(file: string, text: string, options: { mode?: number } = {}): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    const handle = await open(temporary, "wx", options.mode ?? 0o644);
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameWithRetry(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const transient = code === "EPERM" || code === "EACCES" || code === "EBUSY";
      if (!transient || process.platform !== "win32" || attempt >= RENAME_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, RENAME_RETRY_DELAY_MS * attempt));
    }
  }
}

/** The text of `file`, or undefined when it does not exist. Other errors (permissions, a folder) are thrown. */
export async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * Runs tasks one after another, in the order they were queued: each read-modify-write of a
 * file sees the result of the one before it, and renames land in order.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Queues `task`; resolves or rejects as it does. A failed task does not stop the ones after it. */
  run<Result>(task: () => Promise<Result>): Promise<Result> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
