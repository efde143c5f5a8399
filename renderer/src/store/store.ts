/**
 * The one bound store, made of typed slices over a bridge client, and the event listeners
 * that keep it current. `createHearthStore` (vanilla) is what tests use; ./index.ts binds
 * the same state creator to React for the page.
 */
import { createStore, type StateCreator, type StoreApi } from "zustand/vanilla";
import type { BridgeClient, ConnectionStatus } from "../bridge/types.js";
import { createAppSlice } from "./app-slice.js";
import { createChatSlice, withTurnEvent } from "./chat-slice.js";
import { createConversationsSlice } from "./conversations-slice.js";
import { createMcpPageSlice } from "./mcp-page-slice.js";
import { createModelsPageSlice } from "./models-page-slice.js";
import { createModelsSlice } from "./models-slice.js";
import { createServersSlice, upsertServer } from "./servers-slice.js";
import { createSettingsSlice } from "./settings-slice.js";
import { createToolsSlice } from "./tools-slice.js";
import type { HearthState } from "./types.js";

/** The whole store's state creator over `client`. */
export function hearthState(client: BridgeClient): StateCreator<HearthState> {
  return (...parts) => ({
    ...createAppSlice(client)(...parts),
    ...createConversationsSlice(client)(...parts),
    ...createChatSlice(client)(...parts),
    ...createToolsSlice(client)(...parts),
    ...createServersSlice(client)(...parts),
    ...createModelsSlice(client)(...parts),
    ...createMcpPageSlice(client)(...parts),
    ...createModelsPageSlice(client)(...parts),
    ...createSettingsSlice(client)(...parts),
  });
}

/** A store not bound to React (tests, tools). */
export function createHearthStore(client: BridgeClient): StoreApi<HearthState> {
  return createStore<HearthState>()(hearthState(client));
}

/**
 * Feeds the core's events into `store`, and loads everything whenever the connection
 * (re)opens: events sent while it was down are lost. Returns unsubscribe.
 */
export function connectEvents(store: StoreApi<HearthState>, client: BridgeClient): () => void {
  let previous: ConnectionStatus | undefined;
  const unsubscribe = [
    client.on("chat.turnUpdated", (event) => store.setState((state) => withTurnEvent(state, event))),
    client.on("mcp.serverStateChanged", (summary) => store.setState((state) => ({ servers: upsertServer(state.servers, summary) }))),
    client.on("model.statusChanged", (model) => {
      const before = store.getState().model;
      store.setState({ model });
      // Which model is loaded shows in the picker; a load's progress ticks change nothing there.
      const progressOnly = before?.state === "loading" && model.state === "loading" && before.modelId === model.modelId;
      if (!progressOnly) void store.getState().loadModelChoices();
    }),
    client.on("models.downloadUpdated", (download) => store.getState().downloadUpdated(download)),
    client.on("conversations.changed", (change) => void store.getState().conversationChanged(change)),
    client.onStatus((status) => {
      // After a lost connection the turns on screen missed events: the reloaded history
      // shows what was stored, and a turn still running starts over from its next event.
      if (status === "open" && previous === "closed") store.setState({ turns: {} });
      store.setState({ connection: status });
      if (status === "open" && previous !== "open") void Promise.all([store.getState().refresh(), store.getState().loadModelChoices()]);
      previous = status;
    }),
  ];
  return () => {
    for (const stop of unsubscribe) stop();
  };
}
