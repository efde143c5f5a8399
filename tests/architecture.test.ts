/**
 * The folder boundaries of ARCHITECTURE.md are enforced by an ESLint rule
 * (build/eslint/folder-boundaries.js). These cases prove it fires, so a broken rule
 * cannot pass silently.
 */
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint({ cwd: new URL("..", import.meta.url).pathname });

async function boundaryErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return result!.messages.filter((message) => message.ruleId === "hearth/folder-boundaries").map((message) => message.message);
}

const importing = (specifier: string) => `import { x } from "${specifier}";\nexport { x };\n`;

describe("folder boundaries", () => {
  it.each([
    ["mcp/pool/example.ts", "../../app/cli/main.js", "mcp/ may not import app/"],
    ["mcp/example.ts", "../models/engine.js", "mcp/ may not import models/"],
    ["models/example.ts", "../mcp/index.js", "models/ may not import mcp/"],
    ["mcp/example.ts", "electron", "mcp/ may not import electron"],
    ["app/cli/example.ts", "electron", "app/ may not import electron"],
    ["app/contract/example.ts", "../cli/main.js", "app/contract/ may import only app/contract/"],
    ["app/contract/example.ts", "node:fs", "app/contract/ may not use Node"],
    ["app/contract/example.ts", "../../mcp/config/load.js", "app/contract/ may import only app/contract/"],
    ["renderer/chat/example.ts", "../../mcp/index.js", "renderer/ may import only renderer/ and app/contract/"],
    ["renderer/example.ts", "../app/cli/main.js", "renderer/ may import only renderer/ and app/contract/"],
    ["main/example.ts", "../mcp/config/write.js", "main/ may import only main/ and app/"],
    ["main/example.ts", "node-llama-cpp", "main/ may not import node-llama-cpp"],
  ])("%s importing %s is refused", async (filePath, specifier, expected) => {
    expect(await boundaryErrors(filePath, importing(specifier))).toEqual([expect.stringContaining(expected)]);
  });

  it.each([
    ["app/cli/example.ts", "../../mcp/index.js"],
    ["renderer/example.ts", "../app/contract/channels.js"],
    ["app/contract/example.ts", "zod"],
    ["main/example.ts", "../app/desktop-core.js"],
    ["app/contract/example.ts", "../../mcp/config/schema.js"],
    ["mcp/pool/example.ts", "../connection/state.js"],
  ])("%s may import %s", async (filePath, specifier) => {
    expect(await boundaryErrors(filePath, importing(specifier))).toEqual([]);
  });
});
