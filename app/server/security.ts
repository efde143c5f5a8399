/**
 * What keeps the headless server from being used by anyone but its user: it binds
 * loopback unless told otherwise, and then only with an API key; Host and Origin are
 * checked so a web page cannot reach it through DNS rebinding; the key is compared in
 * constant time and never logged.
 */
import { timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";

/** Whether `host` is a loopback address or name. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (bare === "localhost" || bare === "::1") return true;
  return isIP(bare) === 4 && bare.startsWith("127.");
}

/** Why the server must not bind `host` without a key; undefined when it may. */
export function bindingProblem(host: string, apiKey: string | undefined): string | undefined {
  if (isLoopbackHost(host) || (apiKey !== undefined && apiKey !== "")) return undefined;
  return `refusing to listen on ${host} without an API key: anyone who can reach this machine could use the model and its tools. Give --api-key KEY (or HEARTH_API_KEY), or keep the default --host 127.0.0.1`;
}

/** The Host header values the server answers to: its own address and, on loopback, the loopback names; with the port. */
export function allowedHosts(host: string, port: number): Set<string> {
  const names = new Set([host.toLowerCase()]);
  if (isLoopbackHost(host)) for (const name of ["localhost", "127.0.0.1", "[::1]"]) names.add(name);
  const hosts = new Set<string>();
  for (const name of names) {
    const shown = name.includes(":") && !name.startsWith("[") ? `[${name}]` : name;
    hosts.add(`${shown}:${port}`);
    if (port === 80) hosts.add(shown);
  }
  return hosts;
}

/**
 * Whether a request's Host (and Origin, when a browser sends one) name this server. A
 * server bound to every interface (0.0.0.0, ::) cannot know its names: it answers any Host
 * (it has an API key then), but still refuses cross-site Origins.
 */
export function requestOriginProblem(headers: { host?: string; origin?: string }, host: string, port: number): string | undefined {
  const anyInterface = host === "0.0.0.0" || host === "::";
  const allowed = allowedHosts(host, port);
  const hostHeader = headers.host?.toLowerCase();
  if (!anyInterface && (hostHeader === undefined || !allowed.has(hostHeader))) return `Host "${headers.host ?? ""}" is not this server`;
  if (headers.origin !== undefined && headers.origin !== "null") {
    let originHost: string;
    try {
      originHost = new URL(headers.origin).host.toLowerCase();
    } catch {
      return `Origin "${headers.origin}" is not a URL`;
    }
    if (anyInterface ? originHost !== hostHeader : !allowed.has(originHost)) return `Origin "${headers.origin}" may not call this server`;
  }
  return undefined;
}

/** Whether `authorization` carries `apiKey` as a bearer token (constant time). */
export function apiKeyMatches(authorization: string | undefined, apiKey: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? "");
  if (!match) return false;
  const given = Buffer.from(match[1]!.trim());
  const expected = Buffer.from(apiKey);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
