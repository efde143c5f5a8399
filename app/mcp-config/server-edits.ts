/**
 * The servers page's edits of single servers and of the settings: save (add, replace,
 * rename), remove, enable or disable, and the global settings. Each goes through the one
 * editor, then to the pool. A new bearer token goes to the vault when there is one (the
 * file gets a `${secret:…}` reference), else into the file as typed; it is never echoed.
 */
import { ConfigInvalidError, parseMcpConfig } from "../../mcp/index.js";
import { BridgeFailure } from "../bridge/failure.js";
import type { McpSettings, ServerEntry } from "../contract/mcp-channels.js";
import type { RawConfig } from "./config-editor.js";
import type { McpPageState } from "./page-state.js";
import { bearerSecretName, secretNames, secretReference } from "./secrets.js";

/** Input of {@link saveServer}: the contract's `mcp.saveServer`. */
export interface SaveServerInput {
  previousId?: string;
  definition: unknown;
  /** A new token, `null` to remove it, absent to keep it. */
  bearerToken?: string | null;
}

/**
 * Adds a server, or replaces `previousId` (renaming it when the id differs), and applies
 * the config. The definition is checked where it will sit in the file, so a bad URL is
 * `config_invalid` naming `servers[N].source.url`; an id another server has is refused.
 * @throws BridgeFailure `not_found` when `previousId` is not in the config.
 */
export async function saveServer(state: McpPageState, input: SaveServerInput): Promise<ServerEntry> {
  const vault = state.context.secrets;
  const { config, value: id } = await state.editor.edit(async (raw) => {
    const servers = raw.servers as unknown[];
    const index = input.previousId === undefined ? -1 : servers.findIndex((server) => idOf(server) === input.previousId);
    if (input.previousId !== undefined && index === -1) throw new BridgeFailure("not_found", `no server is named "${input.previousId}"`);
    const position = index === -1 ? servers.length : index;
    if (!isRecord(input.definition)) throw new ConfigInvalidError([{ path: `servers[${position}]`, message: "expected an object" }], "the server");
    if (Object.hasOwn(input.definition, "bearer_token")) {
      throw new ConfigInvalidError([{ path: `servers[${position}].bearer_token`, message: "give the token as bearerToken, not in the definition" }], "the server");
    }
    const definition: Record<string, unknown> = { ...input.definition };
    const newId = definition.id;
    const duplicate = servers.findIndex((server, at) => at !== index && idOf(server) === newId);
    if (typeof newId === "string" && duplicate !== -1) {
      throw new ConfigInvalidError([{ path: `servers[${position}].id`, message: `servers[${duplicate}] has the id ${JSON.stringify(newId)} already` }], "the server");
    }
    const previous = index === -1 ? undefined : (servers[index] as Record<string, unknown>);
    const previousToken = typeof previous?.bearer_token === "string" ? previous.bearer_token : undefined;
    const keepsToken = input.bearerToken === undefined && previousToken !== undefined;
    // Checked with a stand-in token before the vault is touched, so a refused save stores nothing.
    const candidate = servers.slice();
    candidate[position] = keepsToken || typeof input.bearerToken === "string" ? { ...definition, bearer_token: "x" } : definition;
    const checked = parseMcpConfig({ ...raw, servers: candidate });
    if (!checked.ok) throw new ConfigInvalidError(checked.issues, "the server");

    const id = newId as string;
    const renamed = input.previousId !== undefined && input.previousId !== id;
    const oldSecrets = previousToken === undefined ? [] : ownSecrets(previousToken, input.previousId ?? id);
    if (typeof input.bearerToken === "string") {
      definition.bearer_token = vault ? secretReference(bearerSecretName(id)) : input.bearerToken;
      if (vault) await vault.set(bearerSecretName(id), input.bearerToken);
      if (vault && renamed) for (const name of oldSecrets) await vault.delete(name);
    } else if (input.bearerToken === null) {
      if (vault) for (const name of oldSecrets) await vault.delete(name);
    } else if (previousToken !== undefined) {
      definition.bearer_token = previousToken;
      if (vault && renamed && oldSecrets.length > 0) {
        // The secret follows the server's new id, so the vault name keeps naming its owner.
        definition.bearer_token = await moveSecrets(vault, previousToken, oldSecrets, id);
      }
    }
    if (index === -1) servers.push(definition);
    else servers[index] = definition;
    return id;
  });
  await state.apply(config);
  return state.entry(config.servers.find((server) => server.id === id)!);
}

/** Removes server `id` (and the tokens it kept in the vault), then applies the config. */
export async function removeServer(state: McpPageState, id: string): Promise<{ removed: boolean }> {
  const vault = state.context.secrets;
  const { config, value: removed } = await state.editor.edit(async (raw) => {
    const servers = raw.servers as unknown[];
    const index = servers.findIndex((server) => idOf(server) === id);
    if (index === -1) return false;
    const token = (servers[index] as Record<string, unknown>).bearer_token;
    servers.splice(index, 1);
    if (vault && typeof token === "string") for (const name of ownSecrets(token, id)) await vault.delete(name);
    return true;
  });
  if (removed) await state.apply(config);
  return { removed };
}

/** Turns server `id` on or off, then applies the config. @throws BridgeFailure `not_found`. */
export async function setServerEnabled(state: McpPageState, id: string, enabled: boolean): Promise<ServerEntry> {
  const { config } = await state.editor.edit((raw) => {
    const server = (raw.servers as unknown[]).find((candidate) => idOf(candidate) === id);
    if (!isRecord(server)) throw new BridgeFailure("not_found", `no server is named "${id}"`);
    // `true` is the default: the key goes, so the file stays as short as the user wrote it.
    if (enabled) delete server.enabled;
    else server.enabled = false;
  });
  await state.apply(config);
  return state.entry(config.servers.find((server) => server.id === id)!);
}

/** Changes the config's global settings, then applies it. */
export async function updateSettings(state: McpPageState, change: Partial<McpSettings>): Promise<McpSettings> {
  const { config } = await state.editor.edit((raw: RawConfig) => {
    for (const [key, value] of Object.entries(change)) if (value !== undefined) raw[key] = value;
  });
  await state.apply(config);
  return settingsOf(config);
}

/** The settings part of a config. */
export function settingsOf(config: McpSettings): McpSettings {
  return { auto_register_tools: config.auto_register_tools, tool_timeout_secs: config.tool_timeout_secs, max_concurrent_calls: config.max_concurrent_calls };
}

/** The vault names a server's token refers to that are its own (`mcp.<id>.…`): only those are moved or deleted. */
function ownSecrets(token: string, id: string): string[] {
  return secretNames(token).filter((name) => name.startsWith(`mcp.${id}.`));
}

async function moveSecrets(vault: NonNullable<McpPageState["context"]["secrets"]>, token: string, names: string[], id: string): Promise<string> {
  let moved = token;
  for (const name of names) {
    const value = await vault.get(name);
    const target = bearerSecretName(id);
    if (value !== undefined) await vault.set(target, value);
    await vault.delete(name);
    moved = moved.split(secretReference(name)).join(secretReference(target));
  }
  return moved;
}

function idOf(server: unknown): unknown {
  return isRecord(server) ? server.id : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
