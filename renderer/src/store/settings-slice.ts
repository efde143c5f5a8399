/** The settings page: theme, data folder, threads, approvals given "always", the log viewer. */
import type { Settings } from "../../../app/contract/settings-channels.js";
import type { BridgeClient } from "../bridge/types.js";
import type { SliceCreator } from "./types.js";

/** The settings page's state and actions. */
export interface SettingsSlice {
  settings: Settings | undefined;
  loadSettings(): Promise<void>;
}

export const createSettingsSlice =
  (client: BridgeClient): SliceCreator<SettingsSlice> =>
  (set) => ({
    settings: undefined,
    async loadSettings() {
      set({ settings: await client.invoke("settings.get", {}) });
    },
  });
