/**
 * The two clients the MCP benchmark compares, behind one small interface: Hearth's pool
 * (`McpPool`, one server) and a bare SDK `Client` on the SDK's own transport for the same
 * wire. Each calls an `echo` tool and checks the answer, so that a failing call cannot
 * pass for a fast one.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { McpConfigSchema, type ServerDefinitionInput } from "../../mcp/config/schema.js";
import { McpPool } from "../../mcp/pool/pool.js";
import { WebSocketClientTransport } from "../../mcp/transports/websocket-client-transport.js";

/** The wires benchmarked. */
export type Wire = "stdio" | "http" | "websocket";

/** Where the echo server is: a command for stdio, a URL otherwise. */
export type EchoServer =
  | { wire: "stdio"; command: string; args: string[] }
  | { wire: "http"; url: string }
  | { wire: "websocket"; url: string };

/** A connected client that calls `echo` once per `call()`. */
export interface EchoClient {
  readonly label: "Hearth" | "SDK";
  call(): Promise<void>;
  close(): Promise<void>;
}

const MESSAGE = "hello from the benchmark";
const EXPECTED = `Echo: ${MESSAGE}`;
/** Calls in flight across the pool: above the largest concurrency, so the limiter never queues. */
const MAX_CONCURRENT_CALLS = 100;

/** What the SDK baseline runs on for each wire (printed with the results). */
export const BASELINE_TRANSPORT: Record<Wire, string> = {
  stdio: "SDK StdioClientTransport",
  http: "SDK StreamableHTTPClientTransport + Node's global fetch",
  websocket: "Hearth's WebSocketClientTransport (the SDK's needs a global WebSocket, absent in Node 20)",
};

/** Hearth's pool with this one server; throws unless it reaches `running`. */
export async function connectHearth(server: EchoServer): Promise<EchoClient> {
  const pool = new McpPool({ autoRestart: false });
  const config = McpConfigSchema.parse({ servers: [{ id: "echo-server", source: hearthSource(server) }], max_concurrent_calls: MAX_CONCURRENT_CALLS });
  await pool.apply(config);
  const state = pool.server("echo-server")?.state;
  if (state?.status !== "running") {
    await pool.close();
    throw new Error(`Hearth could not start the ${server.wire} server: ${JSON.stringify(state)}`);
  }
  const tool = pool.tools().find((candidate) => candidate.tool.name === "echo");
  if (!tool) {
    await pool.close();
    throw new Error(`the ${server.wire} server lists no echo tool`);
  }
  const name = tool.name;
  const args = { message: MESSAGE };
  return {
    label: "Hearth",
    call: async () => check((await pool.callTool(name, args)).result),
    close: () => pool.close(),
  };
}

/** A bare SDK client on the SDK's transport for the wire (see {@link BASELINE_TRANSPORT}). */
export async function connectSdk(server: EchoServer): Promise<EchoClient> {
  const client = new Client({ name: "bench-baseline", version: "0.0.0" });
  await client.connect(sdkTransport(server));
  // A real client lists tools before calling them (and the SDK then caches output validators), as Hearth's pool does.
  await client.listTools();
  const params = { name: "echo", arguments: { message: MESSAGE } };
  return {
    label: "SDK",
    call: async () => check((await client.callTool(params)) as CallToolResult),
    close: () => client.close(),
  };
}

function hearthSource(server: EchoServer): ServerDefinitionInput["source"] {
  switch (server.wire) {
    case "stdio":
      return { type: "Process", command: server.command, args: server.args };
    case "http":
      return { type: "Http", url: server.url };
    case "websocket":
      return { type: "WebSocket", url: server.url };
  }
}

function sdkTransport(server: EchoServer): Transport {
  switch (server.wire) {
    case "stdio":
      return new StdioClientTransport({ command: server.command, args: server.args, stderr: "ignore" });
    case "http":
      return new StreamableHTTPClientTransport(new URL(server.url));
    case "websocket":
      return new WebSocketClientTransport(new URL(server.url));
  }
}

function check(result: CallToolResult): void {
  const first = result.content[0];
  if (result.isError || first?.type !== "text" || first.text !== EXPECTED) {
    throw new Error(`echo answered unexpectedly: ${JSON.stringify(result).slice(0, 300)}`);
  }
}
