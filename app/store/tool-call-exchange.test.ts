/**
 * A tool call's raw JSON-RPC messages are stored with the call, so a conversation opened
 * again (after the app restarted) still shows the inspector's raw view.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { RawMessage } from "../contract/chat.js";
import { ChatStore } from "./index.js";

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "hearth-exchange-"));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const exchange: RawMessage[] = [
  {
    direction: "sent",
    at: 1_700_000_000_010,
    message: { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "get_weather", arguments: { city: "Paris" }, _meta: { progressToken: 3 } } },
  },
  { direction: "received", at: 1_700_000_000_020, message: { jsonrpc: "2.0", method: "notifications/progress", params: { progressToken: 3, progress: 1, total: 2 } } },
  { direction: "received", at: 1_700_000_000_031, message: { jsonrpc: "2.0", id: 3, result: { content: [{ type: "text", text: "sunny, 24 °C in Paris" }] } } },
];

it("stores a finished call's exchange and reads it back after reopening", () => {
  const file = join(folder, "hearth.db");
  const store = ChatStore.open(file);
  const { id } = store.createConversation();
  store.addToolCall({ id: "call-1", conversationId: id, turnId: "turn-1", name: "weather_get_weather", arguments: { city: "Paris" }, startedAt: 1_700_000_000_000 });
  store.addToolCall({ id: "call-2", conversationId: id, turnId: "turn-1", name: "weather_get_weather", arguments: {}, startedAt: 1_700_000_000_001 });
  store.updateToolCall("call-1", { status: "ok", exchange, durationMs: 21, finishedAt: 1_700_000_000_031 });
  store.updateToolCall("call-2", { status: "denied", finishedAt: 1_700_000_000_002 });
  store.close();

  using again = ChatStore.open(file);
  const [ran, denied] = again.toolCalls(id);
  expect(ran!.exchange).toStrictEqual(exchange);
  // A call that never reached its server has no exchange at all, not an empty one.
  expect(denied).not.toHaveProperty("exchange");
  // A later patch without an exchange leaves the stored one as it is.
  again.updateToolCall("call-1", { error: "late" });
  expect(again.toolCalls(id)[0]!.exchange).toStrictEqual(exchange);
});

it("refuses an exchange that does not fit the contract", () => {
  using store = ChatStore.open(":memory:");
  const { id } = store.createConversation();
  store.addToolCall({ id: "call-1", conversationId: id, turnId: "turn-1", name: "t", arguments: {}, startedAt: 1 });
  const wrong = [{ direction: "sideways", at: 1, message: {} }] as unknown as RawMessage[];
  expect(() => store.updateToolCall("call-1", { exchange: wrong })).toThrow(expect.objectContaining({ code: "invalid_value" }));
  expect(store.toolCalls(id)[0]).not.toHaveProperty("exchange");
});
