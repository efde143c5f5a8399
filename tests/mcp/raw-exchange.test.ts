/**
 * The inspector's raw view of a tool call: the JSON-RPC messages the pool records for it,
 * against the official server-everything over stdio (and once over Streamable HTTP). Each
 * call gets exactly its own messages, as they crossed the wire, in order.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { TappedMessage } from "../../mcp/index.js";
import { everythingProcessSource, startEverythingHttp } from "../fixtures/everything-server.js";
import { closeAllPools, resultText, sleep, startPool } from "./pool-helpers.js";

afterEach(closeAllPools);

const config = (extra: { tool_timeout_secs?: number } = {}) => ({ servers: [{ id: "everything", source: everythingProcessSource(), tool_prefix: "ev" }], ...extra });

type Params = { name?: string; arguments?: Record<string, unknown>; progressToken?: unknown; progress?: number; requestId?: unknown; reason?: string; _meta?: { progressToken?: unknown } };
const params = (message: TappedMessage) => message.message.params as Params;
const kinds = (exchange: TappedMessage[]) => exchange.map(({ direction, message }) => `${direction} ${String(message.method ?? ("error" in message ? "error" : "result"))}`);

describe("a tool call's raw JSON-RPC exchange", () => {
  it("holds the sent tools/call request and the received response with the same id", async () => {
    const pool = await startPool(config());
    const exchange: TappedMessage[] = [];
    const before = Date.now();
    const outcome = await pool.callTool("ev_get-sum", { a: 19, b: 23 }, { onMessage: (message) => exchange.push(message) });
    expect(kinds(exchange)).toEqual(["sent tools/call", "received result"]);
    const [request, response] = exchange;
    expect(request!.message).toMatchObject({ jsonrpc: "2.0", method: "tools/call", params: { name: "get-sum", arguments: { a: 19, b: 23 } } });
    expect(response!.message.id).toBe(request!.message.id);
    expect(response!.message.result).toEqual(outcome.result);
    expect(resultText(response!.message.result as { content: [] })).toContain("42");
    expect(request!.at).toBeGreaterThanOrEqual(before);
    expect(response!.at).toBeGreaterThanOrEqual(request!.at);
  });

  it("records the progress notifications between request and response", async () => {
    const pool = await startPool(config());
    const exchange: TappedMessage[] = [];
    await pool.callTool("ev_trigger-long-running-operation", { duration: 0.4, steps: 4 }, { onProgress: () => {}, onMessage: (message) => exchange.push(message) });
    expect(kinds(exchange)).toEqual(["sent tools/call", ...Array<string>(4).fill("received notifications/progress"), "received result"]);
    const token = params(exchange[0]!)._meta?.progressToken;
    expect(token).toBeDefined();
    expect(exchange.slice(1, 5).map((message) => [params(message).progressToken, params(message).progress])).toEqual([1, 2, 3, 4].map((step) => [token, step]));
    expect(exchange.at(-1)!.message.id).toBe(exchange[0]!.message.id);
  });

  it("ends a cancelled call with the notifications/cancelled sent for it, and nothing after", async () => {
    const pool = await startPool(config());
    const exchange: TappedMessage[] = [];
    const controller = new AbortController();
    const call = pool.callTool("ev_trigger-long-running-operation", { duration: 2, steps: 10 }, {
      signal: controller.signal,
      onProgress: () => controller.abort("the user stopped the turn"),
      onMessage: (message) => exchange.push(message),
    });
    await expect(call).rejects.toMatchObject({ code: "call_cancelled" });
    // The server goes on with its steps for a while; none of them belongs in the record any more.
    await sleep(500);
    expect(kinds(exchange)).toEqual(["sent tools/call", "received notifications/progress", "sent notifications/cancelled"]);
    expect(params(exchange[2]!)).toMatchObject({ requestId: exchange[0]!.message.id, reason: "the user stopped the turn" });
  });

  it("records the cancellation a timeout sends", async () => {
    const pool = await startPool(config({ tool_timeout_secs: 1 }));
    const exchange: TappedMessage[] = [];
    await expect(pool.callTool("ev_trigger-long-running-operation", { duration: 5, steps: 2 }, { onMessage: (message) => exchange.push(message) })).rejects.toMatchObject({ code: "tool_timeout" });
    expect(kinds(exchange)).toEqual(["sent tools/call", "sent notifications/cancelled"]);
    expect(params(exchange[1]!).requestId).toBe(exchange[0]!.message.id);
  });

  it("gives each of two concurrent calls only its own messages", async () => {
    const pool = await startPool(config());
    const first: TappedMessage[] = [];
    const second: TappedMessage[] = [];
    await Promise.all([
      pool.callTool("ev_trigger-long-running-operation", { duration: 0.6, steps: 3 }, { onProgress: () => {}, onMessage: (message) => first.push(message) }),
      pool.callTool("ev_trigger-long-running-operation", { duration: 0.4, steps: 2 }, { onProgress: () => {}, onMessage: (message) => second.push(message) }),
      // A call that records nothing runs alongside: its messages go to neither.
      pool.callTool("ev_echo", { message: "unrecorded" }),
    ]);
    for (const [exchange, steps] of [[first, 3], [second, 2]] as const) {
      expect(kinds(exchange)).toEqual(["sent tools/call", ...Array<string>(steps).fill("received notifications/progress"), "received result"]);
      const id = exchange[0]!.message.id;
      const token = params(exchange[0]!)._meta?.progressToken;
      expect(exchange.slice(1, -1).every((message) => params(message).progressToken === token)).toBe(true);
      expect(exchange.at(-1)!.message.id).toBe(id);
      expect(resultText(exchange.at(-1)!.message.result as { content: [] })).toContain(`Steps: ${steps}`);
    }
    expect(first[0]!.message.id).not.toBe(second[0]!.message.id);
  });

  it("records the server's refusal of an unknown tool", async () => {
    const pool = await startPool(config());
    const exchange: TappedMessage[] = [];
    const result = await pool.server("everything")!.callTool("no-such-tool", {}, { timeoutMs: 5_000, onMessage: (message) => exchange.push(message) });
    expect(result.isError).toBe(true);
    // server-everything's SDK answers with an isError result (a JSON-RPC error response is
    // covered in mcp/connection/message-tap.test.ts).
    expect(kinds(exchange)).toEqual(["sent tools/call", "received result"]);
    expect(exchange[1]!.message).toMatchObject({ id: exchange[0]!.message.id, result: { isError: true, content: [{ text: expect.stringContaining("no-such-tool") }] } });
  });

  it("is the same over Streamable HTTP, where responses come on the POST's event stream", async () => {
    const http = await startEverythingHttp("streamableHttp");
    try {
      const pool = await startPool({ servers: [{ id: "everything", source: { type: "Http", url: http.url }, tool_prefix: "ev" }] });
      const exchange: TappedMessage[] = [];
      await pool.callTool("ev_trigger-long-running-operation", { duration: 0.2, steps: 2 }, { onProgress: () => {}, onMessage: (message) => exchange.push(message) });
      expect(kinds(exchange)).toEqual(["sent tools/call", "received notifications/progress", "received notifications/progress", "received result"]);
      expect(exchange.at(-1)!.message.id).toBe(exchange[0]!.message.id);
      await closeAllPools();
    } finally {
      await http.close();
    }
  });
});
