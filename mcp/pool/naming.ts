/**
 * How discovered tools are named for the model. A tool is exposed as
 * `<tool_prefix>_<name>` when the server has a prefix, else `<name>`, made to fit what
 * model APIs accept: at most 64 characters of `[a-zA-Z0-9_-]`.
 *
 * Names are assigned over all servers in config order, so the result does not depend on
 * which server happened to connect first; a collision is resolved by suffixing the later
 * server's id and is reported, never a silent overwrite.
 */
import { createHash } from "node:crypto";

/** Longest tool name OpenAI-style function calling accepts. */
export const MAX_TOOL_NAME_LENGTH = 64;

/** Replaces disallowed characters and shortens to 64 characters, keeping names distinct with a hash. */
export function safeToolName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_-]/g, "_") || "_";
  if (cleaned.length <= MAX_TOOL_NAME_LENGTH) return cleaned;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${cleaned.slice(0, MAX_TOOL_NAME_LENGTH - hash.length - 1)}_${hash}`;
}

/** The exposed name of `toolName` on a server with `prefix` (before collisions are resolved). */
export function exposedToolName(toolName: string, prefix?: string): string {
  return safeToolName(prefix ? `${prefix}_${toolName}` : toolName);
}

/** One server's tools, in the order the names are assigned. */
export interface NamingInput {
  serverId: string;
  prefix?: string;
  toolNames: readonly string[];
}

/** A name wanted by two tools: the later one was renamed. */
export interface NameCollision {
  /** The name both wanted. */
  name: string;
  /** The server that kept `name` (earlier in the config). */
  keptBy: string;
  /** The server whose tool was renamed. */
  serverId: string;
  toolName: string;
  renamedTo: string;
}

export interface NamingResult {
  /** `serverId` -> original tool name -> exposed name. */
  names: Map<string, Map<string, string>>;
  collisions: NameCollision[];
}

/** Assigns a unique exposed name to every tool of every server, in input order. */
export function assignToolNames(servers: readonly NamingInput[]): NamingResult {
  const owner = new Map<string, string>();
  const names = new Map<string, Map<string, string>>();
  const collisions: NameCollision[] = [];
  for (const server of servers) {
    const serverNames = new Map<string, string>();
    names.set(server.serverId, serverNames);
    for (const toolName of server.toolNames) {
      const wanted = exposedToolName(toolName, server.prefix);
      let name = wanted;
      if (owner.has(name)) {
        name = safeToolName(`${wanted}_${server.serverId}`);
        for (let suffix = 2; owner.has(name); suffix++) {
          name = safeToolName(`${wanted}_${server.serverId}_${suffix}`);
        }
        collisions.push({ name: wanted, keptBy: owner.get(wanted)!, serverId: server.serverId, toolName, renamedTo: name });
      }
      owner.set(name, server.serverId);
      serverNames.set(toolName, name);
    }
  }
  return { names, collisions };
}
