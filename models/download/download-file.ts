/**
 * Downloads one file over HTTP(S) into place, resumably: bytes go to `<destination>.part`;
 * after an interruption the next run (or an automatic retry) asks for the rest with
 * `Range` (RFC 9110 §14.2) and `If-Range`, and starts over cleanly when the server answers
 * 200 with the whole file. The finished file is checked (size, SHA-256, the caller's
 * `verifyFile`), then renamed into place, so `destination` never holds a partial file.
 */
import type { Hash } from "node:crypto";
import { mkdir, open, rename } from "node:fs/promises";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ModelFileError, describeError } from "../download-errors.js";
import { hashPrefix, ifRangeValidator, lockPart, parseContentRange, parseUnsatisfiedRange, partPaths, partSize, readPartRecord, removePart, writePartRecord, type PartRecord } from "./part-file.js";
import { SpeedMeter, progressReport, type ProgressListener } from "./progress.js";

/** Options of {@link downloadFile}. */
export interface DownloadFileOptions {
  /** The http(s) URL to fetch; redirects are followed. */
  url: string;
  /** Where the finished file goes (its folder is created if needed); `<destination>.part`, `.part.json` and `.part.lock` sit beside it meanwhile. */
  destination: string;
  /** Expected lower-case hex SHA-256; on mismatch the download is deleted (`checksum_mismatch`). */
  sha256?: string;
  /** Expected size in bytes; on mismatch the download is deleted (`checksum_mismatch`). */
  expectedBytes?: number;
  /** Extra request headers (an `authorization` for gated files). */
  headers?: Record<string, string>;
  /** The `fetch` to use. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Cancels the download (`cancelled`); the `.part` stays for a later resume. */
  signal?: AbortSignal;
  /** Progress, at most every `progressIntervalMs` and once at the end (`done: true`). */
  onProgress?: ProgressListener;
  /** Least time between progress reports, in milliseconds. Default 250. */
  progressIntervalMs?: number;
  /** How many times a broken connection is resumed automatically before `network` is thrown. Default 3. */
  retries?: number;
  /** Wait before the n-th automatic resume: n × this many milliseconds. Default 1000. */
  retryDelayMs?: number;
  /** Checks the complete `.part` before it is moved into place; if it throws, the download is deleted and the error passed on. */
  verifyFile?: (partPath: string) => Promise<void>;
}

/** What {@link downloadFile} did. */
export interface DownloadFileResult {
  /** The finished file (`destination`). */
  path: string;
  /** Its size in bytes. */
  bytes: number;
  /** Its SHA-256 (lower-case hex), computed while downloading. */
  sha256: string;
  /** Bytes that an earlier run had left in the `.part` and that were kept (0 when none were). */
  resumedFromBytes: number;
}

/**
 * Downloads `options.url` to `options.destination`. Throws a {@link ModelFileError}:
 * `http_status` (the message names the URL and status), `network` (connection broken
 * after the retries; `.part` kept), `cancelled` (`.part` kept), `checksum_mismatch`
 * (nothing kept), `download_in_progress` (another download writes the same file),
 * `file_io`, or whatever `verifyFile` throws (nothing kept).
 */
export async function downloadFile(options: DownloadFileOptions): Promise<DownloadFileResult> {
  throwIfCancelled(options);
  const paths = partPaths(options.destination);
  await mkdir(dirname(options.destination), { recursive: true }).catch((error: unknown) => {
    throw new ModelFileError("file_io", `cannot create the folder of ${options.destination}: ${describeError(error)}`, { path: options.destination, cause: error });
  });
  const release = await lockPart(paths.lock);
  try {
    return await downloadWithRetries(options, paths);
  } finally {
    await release();
  }
}

async function downloadWithRetries(options: DownloadFileOptions, paths: PartPaths): Promise<DownloadFileResult> {
  const retries = options.retries ?? 3;
  const run: RunState = {};
  for (let attempt = 0; ; attempt++) {
    try {
      return await finish(options, paths, await receive(options, paths, run), run.resumedFromBytes ?? 0);
    } catch (error) {
      throwIfCancelled(options, error);
      const retryable = error instanceof ModelFileError && error.code === "network";
      if (!retryable || attempt >= retries) throw error;
      try {
        await sleep((attempt + 1) * (options.retryDelayMs ?? 1000), undefined, options.signal ? { signal: options.signal } : {});
      } catch {
        throwIfCancelled(options);
      }
    }
  }
}

