/**
 * A server's tools on the servers page: their schemas, whether they are offered at all
 * (a global switch, the `mcp.disabledTools` setting), their approval policy and where it
 * comes from; and the server's log.
 */
import { BridgeFailure } from "../bridge/failure.js";
import { defaultPolicy } from "../chat/approvals.js";
import { isToolDisabled, setDisabledTools, type DisabledTools } from "../chat/tool-selection.js";
import type { ApprovalPolicy, ApprovalRule } from "../contract/chat.js";
import type { ServerTool } from "../contract/mcp-channels.js";
import type { ChatStore } from "../store/index.js";
import type { McpPageState } from "./page-state.js";

/** The setting holding the tools switched off for every conversation: `{serverId: [toolName]}`. */
export const DISABLED_TOOLS_SETTING = "mcp.disabledTools";

/** The stored switches; anything malformed in the setting is ignored. */
export function readDisabledTools(store: ChatStore): DisabledTools {
  const stored = store.setting<unknown>(DISABLED_TOOLS_SETTING);
  if (typeof stored !== "object" || stored === null || Array.isArray(stored)) return {};
  const disabled: Record<string, string[]> = {};
  for (const [serverId, names] of Object.entries(stored)) {
    if (Array.isArray(names)) disabled[serverId] = names.filter((name): name is string => typeof name === "string");
  }
  return disabled;
}

/**
 * The tools of running server `id`, in its order (none while it is not running).
 * @throws BridgeFailure `not_found` when the config has no such server.
 */
export function listServerTools(state: McpPageState, id: string): ServerTool[] {
  const { pool, store } = state.context;
  if (!pool.config.servers.some((server) => server.id === id)) throw new BridgeFailure("not_found", `no server is named "${id}"`);
  const connection = pool.server(id);
  if (connection === undefined) return [];
  const exposed = new Map(pool.tools().filter((tool) => tool.serverId === id).map((tool) => [tool.tool.name, tool.name]));
  const rules = store.approvalRules();
  return connection.catalog.tools.map((tool) => {
    const rule = rules.find((candidate) => candidate.serverId === id && candidate.toolName === tool.name) ?? rules.find((candidate) => candidate.serverId === id && candidate.toolName === undefined);
    const entry: ServerTool = {
      name: tool.name,
      exposedName: exposed.get(tool.name) ?? tool.name,
      inputSchema: tool.inputSchema as Record<string, unknown>,
      enabled: !isToolDisabled(pool, id, tool.name),
      policy: rule?.policy ?? defaultPolicy(tool.annotations),
      policySource: rule === undefined ? "annotations" : "rule",
    };
    if (tool.description !== undefined) entry.description = tool.description;
    return entry;
  });
}

/**
 * Switches tool `toolName` of `serverId` on or off for every conversation, stores the
 * switch, and returns the tool as listed.
 * @throws BridgeFailure `not_found` when the running server has no such tool.
 */
export function setToolEnabled(state: McpPageState, serverId: string, toolName: string, enabled: boolean): ServerTool {
  const { pool, store } = state.context;
  const tools = listServerTools(state, serverId);
  if (!tools.some((tool) => tool.name === toolName)) throw new BridgeFailure("not_found", `server "${serverId}" has no running tool named "${toolName}"`);
  const disabled: Record<string, string[]> = Object.fromEntries(Object.entries(readDisabledTools(store)).map(([id, names]) => [id, [...names]]));
  const names = new Set(disabled[serverId] ?? []);
  if (enabled) names.delete(toolName);
  else names.add(toolName);
  if (names.size === 0) delete disabled[serverId];
  else disabled[serverId] = [...names].sort();
  store.setSetting(DISABLED_TOOLS_SETTING, disabled);
  setDisabledTools(pool, disabled);
  return listServerTools(state, serverId).find((tool) => tool.name === toolName)!;
}

/** Sets (or with `policy: null` removes) the approval rule of a server or one tool; returns every rule. */
export function setApprovalRule(state: McpPageState, rule: { serverId: string; toolName?: string; policy: ApprovalPolicy | null }): ApprovalRule[] {
  const { store } = state.context;
  if (rule.policy === null) store.removeApprovalRule(rule.serverId, rule.toolName);
  else store.setApprovalRule({ serverId: rule.serverId, ...(rule.toolName === undefined ? {} : { toolName: rule.toolName }), policy: rule.policy });
  return store.approvalRules();
}
