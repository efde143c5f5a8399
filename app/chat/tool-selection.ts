/**
 * Which tools a conversation offers the model, from its {@link ToolSelection}: a tool's
 * own switch wins, then its server's, then the config's `auto_register_tools`. Keys are
 * the tool's own name (not the prefixed one), so a changed `tool_prefix` keeps the choice.
 */
import type { McpPool, PoolTool } from "../../mcp/index.js";
import { toolKey, type ToolSelection } from "../contract/chat.js";

/** No switch set: the config's `auto_register_tools` decides every tool. */
const NO_SELECTION: ToolSelection = { servers: {}, tools: {} };

/** Tools switched off for every conversation: server id to the tools' own names. */
export type DisabledTools = Record<string, readonly string[]>;

/**
 * The global switches by pool. They belong to the pool's tools rather than to a
 * conversation, so they are kept with the pool: every caller of `offeredTools` (the chat
 * loop, the OpenAI endpoint, the library) honours them without being handed the store.
 */
const disabledByPool = new WeakMap<McpPool, ReadonlySet<string>>();

/**
 * Turns tools off for every conversation offered tools from `pool` (the servers page's
 * switch, issue 7; stored as the `mcp.disabledTools` setting). Replaces the previous set.
 */
export function setDisabledTools(pool: McpPool, disabled: DisabledTools): void {
  const keys = new Set<string>();
  for (const [serverId, names] of Object.entries(disabled)) for (const name of names) keys.add(toolKey(serverId, name));
  disabledByPool.set(pool, keys);
}

/** Whether tool `toolName` of `serverId` is switched off for every conversation of `pool`. */
export function isToolDisabled(pool: McpPool, serverId: string, toolName: string): boolean {
  return disabledByPool.get(pool)?.has(toolKey(serverId, toolName)) ?? false;
}

/**
 * The pool's running tools that the model is offered under `selection` (default: none
 * set); a tool switched off with {@link setDisabledTools} is never offered.
 */
export function offeredTools(pool: McpPool, selection: ToolSelection = NO_SELECTION): PoolTool[] {
  const disabled = disabledByPool.get(pool);
  const enabled = disabled === undefined || disabled.size === 0 ? pool.tools() : pool.tools().filter((entry) => !disabled.has(toolKey(entry.serverId, entry.tool.name)));
  return selectTools(enabled, { autoRegister: pool.config.auto_register_tools, selection });
}

/**
 * The tools of `tools` that the model is offered, in their order. For each tool the first
 * switch that is set decides: `selection.tools[toolKey(serverId, tool.name)]`, then
 * `selection.servers[serverId]`, then `autoRegister` (the config's `auto_register_tools`).
 */
export function selectTools<T extends { serverId: string; tool: { name: string } }>(
  tools: readonly T[],
  options: { autoRegister: boolean; selection: ToolSelection },
): T[] {
  const { selection, autoRegister } = options;
  return tools.filter(
    (entry) =>
      switchOf(selection.tools, toolKey(entry.serverId, entry.tool.name)) ?? switchOf(selection.servers, entry.serverId) ?? autoRegister,
  );
}

/**
 * A new selection with server `serverId` switched `on` or off. Its tools' own switches
 * are cleared, so the whole server follows the new switch.
 */
export function setServerSelected(selection: ToolSelection, serverId: string, on: boolean): ToolSelection {
  const tools = Object.fromEntries(Object.entries(selection.tools).filter(([key]) => serverOfKey(key) !== serverId));
  return { servers: { ...selection.servers, [serverId]: on }, tools };
}

/** A new selection with tool `toolName` (its own name, not the prefixed one) of `serverId` switched `on` or off. */
export function setToolSelected(selection: ToolSelection, serverId: string, toolName: string, on: boolean): ToolSelection {
  return { servers: { ...selection.servers }, tools: { ...selection.tools, [toolKey(serverId, toolName)]: on } };
}

/** The switch stored under `key`; only own keys count (a server named `toString` must not find `Object.prototype`'s). */
function switchOf(switches: Record<string, boolean>, key: string): boolean | undefined {
  return Object.hasOwn(switches, key) ? switches[key] : undefined;
}

/**
 * The server id of a tool key. Tool names should hold no `/` (MCP spec 2025-11-25, "Tool
 * Names": letters, digits, `_`, `-` and `.`), while a server id may, so the key splits at
 * its last `/`.
 */
function serverOfKey(key: string): string {
  return key.slice(0, key.lastIndexOf("/"));
}
