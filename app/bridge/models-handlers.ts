/**
 * The handlers of the models page (app/contract/models-channels.ts): the models folder's
 * files with their GGUF facts, loading and unloading through the model host (progress and
 * the backend arrive as `model.statusChanged`), downloads (app/model-downloads.ts), delete,
 * and the remote provider. The provider's API key goes to the OS secret store where there
 * is one (the desktop app), else into the `inference.remote` setting as `hearth serve`
 * reads it; it never comes back out, only "set" or "not set".
 */
import { join } from "node:path";
import { deleteModel, listModels, listPartialDownloads } from "../../models/catalog.js";
import { ModelFileError } from "../../models/download-errors.js";
import { partPaths, removePart } from "../../models/download/part-file.js";
import { RECOMMENDED_MODELS } from "../../models/recommended.js";
import type { InvokeHandlers, InvokeOutput } from "../contract/channels.js";
import type { modelsInvokeChannels } from "../contract/models-channels.js";
import { ModelDownloads, pullSettingsFromEnvironment, type PullSettings } from "../model-downloads.js";
import { REMOTE_API_KEY_SECRET, REMOTE_PROVIDER_SETTING, localModelId, remoteFromSetting, type RemoteProvider } from "../model-sources.js";
import { BridgeFailure } from "./failure.js";
import type { PageContext } from "./page-context.js";

/** Options of {@link createModelsHandlers}, for tests and front ends with their own Hub. */
export interface ModelsHandlerOptions {
  /** Passed on to each download's `pullModel`. Default: from `HF_ENDPOINT` (a Hub mirror) and `HF_TOKEN`, as `hearth models pull` reads them. */
  pull?: PullSettings;
  /** How long `models.testRemote` waits for the server, in milliseconds. Default 5000. */
  remoteTestTimeoutMs?: number;
}

type RemoteView = InvokeOutput<"models.getRemote">;

