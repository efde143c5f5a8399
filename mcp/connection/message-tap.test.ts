/**
 * The tap's bounds and its isolation, against a real SDK server and client over the SDK's
 * in-memory transport pair (the wire tests against server-everything are in
 * tests/mcp/raw-exchange.test.ts).
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_RECORDED_PROGRESS, MAX_RECORDED_STRING_CHARS, MessageTap, type TappedMessage } from "./message-tap.js";

const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

/**
 * A server whose `echo` answers its text, whose `count` sends `steps` progress
 * notifications first, and whose `refuse` answers with a JSON-RPC error.
 */
async function connected(tap: MessageTap): Promise<Client> {
  const server = new Server({ name: "tap-test", version: "1.0.0" }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [] }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const args = request.params.arguments ?? {};
    if (request.params.name === "refuse") throw new McpError(ErrorCode.InvalidParams, "refused on purpose");
    if (request.params.name === "count") {
      const token = request.params._meta?.progressToken;
      for (let step = 1; step <= Number(args.steps); step++) {
        if (token !== undefined) await extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress: step } });
      }
    }
    return { content: [{ type: "text", text: String(args.text ?? "done") }] };
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "test", version: "1.0.0" });
  clients.push(client);
  await client.connect(tap.wrap(clientSide));
  return client;
}

function textOf(result: unknown): string {
  return ((result as CallToolResult).content[0] as { text: string }).text;
}

describe("MessageTap", () => {
  it("cuts long strings in what it records, while the call itself gets them whole", async () => {
    const tap = new MessageTap();
    const client = await connected(tap);
    const long = "x".repeat(MAX_RECORDED_STRING_CHARS + 10);
    const recorded: TappedMessage[] = [];
    const result = await tap.run((message) => recorded.push(message), () => client.callTool({ name: "echo", arguments: { text: long } }));
    expect(textOf(result)).toBe(long);
    const [request, response] = recorded;
    const marker = `${"x".repeat(MAX_RECORDED_STRING_CHARS)}… [Hearth cut 10 more characters]`;
    expect((request!.message.params as { arguments: { text: string } }).arguments.text).toBe(marker);
    expect(textOf(response!.message.result)).toBe(marker);
  });

  it(`keeps the first ${MAX_RECORDED_PROGRESS} progress notifications of a call`, async () => {
    const tap = new MessageTap();
    const client = await connected(tap);
    const recorded: TappedMessage[] = [];
    let progressSeen = 0;
    const steps = MAX_RECORDED_PROGRESS + 5;
    await tap.run(
      (message) => recorded.push(message),
      () => client.callTool({ name: "count", arguments: { steps } }, undefined, { onprogress: () => progressSeen++ }),
    );
    expect(progressSeen).toBe(steps);
    expect(recorded.map((message) => message.message.method ?? "response")).toEqual(["tools/call", ...Array<string>(MAX_RECORDED_PROGRESS).fill("notifications/progress"), "response"]);
    expect((recorded.at(-2)!.message.params as { progress: number }).progress).toBe(MAX_RECORDED_PROGRESS);
  });

  it("records nothing of requests made outside a call, and survives a recorder that throws", async () => {
    const tap = new MessageTap();
    const client = await connected(tap);
    const recorded: TappedMessage[] = [];
    const recorder = (message: TappedMessage) => {
      recorded.push(message);
      throw new Error("the inspector broke");
    };
    const [outside, inside] = await Promise.all([
      client.callTool({ name: "echo", arguments: { text: "outside" } }),
      tap.run(recorder, () => client.callTool({ name: "echo", arguments: { text: "inside" } })),
    ]);
    expect(textOf(outside)).toBe("outside");
    expect(textOf(inside)).toBe("inside");
    expect(recorded).toHaveLength(2);
    expect(recorded.map((message) => message.direction)).toEqual(["sent", "received"]);
    expect(recorded[1]!.message.id).toBe(recorded[0]!.message.id);
    expect(textOf(recorded[1]!.message.result)).toBe("inside");
    // Only the call's own request: a second one made in its async context is not its.
    const second: TappedMessage[] = [];
    await tap.run(
      (message) => second.push(message),
      async () => {
        await client.callTool({ name: "echo", arguments: { text: "first" } });
        await client.listTools();
      },
    );
    expect(second.map((message) => message.message.method ?? "response")).toEqual(["tools/call", "response"]);
  });

  it("records a JSON-RPC error response as the call's answer", async () => {
    const tap = new MessageTap();
    const client = await connected(tap);
    const recorded: TappedMessage[] = [];
    await expect(tap.run((message) => recorded.push(message), () => client.callTool({ name: "refuse", arguments: {} }))).rejects.toThrow("refused on purpose");
    expect(recorded).toHaveLength(2);
    expect(recorded[1]!.message).toMatchObject({ id: recorded[0]!.message.id, error: { code: ErrorCode.InvalidParams, message: expect.stringContaining("refused on purpose") } });
  });
});
