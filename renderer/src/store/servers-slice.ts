/** The MCP servers, from `mcp.listServers` and then `mcp.serverStateChanged`. */
import type { BridgeClient } from "../bridge/types.js";
import type { ServerSummary, ServersSlice, SliceCreator } from "./types.js";

/** `servers` with `summary` in place of the server of the same id (added at the end when new). */
export function upsertServer(servers: readonly ServerSummary[], summary: ServerSummary): ServerSummary[] {
  const index = servers.findIndex((server) => server.id === summary.id);
  if (index === -1) return [...servers, summary];
  return servers.map((server, position) => (position === index ? summary : server));
}

export const createServersSlice =
  (client: BridgeClient): SliceCreator<ServersSlice> =>
  (set, get) => ({
    servers: [],
    serversLoaded: false,

    async loadServers() {
      try {
        set({ servers: await client.invoke("mcp.listServers", {}), serversLoaded: true });
      } catch (error) {
        get().showError(error);
      }
    },

    async restartServer(id) {
      try {
        const summary = await client.invoke("mcp.restartServer", { id });
        set((state) => ({ servers: upsertServer(state.servers, summary) }));
        if (get().toolsPanelOpen) await get().loadTools();
      } catch (error) {
        get().showError(error);
      }
    },
  });
