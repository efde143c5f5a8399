/** Small helpers shared by the MCP pool tests. */
import { McpConfigSchema, type McpConfigInput } from "../../mcp/config/schema.js";
import { McpPool, type McpPoolOptions } from "../../mcp/pool/pool.js";

/** Starts a pool on `config`; the returned pool is closed by `closeAll`. */
export async function startPool(config: McpConfigInput, options: McpPoolOptions = { autoRestart: false }, opened: McpPool[] = openPools): Promise<McpPool> {
  const pool = new McpPool(options);
  opened.push(pool);
  await pool.apply(McpConfigSchema.parse(config));
  return pool;
}

const openPools: McpPool[] = [];

/** Closes every pool `startPool` opened. */
export async function closeAllPools(): Promise<void> {
  await Promise.all(openPools.splice(0).map((pool) => pool.close()));
}

/** The text of a tool result's text items. */
export function resultText(result: { content?: Array<{ type: string; text?: string }> }): string {
  return (result.content ?? [])
    .filter((item) => item.type === "text")
    .map((item) => item.text)
    .join("\n");
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(25);
  }
}
