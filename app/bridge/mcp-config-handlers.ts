/**
 * The handlers of the MCP servers page (app/contract/mcp-channels.ts, issue 7). The work
 * is in app/mcp-config/: one serialized editor of mcp-config.json, secrets kept in the
 * vault, test connections, launch diagnostics and the tools' switches.
 */
import type { mcpInvokeChannels } from "../contract/mcp-channels.js";
import type { InvokeHandlers } from "../contract/channels.js";
import { setDisabledTools } from "../chat/tool-selection.js";
import { exportServers, getConfig, importServers, saveConfigText } from "../mcp-config/config-text.js";
import { McpPageState, type McpPageOptions } from "../mcp-config/page-state.js";
import { removeServer, saveServer, setServerEnabled, updateSettings } from "../mcp-config/server-edits.js";
import { diagnoseServer, testServer } from "../mcp-config/server-test.js";
import { listServerTools, readDisabledTools, setApprovalRule, setToolEnabled } from "../mcp-config/server-tools.js";
import { BridgeFailure } from "./failure.js";
import type { PageContext } from "./page-context.js";

export type { McpPageOptions } from "../mcp-config/page-state.js";

/**
 * The MCP servers page's handlers over `context`. The tools switched off on the page
 * (setting `mcp.disabledTools`) are handed to the pool's tool selection here, so no
 * conversation is offered them from the start.
 */
export function createMcpConfigHandlers(context: PageContext, options: McpPageOptions = {}): Pick<InvokeHandlers, keyof typeof mcpInvokeChannels> {
  const state = new McpPageState(context, options);
  setDisabledTools(context.pool, readDisabledTools(context.store));
  return {
    "mcp.getConfig": async () => getConfig(state),
    "mcp.saveServer": async (input) => saveServer(state, input),
    "mcp.removeServer": async ({ id }) => removeServer(state, id),
    "mcp.setServerEnabled": async ({ id, enabled }) => setServerEnabled(state, id, enabled),
    "mcp.testServer": async (input) => testServer(state, input),
    "mcp.importServers": async (input) => importServers(state, input),
    "mcp.exportServers": async () => exportServers(state),
    "mcp.saveConfigText": async ({ text }) => saveConfigText(state, text),
    "mcp.updateSettings": async (input) => updateSettings(state, input),
    "mcp.listServerTools": async ({ id }) => listServerTools(state, id),
    "mcp.setToolEnabled": async ({ serverId, toolName, enabled }) => setToolEnabled(state, serverId, toolName, enabled),
    "approvals.setRule": async (input) => setApprovalRule(state, input),
    "mcp.diagnoseServer": async ({ id }) => diagnoseServer(state, id),
    "mcp.getServerLog": async ({ id }) => {
      if (!context.pool.config.servers.some((server) => server.id === id)) throw new BridgeFailure("not_found", `no server is named "${id}"`);
      return state.serverLog(id);
    },
  };
}
