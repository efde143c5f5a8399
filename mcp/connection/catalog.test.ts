/**
 * Discovery reads every page. The SDK's McpServer never paginates, so this uses the
 * SDK's low-level `Server`, which lets a test answer `tools/list` in pages of its own,
 * connected over the SDK's in-memory transport pair.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { ListPromptsRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { listCatalog } from "./catalog.js";

async function pagedServer(pageCount: number): Promise<Client> {
  const server = new Server({ name: "paged", version: "1.0.0" }, { capabilities: { tools: {}, prompts: {} } });
  server.setRequestHandler(ListToolsRequestSchema, (request) => {
    const page = Number(request.params?.cursor ?? 0);
    const tools = [0, 1].map((index) => ({ name: `tool_${page}_${index}`, inputSchema: { type: "object" as const } }));
    return page + 1 < pageCount ? { tools, nextCursor: String(page + 1) } : { tools };
  });
  server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: [{ name: "only" }] }));
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "test", version: "1.0.0" });
  await client.connect(clientSide);
  return client;
}

describe("listCatalog", () => {
  it("follows nextCursor to the last page and skips kinds the server does not offer", async () => {
    const client = await pagedServer(3);
    const catalog = await listCatalog(client, { timeout: 5000 });
    expect(catalog.tools.map((tool) => tool.name)).toEqual(["tool_0_0", "tool_0_1", "tool_1_0", "tool_1_1", "tool_2_0", "tool_2_1"]);
    expect(catalog.prompts.map((prompt) => prompt.name)).toEqual(["only"]);
    // No resources capability: resources/list is never sent (it would fail as "method not found").
    expect(catalog.resources).toEqual([]);
    expect(catalog.resourceTemplates).toEqual([]);
    await client.close();
  });
});
