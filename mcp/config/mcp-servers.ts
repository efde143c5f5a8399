/**
 * Import and export of the de-facto `mcpServers` format that Claude Desktop, Cursor and
 * LM Studio read: `{"mcpServers": {"<name>": {command, args, env, cwd} | {url, headers, type}}}`.
 * Other top-level keys (the host app's own settings) are ignored on import.
 */
import type { ConfigIssue } from "./issues.js";
import { describeZodIssues, formatIssuePath } from "./issues.js";
import { parseJsonText } from "./json-text.js";
import { ServerDefinitionSchema } from "./schema.js";
import type { McpConfig, ServerDefinition, ServerDefinitionInput } from "./schema.js";

/** A server started as a child process. */
export interface McpServersCommandEntry {
  command: string;
  args?: string[];
  env?: Record<string, string>;
  /** Working folder; Hearth's `work_dir`. */
  cwd?: string;
  /** Cline and Roo Code's switch; Hearth's `enabled: false`. */
  disabled?: boolean;
}

/** A server reached by URL. */
export interface McpServersUrlEntry {
  url: string;
  headers?: Record<string, string>;
  /** `http`, `sse` and `streamable-http` all become Hearth's Http source, which tries both. */
  type?: (typeof URL_TYPES)[number];
  disabled?: boolean;
}

export type McpServersEntry = McpServersCommandEntry | McpServersUrlEntry;

/** The file: server name to entry. */
export interface McpServersFile {
  mcpServers: Record<string, McpServersEntry>;
}

/**
 * Definitions with defaults applied, plus `warnings` for keys Hearth has no use for; or
 * every problem, each at a path like `mcpServers.github.command`. Any problem rejects all.
 */
export type McpServersImportResult =
  | { ok: true; servers: ServerDefinition[]; warnings: ConfigIssue[] }
  | { ok: false; issues: ConfigIssue[] };

/** Options of `importMcpServers`. */
export interface McpServersImportOptions {
  /** Ids already in use (the current config's); imported ids are made to differ. Default none. */
  takenIds?: Iterable<string>;
}

/** Options of `exportMcpServers`. */
export interface McpServersExportOptions {
  /**
   * Include disabled servers, marked `"disabled": true` (read by Cline and Roo Code, not by
   * Claude Desktop, which would start them). Default false: disabled servers are left out.
   */
  includeDisabled?: boolean;
}

const URL_TYPES = ["http", "sse", "streamable-http", "ws"] as const;
const COMMAND_KEYS = ["command", "args", "env", "cwd", "type", "disabled"];
const URL_KEYS = ["url", "headers", "type", "disabled"];
const BEARER = /^Bearer\s+(\S.*)$/i;

/**
 * Turns an `mcpServers` object (a whole claude_desktop_config.json is fine) into server
 * definitions. Command entries become Process sources (`cwd` becomes `work_dir`); URL
 * entries become Http sources, or WebSocket ones for `ws://`/`wss://` URLs or `type: "ws"`.
 * An `Authorization: Bearer …` header becomes `bearer_token`. The id is the entry name
 * with runs of characters other than letters, digits, `_` and `-` turned into one `_`
 * (`"brave search"` -> `brave_search`); a taken id gets `_2`, `_3`… in entry order. When
 * the id differs from the entry name, the name is kept as the display `name`.
 */
export function importMcpServers(input: unknown, options: McpServersImportOptions = {}): McpServersImportResult {
  if (!isRecord(input)) return { ok: false, issues: [{ path: "(root)", message: "expected an object" }] };
  const entries = input.mcpServers;
  if (!isRecord(entries)) {
    const message = entries === undefined ? "required" : "expected an object of servers by name";
    return { ok: false, issues: [{ path: "mcpServers", message }] };
  }
  const taken = new Set(options.takenIds);
  const servers: ServerDefinition[] = [];
  const issues: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  for (const [name, entry] of Object.entries(entries)) {
    const where = (...path: PropertyKey[]) => formatIssuePath(["mcpServers", name, ...path]);
    if (!isRecord(entry)) {
      issues.push({ path: where(), message: "expected an object with \"command\" or \"url\"" });
      continue;
    }
    const found = checkEntryShape(entry, where);
    issues.push(...found.issues);
    for (const key of Object.keys(entry).filter((key) => !found.knownKeys.includes(key))) {
      warnings.push({ path: where(key), message: "ignored; Hearth has no such setting" });
    }
    if (found.issues.length > 0) continue;
    const candidate = toDefinitionInput(name, entry, makeSafeId(name, taken));
    const parsed = ServerDefinitionSchema.safeParse(candidate, { reportInput: true });
    if (parsed.success) servers.push(parsed.data);
    else issues.push(...describeZodIssues(parsed.error.issues, (path) => ["mcpServers", name, ...entryPath(path)]));
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, servers, warnings };
}

/** `importMcpServers` for JSON text; a syntax error is reported with line and column. */
export function importMcpServersText(text: string, options: McpServersImportOptions = {}): McpServersImportResult {
  const json = parseJsonText(text);
  return json.ok ? importMcpServers(json.value, options) : json;
}

/**
 * The reverse of `importMcpServers`, for pasting into another app. The key is the
 * server's `name` when set (else its id), so an imported server gets its original name
 * back; on a clash the id is used. `bearer_token` becomes `Authorization: Bearer …`;
 * Http and WebSocket entries carry `type: "http"` / `"ws"`. What the format cannot say
 * is left out: `tool_prefix`, `resources`, `timeout_secs` and the top-level settings.
 * `${env:NAME}` references are written as they are: Cursor resolves them, Claude Desktop
 * passes them on literally.
 */
