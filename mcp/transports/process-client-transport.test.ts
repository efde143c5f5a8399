import { describe, it, expect, afterEach } from "vitest";
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { McpClientError } from "../errors.js";
import { ProcessClientTransport, type ProcessClientTransportOptions } from "./process-client-transport.js";

const root = resolve(import.meta.dirname, "../..");
const fixtures = join(root, "tests/fixtures/servers");
const everything = join(root, "node_modules/@modelcontextprotocol/server-everything/dist/index.js");
const posixOnly = it.skipIf(process.platform === "win32");

// Everything a test starts is recorded here and torn down in afterEach, even when it fails.
const transports: ProcessClientTransport[] = [];
const clients: Client[] = [];
const strayPids: number[] = [];
const tempDirs: string[] = [];

afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((client) => client.close()));
  const closing = transports.splice(0);
  await Promise.allSettled(closing.map((transport) => transport.close()));
  for (const transport of closing) if (transport.pid !== undefined) killQuietly(-transport.pid);
  for (const pid of strayPids.splice(0)) killQuietly(pid);
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function killQuietly(pid: number): void {
  // process.kill(0) or kill(-0) would signal the test runner's own process group.
  if (!Number.isInteger(pid) || Math.abs(pid) <= 1) return;
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

function makeTransport(options: ProcessClientTransportOptions): ProcessClientTransport {
  const transport = new ProcessClientTransport(options);
  transports.push(transport);
  return transport;
}

function fixture(name: string, ...args: string[]): ProcessClientTransportOptions {
  return { command: process.execPath, args: [join(fixtures, name), ...args] };
}

async function connect(transport: ProcessClientTransport, timeout = 15_000): Promise<Client> {
  const client = new Client({ name: "hearth-test", version: "0.0.0" });
  clients.push(client);
  await client.connect(transport, { timeout });
  return client;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "hearth-transport-"));
  tempDirs.push(dir);
  return dir;
}

function textOf(result: unknown): string {
  const [first] = (result as CallToolResult).content;
  return first?.type === "text" ? first.text : "";
}

/**
 * Whether the process is gone. A zombie counts as gone: it runs nothing, and where init
 * does not reap orphans (this sandbox's does not) a killed grandchild stays one forever.
 */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolveSoon) => setTimeout(resolveSoon, 25));
  }
  return true;
}

async function readPidFile(file: string): Promise<number> {
  expect(await waitFor(() => existsSync(file) && readFileSync(file, "utf8").length > 0)).toBe(true);
  const pid = Number(readFileSync(file, "utf8"));
  strayPids.push(pid);
  return pid;
}

describe("ProcessClientTransport with server-everything", () => {
  it("initializes, lists tools, calls echo and get-sum, captures stderr, and closes", async () => {
    const transport = makeTransport({ command: process.execPath, args: [everything, "stdio"] });
    const client = await connect(transport);
    expect(transport.pid).toBeGreaterThan(0);
    expect(client.getServerVersion()?.name).toBe("mcp-servers/everything");

    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(["echo", "get-sum"]));
    expect(textOf(await client.callTool({ name: "echo", arguments: { message: "héllo ✓" } }))).toBe("Echo: héllo ✓");
    expect(textOf(await client.callTool({ name: "get-sum", arguments: { a: 2, b: 40 } }))).toContain("42");

    // The server announces itself on stderr.
    expect(await waitFor(() => transport.stderrLog.lines().some((line) => line.includes("Starting")))).toBe(true);

    const pid = transport.pid as number;
    await client.close();
    expect(transport.exitInfo).toBeDefined();
    expect(isGone(pid)).toBe(true);
  });

  it("answers 200 concurrent echoes, each with its own message", async () => {
    const transport = makeTransport({ command: process.execPath, args: [everything, "stdio"] });
    const client = await connect(transport);
    const messages = Array.from({ length: 200 }, (_, index) => `message ${index} ${"x".repeat(index)}`);
    const results = await Promise.all(messages.map((message) => client.callTool({ name: "echo", arguments: { message } })));
    expect(results.map(textOf)).toEqual(messages.map((message) => `Echo: ${message}`));
  });
});

