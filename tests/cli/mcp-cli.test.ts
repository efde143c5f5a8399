/**
 * `hearth mcp check|tools|call`, run as a user runs them: the real bin in a child process,
 * against server-everything, with exit codes and printed output asserted.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { everythingProcessSource } from "../fixtures/everything-server.js";
import { processMarker, processesWith, waitForNoProcessesWith } from "../fixtures/processes.js";

const bin = fileURLToPath(new URL("../../bin/hearth.js", import.meta.url));
let folder: string;

function hearth(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

async function configFile(name: string, content: unknown): Promise<string> {
  const path = join(folder, name);
  await writeFile(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "hearth-cli-"));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe("hearth mcp", () => {
  it("check prints a row per server and exits 1 when one failed", async () => {
    const path = await configFile("mixed.json", {
      servers: [
        { id: "everything", source: everythingProcessSource() },
        { id: "broken", source: { type: "Process", command: "hearth-no-such-command" } },
        { id: "off", enabled: false, source: { type: "Process", command: "whatever" } },
      ],
    });
    const { code, stdout } = await hearth("mcp", "check", "--mcp-config", path);
    expect(code).toBe(1);
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^ID\s+TRANSPORT\s+STATE\s+TOOLS\s+ERROR$/);
    expect(lines[1]).toMatch(/^everything\s+Process \(process\)\s+running\s+\d{2}/);
    expect(lines[2]).toMatch(/^broken\s+Process\s+error\s+-\s+.*command not found: "hearth-no-such-command"/);
    expect(lines[3]).toMatch(/^off\s+Process\s+disabled/);
  });

  it("check exits 0 when every server runs", async () => {
    const path = await configFile("good.json", { servers: [{ id: "everything", source: everythingProcessSource() }] });
    expect((await hearth("mcp", "check", "--mcp-config", path)).code).toBe(0);
  });

  it("rejects an invalid config with every problem and its path, exit code 2", async () => {
    const path = await configFile("invalid.json", {
      servers: [
        { id: "a", source: { type: "Http", url: "not a url" } },
        { id: "a", source: { type: "Ftp" } },
      ],
    });
    const { code, stderr } = await hearth("mcp", "check", "--mcp-config", path);
    expect(code).toBe(2);
    expect(stderr).toContain("servers[0].source.url: not a URL");
    expect(stderr).toMatch(/servers\[1\]\.source\.type: .*Ftp/);
    expect(stderr).toMatch(/servers\[1\]\.id: duplicate id "a"/);
  });

  it("tools --json lists exposed names with their server and input schema", async () => {
    const path = await configFile("prefixed.json", { servers: [{ id: "everything", tool_prefix: "ev", source: everythingProcessSource() }] });
    const { code, stdout } = await hearth("mcp", "tools", "--mcp-config", path, "--json");
    expect(code).toBe(0);
    const tools = JSON.parse(stdout) as Array<{ name: string; server: string; tool: string; inputSchema: { properties?: object } }>;
    const sum = tools.find((tool) => tool.name === "ev_get-sum");
    expect(sum).toMatchObject({ server: "everything", tool: "get-sum", inputSchema: { properties: { a: { type: "number" }, b: { type: "number" } } } });
    const table = await hearth("mcp", "tools", "--mcp-config", path);
    expect(table.stdout).toMatch(/ev_get-sum\s+everything\s+a: number, b: number/);
  });

  it("call prints the result, and exits non-zero when the call fails", async () => {
    const path = await configFile("call.json", { servers: [{ id: "everything", source: everythingProcessSource() }] });
    const echo = await hearth("mcp", "call", "echo", "--args", '{"message":"hi there"}', "--mcp-config", path);
    expect(echo).toMatchObject({ code: 0, stdout: "Echo: hi there\n" });
    const json = await hearth("mcp", "call", "get-sum", "--args", '{"a":1,"b":2}', "--mcp-config", path, "--json");
    expect(JSON.parse(json.stdout)).toMatchObject({ serverId: "everything", toolName: "get-sum", result: { content: [{ type: "text" }] } });
    const unknown = await hearth("mcp", "call", "nope", "--mcp-config", path);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no tool is named "nope"');
    const badArgs = await hearth("mcp", "call", "echo", "--args", "[1]", "--mcp-config", path);
    expect(badArgs.code).toBe(2);
    const invalid = await hearth("mcp", "call", "get-sum", "--args", '{"a":"x"}', "--mcp-config", path);
    expect(invalid.code).toBe(1);
  });

  it("Ctrl-C cancels the call, stops the servers and exits 130", async () => {
    const marker = processMarker();
    const hang = fileURLToPath(new URL("../fixtures/servers/hang.mjs", import.meta.url));
    const called = join(folder, "wait-called");
    const path = await configFile("hang.json", {
      servers: [{ id: "stuck", source: { type: "Process", command: process.execPath, args: [hang, "--hang-on-call", marker], env: { HANG_CALLED_FILE: called } } }],
    });
    const child = spawn(process.execPath, [bin, "mcp", "call", "wait", "--mcp-config", path], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    // Wait until the call is in flight at the server, then press Ctrl-C.
    const deadline = Date.now() + 20_000;
    while (!existsSync(called) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(processesWith(marker)).toHaveLength(1);
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stderr).toContain('tool "wait" on server "stuck" was cancelled');
    expect(await waitForNoProcessesWith(marker)).toEqual([]);
  });
});
