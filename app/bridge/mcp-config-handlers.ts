/**
 * The handlers of the MCP servers page (app/contract/mcp-channels.ts).
 */
import type { mcpInvokeChannels } from "../contract/mcp-channels.js";
import type { InvokeHandlers } from "../contract/channels.js";
import type { PageContext } from "./page-context.js";
import { BridgeFailure } from "./failure.js";

/** The MCP servers page's handlers over `context`. */
export function createMcpConfigHandlers(context: PageContext): Pick<InvokeHandlers, keyof typeof mcpInvokeChannels> {
  void context;
  const todo = async (): Promise<never> => {
    throw new BridgeFailure("not_implemented", "not built yet");
  };
  return {
    "mcp.getConfig": todo,
    "mcp.saveServer": todo,
    "mcp.removeServer": todo,
    "mcp.setServerEnabled": todo,
    "mcp.testServer": todo,
    "mcp.importServers": todo,
    "mcp.exportServers": todo,
    "mcp.saveConfigText": todo,
    "mcp.updateSettings": todo,
    "mcp.listServerTools": todo,
    "mcp.setToolEnabled": todo,
    "approvals.setRule": todo,
    "mcp.diagnoseServer": todo,
    "mcp.getServerLog": todo,
  };
}
