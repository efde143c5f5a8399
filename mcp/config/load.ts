/**
 * Reading mcp-config.json: JSON text to a validated `McpConfig`, or the list of every
 * problem in it, each with a path a person can find (`servers[1].source.url`). A file
 * with any problem is rejected whole, so a half-understood config never runs.
 */
import { readFile } from "node:fs/promises";
import type { z } from "zod";
import { McpClientError } from "../errors.js";
import { McpConfigSchema, SOURCE_TYPES, ServerDefinitionSchema, ServerSourceSchema } from "./schema.js";
import type { McpConfig, McpConfigInput } from "./schema.js";
import { writeMcpConfigFile } from "./write.js";

/** One problem: where (`servers[1].source.url`, or `(root)`) and what, for people. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** A parsed config with defaults applied, or every problem found. */
export type ConfigResult = { ok: true; config: McpConfig } | { ok: false; issues: ConfigIssue[] };

/** Code `config_invalid`, carrying every problem in `issues`; the message lists them too. */
export class ConfigInvalidError extends McpClientError {
  /** The problems, in file order. */
  readonly issues: ConfigIssue[];
  /**
   * @param issues the problems (at least one).
   * @param subject what was invalid, e.g. a file path or `server "github"`; starts the message.
   */
  constructor(issues: ConfigIssue[], subject: string, details: { serverId?: string } = {}) {
    const list = formatConfigIssues(issues);
    const message =
      issues.length === 1 ? `${subject} is invalid: ${list}` : `${subject} is invalid:\n${list.replace(/^/gm, "  ")}`;
    super("config_invalid", message, details);
    this.issues = issues;
  }
}

/**
 * Writes a path the way people read it: keys joined by dots, array indexes in brackets,
 * keys that are not plain words quoted (`env["MY VAR"]`). The empty path is `(root)`.
 */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (typeof segment === "string" && /^[\w$-]+$/.test(segment)) text += text === "" ? segment : `.${segment}`;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text === "" ? "(root)" : text;
}

