/**
 * The models page: local models, loading one with its options, downloads with progress,
 * and the remote provider.
 */
import type { InvokeInput, InvokeOutput } from "../../../app/contract/channels.js";
import type { DownloadState, LocalModel } from "../../../app/contract/models-channels.js";
import type { BridgeClient } from "../bridge/types.js";
import type { HearthState, SliceCreator } from "./types.js";

export type { DownloadState, LocalModel };
export type PartialDownload = InvokeOutput<"models.listLocal">["partial"][number];
export type RecommendedModel = InvokeOutput<"models.recommended">[number];
export type RemoteView = InvokeOutput<"models.getRemote">;
export type RemoteSettings = Extract<InvokeInput<"models.setRemote">, { baseUrl: string }>;
export type RemoteTestInput = InvokeInput<"models.testRemote">;
export type RemoteTestResult = InvokeOutput<"models.testRemote">;
/** How a model is loaded: GPU layers and context size. */
export type LoadOptions = Omit<InvokeInput<"models.load">, "modelId">;

/** The models page's state and actions. */
export interface ModelsPageSlice {
  /** The models folder's files (`models.listLocal`); empty until loaded. */
  localModels: LocalModel[];
  /** Downloads that stopped before their end (`.part` files). */
  partialDownloads: PartialDownload[];
  /** Where the models are; undefined until loaded. */
  modelsFolder: string | undefined;
  localModelsLoaded: boolean;
  loadLocalModels(): Promise<void>;
  /** The model whose load the user asked for last, until its status says loaded or failed. */
  loadRequestedId: string | undefined;
  /** Loads `modelId` with `options` (progress comes as the model status). */
  loadLocalModel(modelId: string, options: LoadOptions): Promise<void>;
  unloadLocalModel(): Promise<void>;
  /** Deletes a model file; true when it was deleted (the notice says why not). */
  deleteLocalModel(fileName: string): Promise<boolean>;

  recommendedModels: RecommendedModel[];
  loadRecommendedModels(): Promise<void>;
  downloads: Record<string, DownloadState>;
  loadDownloads(): Promise<void>;
  /** Follows `models.downloadUpdated`. */
  downloadUpdated(state: DownloadState): void;
  /** Starts (or resumes) downloading `uri`; its id, or undefined when refused (the notice says why). */
  startDownload(uri: string): Promise<string | undefined>;
  cancelDownload(downloadId: string): Promise<void>;

  /** The remote provider as the core shows it (the key only as set / not set); undefined until loaded. */
  remote: RemoteView | undefined;
  loadRemote(): Promise<void>;
  /** Saves the provider; true when the core accepted it. */
  saveRemote(settings: RemoteSettings): Promise<boolean>;
  removeRemote(): Promise<void>;
  /** The last test's answer; `testing` while it runs. */
  remoteTest: RemoteTestResult | "testing" | undefined;
  testRemote(input: RemoteTestInput): Promise<void>;

  /** Loads everything the page shows. */
  loadModelsPage(): Promise<void>;
}

/** The downloads, newest last (the order they started in). */
export function selectDownloadList(state: Pick<HearthState, "downloads">): DownloadState[] {
  return Object.values(state.downloads);
}

/** A download's progress from 0 to 1; undefined when its size is unknown. */
export function downloadFraction(download: Pick<DownloadState, "bytes" | "totalBytes">): number | undefined {
  if (download.totalBytes === undefined || download.totalBytes <= 0) return undefined;
  return Math.min(1, download.bytes / download.totalBytes);
}

/**
 * The `.part` files with what resumes each: the URI of the latest download that made it,
 * when this page saw one (a download from an earlier session resumes by downloading the
 * same model again). Those being downloaded now are left out.
 */
export function selectResumable(state: Pick<HearthState, "partialDownloads" | "downloads">): Array<PartialDownload & { uri: string | undefined }> {
  const downloads = selectDownloadList(state);
  return state.partialDownloads
    .filter((part) => !downloads.some((download) => download.fileName === part.fileName && download.state === "running"))
    .map((part) => ({ ...part, uri: downloads.filter((download) => download.fileName === part.fileName).at(-1)?.uri }));
}

/** The id of the local model in memory now, from the live model status. */
export function selectLoadedModelId(state: Pick<HearthState, "model">): string | undefined {
  return state.model?.state === "loaded" ? state.model.modelId : undefined;
}

/** The load in progress: the model status while `loading`, else the load just asked for (at 0). */
export function selectLoadProgress(state: Pick<HearthState, "model" | "loadRequestedId">): { modelId: string | undefined; progress: number } | undefined {
  if (state.model?.state === "loading") return { modelId: state.model.modelId, progress: state.model.progress ?? 0 };
  if (state.loadRequestedId !== undefined) return { modelId: state.loadRequestedId, progress: 0 };
  return undefined;
}

