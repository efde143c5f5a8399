/**
 * Discovery: what a server offers. Every list is read to its last page, and only the
 * kinds the server declared in its capabilities are asked for.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { RequestOptions } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { Prompt, Resource, ResourceTemplate, Tool } from "@modelcontextprotocol/sdk/types.js";

/** Everything one server offers. */
export interface ServerCatalog {
  tools: Tool[];
  resources: Resource[];
  resourceTemplates: ResourceTemplate[];
  prompts: Prompt[];
}

export type CatalogKind = keyof ServerCatalog;

/** An empty catalog, for servers that are not running. */
export function emptyCatalog(): ServerCatalog {
  return { tools: [], resources: [], resourceTemplates: [], prompts: [] };
}

/** Guards against a server that hands out cursors forever. */
const MAX_PAGES = 1000;

async function allPages<Item>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: Item[]; nextCursor?: string | undefined }>,
): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await fetchPage(cursor);
    items.push(...result.items);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return items;
}

/** Lists one kind of item, every page. Returns [] for kinds the server does not offer. */
export async function listCatalogKind(client: Client, kind: CatalogKind, options: RequestOptions): Promise<ServerCatalog[CatalogKind]> {
  const capabilities = client.getServerCapabilities() ?? {};
  const page = (cursor: string | undefined) => (cursor ? { cursor } : undefined);
  switch (kind) {
    case "tools":
      if (!capabilities.tools) return [];
      return allPages(async (cursor) => {
        const result = await client.listTools(page(cursor), options);
        return { items: result.tools, nextCursor: result.nextCursor };
      });
    case "resources":
      if (!capabilities.resources) return [];
      return allPages(async (cursor) => {
        const result = await client.listResources(page(cursor), options);
        return { items: result.resources, nextCursor: result.nextCursor };
      });
    case "resourceTemplates":
      if (!capabilities.resources) return [];
      return allPages(async (cursor) => {
        const result = await client.listResourceTemplates(page(cursor), options);
        return { items: result.resourceTemplates, nextCursor: result.nextCursor };
      });
    case "prompts":
      if (!capabilities.prompts) return [];
      return allPages(async (cursor) => {
        const result = await client.listPrompts(page(cursor), options);
        return { items: result.prompts, nextCursor: result.nextCursor };
      });
  }
}

/** Lists everything the server offers, the kinds in parallel. */
export async function listCatalog(client: Client, options: RequestOptions): Promise<ServerCatalog> {
  const [tools, resources, resourceTemplates, prompts] = await Promise.all([
    listCatalogKind(client, "tools", options),
    listCatalogKind(client, "resources", options),
    listCatalogKind(client, "resourceTemplates", options),
    listCatalogKind(client, "prompts", options),
  ]);
  return {
    tools: tools as Tool[],
    resources: resources as Resource[],
    resourceTemplates: resourceTemplates as ResourceTemplate[],
    prompts: prompts as Prompt[],
  };
}
