/**
 * Resolving `${env:NAME}` references when a server connects, so secrets can live in the
 * environment instead of mcp-config.json. Errors name the variable and where it was
 * used, never the value.
 */
import { McpClientError } from "../errors.js";
import { ConfigInvalidError, describeZodIssues, formatIssuePath } from "./issues.js";
import { ENV_REFERENCE, ServerSourceSchema } from "./schema.js";
import type { ServerDefinition, ServerSource } from "./schema.js";

/**
 * Returns a copy of `definition` with every `${env:NAME}` replaced by the variable's
 * value in the strings that reach the connection: the source's `url`, `headers` values,
 * `command`, `args`, `work_dir` and `env` values, and `bearer_token`. Replacement is one
 * pass: a value that itself contains `${env:…}` is used as is. A variable set to the
 * empty string counts as set. `definition` is not changed.
 * @param env where variables are looked up; defaults to `process.env`.
 * @throws McpClientError `env_missing` (with `serverId`) naming every unset variable and
 *   where it is used.
 * @throws ConfigInvalidError (`config_invalid`, with `serverId`) when a resolved value is
 *   no longer valid, e.g. `${env:URL}` that is not an http(s) URL.
 */
export function resolveServerEnv(
  definition: ServerDefinition,
  env: NodeJS.ProcessEnv = process.env,
): ServerDefinition {
  const serverId = definition.id;
  const missing: string[] = [];
  const resolve = (value: string, path: PropertyKey[]): string =>
    // A fresh RegExp: ENV_REFERENCE is global, and sharing its lastIndex is a trap.
    value.replace(new RegExp(ENV_REFERENCE.source, "g"), (reference: string, name: string) => {
      const resolved = env[name];
      if (resolved !== undefined) return resolved;
      missing.push(`${formatIssuePath(["servers", serverId, ...path])} refers to ${reference}, which is not set`);
      return reference;
    });
  const resolveMap = (map: Record<string, string>, path: PropertyKey[]) =>
    Object.fromEntries(Object.entries(map).map(([key, value]) => [key, resolve(value, [...path, key])]));

  const source = resolveSource(definition.source, resolve, resolveMap);
  const resolved: ServerDefinition = { ...definition, source };
  if (definition.bearer_token !== undefined) resolved.bearer_token = resolve(definition.bearer_token, ["bearer_token"]);

  if (missing.length > 0) {
    throw new McpClientError("env_missing", `server ${JSON.stringify(serverId)}: ${missing.join("; ")}`, { serverId });
  }
  checkResolvedSource(definition, resolved);
  return resolved;
}

type Resolve = (value: string, path: PropertyKey[]) => string;
type ResolveMap = (map: Record<string, string>, path: PropertyKey[]) => Record<string, string>;

function resolveSource(source: ServerSource, resolve: Resolve, resolveMap: ResolveMap): ServerSource {
  if (source.type === "Process") {
    const resolved = {
      ...source,
      command: resolve(source.command, ["source", "command"]),
      args: source.args.map((arg, index) => resolve(arg, ["source", "args", index])),
      env: resolveMap(source.env, ["source", "env"]),
    };
    if (source.work_dir !== undefined) resolved.work_dir = resolve(source.work_dir, ["source", "work_dir"]);
    return resolved;
  }
  const resolved = { ...source, url: resolve(source.url, ["source", "url"]) };
  if (source.headers !== undefined) resolved.headers = resolveMap(source.headers, ["source", "headers"]);
  return resolved;
}

/**
 * The schema lets `${env:…}` stand in for a URL and checks it only once resolved; this
 * is that check. Issue messages come from the schema and never quote the value.
 */
function checkResolvedSource(original: ServerDefinition, resolved: ServerDefinition): void {
  const checked = ServerSourceSchema.safeParse(resolved.source, { reportInput: true });
  if (checked.success) return;
  const issues = checked.error.issues.flatMap((issue) => {
    const field = issue.path[0];
    const before = typeof field === "string" ? (original.source as Record<string, unknown>)[field] : undefined;
    const references = typeof before === "string" ? before.match(new RegExp(ENV_REFERENCE.source, "g")) : null;
    const note = references ? ` (after resolving ${references.join(", ")})` : "";
    const described = describeZodIssues([issue], (path) => ["servers", original.id, "source", ...path]);
    return described.map(({ path, message }) => ({ path, message: `${message}${note}` }));
  });
  throw new ConfigInvalidError(issues, `server ${JSON.stringify(original.id)}`, { serverId: original.id });
}
