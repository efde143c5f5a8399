import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { McpClientError } from "../errors.js";
import { ConfigInvalidError, formatConfigIssues, formatIssuePath, type ConfigIssue } from "./issues.js";
import { McpConfigFile, parseMcpConfig, parseMcpConfigText, readMcpConfigFile, type ConfigResult } from "./load.js";

const processServer = (id: string) => ({ id, source: { type: "Process" as const, command: "npx", args: ["server"] } });

/** The issues of a result that must be invalid, as `path: message` lines. */
function issueLines(result: ConfigResult): string[] {
  if (result.ok) throw new Error("expected the config to be rejected");
  return result.issues.map((issue: ConfigIssue) => `${issue.path}: ${issue.message}`);
}

describe("parseMcpConfig", () => {
  it("applies the defaults a user may leave out", () => {
    const result = parseMcpConfig({ servers: [processServer("files")] });
    expect(result).toEqual({
      ok: true,
      config: {
        servers: [
          {
            id: "files",
            source: { type: "Process", command: "npx", args: ["server"], env: {} },
            enabled: true,
            resources: [],
          },
        ],
        auto_register_tools: true,
        tool_timeout_secs: 30,
        max_concurrent_calls: 10,
      },
    });
  });

  it("accepts an empty object as a config with no servers", () => {
    const result = parseMcpConfig({});
    expect(result.ok && result.config.servers).toEqual([]);
  });

  it.each([
    ["a URL that is not one", { type: "Http", url: "my server" }, "servers[0].source.url: not a URL"],
    ["a URL without its scheme", { type: "Http", url: "localhost:3000" }, "servers[0].source.url: must start with http:// or https://"],
    ["an Http source with a ws:// URL", { type: "Http", url: "ws://localhost" }, "servers[0].source.url: must start with http:// or https://"],
    ["a WebSocket source with an http:// URL", { type: "WebSocket", url: "http://localhost" }, "servers[0].source.url: must start with ws:// or wss://"],
    ["an unknown source type", { type: "Ftp", url: "ftp://x" }, 'servers[0].source.type: unknown source type "Ftp"; expected Http, WebSocket or Process'],
    ["a source without a type", { url: "http://x" }, "servers[0].source.type: required; expected Http, WebSocket or Process"],
    ["an empty command", { type: "Process", command: "" }, "servers[0].source.command: must not be empty"],
  ])("reports %s at its path", (_, source, line) => {
    expect(issueLines(parseMcpConfig({ servers: [{ id: "x", source }] }))).toEqual([line]);
  });

  it("reports a missing id as required", () => {
    const result = parseMcpConfig({ servers: [{ source: { type: "Process", command: "x" } }] });
    expect(issueLines(result)).toEqual(["servers[0].id: required"]);
  });

  it("reports duplicate ids at the later server, naming the first", () => {
    const result = parseMcpConfig({ servers: [processServer("git"), processServer("files"), processServer("git")] });
    expect(issueLines(result)).toEqual(['servers[2].id: duplicate id "git" (also servers[0])']);
  });

  it("reports an unknown key and suggests the key that was meant", () => {
    const server = { ...processServer("x"), source: { type: "Http", url: "https://x" }, bearer_tokn: "t" };
    expect(issueLines(parseMcpConfig({ servers: [server] }))).toEqual([
      'servers[0]: unknown key "bearer_tokn"; did you mean "bearer_token"?',
    ]);
    expect(issueLines(parseMcpConfig({ colour: "red" }))).toEqual(['(root): unknown key "colour"']);
  });

  it("points a pasted Claude Desktop config at the import", () => {
    expect(issueLines(parseMcpConfig({ mcpServers: {} }))[0]).toMatch(/^\(root\): unknown key "mcpServers"; .*import/);
  });

  it("reports a wrong type of tool_timeout_secs", () => {
    expect(issueLines(parseMcpConfig({ tool_timeout_secs: "30" }))).toEqual([
      "tool_timeout_secs: expected a number, got a string (write it without quotes)",
    ]);
    expect(issueLines(parseMcpConfig({ tool_timeout_secs: 0 }))).toEqual(["tool_timeout_secs: must be greater than 0, got 0"]);
    expect(issueLines(parseMcpConfig({ max_concurrent_calls: 2.5 }))).toEqual([
      "max_concurrent_calls: expected a whole number, got 2.5",
    ]);
  });

  it("rejects bearer_token on a Process server", () => {
    const result = parseMcpConfig({ servers: [{ ...processServer("x"), bearer_token: "t" }] });
    expect(issueLines(result)).toEqual([
      "servers[0].bearer_token: only for Http and WebSocket servers; give a Process server its secrets through source.env",
    ]);
  });

  it("lists every mistake at once, top-level first, then by server", () => {
    const result = parseMcpConfig({
      servers: [
        { source: { type: "Http", url: "nope" } },
        { id: "a", source: { type: "Ftp" } },
        { id: "a", source: { type: "Process", command: "x" }, enabled: "yes", extra: 1 },
      ],
      tool_timeout_secs: "30",
    });
    expect(issueLines(result)).toEqual([
      "tool_timeout_secs: expected a number, got a string (write it without quotes)",
      "servers[0].id: required",
      "servers[0].source.url: not a URL",
      'servers[1].source.type: unknown source type "Ftp"; expected Http, WebSocket or Process',
      "servers[2].enabled: expected true or false, got a string",
      'servers[2]: unknown key "extra"',
      'servers[2].id: duplicate id "a" (also servers[1])',
    ]);
  });

  it("never quotes a string value, which may be a secret", () => {
    const result = parseMcpConfig({ servers: [{ ...processServer("x"), source: { type: "Process", command: "x", env: "SECRET=hunter2" } }] });
    expect(issueLines(result)).toEqual(["servers[0].source.env: expected an object, got a string"]);
  });
});

