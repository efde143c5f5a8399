import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ToolResultSchema, type ToolResult } from "../contract/chat.js";
import { cutToBudget, modelTextOf, resultBudgetChars, toToolResult } from "./tool-content.js";

// Real results: server-everything's own tools, served by the SDK over an in-memory pair.
// The package has no type declarations, hence the specifier in a variable.
const EVERYTHING_TOOLS = "@modelcontextprotocol/server-everything/dist/tools/";
const REGISTRATIONS = [
  ["get-tiny-image.js", "registerGetTinyImageTool"],
  ["get-resource-links.js", "registerGetResourceLinksTool"],
  ["get-resource-reference.js", "registerGetResourceReferenceTool"],
  ["get-structured-content.js", "registerGetStructuredContentTool"],
] as const;

let client: Client;
beforeAll(async () => {
  const server = new McpServer({ name: "everything-tools", version: "1.0.0" });
  for (const [file, register] of REGISTRATIONS) {
    const module = (await import(/* @vite-ignore */ EVERYTHING_TOOLS + file)) as Record<string, (server: McpServer) => void>;
    module[register]!(server);
  }
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  client = new Client({ name: "tool-content-test", version: "1.0.0" });
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
});
afterAll(() => client.close());

const callEverything = async (name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as unknown;
const text = (value: string) => ({ type: "text" as const, text: value });
const base64OfBytes = (bytes: number) => Buffer.alloc(bytes, 7).toString("base64");
const MARKER = /^\[… ([\d,]+) more characters left out: the result was longer than the tool-result budget\. The full result is in the tool-call inspector\.\]$/;

describe("toToolResult", () => {
  it("keeps server-everything's tiny image result, text and image in order, as a valid ToolResult", async () => {
    const result = toToolResult(await callEverything("get-tiny-image"));
    expect(ToolResultSchema.parse(result)).toEqual(result);
    expect(result.isError).toBe(false);
    expect(result.content.map((item) => item.type)).toEqual(["text", "image", "text"]);
    const image = result.content[1] as Extract<ToolResult["content"][number], { type: "image" }>;
    expect(image.mimeType).toBe("image/png");
    expect(Buffer.from(image.data, "base64").subarray(1, 4).toString("latin1")).toBe("PNG");
  });

  it("keeps resource links and embedded resources from server-everything", async () => {
    const links = toToolResult(await callEverything("get-resource-links", { count: 2 }));
    expect(links.content.filter((item) => item.type === "resource_link")).toHaveLength(2);
    const reference = toToolResult(await callEverything("get-resource-reference", { resourceType: "Blob", resourceId: 3 }));
    expect(reference.content[1]).toMatchObject({ type: "resource", resource: { uri: expect.stringContaining("/blob/3"), blob: expect.any(String) } });
  });

  it("keeps structuredContent, and isError only when the server set it", () => {
    const sunny = toToolResult({ content: [text("sunny")], structuredContent: { city: "Paris", temperatureC: 24 } });
    expect(sunny).toEqual({ content: [text("sunny")], structuredContent: { city: "Paris", temperatureC: 24 }, isError: false });
    expect(toToolResult({ content: [text("no")], isError: true }).isError).toBe(true);
    expect(toToolResult({ content: [], isError: "yes" }).isError).toBe(false);
    expect(toToolResult({ content: [] })).toEqual({ content: [], isError: false });
  });

  it("drops item annotations and _meta but no item", () => {
    const result = toToolResult({
      content: [{ type: "text", text: "Error: Operation failed", annotations: { priority: 1, audience: ["user"] }, _meta: { trace: 1 } }],
    } satisfies CallToolResult);
    expect(result.content).toEqual([text("Error: Operation failed")]);
  });

  it("turns items of unknown type and malformed items into text that describes them", () => {
    const result = toToolResult({
      content: [text("before"), { type: "video", uri: "https://example.test/clip.mp4" }, { type: "image", mimeType: "image/png" }, { oops: 1 }, text("after")],
    });
    expect(result.content).toHaveLength(5);
    expect(result.content.every((item) => item.type === "text")).toBe(true);
    const texts = result.content.map((item) => (item.type === "text" ? item.text : ""));
    expect(texts[0]).toBe("before");
    expect(texts[1]).toBe('[content of unknown type "video": {"type":"video","uri":"https://example.test/clip.mp4"}]');
    expect(texts[2]).toBe('[malformed image content: {"type":"image","mimeType":"image/png"}]');
    expect(texts[3]).toBe('[content without a type: {"oops":1}]');
    expect(texts[4]).toBe("after");
  });

  it("quotes a long unknown item only in part", () => {
    const result = toToolResult({ content: [{ type: "hologram", data: "x".repeat(10_000) }] });
    const only = result.content[0]!;
    expect(only.type).toBe("text");
    expect((only as { text: string }).text.length).toBeLessThan(600);
  });

  it("turns a legacy toolResult into text: JSON, or a string as is", () => {
    expect(toToolResult({ toolResult: { temperature: 24, unit: "C" } })).toEqual({ content: [text('{"temperature":24,"unit":"C"}')], isError: false });
    expect(toToolResult({ toolResult: "sunny" }).content).toEqual([text("sunny")]);
    expect(toToolResult({ toolResult: 0 }).content).toEqual([text("0")]);
  });

  it("describes structuredContent that is not an object, and answers that are not objects", () => {
    expect(toToolResult({ content: [], structuredContent: [1, 2] })).toEqual({
      content: [text("[structured content that is not an object: [1,2]]")],
      isError: false,
    });
    expect(toToolResult("sunny")).toEqual({ content: [text('The server\'s answer was not a tool result: "sunny"')], isError: true });
    expect(toToolResult(null).isError).toBe(true);
  });
});

describe("modelTextOf", () => {
  it("reads server-everything's tiny image as its texts and a placeholder with the image's size", async () => {
    const result = toToolResult(await callEverything("get-tiny-image"));
    const image = result.content[1] as { data: string };
    const kilobytes = Math.round(Buffer.from(image.data, "base64").length / 1000);
    expect(kilobytes).toBeGreaterThan(0);
    expect(modelTextOf(result)).toBe(
      `Here's the image you requested:\n[image: image/png, ${kilobytes} KB, shown to the user]\nThe image above is the MCP logo.`,
    );
  });

  it("gives image and audio sizes in bytes, KB and MB", () => {
    const of = (item: ToolResult["content"][number]) => modelTextOf({ content: [item], isError: false });
    expect(of({ type: "image", data: base64OfBytes(12_345), mimeType: "image/jpeg" })).toBe("[image: image/jpeg, 12 KB, shown to the user]");
    expect(of({ type: "audio", data: base64OfBytes(500), mimeType: "audio/wav" })).toBe("[audio: audio/wav, 500 bytes, shown to the user]");
    expect(of({ type: "audio", data: base64OfBytes(2_500_000), mimeType: "audio/mpeg" })).toBe("[audio: audio/mpeg, 2.5 MB, shown to the user]");
    // Padding counts: 1 and 2 bytes both encode to 4 characters.
    expect(of({ type: "image", data: base64OfBytes(1), mimeType: "image/png" })).toBe("[image: image/png, 1 byte, shown to the user]");
    expect(of({ type: "image", data: base64OfBytes(2), mimeType: "image/png" })).toBe("[image: image/png, 2 bytes, shown to the user]");
  });

  it("reads resource links with their description, from server-everything", async () => {
    const result = toToolResult(await callEverything("get-resource-links", { count: 2 }));
    const lines = modelTextOf(result).split("\n");
    expect(lines[0]).toBe("Here are 2 resource links to resources available in this server:");
    expect(lines[1]).toMatch(/^\[resource: Blob Resource 1 demo:\/\/resource\/dynamic\/blob\/1\] Resource 1: /);
    expect(lines[2]).toMatch(/^\[resource: Text Resource 2 demo:\/\/resource\/dynamic\/text\/2\] Resource 2: /);
    expect(modelTextOf({ content: [{ type: "resource_link", uri: "file:///a.txt", name: "a.txt" }], isError: false })).toBe("[resource: a.txt file:///a.txt]");
  });

  it("reads an embedded text resource with its text, and a blob as a placeholder", async () => {
    const textual = toToolResult(await callEverything("get-resource-reference", { resourceType: "Text", resourceId: 2 }));
    expect(modelTextOf(textual)).toMatch(
      /^Returning resource reference for Resource 2:\n\[resource demo:\/\/resource\/dynamic\/text\/2\]\nResource 2: This is a plaintext resource created at .+\nYou can access this resource/,
    );
    const blob = { type: "resource" as const, resource: { uri: "file:///report.pdf", mimeType: "application/pdf", blob: base64OfBytes(40_000) } };
    expect(modelTextOf({ content: [blob], isError: false })).toBe("[resource file:///report.pdf: application/pdf, 40 KB of binary data]");
    expect(modelTextOf({ content: [{ type: "resource", resource: { uri: "memo://x" } }], isError: false })).toBe("[resource memo://x]");
  });

  it("reads structuredContent as JSON only when no item is text", async () => {
    const structured = toToolResult(await callEverything("get-structured-content", { location: "Chicago" }));
    // server-everything sends the same data as text too: the model reads it once.
    expect(modelTextOf(structured)).toBe((structured.content[0] as { text: string }).text);
    const onlyStructured = { content: [], structuredContent: { city: "Paris", temperatureC: 24 }, isError: false };
    expect(modelTextOf(onlyStructured)).toBe('{"city":"Paris","temperatureC":24}');
    const imageAndStructured = { ...onlyStructured, content: [{ type: "image" as const, data: base64OfBytes(3), mimeType: "image/png" }] };
    expect(modelTextOf(imageAndStructured)).toBe('[image: image/png, 3 bytes, shown to the user]\n{"city":"Paris","temperatureC":24}');
  });

  it("joins texts with line breaks, keeps an error's text, and says when there is nothing", () => {
    expect(modelTextOf({ content: [text("a"), text("b\nc")], isError: false })).toBe("a\nb\nc");
    expect(modelTextOf({ content: [text("weather service unavailable for Lyon")], isError: true })).toBe("weather service unavailable for Lyon");
    expect(modelTextOf({ content: [], isError: false })).toBe("(no content)");
    expect(modelTextOf({ content: [text("")], isError: false })).toBe("(no content)");
  });
});

describe("cutToBudget", () => {
  const lines = (count: number) => Array.from({ length: count }, (_, index) => `line ${index}: sunny, 24 °C`).join("\n");

  it("leaves a text that fits alone", () => {
    expect(cutToBudget("sunny", 5)).toEqual({ text: "sunny", truncatedChars: 0 });
    expect(cutToBudget("", 0)).toEqual({ text: "", truncatedChars: 0 });
  });

  it("keeps the beginning, cut at a line break, and says on its own line how much was left out", () => {
    const original = lines(10_000);
    const { text: cut, truncatedChars } = cutToBudget(original, 2_000);
    expect(cut.length).toBeLessThanOrEqual(2_000);
    expect(cut.length).toBeGreaterThan(1_700);
    const markerStart = cut.lastIndexOf("\n[…");
    const kept = cut.slice(0, markerStart);
    const marker = cut.slice(markerStart + 1);
    expect(original.startsWith(kept)).toBe(true);
    expect(original[kept.length]).toBe("\n"); // whole lines only
    expect(kept.length + truncatedChars).toBe(original.length);
    expect(marker).toMatch(MARKER);
    expect(marker).toContain(`${truncatedChars.toLocaleString("en-US")} more characters left out`);
    expect(truncatedChars).toBeGreaterThan(100_000);
  });

  it("cuts at a space when no line break is near the limit", () => {
    const original = "word ".repeat(1_000);
    const { text: cut } = cutToBudget(original, 500);
    const kept = cut.slice(0, cut.indexOf("\n"));
    expect(kept.endsWith("word")).toBe(true);
  });

  it("cuts mid-word when no break lies in the last 10%, filling the budget", () => {
    const original = "x".repeat(5_000);
    const { text: cut, truncatedChars } = cutToBudget(original, 1_000);
    expect(cut.length).toBe(1_000);
    expect(cut.indexOf("\n") + truncatedChars).toBe(5_000);
  });

  it("never splits a surrogate pair", () => {
    const original = "😀".repeat(2_000);
    for (const budget of [400, 401, 402, 403]) {
      const { text: cut, truncatedChars } = cutToBudget(original, budget);
      const kept = cut.slice(0, cut.indexOf("\n"));
      expect(kept.length % 2).toBe(0);
      expect(kept.length + truncatedChars).toBe(original.length);
    }
  });

  it("stays within the budget and accounts for every character, whatever the sizes", () => {
    for (const length of [300, 1_000, 9_999, 10_000, 123_456]) {
      const original = lines(Math.ceil(length / 10)).slice(0, length);
      for (const budget of [200, 250, 777, 1_000, 5_000, 99_999]) {
        const { text: cut, truncatedChars } = cutToBudget(original, budget);
        if (length <= budget) {
          expect(cut).toBe(original);
          continue;
        }
        expect(cut.length, `${length} into ${budget}`).toBeLessThanOrEqual(budget);
        const markerStart = cut.lastIndexOf("\n");
        expect(cut.slice(markerStart + 1)).toMatch(MARKER);
        expect(Number(MARKER.exec(cut.slice(markerStart + 1))![1]!.replaceAll(",", ""))).toBe(truncatedChars);
        expect(markerStart + truncatedChars).toBe(length);
      }
    }
  });

  it("gives the marker alone when the budget cannot hold it", () => {
    const original = "y".repeat(187_654);
    const { text: cut, truncatedChars } = cutToBudget(original, 50);
    expect(cut).toBe(
      "[… 187,654 more characters left out: the result was longer than the tool-result budget. The full result is in the tool-call inspector.]",
    );
    expect(truncatedChars).toBe(187_654);
    expect(cutToBudget(original, 0).text).toMatch(MARKER);
  });
});

describe("resultBudgetChars", () => {
  it("uses the user's fixed budget over everything", () => {
    expect(resultBudgetChars({ fixedChars: 5_000, contextSize: 8_192, usedTokens: 0, callsInRound: 4 })).toBe(5_000);
    expect(resultBudgetChars({ fixedChars: 5_000, callsInRound: 1 })).toBe(5_000);
  });

  it("gives half the free tokens, shared among the round's calls, at 3 characters a token", () => {
    // 8,192 - 2,192 = 6,000 free; half is 3,000; two calls get 1,500 tokens each: 4,500 characters.
    expect(resultBudgetChars({ contextSize: 8_192, usedTokens: 2_192, callsInRound: 2 })).toBe(4_500);
    expect(resultBudgetChars({ contextSize: 8_192, usedTokens: 2_192, callsInRound: 1 })).toBe(9_000);
    // 8,191 / 2 / 3 = 1,365.17 tokens = 4,095.5 characters, rounded down.
    expect(resultBudgetChars({ contextSize: 8_191, usedTokens: 0, callsInRound: 3 })).toBe(4_095);
  });

  it("takes another share, counts no calls as one, and an unknown usage as none", () => {
    expect(resultBudgetChars({ contextSize: 8_192, usedTokens: 192, callsInRound: 1, share: 0.25 })).toBe(6_000);
    expect(resultBudgetChars({ contextSize: 4_000, usedTokens: 0, callsInRound: 0 })).toBe(6_000);
    expect(resultBudgetChars({ contextSize: 4_000, callsInRound: 1 })).toBe(6_000);
  });

  it("never goes below 1,000 characters, even with the context full", () => {
    expect(resultBudgetChars({ contextSize: 4_096, usedTokens: 4_000, callsInRound: 3 })).toBe(1_000);
    expect(resultBudgetChars({ contextSize: 4_096, usedTokens: 9_000, callsInRound: 1 })).toBe(1_000);
  });

  it("gives 32,000 characters when the context is unknown", () => {
    expect(resultBudgetChars({ callsInRound: 1 })).toBe(32_000);
    expect(resultBudgetChars({ usedTokens: 500, callsInRound: 5 })).toBe(32_000);
  });
});
