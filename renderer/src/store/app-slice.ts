/** The connection, the model's status and the notice; `refresh` loads the whole page. */
import { toClientError, type BridgeClient } from "../bridge/types.js";
import type { AppSlice, SliceCreator } from "./types.js";

/** Codes that the connection status already tells the user about. */
const CONNECTION_CODES = new Set(["disconnected", "closed"]);

export const createAppSlice =
  (client: BridgeClient): SliceCreator<AppSlice> =>
  (set, get) => ({
    connection: "connecting",
    page: "chat",
    showPage(page) {
      set({ page });
    },
    model: undefined,
    notice: undefined,

    async refresh() {
      const state = get();
      await Promise.all([state.loadModel(), state.loadServers(), state.loadConversations()]);
      if (get().selectedConversationId !== undefined) await Promise.all([get().reloadConversation(), get().loadTools()]);
    },

    async loadModel() {
      try {
        set({ model: await client.invoke("model.getStatus", {}) });
      } catch (error) {
        get().showError(error);
      }
    },

    showError(error) {
      const { code, message } = toClientError(error);
      if (CONNECTION_CODES.has(code)) return;
      set({ notice: { code, message } });
    },

    dismissNotice() {
      set({ notice: undefined });
    },
  });
