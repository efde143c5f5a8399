/**
 * The models page: local models, loading one with its options, downloads with progress,
 * and the remote provider.
 */
import type { DownloadState } from "../../../app/contract/models-channels.js";
import type { BridgeClient } from "../bridge/types.js";
import type { SliceCreator } from "./types.js";

/** The models page's state and actions. */
export interface ModelsPageSlice {
  downloads: Record<string, DownloadState>;
  /** Follows `models.downloadUpdated`. */
  downloadUpdated(state: DownloadState): void;
}

export const createModelsPageSlice =
  (client: BridgeClient): SliceCreator<ModelsPageSlice> =>
  (set) => {
    void client;
    return {
      downloads: {},
      downloadUpdated(state) {
        set((current) => ({ downloads: { ...current.downloads, [state.downloadId]: state } }));
      },
    };
  };