export function exportMcpServers(
  config: Pick<McpConfig, "servers">,
  options: McpServersExportOptions = {},
): McpServersFile {
  const entries: Array<[string, McpServersEntry]> = [];
  const keys = new Set<string>();
  for (const server of config.servers) {
    if (!server.enabled && !options.includeDisabled) continue;
    let key = server.name ?? server.id;
    if (keys.has(key)) key = server.id;
    for (let count = 2; keys.has(key); count++) key = `${server.id}_${count}`;
    keys.add(key);
    entries.push([key, toEntry(server)]);
  }
  // fromEntries defines own properties, so a server named "__proto__" stays a server.
  return { mcpServers: Object.fromEntries(entries) };
}

function toEntry(server: ServerDefinition): McpServersEntry {
  const { source } = server;
  let entry: McpServersEntry;
  if (source.type === "Process") {
    entry = { command: source.command };
    if (source.args.length > 0) entry.args = [...source.args];
    if (Object.keys(source.env).length > 0) entry.env = { ...source.env };
    if (source.work_dir !== undefined) entry.cwd = source.work_dir;
  } else {
    entry = { type: source.type === "WebSocket" ? "ws" : "http", url: source.url };
    const headers = { ...source.headers };
    if (server.bearer_token !== undefined) headers.Authorization = `Bearer ${server.bearer_token}`;
    if (Object.keys(headers).length > 0) entry.headers = headers;
  }
  if (!server.enabled) entry.disabled = true;
  return entry;
}

/** Problems the schema cannot see: command vs url, `type`, `disabled`. */
function checkEntryShape(
  entry: Record<string, unknown>,
  where: (...path: PropertyKey[]) => string,
): { issues: ConfigIssue[]; knownKeys: string[] } {
  const issues: ConfigIssue[] = [];
  const isCommand = entry.command !== undefined;
  if (isCommand && entry.url !== undefined) {
    const message = 'has both "command" and "url"; a server is either a program to start or a URL to connect to';
    issues.push({ path: where(), message });
  } else if (!isCommand && entry.url === undefined) {
    issues.push({ path: where(), message: 'needs "command" (a program to start) or "url" (a server to connect to)' });
  }
  const type = entry.type;
  if (type !== undefined && !(isCommand ? type === "stdio" : (URL_TYPES as readonly unknown[]).includes(type))) {
    let message = `unknown type ${JSON.stringify(type)}; expected stdio, ${URL_TYPES.join(", ")}`;
    if (type === "stdio") message = 'type "stdio" needs a "command"';
    else if ((URL_TYPES as readonly unknown[]).includes(type)) message = `type ${JSON.stringify(type)} needs a "url"`;
    issues.push({ path: where("type"), message });
  }
  if (entry.disabled !== undefined && typeof entry.disabled !== "boolean") {
    issues.push({ path: where("disabled"), message: "expected true or false" });
  }
  return { issues, knownKeys: isCommand ? COMMAND_KEYS : URL_KEYS };
}

function toDefinitionInput(name: string, entry: Record<string, unknown>, id: string): ServerDefinitionInput {
  const definition: Record<string, unknown> = { id };
  if (id !== name) definition.name = name;
  if (entry.disabled === true) definition.enabled = false;
  if (entry.command !== undefined) {
    definition.source = withoutUndefined({
      type: "Process",
      command: entry.command,
      args: entry.args,
      env: entry.env,
      work_dir: entry.cwd,
    });
  } else {
    const url = entry.url;
    const isWebSocket = entry.type === "ws" || (typeof url === "string" && /^wss?:/i.test(url));
    let headers = entry.headers;
    if (isRecord(headers)) {
      const authorization = Object.keys(headers).find((key) => key.toLowerCase() === "authorization");
      const match = authorization === undefined ? null : BEARER.exec(String(headers[authorization]));
      if (authorization !== undefined && match) {
        definition.bearer_token = match[1]!.trim();
        headers = Object.fromEntries(Object.entries(headers).filter(([key]) => key !== authorization));
        if (Object.keys(headers as object).length === 0) headers = undefined;
      }
    }
    definition.source = withoutUndefined({ type: isWebSocket ? "WebSocket" : "Http", url, headers });
  }
  // Checked by ServerDefinitionSchema right after; this is only its input.
  return definition as ServerDefinitionInput;
}

/** Where a definition field came from in the entry, for issue paths. */
function entryPath(path: readonly PropertyKey[]): PropertyKey[] {
  const [first, second, ...rest] = path;
  if (first === "bearer_token") return ["headers", "Authorization"];
  if (first === "enabled") return ["disabled"];
  if (first !== "source") return [...path];
  if (second === "work_dir") return ["cwd", ...rest];
  return second === undefined ? [] : [second, ...rest];
}

function makeSafeId(name: string, taken: Set<string>): string {
  const base = name.split(/[^A-Za-z0-9_-]+/).filter(Boolean).join("_").slice(0, 64) || "server";
  let id = base;
  for (let count = 2; taken.has(id); count++) id = `${base.slice(0, 64 - `_${count}`.length)}_${count}`;
  taken.add(id);
  return id;
}

function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