describe("parseMcpConfigText", () => {
  it("names the line and column of a JSON syntax error", () => {
    const text = '{\n  "servers": [],\n  "tool_timeout_secs": 30,\n}\n';
    expect(issueLines(parseMcpConfigText(text, "mcp.json"))).toEqual([
      "(root): invalid JSON in mcp.json at line 4, column 1: expected a property name (JSON allows no comma before '}'), found \"}\"",
    ]);
  });

  it("locates errors that the engine reports without a position, and does not quote the text", () => {
    const text = '{"servers": [\n  {"id": "x", "bearer_token": hunter2}\n]}';
    const [line] = issueLines(parseMcpConfigText(text));
    expect(line).toBe('(root): invalid JSON at line 2, column 31: expected a value, found "h"');
    expect(line).not.toContain("hunter2");
  });

  it("reports an empty file", () => {
    expect(issueLines(parseMcpConfigText("  \n", "mcp.json"))).toEqual(["(root): mcp.json is empty; expected a JSON object"]);
  });

  it("ignores a byte-order mark", () => {
    expect(parseMcpConfigText('\uFEFF{"servers": []}').ok).toBe(true);
  });
});

describe("formatting", () => {
  it("writes one line per issue and paths as people read them", () => {
    expect(formatConfigIssues([{ path: "a", message: "b" }, { path: "c", message: "d" }])).toBe("a: b\nc: d");
    expect(formatIssuePath([])).toBe("(root)");
    expect(formatIssuePath(["servers", 1, "source", "env", "MY VAR"])).toBe('servers[1].source.env["MY VAR"]');
  });
});

describe("config files", () => {
  let folder: string;
  let path: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), "hearth-config-"));
    path = join(folder, "mcp-config.json");
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it("reports a missing file as config_io naming the path", async () => {
    const error = await readMcpConfigFile(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpClientError);
    expect(error).toMatchObject({ code: "config_io" });
    expect((error as Error).message).toContain(path);
  });

  it("refuses to open an invalid file, with the issues on the error", async () => {
    await writeFile(path, JSON.stringify({ servers: [{ id: "x", source: { type: "Ftp" } }] }));
    const error = await McpConfigFile.open(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigInvalidError);
    expect(error).toBeInstanceOf(McpClientError);
    expect(error).toMatchObject({
      code: "config_invalid",
      issues: [{ path: "servers[0].source.type", message: 'unknown source type "Ftp"; expected Http, WebSocket or Process' }],
    });
    expect((error as Error).message).toBe(
      `${path} is invalid: servers[0].source.type: unknown source type "Ftp"; expected Http, WebSocket or Process`,
    );
  });

  it("keeps the previous good config when a reload finds an invalid file", async () => {
    await writeFile(path, JSON.stringify({ servers: [processServer("files")] }));
    const file = await McpConfigFile.open(path);
    await writeFile(path, '{"servers": [}');
    const result = await file.reload();
    expect(issueLines(result)).toEqual(['(root): invalid JSON in ' + path + ' at line 1, column 14: expected a value, found "}"']);
    expect(file.current.servers.map((server) => server.id)).toEqual(["files"]);

    await writeFile(path, JSON.stringify({ servers: [processServer("git")] }));
    expect((await file.reload()).ok).toBe(true);
    expect(file.current.servers.map((server) => server.id)).toEqual(["git"]);
  });

  it("saves a valid config atomically, keeping the old file as .bak", async () => {
    const original = JSON.stringify({ servers: [processServer("files")] });
    await writeFile(path, original);
    const file = await McpConfigFile.open(path);
    const saved = await file.save({ servers: [processServer("git")], tool_timeout_secs: 60 });
    expect(saved.tool_timeout_secs).toBe(60);
    expect(file.current).toBe(saved);
    const written = await readFile(path, "utf8");
    expect(written).toBe(`${JSON.stringify({ servers: [processServer("git")], tool_timeout_secs: 60 }, null, 2)}\n`);
    expect(await readFile(`${path}.bak`, "utf8")).toBe(original);
  });

  it("does not touch the file when asked to save an invalid config", async () => {
    const original = JSON.stringify({ servers: [processServer("files")] });
    await writeFile(path, original);
    const file = await McpConfigFile.open(path);
    const invalid = { servers: [processServer("a"), processServer("a")] };
    await expect(file.save(invalid)).rejects.toMatchObject({
      code: "config_invalid",
      issues: [{ path: "servers[1].id", message: 'duplicate id "a" (also servers[0])' }],
    });
    expect(await readFile(path, "utf8")).toBe(original);
    expect(await readdir(folder)).toEqual(["mcp-config.json"]);
    expect(file.current.servers[0]?.id).toBe("files");
  });
});