describe("ProcessClientTransport with misbehaving servers", () => {
  it("tolerates non-JSON-RPC lines on stdout and records them in the log", async () => {
    const transport = makeTransport(fixture("garbage-stdout.mjs"));
    const client = await connect(transport);
    expect(textOf(await client.callTool({ name: "echo", arguments: { message: "hi" } }))).toBe("Echo: hi");
    expect(textOf(await client.callTool({ name: "echo", arguments: { message: "again" } }))).toBe("Echo: again");
    const lines = transport.stderrLog.lines();
    expect(lines).toContain("[stdout] Server starting on stdio...");
    expect(lines).toContain('[stdout] {"status": "this is JSON, but not JSON-RPC"}');
    expect(lines).toContain("[stdout] echoing 2 characters");
  });

  it("a server that only prints garbage fails the handshake by timeout, with the garbage as evidence", async () => {
    const transport = makeTransport(fixture("garbage-stdout.mjs", "--only-garbage"));
    // Long enough for the server to start on a loaded machine and print its garbage.
    await expect(connect(transport, 2_500)).rejects.toThrow(/timed out/i);
    const lines = transport.stderrLog.lines();
    expect(lines).toContain("[stdout] Server starting on stdio...");
    expect(lines.some((line) => line.startsWith("[stdout] unrecognized input"))).toBe(true);
  });

  it("a server that never answers initialize fails the handshake by timeout", async () => {
    const transport = makeTransport({ ...fixture("hang.mjs"), shutdownGraceMs: 300 });
    await expect(connect(transport, 300)).rejects.toThrow(/timed out/i);
  });

  it("a call that never returns times out while the connection stays usable", async () => {
    const transport = makeTransport({ ...fixture("hang.mjs", "--hang-on-call"), shutdownGraceMs: 300 });
    const client = await connect(transport);
    await expect(client.callTool({ name: "wait", arguments: {} }, undefined, { timeout: 300 })).rejects.toThrow(/timed out/i);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(["wait"]);
  });

  it("a crash mid-call fails the pending call at once and reports the exit code and stderr", async () => {
    const transport = makeTransport(fixture("crash-mid-call.mjs"));
    const client = await connect(transport);
    const errors: Error[] = [];
    let closes = 0;
    client.onerror = (error) => errors.push(error);
    client.onclose = () => closes++;
    expect(textOf(await client.callTool({ name: "ok", arguments: { text: "fine" } }))).toBe("fine");

    const started = Date.now();
    await expect(client.callTool({ name: "crash", arguments: {} }, undefined, { timeout: 20_000 })).rejects.toThrow(/closed/i);
    expect(Date.now() - started).toBeLessThan(5_000); // far under the call's 20 s timeout
    expect(closes).toBe(1);
    expect(transport.exitInfo).toEqual({ code: 3, signal: null });

    const crash = errors.find((error) => error instanceof McpClientError);
    expect(crash).toBeInstanceOf(McpClientError);
    expect((crash as McpClientError).code).toBe("connection_closed");
    expect(crash?.message).toContain("exited with code 3");
    expect(crash?.message).toContain("crash-mid-call: fatal: simulated crash in tool 'crash'");

    await expect(transport.send({ jsonrpc: "2.0", method: "notifications/initialized" })).rejects.toMatchObject({
      code: "connection_closed",
    });
    await transport.close();
    expect(closes).toBe(1);
  });
});

describe("ProcessClientTransport stdout framing", () => {
  it("reassembles messages split across chunks, with multi-byte characters and CRLF", async () => {
    // Answers each request with a response written one byte at a time.
    const trickle = `
      let pending = "";
      process.stdin.setEncoding("utf8");
      process.stdin.on("data", (text) => {
        pending += text;
        for (let end = pending.indexOf("\\n"); end !== -1; end = pending.indexOf("\\n")) {
          const request = JSON.parse(pending.slice(0, end));
          pending = pending.slice(end + 1);
          const bytes = Buffer.from(JSON.stringify({ jsonrpc: "2.0", id: request.id, result: { text: "héllo ✓ 🔥" } }) + "\\r\\n");
          let index = 0;
          const next = () => index < bytes.length && process.stdout.write(bytes.subarray(index, ++index), () => setTimeout(next, 0));
          next();
        }
      });`;
    const transport = makeTransport({ command: process.execPath, args: ["-e", trickle], shutdownGraceMs: 300 });
    const received: unknown[] = [];
    transport.onmessage = (message) => received.push(message);
    await transport.start();
    await transport.send({ jsonrpc: "2.0", id: 7, method: "ping" });
    expect(await waitFor(() => received.length > 0)).toBe(true);
    expect(received).toEqual([{ jsonrpc: "2.0", id: 7, result: { text: "héllo ✓ 🔥" } }]);
    expect(transport.stderrLog.lines()).toEqual([]);
  });
});

describe("ProcessClientTransport start failures", () => {
  it("a command that is not on PATH is spawn_failed, naming the command and the PATH searched", async () => {
    const transport = makeTransport({ command: "hearth-no-such-command", env: { PATH: "/nowhere/bin:/usr/bin" } });
    const error = await transport.start().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpClientError);
    expect((error as McpClientError).code).toBe("spawn_failed");
    expect((error as Error).message).toContain('command not found: "hearth-no-such-command"');
    expect((error as Error).message).toContain("PATH: /nowhere/bin, /usr/bin");
    expect((error as Error).message).toContain(process.cwd());
    await transport.close();
  });

  posixOnly("a file that is not executable is spawn_failed", async () => {
    const script = join(tempDir(), "server.sh");
    writeFileSync(script, "#!/bin/sh\n");
    chmodSync(script, 0o644);
    const error = await makeTransport({ command: script })
      .start()
      .catch((caught: unknown) => caught);
    expect((error as McpClientError).code).toBe("spawn_failed");
    expect((error as Error).message).toContain("not executable");
  });

  posixOnly("a script whose #! interpreter is missing is spawn_failed, and says so", async () => {
    const script = join(tempDir(), "server.sh");
    writeFileSync(script, "#!/nonexistent/interpreter\n");
    chmodSync(script, 0o755);
    const error = await makeTransport({ command: script })
      .start()
      .catch((caught: unknown) => caught);
    expect((error as McpClientError).code).toBe("spawn_failed");
    expect((error as Error).message).toContain("interpreter");
  });

  it("a working folder that does not exist is spawn_failed, and says so", async () => {
    for (const workDir of [join(tempDir(), "missing"), join(fixtures, "hang.mjs")]) {
      const error = await makeTransport({ ...fixture("hang.mjs"), workDir })
        .start()
        .catch((caught: unknown) => caught);
      expect((error as McpClientError).code).toBe("spawn_failed");
      expect((error as Error).message).toContain(`working folder does not exist or is not a folder: "${workDir}"`);
    }
  });

  it("send() before start() rejects with connection_closed", async () => {
    const transport = makeTransport(fixture("hang.mjs"));
    await expect(transport.send({ jsonrpc: "2.0", method: "ping", id: 1 })).rejects.toMatchObject({ code: "connection_closed" });
  });
});

