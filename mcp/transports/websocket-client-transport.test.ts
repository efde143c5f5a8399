import { createServer, type AddressInfo, type Socket } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { freePort } from "../../tests/fixtures/net.js";
import { startWebSocketMcpServer, type RunningWebSocketMcpServer } from "../../tests/fixtures/websocket-mcp-server.js";
import { McpClientError } from "../errors.js";
import { WebSocketClientTransport } from "./websocket-client-transport.js";
import { rejection } from "../../tests/fixtures/rejections.js";

const TOKEN = "s3cret-token-value";

/** The text of a tool result's first content block. */
function text(result: unknown): string {
  const content = (result as { content: Array<{ type: string; text?: string }> }).content;
  return content[0]?.text ?? "";
}

describe("WebSocketClientTransport", () => {
  let server: RunningWebSocketMcpServer;
  let client: Client | undefined;

  beforeEach(async () => {
    server = await startWebSocketMcpServer({ token: TOKEN });
  });

  afterEach(async () => {
    await client?.close();
    client = undefined;
    await server.close();
  });

  async function connect(): Promise<{ client: Client; transport: WebSocketClientTransport }> {
    const transport = new WebSocketClientTransport(new URL(server.url), { headers: { Authorization: `Bearer ${TOKEN}` } });
    client = new Client({ name: "hearth-test", version: "1.0.0" });
    await client.connect(transport);
    return { client, transport };
  }

  it("lists and calls tools", async () => {
    const { client } = await connect();
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(["add", "echo", "slow"]);
    expect(text(await client.callTool({ name: "echo", arguments: { message: "hi" } }))).toBe("Echo: hi");
    expect(text(await client.callTool({ name: "add", arguments: { a: 2, b: 40 } }))).toBe("42");
    expect(server.connectionCount()).toBe(1);
  });

  it("answers 100 calls in flight at once, each with its own result", async () => {
    const { client } = await connect();
    const calls = Array.from({ length: 100 }, (_, index) =>
      client.callTool({ name: "add", arguments: { a: index, b: 1000 } }).then(text),
    );
    const answers = await Promise.all(calls);
    expect(answers).toEqual(Array.from({ length: 100 }, (_, index) => String(index + 1000)));
    expect(server.connectionCount()).toBe(1);
  });

  it.each([
    ["a wrong token", { Authorization: "Bearer wrong" }],
    ["no token", undefined],
  ])("gives auth_failed naming the URL and 401 for %s", async (_label, headers) => {
    const transport = new WebSocketClientTransport(new URL(server.url), { headers });
    let closed = 0;
    transport.onclose = () => closed++;
    const error = await rejection(transport.start());
    expect(error).toBeInstanceOf(McpClientError);
    expect((error as McpClientError).code).toBe("auth_failed");
    expect((error as McpClientError).message).toContain(server.url);
    expect((error as McpClientError).message).toContain("401");
    expect((error as McpClientError).message).not.toContain("wrong");
    expect(closed).toBe(0);
    await transport.close();
    expect(server.connectionCount()).toBe(0);
  });

  it("rejects the pending call promptly and fires onclose once when the server drops the socket", async () => {
    const { client, transport } = await connect();
    let closed = 0;
    const errors: Error[] = [];
    // Client.connect installed the Protocol's handlers; chain onto them.
    const protocolOnClose = transport.onclose;
    const protocolOnError = transport.onerror;
    transport.onclose = () => {
      closed++;
      protocolOnClose?.();
    };
    transport.onerror = (error) => {
      errors.push(error);
      protocolOnError?.(error);
    };
    const pending = client.callTool({ name: "slow", arguments: { ms: 20_000 } });
    await expect.poll(() => server.connectionCount()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const droppedAt = Date.now();
    server.dropAll();
    const error = await rejection(pending);
    expect(Date.now() - droppedAt).toBeLessThan(5000); // far under the call's 20 s
    expect(String(error)).toMatch(/closed/i);
    expect(closed).toBe(1);
    expect(errors).toHaveLength(1);
    expect((errors[0] as McpClientError).code).toBe("connection_closed");
    expect(errors[0]?.message).toMatch(/code 1006/);
    await transport.close();
    await expect(transport.send({ jsonrpc: "2.0", method: "ping", id: 1 })).rejects.toMatchObject({ code: "connection_closed" });
    expect(closed).toBe(1);
  });

  it("fires onclose once on close(), which is idempotent", async () => {
    const { transport } = await connect();
    let closed = 0;
    const protocolOnClose = transport.onclose;
    transport.onclose = () => {
      closed++;
      protocolOnClose?.();
    };
    await Promise.all([transport.close(), transport.close()]);
    await transport.close();
    expect(closed).toBe(1);
    await expect.poll(() => server.connectionCount()).toBe(0);
  });

  it("reports a message that is not JSON through onerror and keeps the connection", async () => {
    const { client, transport } = await connect();
    const errors: Error[] = [];
    transport.onerror = (error) => errors.push(error);
    // Feed the transport as the socket would; the server cannot be made to send garbage.
    (transport as unknown as { receive(data: Buffer, isBinary: boolean): void }).receive(Buffer.from("{not json"), false);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(SyntaxError);
    expect(text(await client.callTool({ name: "echo", arguments: { message: "still here" } }))).toBe("Echo: still here");
  });

  it("gives connection_closed when no server is there", async () => {
    const url = `ws://127.0.0.1:${await freePort()}/mcp`;
    const transport = new WebSocketClientTransport(new URL(url), { headers: { Authorization: `Bearer ${TOKEN}` } });
    const error = await rejection(transport.start());
    expect((error as McpClientError).code).toBe("connection_closed");
    expect((error as McpClientError).message).toContain(url);
    expect((error as McpClientError).message).toContain("ECONNREFUSED");
    expect((error as McpClientError).message).not.toContain(TOKEN);
    await transport.close();
  });

  it("gives connection_closed when the server never answers the handshake within handshakeTimeoutMs", async () => {
    const held: Socket[] = [];
    const silent = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const url = `ws://127.0.0.1:${(silent.address() as AddressInfo).port}/mcp`;
    try {
      const transport = new WebSocketClientTransport(new URL(url), { handshakeTimeoutMs: 200 });
      const started = Date.now();
      const error = await rejection(transport.start());
      expect(Date.now() - started).toBeLessThan(5000);
      expect((error as McpClientError).code).toBe("connection_closed");
      expect((error as McpClientError).message).toMatch(/timed out/);
      await transport.close();
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
