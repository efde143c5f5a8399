/**
 * The models a {@link LocalModelHost} offers, and what each id names: the ready GGUF files
 * of the models folder (`local:<file name>`), a GGUF given by path at start, a model
 * handed over already loaded, and a remote provider (`remote:<model name>`).
 */
import { stat } from "node:fs/promises";
import { basename, isAbsolute } from "node:path";
import { listModels } from "../models/catalog.js";

/** The setting that holds the remote provider: `{ baseUrl, model, apiKey? }` (the key only where there is no OS secret store). */
export const REMOTE_PROVIDER_SETTING = "inference.remote";

/** The OS secret store's name for the remote provider's API key (the desktop app). */
export const REMOTE_API_KEY_SECRET = "inference.remote.apiKey";

/** A remote OpenAI-compatible provider. */
export interface RemoteProvider {
  /** The API root, e.g. `http://127.0.0.1:8080/v1`. */
  baseUrl: string;
  /** The model name sent with each request; the choice's id is `remote:<model>`. */
  model: string;
  /** Sent as a bearer token; never shown. */
  apiKey?: string;
}

/**
 * The provider a {@link REMOTE_PROVIDER_SETTING} value names: undefined unless it has a
 * string `baseUrl` and `model`; its `apiKey` only when a non-empty string.
 */
export function remoteFromSetting(value: unknown): RemoteProvider | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { baseUrl, model, apiKey } = value as { baseUrl?: unknown; model?: unknown; apiKey?: unknown };
  if (typeof baseUrl !== "string" || typeof model !== "string") return undefined;
  return { baseUrl, model, ...(typeof apiKey === "string" && apiKey !== "" ? { apiKey } : {}) };
}

/** What one `models.list` id stands for. */
export type ModelSource =
  | { kind: "local"; id: string; label: string; path: string; sizeBytes?: number }
  | { kind: "remote"; id: string; label: string }
  | { kind: "preloaded"; id: string; label: string; remote: boolean; sizeBytes?: number };

/** The id of the local model file `fileName`. */
export function localModelId(fileName: string): string {
  return `local:${fileName}`;
}

/** The id of the remote model `model`. */
export function remoteModelId(model: string): string {
  return `remote:${model}`;
}

/**
 * The id a `defaultModel` option names: an id as it is (`local:…`, `remote:…`), an
 * absolute GGUF path as `local:<its file name>`, anything else as a file of the models folder.
 */
export function defaultModelId(given: string): string {
  if (given.startsWith("local:") || given.startsWith("remote:")) return given;
  return localModelId(isAbsolute(given) ? basename(given) : given);
}

/** Where {@link findModelSources} looks. */
export interface SourceOptions {
  modelsFolder: string;
  defaultModel?: string | undefined;
  remote?: RemoteProvider | undefined;
  preloadedId?: string | undefined;
}

/**
 * Every model on offer by id, in the order the picker lists them: the models folder's
 * ready files (sorted by name), then the start-up path, the preloaded model and the remote
 * provider when they are not among them. A path given at start wins over a folder file of
 * the same name, and the preloaded model over both (it is in memory already).
 */
export async function findModelSources(options: SourceOptions): Promise<Map<string, ModelSource>> {
  const sources = new Map<string, ModelSource>();
  for (const entry of await listModels(options.modelsFolder)) {
    if (entry.status !== "ready") continue;
    const id = localModelId(entry.fileName);
    sources.set(id, { kind: "local", id, label: entry.fileName, path: entry.path, sizeBytes: entry.sizeBytes });
  }
  const given = options.defaultModel;
  if (given !== undefined && isAbsolute(given)) {
    const size = await stat(given).then((stats) => (stats.isFile() ? stats.size : undefined), () => undefined);
    const id = defaultModelId(given);
    if (size !== undefined) sources.set(id, { kind: "local", id, label: basename(given), path: given, sizeBytes: size });
  }
  if (options.preloadedId !== undefined) {
    const id = options.preloadedId;
    const remote = id.startsWith("remote:");
    const known = sources.get(id);
    sources.set(id, {
      kind: "preloaded",
      id,
      label: known?.label ?? (remote ? `${id.slice("remote:".length)} (remote)` : id.replace(/^local:/, "")),
      remote,
      ...(known?.kind === "local" && known.sizeBytes !== undefined ? { sizeBytes: known.sizeBytes } : {}),
    });
  }
  if (options.remote !== undefined) {
    const id = remoteModelId(options.remote.model);
    if (!sources.has(id)) sources.set(id, { kind: "remote", id, label: `${options.remote.model} (remote)` });
  }
  return sources;
}