type PartPaths = ReturnType<typeof partPaths>;

/** What the attempts of one run share. */
interface RunState {
  /** Bytes of an earlier run kept by the first attempt; reset to 0 when an attempt starts over. */
  resumedFromBytes?: number;
}

interface Received {
  /** Size of the complete part. */
  bytes: number;
  /** SHA-256 fed with every byte of the part. */
  hash: Hash;
}

/** One request: resume or start the `.part`, and stream the body into it. */
async function receive(options: DownloadFileOptions, paths: PartPaths, run: RunState): Promise<Received> {
  let existing = await partSize(paths.part);
  const record = existing > 0 ? await readPartRecord(paths.record) : undefined;
  // A part from another URL may be another file: start over.
  if (existing > 0 && record && record.url !== options.url) {
    await removePart(paths);
    existing = 0;
  }
  const headers: Record<string, string> = { "accept-encoding": "identity", ...options.headers };
  if (existing > 0) {
    headers.range = `bytes=${existing}-`;
    const validator = ifRangeValidator(record);
    if (validator) headers["if-range"] = validator;
  }
  const response = await request(options, headers);
  let mode: "append" | "restart";
  let totalBytes: number | undefined;
  if (response.status === 206 && existing > 0) {
    const range = parseContentRange(response.headers.get("content-range"));
    if (!range || range.first !== existing) {
      // Not the range asked for: start over without one (the next answer is 200 or an error).
      await response.body?.cancel().catch(() => {});
      await removePart(paths);
      return receive(options, paths, run);
    }
    mode = "append";
    totalBytes = range.total ?? options.expectedBytes;
  } else if (response.status === 416 && existing > 0) {
    await response.body?.cancel().catch(() => {});
    const total = parseUnsatisfiedRange(response.headers.get("content-range"));
    // Nothing left to send: the part is complete if the sizes agree; otherwise start over.
    if (total === existing) {
      run.resumedFromBytes ??= existing;
      return { bytes: existing, hash: await hashPrefix(paths.part, existing, options.signal) };
    }
    await removePart(paths);
    return receive(options, paths, run);
  } else if (response.status === 200) {
    // A fresh start, or a server that ignored Range (or whose file changed): start over.
    mode = "restart";
    const length = Number(response.headers.get("content-length") ?? Number.NaN);
    totalBytes = Number.isFinite(length) && !response.headers.get("content-encoding") ? length : options.expectedBytes;
  } else {
    await response.body?.cancel().catch(() => {});
    throw new ModelFileError("http_status", `download failed: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""} from ${options.url}`, {
      url: options.url,
      status: response.status,
    });
  }
  const startBytes = mode === "append" ? existing : 0;
  run.resumedFromBytes = run.resumedFromBytes === undefined || startBytes === 0 ? startBytes : run.resumedFromBytes;
  const hash = await hashPrefix(paths.part, startBytes, options.signal);
  const partRecord: PartRecord = { url: options.url };
  const etag = response.headers.get("etag");
  const lastModified = response.headers.get("last-modified");
  if (etag) partRecord.etag = etag;
  if (lastModified) partRecord.lastModified = lastModified;
  if (totalBytes !== undefined) partRecord.totalBytes = totalBytes;
  await writePartRecord(paths.record, partRecord).catch((error: unknown) => {
    throw new ModelFileError("file_io", `cannot write ${paths.record}: ${describeError(error)}`, { path: paths.record, cause: error });
  });
  const bytes = await streamBody(options, response, paths.part, mode, startBytes, totalBytes, hash);
  if (totalBytes !== undefined && bytes < totalBytes) {
    throw new ModelFileError("network", `the connection to ${options.url} ended after ${bytes} of ${totalBytes} bytes; the part is kept`, { url: options.url });
  }
  return { bytes, hash };
}