/** The models page's handlers over `context`. */
export function createModelsHandlers(context: PageContext, options: ModelsHandlerOptions = {}): Pick<InvokeHandlers, keyof typeof modelsInvokeChannels> {
  const { models, store, secrets } = context;
  const modelsFolder = models.modelsFolder ?? join(context.dataFolder, "models");
  const downloads = new ModelDownloads({
    modelsFolder,
    onUpdate: (state) => context.emit("models.downloadUpdated", state),
    onFinished: (state) => context.log.write("info", `downloaded ${state.fileName ?? state.uri} into ${modelsFolder}`),
    pull: options.pull ?? pullSettingsFromEnvironment(),
  });
  // Stopped with the core: a download in flight ends cancelled, its .part kept for a resume.
  context.onDispose?.(() => void downloads.dispose());

  const storedRemote = (): RemoteProvider | undefined => remoteFromSetting(store.setting(REMOTE_PROVIDER_SETTING));
  const savedKey = async (): Promise<string | undefined> => (secrets ? await secrets.get(REMOTE_API_KEY_SECRET) : storedRemote()?.apiKey);
  const remoteView = async (): Promise<RemoteView> => {
    const remote = storedRemote();
    const apiKey = (await savedKey()) !== undefined ? "set" : "not set";
    return remote === undefined ? { apiKey } : { baseUrl: remote.baseUrl, model: remote.model, apiKey };
  };

  return {
    async "models.listLocal"() {
      const [entries, partial] = await Promise.all([listModels(modelsFolder), listPartialDownloads(modelsFolder)]);
      const status = models.status();
      const loadedId = status.state === "loaded" ? status.modelId : undefined;
      return {
        folder: modelsFolder,
        models: entries.map((entry) => {
          const id = localModelId(entry.fileName);
          const common = { id, fileName: entry.fileName, sizeBytes: entry.sizeBytes, loaded: id === loadedId };
          if (entry.status === "unreadable") return { ...common, status: "unreadable" as const, error: entry.error.message };
          const { info } = entry;
          return {
            ...common,
            status: "ready" as const,
            architecture: info.architecture,
            quantization: info.quantization,
            parameters: info.parameterCount,
            ...(info.contextLength !== undefined ? { contextLength: info.contextLength } : {}),
          };
        }),
        partial: partial.map((part) => ({ fileName: part.fileName, bytes: part.bytes })),
      };
    },

    async "models.load"({ modelId, gpuLayers, contextSize }) {
      if (!(await models.list()).some((choice) => choice.id === modelId)) throw new BridgeFailure("model_not_found", `no model "${modelId}" is offered: choose one of models.list`);
      // It runs on in the background (after any running turn); progress and failures arrive as `model.statusChanged`.
      void models.load(modelId, { gpuLayers, contextSize }).catch((error: unknown) => {
        context.log.write("warn", `loading ${modelId} failed: ${error instanceof Error ? error.message : String(error)}`);
      });
      return { started: true };
    },

    async "models.unload"() {
      return { unloaded: await models.unload() };
    },

    async "models.recommended"() {
      return RECOMMENDED_MODELS.map((model) => ({
        uri: model.uri,
        name: model.label,
        description: `${model.parameters} parameters, ${model.quantization}, ${model.license}. ${model.note}`,
        sizeBytes: model.approximateSizeBytes,
      }));
    },

    async "models.download"({ uri }) {
      if (!/^(hf:|https?:\/\/)/i.test(uri.trim())) throw new BridgeFailure("invalid_uri", `"${uri}" is not a model source: use hf:<user>/<repo>[:quant], hf:<user>/<repo>/<file.gguf> or an https URL`);
      return { downloadId: downloads.start(uri) };
    },

    async "models.cancelDownload"({ downloadId }) {
      return { cancelled: downloads.cancel(downloadId) };
    },

    async "models.listDownloads"() {
      return downloads.list();
    },

    async "models.delete"({ fileName }) {
      const status = models.status();
      if ((status.state === "loaded" || status.state === "loading") && status.modelId === localModelId(fileName)) {
        throw new BridgeFailure("busy", `${fileName} is loaded: unload it before deleting it`);
      }
      if (downloads.list().some((download) => download.state === "running" && download.fileName === fileName)) {
        throw new BridgeFailure("busy", `${fileName} is being downloaded: cancel the download first`);
      }
      try {
        await deleteModel(modelsFolder, fileName);
      } catch (error) {
        if (!(error instanceof ModelFileError)) throw error;
        if (error.code === "invalid_file_name") throw new BridgeFailure("invalid_input", error.message);
        // A download that stopped before its end leaves only its `.part`: deleting the model discards it.
        const partial = error.code === "file_not_found" && (await listPartialDownloads(modelsFolder)).some((part) => part.fileName === fileName);
        if (!partial) throw error.code === "file_not_found" ? new BridgeFailure("not_found", error.message) : error;
        await removePart(partPaths(join(modelsFolder, fileName)));
      }
      context.log.write("info", `deleted ${fileName} from ${modelsFolder}`);
      return { deleted: true };
    },

    async "models.getRemote"() {
      return remoteView();
    },

    async "models.setRemote"(input) {
      if ("remove" in input) {
        store.deleteSetting(REMOTE_PROVIDER_SETTING);
        await secrets?.delete(REMOTE_API_KEY_SECRET);
        models.setRemote(undefined);
        return remoteView();
      }
      const { baseUrl, model, apiKey } = input;
      // A new key, `null` to remove it, absent to keep the saved one.
      const key = apiKey === undefined ? await savedKey() : (apiKey ?? undefined);
      if (secrets) {
        if (typeof apiKey === "string") await secrets.set(REMOTE_API_KEY_SECRET, apiKey);
        if (apiKey === null) await secrets.delete(REMOTE_API_KEY_SECRET);
        store.setSetting(REMOTE_PROVIDER_SETTING, { baseUrl, model });
      } else {
        store.setSetting(REMOTE_PROVIDER_SETTING, { baseUrl, model, ...(key !== undefined ? { apiKey: key } : {}) });
      }
      const provider: RemoteProvider = { baseUrl, model, ...(key !== undefined ? { apiKey: key } : {}) };
      models.setRemote(provider);
      return remoteView();
    },

    async "models.testRemote"({ baseUrl, apiKey, useSavedKey }) {
      const key = apiKey !== undefined && apiKey !== "" ? apiKey : useSavedKey ? await savedKey() : undefined;
      return testRemote(baseUrl, key, options.remoteTestTimeoutMs ?? 5_000);
    },
  };
}

/**
 * Asks an OpenAI-compatible server for its models (`GET <baseUrl>/models`) and says why
 * that failed: unreachable, no answer in time, the key refused, or not an OpenAI-style list.
 * The key is sent as a bearer token and never written in a message.
 */
export async function testRemote(baseUrl: string, apiKey: string | undefined, timeoutMs: number): Promise<InvokeOutput<"models.testRemote">> {
  const url = `${baseUrl.replace(/\/+$/, "")}/models`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: "application/json", ...(apiKey !== undefined ? { authorization: `Bearer ${apiKey}` } : {}) },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    if (error instanceof Error && error.name === "TimeoutError") return { ok: false, error: `no answer from ${url} within ${timeoutMs / 1000} s` };
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
    return { ok: false, error: `cannot reach ${url}: ${cause}` };
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel();
    return { ok: false, error: `the server refused ${apiKey === undefined ? "a request without an API key" : "the API key"} (HTTP ${response.status})` };
  }
  if (!response.ok) {
    await response.body?.cancel();
    const hint = response.status === 404 ? ": is the base URL the API root, such as http://127.0.0.1:8080/v1?" : "";
    return { ok: false, error: `${url} answered HTTP ${response.status}${hint}` };
  }
  const body: unknown = await response.json().catch(() => undefined);
  const data = typeof body === "object" && body !== null && "data" in body ? body.data : undefined;
  if (!Array.isArray(data)) return { ok: false, error: `${url} did not answer with an OpenAI-compatible model list` };
  const ids = data.flatMap((item: unknown) => (typeof item === "object" && item !== null && "id" in item && typeof item.id === "string" ? [item.id] : []));
  return { ok: true, models: ids };
}
