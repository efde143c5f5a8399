/**
 * Model sources: `hf:<user>/<repo>[:<quant>]`, `hf:<user>/<repo>/<path/to/file.gguf>` and
 * http(s) URLs, resolved to the URL of one GGUF file. The `:quant` form picks the file
 * from the repository's file list (Hugging Face Hub API `GET /api/models/<repo>/revision/main?blobs=true`,
 * whose `siblings[].lfs.sha256` also gives the checksum). Same URI forms as node-llama-cpp's
 * `resolveModelFile`, with our own resolver so it runs against any endpoint and `fetch`.
 */
import { posix } from "node:path";
import { ModelFileError, describeError } from "./download-errors.js";

/** A parsed model source. */
export type ModelSource =
  | { kind: "huggingface"; user: string; repo: string; quantization?: string; filePath?: string }
  | { kind: "url"; url: string };

/** A source resolved to one downloadable file. */
export interface ResolvedModelFile {
  /** The text the user gave. */
  source: string;
  /** The URL to download. */
  url: string;
  /** The name the file gets in the catalog: the last segment of its path. */
  fileName: string;
  /** Size in bytes, when the repository listing says. */
  sizeBytes?: number;
  /** Lower-case hex SHA-256 of the file, when the repository listing says. */
  sha256?: string;
}

/** Options of {@link resolveModelSource}. */
export interface ResolveOptions {
  /** The `fetch` to use (tests pass their own). Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** The Hub's base URL. Default `https://huggingface.co` (the CLI reads `HF_ENDPOINT`). */
  huggingFaceEndpoint?: string;
  /** A Hugging Face access token, sent as a bearer token (gated and private repositories). */
  token?: string;
  signal?: AbortSignal;
}

/** The Hub's public endpoint. */
export const HUGGING_FACE_ENDPOINT = "https://huggingface.co";
/** The quantisation picked when an `hf:` URI names none and the repository has several (node-llama-cpp's default too). */
export const DEFAULT_QUANTIZATION = "Q4_K_M";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const QUANT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const SPLIT_PART = /-\d{5}-of-\d{5}\.gguf$/i;

