import { describe, expect, it } from "vitest";
import { exportMcpServers, importMcpServers, importMcpServersText } from "./mcp-servers.js";
import type { McpServersImportResult } from "./mcp-servers.js";
import type { ServerDefinition } from "./schema.js";

/** A claude_desktop_config.json as people write it, with the app's own settings beside. */
const CLAUDE_DESKTOP = {
  globalShortcut: "Ctrl+Space",
  mcpServers: {
    filesystem: {
      command: "npx",
      args: ["-y", "@modelcontextprotocol/server-filesystem", "/Users/ada/Desktop"],
    },
    github: {
      command: "docker",
      args: ["run", "-i", "--rm", "ghcr.io/github/github-mcp-server"],
      env: { GITHUB_PERSONAL_ACCESS_TOKEN: "${env:GITHUB_TOKEN}" },
      cwd: "/Users/ada",
    },
    "brave search": { url: "https://brave.example.com/mcp", headers: { Authorization: "Bearer abc123", "X-Team": "core" } },
    live: { url: "wss://live.example.com/mcp" },
    legacy: { type: "sse", url: "http://localhost:8080/sse", disabled: true },
  },
};

function servers(result: McpServersImportResult): ServerDefinition[] {
  if (!result.ok) throw new Error(`expected the import to succeed: ${JSON.stringify(result.issues)}`);
  return result.servers;
}

function issueLines(result: McpServersImportResult): string[] {
  if (result.ok) throw new Error("expected the import to be rejected");
  return result.issues.map((issue) => `${issue.path}: ${issue.message}`);
}

describe("importMcpServers", () => {
  it("maps command entries to Process servers and url entries to Http or WebSocket", () => {
    expect(servers(importMcpServers(CLAUDE_DESKTOP))).toEqual([
      {
        id: "filesystem",
        source: { type: "Process", command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem", "/Users/ada/Desktop"], env: {} },
        enabled: true,
        resources: [],
      },
      {
        id: "github",
        source: {
          type: "Process",
          command: "docker",
          args: ["run", "-i", "--rm", "ghcr.io/github/github-mcp-server"],
          env: { GITHUB_PERSONAL_ACCESS_TOKEN: "${env:GITHUB_TOKEN}" },
          work_dir: "/Users/ada",
        },
        enabled: true,
        resources: [],
      },
      {
        id: "brave_search",
        name: "brave search",
        source: { type: "Http", url: "https://brave.example.com/mcp", headers: { "X-Team": "core" } },
        bearer_token: "abc123",
        enabled: true,
        resources: [],
      },
      { id: "live", source: { type: "WebSocket", url: "wss://live.example.com/mcp" }, enabled: true, resources: [] },
      { id: "legacy", source: { type: "Http", url: "http://localhost:8080/sse" }, enabled: false, resources: [] },
    ]);
  });

  it("makes ids safe and unique, deterministically", () => {
    const entry = { command: "x" };
    const result = importMcpServers(
      { mcpServers: { "a b": entry, a_b: entry, "@scope/server": entry, "!!!": entry, taken: entry } },
      { takenIds: ["taken"] },
    );
    expect(servers(result).map(({ id, name }) => [id, name])).toEqual([
      ["a_b", "a b"],
      ["a_b_2", "a_b"],
      ["scope_server", "@scope/server"],
      ["server", "!!!"],
      ["taken_2", "taken"],
    ]);
  });

  it("warns about keys Hearth ignores", () => {
    const result = importMcpServers({ mcpServers: { x: { command: "x", autoApprove: ["read"], type: "stdio" } } });
    expect(result.ok && result.warnings).toEqual([{ path: "mcpServers.x.autoApprove", message: "ignored; Hearth has no such setting" }]);
  });

  it("reports each mistake at its path in the mcpServers file", () => {
    const result = importMcpServers({
      mcpServers: {
        github: { command: 5 },
        files: { command: "npx", args: "-y server", env: { TOKEN: 1 } },
        empty: {},
        both: { command: "x", url: "http://x" },
        notUrl: { url: "//example.com/mcp" },
        wrongProtocol: { type: "ws", url: "https://x" },
        oddType: { url: "https://x", type: "grpc" },
        stdioUrl: { url: "https://x", type: "stdio" },
        plain: "npx server",
      },
    });
    expect(issueLines(result)).toEqual([
      "mcpServers.github.command: expected a string, got 5",
      "mcpServers.files.args: expected a list, got a string",
      "mcpServers.files.env.TOKEN: expected a string, got 1",
      'mcpServers.empty: needs "command" (a program to start) or "url" (a server to connect to)',
      'mcpServers.both: has both "command" and "url"; a server is either a program to start or a URL to connect to',
      "mcpServers.notUrl.url: not a URL",
      "mcpServers.wrongProtocol.url: must start with ws:// or wss://",
      'mcpServers.oddType.type: unknown type "grpc"; expected stdio, http, sse, streamable-http, ws',
      'mcpServers.stdioUrl.type: type "stdio" needs a "command"',
      'mcpServers.plain: expected an object with "command" or "url"',
    ]);
  });

  it("requires the mcpServers object", () => {
    expect(issueLines(importMcpServers({ servers: [] }))).toEqual(["mcpServers: required"]);
    expect(issueLines(importMcpServers([]))).toEqual(["(root): expected an object"]);
  });

  it("reports JSON syntax errors in text with line and column", () => {
    const text = '{\n  "mcpServers": {\n    "x": {"command": "npx",}\n  }\n}';
    expect(issueLines(importMcpServersText(text))).toEqual([
      "(root): invalid JSON at line 3, column 28: expected a property name (JSON allows no comma before '}'), found \"}\"",
    ]);
  });
});

describe("exportMcpServers", () => {
  const definitions = servers(importMcpServers(CLAUDE_DESKTOP));

  it("writes the format back, leaving disabled servers out", () => {
    expect(exportMcpServers({ servers: definitions })).toEqual({
      mcpServers: {
        filesystem: CLAUDE_DESKTOP.mcpServers.filesystem,
        github: CLAUDE_DESKTOP.mcpServers.github,
        "brave search": {
          type: "http",
          url: "https://brave.example.com/mcp",
          headers: { "X-Team": "core", Authorization: "Bearer abc123" },
        },
        live: { type: "ws", url: "wss://live.example.com/mcp" },
      },
    });
  });

  it("marks disabled servers when asked to include them", () => {
    const exported = exportMcpServers({ servers: definitions }, { includeDisabled: true });
    expect(exported.mcpServers.legacy).toEqual({ type: "http", url: "http://localhost:8080/sse", disabled: true });
  });

  it("falls back to the id when two servers share a name", () => {
    const source = { type: "Process" as const, command: "x", args: [], env: {} };
    const twins: ServerDefinition[] = [
      { id: "one", name: "Twin", source, enabled: true, resources: [] },
      { id: "two", name: "Twin", source, enabled: true, resources: [] },
    ];
    expect(Object.keys(exportMcpServers({ servers: twins }).mcpServers)).toEqual(["Twin", "two"]);
  });

  it("round-trips: import, export, import gives the same definitions", () => {
    const again = servers(importMcpServers(exportMcpServers({ servers: definitions }, { includeDisabled: true })));
    expect(again).toEqual(definitions);
    const enabledOnly = servers(importMcpServers(exportMcpServers({ servers: definitions })));
    expect(enabledOnly).toEqual(definitions.filter((definition) => definition.enabled));
  });
});
