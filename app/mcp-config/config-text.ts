/**
 * The whole config at once, for the servers page: reading it (tokens masked), saving the
 * raw text (refused, with line and column, unless valid; masked tokens kept as they
 * were), and import and export of Claude Desktop's `mcpServers`.
 */
import {
  exportMcpServers,
  importMcpServersText,
  parseJsonText,
  parseMcpConfigText,
  type ConfigIssue,
  type McpConfig,
  type ServerDefinition,
} from "../../mcp/index.js";
import { findJsonSpan, jsonSyntaxErrorPosition, jsonValueSpans } from "../../mcp/config/json-text.js";
import type { ConfigProblem, McpSettings, ServerEntry } from "../contract/mcp-channels.js";
import type { McpPageState } from "./page-state.js";
import type { SecretVault } from "../secret-vault.js";
import { bearerSecretName, MASK, maskSecretsInText, secretNames, secretReference } from "./secrets.js";
import { settingsOf } from "./server-edits.js";

/**
 * The config file: its path, servers and settings, and its text with tokens masked. A
 * missing file reads as an empty config; an invalid one shows the config in force (the
 * last good one) with the file's own text, so it can be fixed.
 */
export async function getConfig(state: McpPageState): Promise<{ path: string; servers: ServerEntry[]; settings: McpSettings; text: string }> {
  const { config, text } = await state.configInForce();
  const servers = await Promise.all(config.servers.map((server) => state.entry(server)));
  return { path: state.editor.path, servers, settings: settingsOf(config), text: maskSecretsInText(text) };
}

/** Thrown inside the editor's queue to write nothing and answer with problems. */
class Refused extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super("refused");
  }
}

/**
 * Replaces the file with `text` when it is valid JSON and a valid config, and applies it.
 * A token shown masked (`********`) keeps the value the file had for that server; a
 * masked token of a server the file does not have is a problem; with a vault, a token
 * typed into the text goes to the vault as from the form. Otherwise nothing is
 * written, and each problem has its path and, where it can be found, line and column.
 */
export async function saveConfigText(state: McpPageState, text: string): Promise<{ saved: boolean; problems: ConfigProblem[] }> {
  let config: McpConfig;
  try {
    config = await state.editor.replaceText(async (current) => {
      const json = parseJsonText(text);
      if (!json.ok) throw new Refused(json.issues.map((issue) => ({ ...issue, ...jsonSyntaxErrorPosition(text) })));
      const restored = restoreMasked(text, json.value, current.raw);
      if (restored.problems.length > 0) throw new Refused(restored.problems);
      const checked = parseMcpConfigText(restored.text);
      if (!checked.ok) throw new Refused(locate(restored.text, checked.issues));
      const vault = state.context.secrets;
      return { text: vault ? await moveTokensToVault(restored.text, checked.config.servers, vault) : restored.text, value: checked.config };
    });
  } catch (error) {
    if (error instanceof Refused) return { saved: false, problems: error.problems };
    throw error;
  }
  await state.apply(config);
  return { saved: true, problems: [] };
}

/**
 * Adds the servers of a Claude Desktop `mcpServers` JSON. A server whose id exists is
 * skipped, or replaced with `replace`. Any invalid entry: nothing is saved, and the
 * problems are listed (paths like `mcpServers.github.command`, with line and column).
 * With a vault, imported bearer tokens go there, as from the form.
 */
export async function importServers(
  state: McpPageState,
  input: { text: string; replace?: boolean },
): Promise<{ added: string[]; replaced: string[]; skipped: Array<{ id: string; reason: string }>; problems: ConfigProblem[] }> {
  const vault = state.context.secrets;
  const outcome = { added: [] as string[], replaced: [] as string[], skipped: [] as Array<{ id: string; reason: string }>, problems: [] as ConfigProblem[] };
  const result = importMcpServersText(input.text);
  if (!result.ok) return { ...outcome, problems: locate(input.text, result.issues) };
  for (const warning of result.warnings) state.context.log.write("info", `import: ${warning.path}: ${warning.message}`);
  const { config } = await state.editor.edit(async (raw) => {
    const servers = raw.servers as unknown[];
    for (const server of result.servers) {
      const index = servers.findIndex((candidate) => (candidate as { id?: unknown } | null)?.id === server.id);
      if (index !== -1 && !input.replace) {
        outcome.skipped.push({ id: server.id, reason: `a server with the id "${server.id}" exists; import with replace to overwrite it` });
        continue;
      }
      const written = compact(server);
      if (vault && server.bearer_token !== undefined) {
        await vault.set(bearerSecretName(server.id), server.bearer_token);
        written.bearer_token = secretReference(bearerSecretName(server.id));
      }
      if (index === -1) {
        servers.push(written);
        outcome.added.push(server.id);
      } else {
        servers[index] = written;
        outcome.replaced.push(server.id);
      }
    }
  });
  if (outcome.added.length + outcome.replaced.length > 0) await state.apply(config);
  return outcome;
}