async function request(options: DownloadFileOptions, headers: Record<string, string>): Promise<Response> {
  try {
    return await (options.fetch ?? fetch)(options.url, { headers, redirect: "follow", ...(options.signal ? { signal: options.signal } : {}) });
  } catch (error) {
    throwIfCancelled(options, error);
    throw new ModelFileError("network", `cannot reach ${options.url}: ${describeError(causeOf(error))}`, { url: options.url, cause: error });
  }
}

/** Writes the body into the part (appending or from scratch) and feeds the hash; returns the part's size. */
async function streamBody(options: DownloadFileOptions, response: Response, part: string, mode: "append" | "restart", startBytes: number, totalBytes: number | undefined, hash: Hash): Promise<number> {
  let handle;
  try {
    handle = await open(part, mode === "append" ? "a" : "w");
  } catch (error) {
    await response.body?.cancel().catch(() => {});
    throw new ModelFileError("file_io", `cannot write ${part}: ${describeError(error)}`, { path: part, cause: error });
  }
  const meter = new SpeedMeter();
  const interval = options.progressIntervalMs ?? 250;
  let received = startBytes;
  let lastReport = Number.NEGATIVE_INFINITY;
  meter.record(received);
  try {
    if (response.body) {
      for await (const chunk of response.body) {
        await handle.write(chunk).catch((error: unknown) => {
          throw new ModelFileError("file_io", `cannot write ${part}: ${describeError(error)}`, { path: part, cause: error });
        });
        hash.update(chunk);
        received += chunk.byteLength;
        meter.record(received);
        const now = performance.now();
        if (options.onProgress && now - lastReport >= interval) {
          lastReport = now;
          options.onProgress(progressReport(received, totalBytes, startBytes, meter, false));
        }
      }
    }
    await handle.sync().catch((error: unknown) => {
      throw new ModelFileError("file_io", `cannot write ${part}: ${describeError(error)}`, { path: part, cause: error });
    });
  } catch (error) {
    throwIfCancelled(options, error);
    if (error instanceof ModelFileError) throw error;
    throw new ModelFileError("network", `the connection to ${options.url} broke after ${received} bytes: ${describeError(causeOf(error))}; the part is kept`, { url: options.url, cause: error });
  } finally {
    await handle.close();
  }
  options.onProgress?.(progressReport(received, totalBytes ?? received, startBytes, meter, totalBytes === undefined || received >= totalBytes));
  return received;
}

/** Checks the complete part, then renames it into place. */
async function finish(options: DownloadFileOptions, paths: PartPaths, received: Received, resumedFromBytes: number): Promise<DownloadFileResult> {
  const sha256 = received.hash.digest("hex");
  if (options.expectedBytes !== undefined && received.bytes !== options.expectedBytes) {
    await removePart(paths);
    throw new ModelFileError("checksum_mismatch", `${options.url} gave ${received.bytes} bytes, expected ${options.expectedBytes}; the download was deleted`, { url: options.url });
  }
  if (options.sha256 !== undefined && sha256 !== options.sha256.toLowerCase()) {
    await removePart(paths);
    throw new ModelFileError("checksum_mismatch", `the SHA-256 of ${options.url} is ${sha256}, expected ${options.sha256.toLowerCase()}; the download was deleted`, { url: options.url });
  }
  if (options.verifyFile) {
    try {
      await options.verifyFile(paths.part);
    } catch (error) {
      await removePart(paths);
      throw error;
    }
  }
  try {
    await rename(paths.part, options.destination);
  } catch (error) {
    throw new ModelFileError("file_io", `cannot move ${paths.part} to ${options.destination}: ${describeError(error)}`, { path: options.destination, cause: error });
  }
  await removePart(paths);
  return { path: options.destination, bytes: received.bytes, sha256, resumedFromBytes };
}

/** Throws `cancelled` when the caller's signal fired (with `error` as the cause). */
function throwIfCancelled(options: DownloadFileOptions, error?: unknown): void {
  if (options.signal?.aborted) {
    throw new ModelFileError("cancelled", `the download of ${options.url} was cancelled; the part is kept for a resume`, { url: options.url, cause: error ?? options.signal.reason });
  }
}

/** undici wraps socket errors as `TypeError: fetch failed` / `terminated` with the real one as `cause`. */
function causeOf(error: unknown): unknown {
  return error instanceof Error && error.cause instanceof Error ? error.cause : error;
}