/** `1.8 GB`, `263 kB`, `512 B` (powers of 1000, as the Hub and disks count). */
export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export const createModelsPageSlice =
  (client: BridgeClient): SliceCreator<ModelsPageSlice> =>
  (set, get, store) => ({
    localModels: [],
    partialDownloads: [],
    modelsFolder: undefined,
    localModelsLoaded: false,
    async loadLocalModels() {
      try {
        const listed = await client.invoke("models.listLocal", {});
        set({ localModels: listed.models, partialDownloads: listed.partial, modelsFolder: listed.folder, localModelsLoaded: true });
      } catch (error) {
        get().showError(error);
      }
    },
    loadRequestedId: undefined,
    async loadLocalModel(modelId, options) {
      set({ loadRequestedId: modelId });
      // The request is over once the model status says this model loaded or failed (or another load was asked for).
      const stop = store.subscribe((state) => {
        if (state.loadRequestedId !== modelId) return stop();
        if (state.model?.modelId === modelId && (state.model.state === "loaded" || state.model.state === "error")) {
          stop();
          set({ loadRequestedId: undefined });
        }
      });
      try {
        await client.invoke("models.load", { modelId, ...options });
        // Loaded already with these settings: no status change will come.
        const model = get().model;
        if (model?.modelId === modelId && model.state === "loaded" && get().loadRequestedId === modelId) set({ loadRequestedId: undefined });
      } catch (error) {
        if (get().loadRequestedId === modelId) set({ loadRequestedId: undefined });
        get().showError(error);
      }
    },
    async unloadLocalModel() {
      set({ loadRequestedId: undefined });
      try {
        await client.invoke("models.unload", {});
      } catch (error) {
        get().showError(error);
      }
    },
    async deleteLocalModel(fileName) {
      try {
        await client.invoke("models.delete", { fileName });
      } catch (error) {
        get().showError(error);
        return false;
      }
      await Promise.all([get().loadLocalModels(), get().loadModelChoices()]);
      return true;
    },

    recommendedModels: [],
    async loadRecommendedModels() {
      try {
        set({ recommendedModels: await client.invoke("models.recommended", {}) });
      } catch (error) {
        get().showError(error);
      }
    },
    downloads: {},
    async loadDownloads() {
      try {
        const list = await client.invoke("models.listDownloads", {});
        set({ downloads: Object.fromEntries(list.map((download) => [download.downloadId, download])) });
      } catch (error) {
        get().showError(error);
      }
    },
    downloadUpdated(state) {
      const before = get().downloads[state.downloadId];
      set((current) => ({ downloads: { ...current.downloads, [state.downloadId]: state } }));
      // A finished or stopped download changes the folder: a new model, or a `.part` to resume.
      if (state.state !== "running" && before?.state !== state.state) {
        void get().loadLocalModels();
        if (state.state === "done") void get().loadModelChoices();
      }
    },
    async startDownload(uri) {
      try {
        const { downloadId } = await client.invoke("models.download", { uri });
        // The first update may come before the answer; show the download at once either way,
        // in place of the ended downloads of the same URI (the core drops them too).
        set((current) => {
          const kept = Object.entries(current.downloads).filter(([id, download]) => id === downloadId || download.uri !== uri.trim() || download.state === "running");
          const downloads = Object.fromEntries(kept);
          downloads[downloadId] ??= { downloadId, uri: uri.trim(), state: "running", bytes: 0 };
          return { downloads };
        });
        return downloadId;
      } catch (error) {
        get().showError(error);
        return undefined;
      }
    },
    async cancelDownload(downloadId) {
      try {
        await client.invoke("models.cancelDownload", { downloadId });
      } catch (error) {
        get().showError(error);
      }
    },

    remote: undefined,
    async loadRemote() {
      try {
        set({ remote: await client.invoke("models.getRemote", {}) });
      } catch (error) {
        get().showError(error);
      }
    },
    async saveRemote(settings) {
      try {
        set({ remote: await client.invoke("models.setRemote", settings) });
      } catch (error) {
        get().showError(error);
        return false;
      }
      void get().loadModelChoices();
      return true;
    },
    async removeRemote() {
      try {
        set({ remote: await client.invoke("models.setRemote", { remove: true }), remoteTest: undefined });
      } catch (error) {
        get().showError(error);
      }
      void get().loadModelChoices();
    },
    remoteTest: undefined,
    async testRemote(input) {
      set({ remoteTest: "testing" });
      try {
        set({ remoteTest: await client.invoke("models.testRemote", input) });
      } catch (error) {
        set({ remoteTest: undefined });
        get().showError(error);
      }
    },

    async loadModelsPage() {
      await Promise.all([get().loadLocalModels(), get().loadRecommendedModels(), get().loadDownloads(), get().loadRemote()]);
    },
  });
