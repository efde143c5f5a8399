/**
 * Reading mcp-config.json: JSON text to a validated `McpConfig`, or the list of every
 * problem in it, each with a path a person can find (`servers[1].source.url`). A file
 * with any problem is rejected whole, so a half-understood config never runs.
 */
import { readFile } from "node:fs/promises";
import { McpClientError } from "../errors.js";
import { ConfigInvalidError, describeZodIssues } from "./issues.js";
import type { ConfigIssue } from "./issues.js";
import { parseJsonText } from "./json-text.js";
import { McpConfigSchema } from "./schema.js";
import type { McpConfig, McpConfigInput } from "./schema.js";
import { writeMcpConfigFile } from "./write.js";


/** A parsed config with defaults applied, or every problem found. */
export type ConfigResult = { ok: true; config: McpConfig } | { ok: false; issues: ConfigIssue[] };

/**
 * Validates an already-parsed JSON value as mcp-config.json: the schema, then the checks
 * that span servers (duplicate ids, `bearer_token` on a Process server). Issues are
 * ordered by server, top-level ones first.
 */
export function parseMcpConfig(input: unknown): ConfigResult {
  const parsed = McpConfigSchema.safeParse(input, { reportInput: true });
  const found: Array<{ order: number; issue: ConfigIssue }> = [];
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const order = issue.path[0] === "servers" && typeof issue.path[1] === "number" ? issue.path[1] : -1;
    for (const described of describeZodIssues([issue])) found.push({ order, issue: described });
  }
  found.push(...crossServerIssues(input));
  if (found.length === 0 && parsed.success) return { ok: true, config: parsed.data };
  found.sort((a, b) => a.order - b.order);
  return { ok: false, issues: found.map((entry) => entry.issue) };
}

/**
 * Parses JSON text and validates it. A syntax error becomes one `(root)` issue naming the
 * line and column (1-based), without quoting the text, which may hold a secret.
 * @param origin where the text came from (a file path), named in the syntax error.
 */
export function parseMcpConfigText(text: string, origin?: string): ConfigResult {
  const json = parseJsonText(text, origin);
  return json.ok ? parseMcpConfig(json.value) : json;
}

/**
 * Reads and validates an mcp-config.json file (UTF-8).
 * @throws McpClientError `config_io` when the file cannot be read, a missing file included.
 */
export async function readMcpConfigFile(path: string): Promise<ConfigResult> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : String(error);
    throw new McpClientError("config_io", `cannot read MCP config ${path}: ${reason}`, { cause: error });
  }
  return parseMcpConfigText(text, path);
}

/**
 * One mcp-config.json file and the last good config read from it. An invalid edit is
 * reported and the previous config stays in force, so a typo never stops running servers.
 * Reads and writes on one instance run one at a time, in call order.
 */
export class McpConfigFile {
  private config: McpConfig;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    /** The file's path, as given to `open`. */
    readonly path: string,
    config: McpConfig,
  ) {
    this.config = config;
  }

  /**
   * Reads and validates the file.
   * @throws ConfigInvalidError (code `config_invalid`, with `issues`) when it is invalid.
   * @throws McpClientError `config_io` when it cannot be read.
   */
  static async open(path: string): Promise<McpConfigFile> {
    const result = await readMcpConfigFile(path);
    if (!result.ok) throw new ConfigInvalidError(result.issues, path);
    return new McpConfigFile(path, result.config);
  }

  /** The last valid config read or saved, defaults applied. */
  get current(): McpConfig {
    return this.config;
  }

  /**
   * Reads the file again. When valid, it becomes `current`; when invalid, `current` is
   * unchanged and the issues are returned for the user to see.
   * @throws McpClientError `config_io` when it cannot be read (`current` is unchanged).
   */
  reload(): Promise<ConfigResult> {
    return this.serialize(async () => {
      const result = await readMcpConfigFile(this.path);
      if (result.ok) this.config = result.config;
      return result;
    });
  }

  /**
   * Validates `config`, then writes it atomically (the old file is kept as `<path>.bak`)
   * and makes it `current`. What is written is `config` as given, so defaults the user
   * left out stay out of the file.
   * @returns the saved config, defaults applied.
   * @throws ConfigInvalidError when `config` is invalid; the file is not touched.
   * @throws McpClientError `config_io` when the file cannot be written.
   */
  save(config: McpConfigInput): Promise<McpConfig> {
    return this.serialize(async () => {
      const result = parseMcpConfig(config);
      if (!result.ok) throw new ConfigInvalidError(result.issues, this.path);
      await writeMcpConfigFile(this.path, config);
      this.config = result.config;
      return result.config;
    });
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** Checks zod cannot express, run on the raw input so they are listed with the rest. */
function crossServerIssues(input: unknown): Array<{ order: number; issue: ConfigIssue }> {
  const servers = isRecord(input) && Array.isArray(input.servers) ? input.servers : [];
  const found: Array<{ order: number; issue: ConfigIssue }> = [];
  const firstIndexById = new Map<string, number>();
  servers.forEach((server: unknown, index) => {
    if (!isRecord(server)) return;
    if (typeof server.id === "string" && server.id !== "") {
      const first = firstIndexById.get(server.id);
      if (first === undefined) firstIndexById.set(server.id, index);
      else {
        const message = `duplicate id ${JSON.stringify(server.id)} (also servers[${first}])`;
        found.push({ order: index, issue: { path: `servers[${index}].id`, message } });
      }
    }
    if (server.bearer_token !== undefined && isRecord(server.source) && server.source.type === "Process") {
      const message = "only for Http and WebSocket servers; give a Process server its secrets through source.env";
      found.push({ order: index, issue: { path: `servers[${index}].bearer_token`, message } });
    }
  });
  return found;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
