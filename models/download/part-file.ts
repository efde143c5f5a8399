/**
 * The unfinished download on disk: `<file>.part` holds the bytes so far and
 * `<file>.part.json` what is needed to resume them safely (the URL and the server's
 * validators for `If-Range`, RFC 9110 §13.1.5).
 */
import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, readFile, rm, stat, writeFile } from "node:fs/promises";
import { ModelFileError } from "../download-errors.js";

/** What the `.part.json` beside a `.part` file records. */
export interface PartRecord {
  /** The URL the bytes came from; a different URL starts over. */
  url: string;
  /** The response's strong `ETag`, sent back as `If-Range`. */
  etag?: string;
  /** The response's `Last-Modified`, sent as `If-Range` when there is no strong ETag. */
  lastModified?: string;
  /** Size of the whole file in bytes, when known. */
  totalBytes?: number;
}

/** Paths of the unfinished download of `destination`. */
export function partPaths(destination: string): { part: string; record: string; lock: string } {
  return { part: `${destination}.part`, record: `${destination}.part.json`, lock: `${destination}.part.lock` };
}

/**
 * Takes `<destination>.part.lock` (holding this process's id) so two downloads (two
 * `hearth models pull` in two terminals, or the app and the CLI) never write one `.part`.
 * A lock left by a process that no longer runs is taken over. Throws
 * `download_in_progress` while another live process (or this one) holds it; resolves to
 * the function that releases it.
 */
export async function lockPart(lock: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lock, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new ModelFileError("file_io", `cannot create ${lock}: ${(error as Error).message}`, { path: lock, cause: error });
      }
      const holder = Number((await readFile(lock, "utf8").catch(() => "")).trim());
      if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) {
        throw new ModelFileError("download_in_progress", `process ${holder} is already downloading this file (${lock}; delete it if that is wrong)`, { path: lock });
      }
      await rm(lock, { force: true });
    }
  }
  throw new ModelFileError("download_in_progress", `another process keeps taking ${lock}`, { path: lock });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Size of the `.part` file, 0 when there is none. */
export async function partSize(part: string): Promise<number> {
  const stats = await stat(part).catch(() => undefined);
  return stats?.isFile() ? stats.size : 0;
}

/** The record beside the `.part`, or `undefined` when it is missing or unreadable. */
export async function readPartRecord(record: string): Promise<PartRecord | undefined> {
  try {
    const value = JSON.parse(await readFile(record, "utf8")) as Partial<PartRecord>;
    return typeof value.url === "string" ? (value as PartRecord) : undefined;
  } catch {
    return undefined;
  }
}

export async function writePartRecord(record: string, value: PartRecord): Promise<void> {
  await writeFile(record, `${JSON.stringify(value)}\n`);
}

/** Removes the `.part` and its record (not the lock: its holder releases it). */
export async function removePart(paths: { part: string; record: string }): Promise<void> {
  await rm(paths.part, { force: true });
  await rm(paths.record, { force: true });
}

/** A SHA-256 fed with the first `bytes` bytes of `path` (the part kept from an earlier attempt). */
export async function hashPrefix(path: string, bytes: number, signal?: AbortSignal): Promise<Hash> {
  const hash = createHash("sha256");
  if (bytes === 0) return hash;
  for await (const chunk of createReadStream(path, { start: 0, end: bytes - 1, ...(signal ? { signal } : {}) })) hash.update(chunk as Buffer);
  return hash;
}

/** The validator to send as `If-Range`: a strong ETag, else Last-Modified (weak ETags may not be used, RFC 9110 §13.1.5). */
export function ifRangeValidator(record: PartRecord | undefined): string | undefined {
  if (record?.etag && !record.etag.startsWith("W/")) return record.etag;
  return record?.lastModified;
}

/** The parts of `Content-Range: bytes first-last/total` (total `undefined` for `*`); `undefined` when malformed. */
export function parseContentRange(header: string | null): { first: number; last: number; total?: number } | undefined {
  const match = /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(header?.trim() ?? "");
  if (!match) return undefined;
  const total = match[3] === "*" ? undefined : Number(match[3]);
  return { first: Number(match[1]), last: Number(match[2]), ...(total === undefined ? {} : { total }) };
}

/** The total of `Content-Range: bytes *\/total` in a 416 answer. */
export function parseUnsatisfiedRange(header: string | null): number | undefined {
  const match = /^bytes\s+\*\/(\d+)$/i.exec(header?.trim() ?? "");
  return match ? Number(match[1]) : undefined;
}