/** Parses `text` as a model source; throws `invalid_uri` with what is wrong. */
export function parseModelSource(text: string): ModelSource {
  const trimmed = text.trim();
  if (/^https?:\/\//i.test(trimmed)) {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch (error) {
      throw new ModelFileError("invalid_uri", `not a valid URL: ${trimmed}`, { cause: error });
    }
    // A file page copied from the browser (`/blob/`) is HTML; its download is `/resolve/`.
    if (url.hostname === "huggingface.co") url.pathname = url.pathname.replace(/^(\/[^/]+\/[^/]+)\/blob\//, "$1/resolve/");
    return { kind: "url", url: url.href };
  }
  if (!/^hf:/i.test(trimmed)) {
    throw new ModelFileError("invalid_uri", `unknown model source ${JSON.stringify(text)}: use hf:<user>/<repo>[:quant], hf:<user>/<repo>/<file.gguf> or an https URL`);
  }
  const rest = trimmed.slice(3).replace(/^\/\//, "");
  const [user = "", repoPart = "", ...pathParts] = rest.split("/");
  const [repo = "", quantization, ...extra] = repoPart.split(":");
  const invalid = (why: string) => new ModelFileError("invalid_uri", `invalid Hugging Face URI ${JSON.stringify(text)}: ${why}`);
  if (!NAME.test(user) || !NAME.test(repo)) throw invalid("expected hf:<user>/<repo>");
  if (extra.length > 0 || (quantization !== undefined && !QUANT.test(quantization))) throw invalid("the part after ':' must be a quantisation name such as Q4_K_M");
  if (pathParts.length === 0) return { kind: "huggingface", user, repo, ...(quantization ? { quantization } : {}) };
  if (quantization !== undefined) throw invalid("give either :quant or a file path, not both");
  const filePath = pathParts.join("/");
  if (pathParts.some((part) => part === "" || part === "." || part === "..") || !filePath.toLowerCase().endsWith(".gguf")) {
    throw invalid("the file path must name a .gguf file");
  }
  return { kind: "huggingface", user, repo, filePath };
}

/**
 * Resolves `source` to one file. URLs and `hf:` URIs naming a file need no request; the
 * `:quant` form (and no quant) fetches the repository's file list. Throws `invalid_uri`,
 * `http_status` (the message names the URL), `network`, `no_matching_file`,
 * `ambiguous_file`, or `cancelled`.
 */
export async function resolveModelSource(source: string | ModelSource, options: ResolveOptions = {}): Promise<ResolvedModelFile> {
  const text = typeof source === "string" ? source : formatModelSource(source);
  const parsed = typeof source === "string" ? parseModelSource(source) : source;
  if (parsed.kind === "url") return { source: text, url: parsed.url, fileName: fileNameOfUrl(parsed.url) };
  const endpoint = (options.huggingFaceEndpoint ?? HUGGING_FACE_ENDPOINT).replace(/\/+$/, "");
  if (parsed.filePath) return { source: text, url: huggingFaceFileUrl(endpoint, parsed.user, parsed.repo, parsed.filePath), fileName: posix.basename(parsed.filePath) };

  const files = await listRepositoryFiles(endpoint, parsed.user, parsed.repo, options);
  const chosen = chooseFile(files, parsed.quantization, text);
  return {
    source: text,
    url: huggingFaceFileUrl(endpoint, parsed.user, parsed.repo, chosen.path),
    fileName: posix.basename(chosen.path),
    ...(chosen.sizeBytes === undefined ? {} : { sizeBytes: chosen.sizeBytes }),
    ...(chosen.sha256 === undefined ? {} : { sha256: chosen.sha256 }),
  };
}

/** The text form of a parsed source (`hf:user/repo:Q8_0`, `hf:user/repo/file.gguf`, or the URL). */
export function formatModelSource(source: ModelSource): string {
  if (source.kind === "url") return source.url;
  const base = `hf:${source.user}/${source.repo}`;
  return source.filePath ? `${base}/${source.filePath}` : source.quantization ? `${base}:${source.quantization}` : base;
}

/** `<endpoint>/<user>/<repo>/resolve/main/<path>`: the Hub's download URL of a file on the main branch. */
export function huggingFaceFileUrl(endpoint: string, user: string, repo: string, filePath: string): string {
  const path = filePath.split("/").map(encodeURIComponent).join("/");
  return `${endpoint.replace(/\/+$/, "")}/${encodeURIComponent(user)}/${encodeURIComponent(repo)}/resolve/main/${path}`;
}

interface RepositoryFile {
  path: string;
  sizeBytes?: number;
  sha256?: string;
}

async function listRepositoryFiles(endpoint: string, user: string, repo: string, options: ResolveOptions): Promise<RepositoryFile[]> {
  const url = `${endpoint}/api/models/${encodeURIComponent(user)}/${encodeURIComponent(repo)}/revision/main?blobs=true`;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      headers: { accept: "application/json", ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw new ModelFileError("cancelled", `listing hf:${user}/${repo} was cancelled`, { url, cause: error });
    throw new ModelFileError("network", `cannot list the files of hf:${user}/${repo} (${url}): ${describeError(error)}`, { url, cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    const hint = response.status === 401 || response.status === 403 ? " (a gated or private repository needs a token: set HF_TOKEN)" : response.status === 404 ? " (no such repository?)" : "";
    throw new ModelFileError("http_status", `listing hf:${user}/${repo} failed: HTTP ${response.status} from ${url}${hint}`, { url, status: response.status });
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    throw new ModelFileError("network", `the file list of hf:${user}/${repo} from ${url} is not JSON: ${describeError(error)}`, { url, cause: error });
  }
  const siblings = (body as { siblings?: unknown } | null)?.siblings;
  if (!Array.isArray(siblings)) throw new ModelFileError("network", `the answer from ${url} has no "siblings" file list`, { url });
  return siblings.flatMap((sibling: { rfilename?: unknown; size?: unknown; lfs?: { sha256?: unknown; size?: unknown } }) => {
    if (typeof sibling?.rfilename !== "string") return [];
    const size = typeof sibling.lfs?.size === "number" ? sibling.lfs.size : typeof sibling.size === "number" ? sibling.size : undefined;
    const sha256 = typeof sibling.lfs?.sha256 === "string" && /^[0-9a-f]{64}$/i.test(sibling.lfs.sha256) ? sibling.lfs.sha256.toLowerCase() : undefined;
    return [{ path: sibling.rfilename, ...(size === undefined ? {} : { sizeBytes: size }), ...(sha256 === undefined ? {} : { sha256 }) }];
  });
}

/**
 * The one single-file model GGUF for `quantization` (a whole name part, case-insensitive:
 * `Q4_K` does not match `Q4_K_M`); files at the top of the repository win over subfolders.
 * Vision projectors (`mmproj`) and split parts (`-00001-of-00003`) are never picked.
 */
function chooseFile(files: RepositoryFile[], quantization: string | undefined, source: string): RepositoryFile {
  const ggufs = files.filter((file) => file.path.toLowerCase().endsWith(".gguf"));
  const models = ggufs.filter((file) => !SPLIT_PART.test(file.path) && !/mmproj/i.test(posix.basename(file.path)));
  const available = models.map((file) => file.path).join(", ") || "none";
  let matches = quantization ? models.filter((file) => hasQuantization(file.path, quantization)) : models;
  if (!quantization && matches.length > 1) {
    const preferred = models.filter((file) => hasQuantization(file.path, DEFAULT_QUANTIZATION));
    if (preferred.length > 0) matches = preferred;
  }
  if (matches.length > 1) {
    const topLevel = matches.filter((file) => !file.path.includes("/"));
    if (topLevel.length > 0) matches = topLevel;
  }
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    const split = quantization && ggufs.some((file) => SPLIT_PART.test(file.path) && hasQuantization(file.path.replace(SPLIT_PART, ".gguf"), quantization));
    const why = split ? ` (only split into parts, which Hearth cannot download yet)` : "";
    throw new ModelFileError("no_matching_file", `${source}: no single-file GGUF${quantization ? ` for ${quantization}` : ""}${why}; the repository has: ${available}`);
  }
  throw new ModelFileError("ambiguous_file", `${source}: several files match (${matches.map((file) => file.path).join(", ")}); name one with hf:<user>/<repo>/<file.gguf>${quantization ? "" : " or add :QUANT"}`);
}

function hasQuantization(path: string, quantization: string): boolean {
  const stem = posix.basename(path).replace(/\.gguf$/i, "");
  const escaped = quantization.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?:^|[-._])${escaped}(?=[-.]|$)`, "i").test(stem);
}

function fileNameOfUrl(url: string): string {
  const segment = new URL(url).pathname.split("/").pop() ?? "";
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