/** The config's enabled servers as Claude Desktop `mcpServers` JSON, without tokens or Authorization headers. */
export async function exportServers(state: McpPageState): Promise<{ text: string }> {
  const { config } = await state.configInForce();
  const servers = config.servers.map((server): ServerDefinition => {
    const { bearer_token: _token, ...rest } = server;
    if (rest.source.type === "Process" || rest.source.headers === undefined) return rest;
    const headers = Object.fromEntries(Object.entries(rest.source.headers).filter(([key]) => key.toLowerCase() !== "authorization"));
    return { ...rest, source: { ...rest.source, headers } };
  });
  return { text: `${JSON.stringify(exportMcpServers({ servers }), null, 2)}\n` };
}

/** Issues with the line and column of the value each names, where the text has it. */
function locate(text: string, issues: readonly ConfigIssue[]): ConfigProblem[] {
  const spans = jsonValueSpans(text);
  return issues.map((issue) => {
    const span = findJsonSpan(spans, issue.path);
    return span === undefined ? { ...issue } : { ...issue, line: span.line, column: span.column };
  });
}

/**
 * `text` with each masked `bearer_token` (and masked `Authorization` header) put back to
 * what the current file has for the server of the same id, spliced in place so the
 * user's layout stays.
 */
function restoreMasked(text: string, value: unknown, current: Record<string, unknown> | undefined): { text: string; problems: ConfigProblem[] } {
  const servers = isRecord(value) && Array.isArray(value.servers) ? value.servers : [];
  const old = new Map<unknown, Record<string, unknown>>();
  for (const server of Array.isArray(current?.servers) ? current.servers : []) if (isRecord(server)) old.set(server.id, server);
  const spans = jsonValueSpans(text);
  const splices: Array<{ start: number; end: number; value: string }> = [];
  const problems: ConfigProblem[] = [];
  const restore = (path: string, previous: unknown) => {
    const span = spans.get(path);
    if (span === undefined) return;
    if (typeof previous === "string") splices.push({ start: span.start, end: span.end, value: JSON.stringify(previous) });
    else problems.push({ path, message: "the token is hidden; type it again (or remove the key)", line: span.line, column: span.column });
  };
  servers.forEach((server: unknown, index) => {
    if (!isRecord(server)) return;
    const before = old.get(server.id);
    if (server.bearer_token === MASK) restore(`servers[${index}].bearer_token`, before?.bearer_token);
    const headers = isRecord(server.source) && isRecord(server.source.headers) ? server.source.headers : {};
    const oldHeaders = isRecord(before?.source) && isRecord(before.source.headers) ? before.source.headers : {};
    for (const [key, header] of Object.entries(headers)) {
      if (key.toLowerCase() === "authorization" && header === MASK) restore(`servers[${index}].source.headers.${key}`, oldHeaders[key]);
    }
  });
  return { text: splice(text, splices), problems };
}

/**
 * `text` with each literal `bearer_token` moved into `vault` (as `mcp.<id>.bearer_token`)
 * and replaced in place by its `${secret:…}` reference. Runs on valid text only.
 */
async function moveTokensToVault(text: string, servers: readonly ServerDefinition[], vault: SecretVault): Promise<string> {
  const spans = jsonValueSpans(text);
  const splices: Array<{ start: number; end: number; value: string }> = [];
  for (const [index, server] of servers.entries()) {
    const token = server.bearer_token;
    if (token === undefined || token === "" || secretNames(token).length > 0) continue;
    const span = spans.get(`servers[${index}].bearer_token`);
    if (span === undefined) continue;
    await vault.set(bearerSecretName(server.id), token);
    splices.push({ start: span.start, end: span.end, value: JSON.stringify(secretReference(bearerSecretName(server.id))) });
  }
  return splice(text, splices);
}

/** `text` with each span replaced, the last first so earlier offsets stay right. */
function splice(text: string, splices: Array<{ start: number; end: number; value: string }>): string {
  let result = text;
  for (const cut of [...splices].sort((a, b) => b.start - a.start)) result = result.slice(0, cut.start) + cut.value + result.slice(cut.end);
  return result;
}

/** A parsed definition without the defaults the importer filled in, as a person would write it. */
function compact(server: ServerDefinition): Record<string, unknown> {
  const written: Record<string, unknown> = { ...server, source: { ...server.source } };
  const source = written.source as Record<string, unknown>;
  if (Array.isArray(source.args) && source.args.length === 0) delete source.args;
  if (isRecord(source.env) && Object.keys(source.env).length === 0) delete source.env;
  if (server.resources.length === 0) delete written.resources;
  if (server.enabled) delete written.enabled;
  return written;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
