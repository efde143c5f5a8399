/**
 * Problems found in a config, for people: `ConfigIssue` (a path such as
 * `servers[1].source.url` and a message), `ConfigInvalidError` that carries them, and
 * zod issues rewritten in plain words without quoting values, which may be secrets.
 */
import type { z } from "zod";
import { McpClientError } from "../errors.js";
import { McpConfigSchema, SOURCE_TYPES, ServerDefinitionSchema, ServerSourceSchema } from "./schema.js";

/** One problem: where (`servers[1].source.url`, or `(root)`) and what, for people. */
export interface ConfigIssue {
  path: string;
  message: string;
}

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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
