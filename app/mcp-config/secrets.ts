/**
 * Server tokens kept out of mcp-config.json (issue 7). With an OS secret store (the
 * desktop app), a bearer token lives in the vault as `mcp.<id>.bearer_token` and the file
 * holds `"bearer_token": "${secret:mcp.<id>.bearer_token}"`; the references are resolved
 * only on the way to the pool. Without one (`hearth serve --ui`) the token sits in the
 * file as typed. Either way, what reaches the page has every token masked.
 */
import type { McpConfig, ServerDefinition } from "../../mcp/index.js";
import type { SecretVault } from "../secret-vault.js";

/** What a masked token reads as, in the text and in the page's forms. */
export const MASK = "********";

/** One `${secret:NAME}` reference; NAME is anything up to the closing brace. */
const SECRET_REFERENCE = /\$\{secret:([^}]+)\}/g;

/** The vault name of server `id`'s bearer token. */
export function bearerSecretName(id: string): string {
  return `mcp.${id}.bearer_token`;
}

/** The text the file holds in place of the secret `name`. */
export function secretReference(name: string): string {
  return `\${secret:${name}}`;
}

/** The names `value` refers to with `${secret:…}`, in order. */
export function secretNames(value: string): string[] {
  return [...value.matchAll(new RegExp(SECRET_REFERENCE.source, "g"))].map((match) => match[1]!);
}

/**
 * A copy of `config` with every `${secret:NAME}` in a server's `bearer_token`, `source.headers`
 * and `source.env` values replaced by the vault's value. A reference that cannot be
 * resolved (no vault, or the secret is not set) becomes the empty string (a `bearer_token`
 * is dropped), so the server fails with "it needs a bearer_token" rather than sending
 * the reference; `onMissing` hears of it (the name only, never a value).
 */
export async function resolveSecrets(
  config: McpConfig,
  vault: SecretVault | undefined,
  onMissing: (serverId: string, name: string) => void = () => {},
): Promise<McpConfig> {
  const resolveValue = async (serverId: string, value: string): Promise<string> => {
    const names = secretNames(value);
    if (names.length === 0) return value;
    const values = new Map<string, string>();
    for (const name of names) {
      const secret = vault === undefined ? undefined : await vault.get(name);
      if (secret === undefined) onMissing(serverId, name);
      values.set(name, secret ?? "");
    }
    return value.replace(new RegExp(SECRET_REFERENCE.source, "g"), (_reference, name: string) => values.get(name) ?? "");
  };
  const resolveMap = async (serverId: string, map: Record<string, string>) =>
    Object.fromEntries(await Promise.all(Object.entries(map).map(async ([key, value]) => [key, await resolveValue(serverId, value)] as const)));

  const servers = await Promise.all(
    config.servers.map(async (server): Promise<ServerDefinition> => {
      const resolved: ServerDefinition = { ...server, source: { ...server.source } };
      if (resolved.source.type === "Process") resolved.source.env = await resolveMap(server.id, resolved.source.env);
      else if (resolved.source.headers !== undefined) resolved.source.headers = await resolveMap(server.id, resolved.source.headers);
      if (server.bearer_token !== undefined) {
        const token = await resolveValue(server.id, server.bearer_token);
        if (token === "") delete resolved.bearer_token;
        else resolved.bearer_token = token;
      }
      return resolved;
    }),
  );
  return { ...config, servers };
}

/**
 * mcp-config.json text with every `bearer_token` value and every `Authorization` header
 * value replaced by {@link MASK}, the rest (layout, comments of other keys) untouched.
 */
export function maskSecretsInText(text: string): string {
  return text.replace(/("(?:bearer_token|authorization)"\s*:\s*)"(?:[^"\\]|\\.)*"/gi, `$1"${MASK}"`);
}

/** Whether server `definition`'s token is there: set in the file, or its vault reference set. */
export async function bearerTokenStatus(definition: { bearer_token?: string }, vault: SecretVault | undefined): Promise<"set" | "not set"> {
  const token = definition.bearer_token;
  if (token === undefined || token === "") return "not set";
  const names = secretNames(token);
  if (names.length === 0) return "set";
  if (vault === undefined) return "not set";
  for (const name of names) if ((await vault.status(name)) !== "set") return "not set";
  return "set";
}
