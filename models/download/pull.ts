/**
 * Pulling a model into the catalog: resolve the source (`hf:` URI or URL) to one file,
 * download it resumably into the models folder, and keep it only if it is a GGUF file
 * with the expected checksum.
 */
import { mkdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { checkModelFileName } from "../file-names.js";
import { assertGgufFile } from "../gguf-magic.js";
import { HUGGING_FACE_ENDPOINT, resolveModelSource, type ResolvedModelFile } from "../hf-uri.js";
import { downloadFile } from "./download-file.js";
import type { ProgressListener } from "./progress.js";

/** Options of {@link pullModel}. */
export interface PullOptions {
  /** The catalog folder the file goes to (created if needed). */
  modelsFolder: string;
  /** Name in the catalog. Default: the name of the resolved file. */
  fileName?: string;
  /** Expected SHA-256 (hex). Default: the one the Hugging Face listing gives, if any. */
  sha256?: string;
  /** Download again even when the catalog already has the file. Default false. */
  overwrite?: boolean;
  /** The Hub's base URL. Default `https://huggingface.co`. */
  huggingFaceEndpoint?: string;
  /** A Hugging Face token; sent only to the Hub's endpoint, never to other hosts. */
  token?: string;
  /** The `fetch` to use. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Cancels the pull (`cancelled`); a started download keeps its `.part` for a resume. */
  signal?: AbortSignal;
  /** Called once the source is resolved, before any byte is downloaded. */
  onResolved?: (file: ResolvedModelFile) => void;
  /** Download progress; see {@link downloadFile}. */
  onProgress?: ProgressListener;
  /** Least time between progress reports, in milliseconds. Default 250. */
  progressIntervalMs?: number;
  /** Automatic resumes after a broken connection. Default 3. */
  retries?: number;
  /** Wait before the n-th automatic resume: n × this many milliseconds. Default 1000. */
  retryDelayMs?: number;
}

/** What {@link pullModel} did. */
export interface PullResult {
  /** Path of the model in the catalog. */
  path: string;
  fileName: string;
  /** The file the source resolved to. */
  resolved: ResolvedModelFile;
  /** True when the catalog already had the file and nothing was downloaded. */
  alreadyPresent: boolean;
  /** Size in bytes. */
  bytes: number;
  /** SHA-256 (hex) of the downloaded bytes; absent when nothing was downloaded. */
  sha256?: string;
  /** Whether the SHA-256 was checked against a known value. */
  verified: boolean;
  /** Bytes an earlier, interrupted pull had left and that were kept. */
  resumedFromBytes: number;
}

/**
 * Downloads the model `source` names into `options.modelsFolder`. Throws the
 * {@link ModelFileError}s of `resolveModelSource` and `downloadFile`, `invalid_file_name`,
 * and `not_gguf` when the downloaded file is not a GGUF model (it is then deleted).
 */
export async function pullModel(source: string, options: PullOptions): Promise<PullResult> {
  const endpoint = options.huggingFaceEndpoint ?? HUGGING_FACE_ENDPOINT;
  const resolved = await resolveModelSource(source, {
    huggingFaceEndpoint: endpoint,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.token ? { token: options.token } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const fileName = options.fileName ?? resolved.fileName;
  checkModelFileName(fileName);
  const path = join(options.modelsFolder, fileName);
  options.onResolved?.(resolved);
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isFile() && !options.overwrite) {
    return { path, fileName, resolved, alreadyPresent: true, bytes: existing.size, verified: false, resumedFromBytes: 0 };
  }
  await mkdir(options.modelsFolder, { recursive: true });
  const sha256 = options.sha256 ?? resolved.sha256;
  const sendToken = options.token !== undefined && new URL(resolved.url).origin === new URL(endpoint).origin;
  const result = await downloadFile({
    url: resolved.url,
    destination: path,
    ...(sha256 ? { sha256 } : {}),
    ...(resolved.sizeBytes !== undefined ? { expectedBytes: resolved.sizeBytes } : {}),
    ...(sendToken ? { headers: { authorization: `Bearer ${options.token}` } } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.progressIntervalMs !== undefined ? { progressIntervalMs: options.progressIntervalMs } : {}),
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
    ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
    verifyFile: assertGgufFile,
  });
  return { path, fileName, resolved, alreadyPresent: false, bytes: result.bytes, sha256: result.sha256, verified: sha256 !== undefined, resumedFromBytes: result.resumedFromBytes };
}
