/** The selected conversation's tools (`tools.list`) and their switches (`tools.select`). */
import type { BridgeClient } from "../bridge/types.js";
import type { ConversationTool, SliceCreator, ToolsSlice } from "./types.js";

/** A server's tools, and whether all, some or none of them are switched on. */
export interface ServerTools {
  serverId: string;
  tools: ConversationTool[];
  selection: "all" | "some" | "none";
}

/** `tools` grouped by server, in the order the servers first appear. */
export function groupToolsByServer(tools: readonly ConversationTool[]): ServerTools[] {
  const groups = new Map<string, ConversationTool[]>();
  for (const tool of tools) {
    const group = groups.get(tool.serverId) ?? [];
    group.push(tool);
    groups.set(tool.serverId, group);
  }
  return [...groups].map(([serverId, group]) => {
    const on = group.filter((tool) => tool.selected).length;
    return { serverId, tools: group, selection: on === 0 ? "none" : on === group.length ? "all" : "some" };
  });
}

export const createToolsSlice =
  (client: BridgeClient): SliceCreator<ToolsSlice> =>
  (set, get) => ({
    tools: [],
    toolsPanelOpen: false,

    setToolsPanelOpen(open) {
      set({ toolsPanelOpen: open });
      if (open) void get().loadTools();
    },

    async loadTools() {
      const conversationId = get().selectedConversationId;
      if (conversationId === undefined) return set({ tools: [] });
      try {
        const tools = await client.invoke("tools.list", { conversationId });
        if (get().selectedConversationId === conversationId) set({ tools });
      } catch (error) {
        get().showError(error);
      }
    },

    async selectTools(serverId, toolName, on) {
      const conversationId = get().selectedConversationId;
      if (conversationId === undefined) return;
      // Shown at once; the list reloaded afterwards says what the core decided.
      set((state) => ({
        tools: state.tools.map((tool) => (tool.serverId === serverId && (toolName === undefined || tool.toolName === toolName) ? { ...tool, selected: on } : tool)),
      }));
      try {
        await client.invoke("tools.select", toolName === undefined ? { conversationId, serverId, on } : { conversationId, serverId, toolName, on });
      } catch (error) {
        get().showError(error);
      }
      await get().loadTools();
    },
  });
