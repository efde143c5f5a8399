import { afterEach, describe, expect, it } from "vitest";
import { McpClientError } from "../errors.js";
import { resolveServerEnv } from "./env.js";
import { ConfigInvalidError } from "./issues.js";
import { ServerDefinitionSchema } from "./schema.js";
import type { ServerDefinition, ServerDefinitionInput } from "./schema.js";

const SECRET = "ghp_s3cr3t-value";
const define = (input: ServerDefinitionInput): ServerDefinition => ServerDefinitionSchema.parse(input);

/** The error `action` throws; fails the test when it throws nothing. */
function thrownBy(action: () => unknown): McpClientError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(McpClientError);
    return error as McpClientError;
  }
  throw new Error("expected an error");
}

describe("resolveServerEnv", () => {
  it("resolves the url, header values and bearer_token of an Http server", () => {
    const definition = define({
      id: "github",
      source: {
        type: "Http",
        url: "https://${env:HOST}/mcp?team=${env:TEAM}",
        headers: { "X-Team": "${env:TEAM}", "${env:TEAM}": "keys are left alone" },
      },
      bearer_token: "${env:GITHUB_TOKEN}",
    });
    const env = { HOST: "api.example.com", TEAM: "core", GITHUB_TOKEN: SECRET };
    expect(resolveServerEnv(definition, env)).toEqual({
      ...definition,
      source: {
        type: "Http",
        url: "https://api.example.com/mcp?team=core",
        headers: { "X-Team": "core", "${env:TEAM}": "keys are left alone" },
      },
      bearer_token: SECRET,
    });
    expect(definition.bearer_token).toBe("${env:GITHUB_TOKEN}");
  });

  it("resolves a WebSocket URL that is a reference as a whole", () => {
    const definition = define({ id: "live", source: { type: "WebSocket", url: "${env:LIVE_URL}" } });
    const resolved = resolveServerEnv(definition, { LIVE_URL: "wss://live.example.com/mcp" });
    expect(resolved.source).toEqual({ type: "WebSocket", url: "wss://live.example.com/mcp" });
  });

  it("resolves the command, args, work_dir and env values of a Process server", () => {
    const definition = define({
      id: "files",
      source: {
        type: "Process",
        command: "${env:NODE_BIN}",
        args: ["--root", "${env:HOME}/notes", "plain"],
        work_dir: "${env:HOME}",
        env: { API_KEY: "${env:FILES_KEY}", MODE: "fixed" },
      },
    });
    const env = { NODE_BIN: "/usr/bin/node", HOME: "/home/ada", FILES_KEY: SECRET };
    expect(resolveServerEnv(definition, env).source).toEqual({
      type: "Process",
      command: "/usr/bin/node",
      args: ["--root", "/home/ada/notes", "plain"],
      work_dir: "/home/ada",
      env: { API_KEY: SECRET, MODE: "fixed" },
    });
  });

  it("counts an empty variable as set and does not resolve references inside values", () => {
    const definition = define({ id: "x", source: { type: "Process", command: "run", args: ["${env:EMPTY}", "${env:NESTED}"] } });
    const resolved = resolveServerEnv(definition, { EMPTY: "", NESTED: "${env:OTHER}" });
    expect(resolved.source.type === "Process" && resolved.source.args).toEqual(["", "${env:OTHER}"]);
  });

  describe("with process.env", () => {
    afterEach(() => {
      delete process.env.HEARTH_TEST_COMMAND;
    });
    it("reads process.env by default", () => {
      process.env.HEARTH_TEST_COMMAND = "from-process-env";
      const definition = define({ id: "x", source: { type: "Process", command: "${env:HEARTH_TEST_COMMAND}" } });
      expect(resolveServerEnv(definition).source).toMatchObject({ command: "from-process-env" });
    });
  });

  it("names the missing variable and where it is used", () => {
    const definition = define({ id: "github", source: { type: "Http", url: "https://x" }, bearer_token: "${env:GITHUB_TOKEN}" });
    const error = thrownBy(() => resolveServerEnv(definition, {}));
    expect(error.code).toBe("env_missing");
    expect(error.serverId).toBe("github");
    expect(error.message).toBe('server "github": servers.github.bearer_token refers to ${env:GITHUB_TOKEN}, which is not set');
  });

  it("lists every missing variable, and never the value of one that is set", () => {
    const definition = define({
      id: "files",
      source: { type: "Process", command: "run", args: ["${env:A}"], env: { KEY: "${env:SECRET_KEY}", B: "${env:B}" } },
    });
    const error = thrownBy(() => resolveServerEnv(definition, { SECRET_KEY: SECRET }));
    expect(error.message).toBe(
      'server "files": servers.files.source.args[0] refers to ${env:A}, which is not set; ' +
        "servers.files.source.env.B refers to ${env:B}, which is not set",
    );
    expect(error.message).not.toContain(SECRET);
  });

  it("re-validates a URL once resolved, without showing it", () => {
    const definition = define({ id: "api", source: { type: "Http", url: "${env:API_URL}" } });
    const secretUrl = `ftp://user:${SECRET}@example.com`;
    const error = thrownBy(() => resolveServerEnv(definition, { API_URL: secretUrl }));
    expect(error).toBeInstanceOf(ConfigInvalidError);
    expect(error.code).toBe("config_invalid");
    expect(error.serverId).toBe("api");
    expect((error as ConfigInvalidError).issues).toEqual([
      { path: "servers.api.source.url", message: "must start with http:// or https:// (after resolving ${env:API_URL})" },
    ]);
    expect(error.message).toContain('server "api" is invalid');
    expect(error.message).not.toContain(SECRET);
  });

  it("rejects an http URL resolved into a WebSocket source", () => {
    const definition = define({ id: "live", source: { type: "WebSocket", url: "${env:LIVE_URL}" } });
    const error = thrownBy(() => resolveServerEnv(definition, { LIVE_URL: "https://live.example.com" }));
    expect((error as ConfigInvalidError).issues[0]?.message).toMatch(/^must start with ws:\/\/ or wss:\/\//);
  });
});