describe("ProcessClientTransport shutdown", () => {
  posixOnly("close() ends the server and the grandchild it left behind", async () => {
    const pidFile = join(tempDir(), "grandchild.pid");
    const transport = makeTransport({ ...fixture("spawns-grandchild.mjs"), env: { GRANDCHILD_PID_FILE: pidFile } });
    let closes = 0;
    const client = await connect(transport);
    client.onclose = () => closes++;
    const grandchild = await readPidFile(pidFile);
    expect(textOf(await client.callTool({ name: "grandchild-pid", arguments: {} }))).toBe(String(grandchild));
    const server = transport.pid as number;

    await client.close();
    // Exit code 0, not a signal: the server left when stdin ended, before any SIGTERM.
    expect(transport.exitInfo).toEqual({ code: 0, signal: null });
    expect(isGone(server)).toBe(true);
    expect(await waitFor(() => isGone(grandchild))).toBe(true);
    expect(closes).toBe(1);
    await transport.close(); // idempotent
    expect(closes).toBe(1);
  });

  posixOnly("a server that ignores stdin end is sent SIGTERM, with its whole process group", async () => {
    const pidFile = join(tempDir(), "grandchild.pid");
    const transport = makeTransport({
      ...fixture("spawns-grandchild.mjs", "--ignore-stdin-end"),
      env: { GRANDCHILD_PID_FILE: pidFile },
      shutdownGraceMs: 300,
    });
    await connect(transport);
    const grandchild = await readPidFile(pidFile);
    await transport.close();
    expect(transport.exitInfo).toEqual({ code: null, signal: "SIGTERM" });
    expect(await waitFor(() => isGone(grandchild))).toBe(true);
  });

  posixOnly("a server that ignores stdin end and SIGTERM is SIGKILLed after the grace period", async () => {
    const trapsSigterm = [
      'process.on("SIGTERM", () => process.stderr.write("ignoring SIGTERM\\n"));',
      "process.stdin.resume();",
      "setInterval(() => {}, 1000);",
      'process.stderr.write("ready\\n");',
    ].join(" ");
    const transport = makeTransport({ command: process.execPath, args: ["-e", trapsSigterm], shutdownGraceMs: 250 });
    await transport.start();
    // Close only once the SIGTERM handler is installed.
    expect(await waitFor(() => transport.stderrLog.lines().includes("ready"))).toBe(true);

    const started = Date.now();
    await transport.close();
    const elapsed = Date.now() - started;
    expect(transport.exitInfo).toEqual({ code: null, signal: "SIGKILL" });
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(3_000);
    expect(transport.stderrLog.lines()).toContain("ignoring SIGTERM");
  });

  posixOnly("when Hearth's own process exits, its servers and their grandchildren are killed", async () => {
    const dir = tempDir();
    const pidFile = join(dir, "grandchild.pid");
    const transportModule = join(root, "mcp/transports/process-client-transport.ts");
    const script = `
      import { existsSync } from "node:fs";
      import { ProcessClientTransport } from ${JSON.stringify(transportModule)};
      const transport = new ProcessClientTransport({
        command: process.execPath,
        args: [${JSON.stringify(join(fixtures, "spawns-grandchild.mjs"))}, "--ignore-stdin-end"],
        env: { GRANDCHILD_PID_FILE: ${JSON.stringify(pidFile)} },
      });
      await transport.start();
      process.stdout.write(String(transport.pid));
      while (!existsSync(${JSON.stringify(pidFile)})) await new Promise((r) => setTimeout(r, 20));
      process.exit(0);
    `;
    const hearth = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    hearth.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exitCode = await new Promise<number | null>((resolveExit) => hearth.once("exit", resolveExit));
    expect(exitCode).toBe(0);
    const server = Number(output);
    strayPids.push(server);
    const grandchild = await readPidFile(pidFile);
    expect(server).toBeGreaterThan(0);
    expect(await waitFor(() => isGone(server) && isGone(grandchild))).toBe(true);
  });
});