/** One line per issue, `path: message`, joined with newlines. */
export function formatConfigIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message}`).join("\n");
}

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
 * `JSON.parse` with a readable error: `{ok: false}` holds one `(root)` issue such as
 * `invalid JSON in mcp.json at line 3, column 1: expected a value, found "}"`.
 * A leading byte-order mark (Windows Notepad writes one) is ignored.
 * @param origin where the text came from (a file path), named in the message when given.
 */
export function parseJsonText(
  text: string,
  origin?: string,
): { ok: true; value: unknown } | { ok: false; issues: ConfigIssue[] } {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    // Not the engine's message: Node 20's "Unexpected token" form has no position and
    // quotes the surrounding text, which may be a token. Our own scan gives both safely.
    const where = origin === undefined ? "" : ` in ${origin}`;
    const located = locateJsonSyntaxError(body);
    let message = `invalid JSON${where}`;
    if (body.trim() === "") message = `${origin ?? "the text"} is empty; expected a JSON object`;
    else if (located) message += ` at line ${located.line}, column ${located.column}: ${located.problem}`;
    return { ok: false, issues: [{ path: "(root)", message }] };
  }
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

/** Zod's `expected` in words. */
const EXPECTED_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  record: "an object",
};

/**
 * Zod issues in people's words (`required`, `expected a number, got a string`, `unknown
 * key "x"; did you mean "y"?`), never quoting string values, which may be secrets.
 * @param mapPath rewrites each issue's path before it is formatted (default: unchanged).
 */
export function describeZodIssues(
  issues: readonly z.core.$ZodIssue[],
  mapPath: (path: readonly PropertyKey[]) => readonly PropertyKey[] = (path) => path,
): ConfigIssue[] {
  return issues.flatMap((issue) => describeIssue(issue, formatIssuePath(mapPath(issue.path))));
}

/** One zod issue listing several unknown keys becomes several issues. */
function describeIssue(issue: z.core.$ZodIssue, path: string): ConfigIssue[] {
  const input = issue.input;
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => ({ path, message: unknownKeyMessage(key, issue.path, input) }));
    case "invalid_union": {
      if (issue.discriminator !== "type") break;
      const value = isRecord(input) ? input.type : undefined;
      const expected = `expected ${SOURCE_TYPES.slice(0, -1).join(", ")} or ${SOURCE_TYPES.at(-1)}`;
      if (value === undefined) return [{ path, message: `required; ${expected}` }];
      return [{ path, message: `unknown source type ${JSON.stringify(value)}; ${expected}` }];
    }
    case "invalid_type": {
      if (input === undefined) return [{ path, message: "required" }];
      const expected = EXPECTED_NAMES[issue.expected] ?? issue.expected;
      // A number written in quotes is the commonest type mistake in hand-written JSON.
      const quoted = typeof input === "string" && issue.expected !== "string" && input.trim() !== "";
      const hint = quoted && (Number.isFinite(Number(input)) || /^(true|false)$/.test(input));
      const message = `expected ${expected}, got ${describeValue(input)}${hint ? " (write it without quotes)" : ""}`;
      return [{ path, message }];
    }
    case "too_small":
    case "too_big": {
      const small = issue.code === "too_small";
      const limit = Number(small ? issue.minimum : issue.maximum);
      if (issue.origin === "string" && small && limit === 1) return [{ path, message: "must not be empty" }];
      const bound = small ? (issue.inclusive ? "at least" : "greater than") : issue.inclusive ? "at most" : "less than";
      if (issue.origin === "string") return [{ path, message: `must be ${bound} ${limit} characters long` }];
      if (issue.origin === "number") return [{ path, message: `must be ${bound} ${limit}, got ${String(input)}` }];
      break;
    }
  }
  return [{ path, message: issue.message }];
}

function unknownKeyMessage(key: string, path: readonly PropertyKey[], input: unknown): string {
  if (path.length === 0 && key === "mcpServers") {
    return `unknown key "mcpServers"; this looks like a Claude Desktop config: import it instead`;
  }
  let shape: object | undefined;
  if (path.length === 0) shape = McpConfigSchema.shape;
  else if (path.length === 2) shape = ServerDefinitionSchema.shape;
  else if (path.at(-1) === "source" && isRecord(input)) {
    shape = ServerSourceSchema.options.find((option) => option.shape.type.value === input.type)?.shape;
  }
  const suggestion = closestKey(key, Object.keys(shape ?? {}));
  return `unknown key ${JSON.stringify(key)}${suggestion ? `; did you mean ${JSON.stringify(suggestion)}?` : ""}`;
}

/** The known key a typo most likely meant (`bearer_tokn`, `toolTimeoutSecs`), if any. */
function closestKey(key: string, known: readonly string[]): string | undefined {
  const normalize = (text: string) => text.toLowerCase().replace(/[_-]/g, "");
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(normalize(key), normalize(candidate));
    if (distance <= 2 && (!best || distance < best.distance)) best = { key: candidate, distance };
  }
  return best?.key;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Names a value's kind without quoting strings, which may be secrets. */
function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
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

/**
 * Finds where JSON text first breaks the grammar (RFC 8259): 1-based line and column and
 * what was expected there; undefined if it finds no fault (or nesting is too deep).
 */
function locateJsonSyntaxError(text: string): { line: number; column: number; problem: string } | undefined {
  let at = 0;
  const fail = (expected: string): never => {
    throw { at, expected };
  };
  const skipSpace = () => {
    while (" \t\n\r".includes(text[at] ?? "x")) at++;
  };
  const string = () => {
    for (at++; text[at] !== '"'; at++) {
      const char = text[at];
      if (char === undefined) fail("a closing '\"'");
      else if (char < " ") fail("an escape such as \\n or \\t instead of a raw control character");
      else if (char === "\\" && !/^(["\\/bfnrt]|u[0-9a-fA-F]{4})/.test(text.slice(++at, at + 5))) {
        fail("a valid escape such as \\n or \\u00e9");
      } else if (char === "\\" && text[at] === "u") at += 4;
    }
    at++;
  };
  const sequence = (close: string, member: () => void, expected: string) => {
    for (at++, skipSpace(); text[at] !== close; ) {
      member();
      skipSpace();
      if (text[at] === close) break;
      if (text[at] !== ",") fail(`',' or '${close}'`);
      at++;
      skipSpace();
      if (text[at] === close) fail(`${expected} (JSON allows no comma before '${close}')`);
    }
    at++;
  };
  const property = () => {
    skipSpace();
    if (text[at] !== '"') fail("a property name in double quotes");
    string();
    skipSpace();
    if (text[at] !== ":") fail("':' after the property name");
    at++;
    value();
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const value = (): void => {
    skipSpace();
    const word = ["true", "false", "null"].find((literal) => text.startsWith(literal, at));
    NUMBER.lastIndex = at;
    if (text[at] === "{") sequence("}", property, "a property name");
    else if (text[at] === "[") sequence("]", value, "a value");
    else if (text[at] === '"') string();
    else if (word) at += word.length;
    else if (NUMBER.test(text)) at = NUMBER.lastIndex;
    else fail("a value");
  };
  try {
    value();
    skipSpace();
    if (at < text.length) fail("nothing after the JSON value");
    return undefined;
  } catch (error) {
    if (!isRecord(error) || typeof error.at !== "number") return undefined; // a RangeError: too deep
    const before = text.slice(0, error.at);
    const found = error.at >= text.length ? "the end of the text" : JSON.stringify(text[error.at]);
    return {
      line: before.split("\n").length,
      column: error.at - before.lastIndexOf("\n"),
      problem: `expected ${String(error.expected)}, found ${found}`,
    };
  }
}
