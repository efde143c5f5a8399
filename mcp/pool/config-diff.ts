/**
 * What applying a new config changes: only servers whose definition changed are
 * restarted, so editing one server never interrupts the others.
 */
import type { McpConfig, ServerDefinition } from "../config/schema.js";

export interface ConfigDiff {
  /** Enabled in the new config, absent or disabled before. */
  added: ServerDefinition[];
  /** Enabled before, absent or disabled now. */
  removed: string[];
  /** Enabled in both, with a different definition. */
  changed: ServerDefinition[];
  /** Enabled in both, the same. */
  unchanged: string[];
}

/** Compares the enabled servers of two configs by id. */
export function diffConfigs(previous: McpConfig | undefined, next: McpConfig): ConfigDiff {
  const before = new Map((previous?.servers ?? []).filter((server) => server.enabled).map((server) => [server.id, server]));
  const diff: ConfigDiff = { added: [], removed: [], changed: [], unchanged: [] };
  const seen = new Set<string>();
  for (const server of next.servers) {
    if (!server.enabled) continue;
    seen.add(server.id);
    const old = before.get(server.id);
    if (!old) diff.added.push(server);
    else if (stableJson(old) !== stableJson(server)) diff.changed.push(server);
    else diff.unchanged.push(server.id);
  }
  for (const id of before.keys()) if (!seen.has(id)) diff.removed.push(id);
  return diff;
}

/** JSON with object keys sorted, so key order does not count as a change. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
