/**
 * The MCP servers page: the config (servers, settings, raw text), the form's draft, tests,
 * import/export, tools with their policies, diagnostics and logs.
 */
import type { BridgeClient } from "../bridge/types.js";
import type { SliceCreator } from "./types.js";

/** The MCP servers page's state and actions. */
export interface McpPageSlice {
  mcpPageLoaded: boolean;
  loadMcpPage(): Promise<void>;
}

export const createMcpPageSlice =
  (client: BridgeClient): SliceCreator<McpPageSlice> =>
  (set) => ({
    mcpPageLoaded: false,
    async loadMcpPage() {
      await client.invoke("mcp.getConfig", {});
      set({ mcpPageLoaded: true });
    },
  });
