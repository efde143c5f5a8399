import { afterEach, describe, expect, it, vi } from "vitest";
import { BridgeClientError, bridgeUrl, createPreloadClient, tokenFromHash, type PreloadBinding } from "./client.js";
import { createWebSocketClient, type SocketLike } from "./websocket-client.js";

/** A socket the test drives: it records what is sent and opens, answers and closes on demand. */
class FakeSocket implements SocketLike {
  static made: FakeSocket[] = [];
  readyState = 0;
  sent: unknown[] = [];
  onopen: SocketLike["onopen"] = null;
  onclose: SocketLike["onclose"] = null;
  onerror: SocketLike["onerror"] = null;
  onmessage: SocketLike["onmessage"] = null;

  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(): void {
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.call(this as never, {} as Event);
  }
  receive(message: unknown): void {
    this.onmessage?.call(this as never, { data: JSON.stringify(message) } as MessageEvent);
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.call(this as never, {} as CloseEvent);
  }
}

function socketClient() {
  FakeSocket.made = [];
  const client = createWebSocketClient({ url: "ws://h/bridge?token=x", createSocket: (url) => new FakeSocket(url), firstRetryMs: 100, maxRetryMs: 400 });
  const latest = () => FakeSocket.made.at(-1)!;
  return { client, latest };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("the preload client", () => {
  it("unwraps outputs and turns refusals into BridgeClientError", async () => {
    const binding: PreloadBinding = {
      invoke: vi.fn(async (channel: string) => (channel === "model.getStatus" ? { ok: true as const, output: { state: "none" } } : { ok: false as const, error: { code: "not_found", message: "gone" } })),
      on: vi.fn(() => () => {}),
    };
    const client = createPreloadClient(binding);
    await expect(client.invoke("model.getStatus", {})).resolves.toEqual({ state: "none" });
    const failure = await client.invoke("conversations.open", { id: "x" }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BridgeClientError);
    expect(failure).toMatchObject({ code: "not_found", message: "gone" });
  });

  it("reports a rejected IPC call with a code", async () => {
    const client = createPreloadClient({ invoke: () => Promise.reject(new Error("ipc down")), on: () => () => {} });
    await expect(client.invoke("app.getInfo", {})).rejects.toMatchObject({ code: "ipc_failed", message: "ipc down" });
  });
});

describe("the address helpers", () => {
  it("reads the token from the fragment and builds the bridge address on the page's host", () => {
    expect(tokenFromHash("#token=a%2Bb&x=1")).toBe("a+b");
    expect(tokenFromHash("")).toBeUndefined();
    expect(bridgeUrl({ protocol: "http:", host: "127.0.0.1:1234" }, "a+b")).toBe("ws://127.0.0.1:1234/bridge?token=a%2Bb");
    expect(bridgeUrl({ protocol: "https:", host: "h" }, "t")).toBe("wss://h/bridge?token=t");
  });
});

describe("the WebSocket client", () => {
  it("holds calls until the socket opens, then matches answers by id", async () => {
    const { client, latest } = socketClient();
    const statuses: string[] = [];
    client.onStatus((status) => statuses.push(status));
    const call = client.invoke("conversations.list", {});
    expect(latest().sent).toEqual([]);
    latest().open();
    expect(latest().sent).toEqual([{ id: 1, channel: "conversations.list", input: {} }]);
    latest().receive({ id: 1, ok: true, output: [] });
    await expect(call).resolves.toEqual([]);
    expect(statuses).toEqual(["connecting", "open"]);
  });

  it("rejects refused calls with their code", async () => {
    const { client, latest } = socketClient();
    latest().open();
    const call = client.invoke("chat.send", { conversationId: "c", text: "hi" });
    latest().receive({ id: 1, ok: false, error: { code: "busy", message: "answering already" } });
    await expect(call).rejects.toMatchObject({ name: "BridgeClientError", code: "busy", message: "answering already" });
  });

  it("passes events to their listeners until they unsubscribe", () => {
    const { client, latest } = socketClient();
    latest().open();
    const seen: unknown[] = [];
    const off = client.on("model.statusChanged", (payload) => seen.push(payload));
    latest().receive({ event: "model.statusChanged", payload: { state: "loading" } });
    latest().receive({ event: "mcp.serverStateChanged", payload: {} });
    off();
    latest().receive({ event: "model.statusChanged", payload: { state: "loaded" } });
    expect(seen).toEqual([{ state: "loading" }]);
  });

  it("rejects pending calls when the socket closes, and reconnects with a growing delay", async () => {
    vi.useFakeTimers();
    const { client, latest } = socketClient();
    latest().open();
    const call = client.invoke("mcp.listServers", {});
    latest().drop();
    await expect(call).rejects.toMatchObject({ code: "disconnected" });
    expect(FakeSocket.made).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(FakeSocket.made).toHaveLength(2);
    latest().drop();
    vi.advanceTimersByTime(199);
    expect(FakeSocket.made).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.made).toHaveLength(3);
    latest().open();
    const again = client.invoke("mcp.listServers", {});
    latest().receive({ id: 2, ok: true, output: [] });
    await expect(again).resolves.toEqual([]);
  });

  it("stops for good once closed", async () => {
    vi.useFakeTimers();
    const { client, latest } = socketClient();
    latest().open();
    const call = client.invoke("mcp.listServers", {});
    client.close();
    await expect(call).rejects.toMatchObject({ code: "closed" });
    vi.advanceTimersByTime(10_000);
    expect(FakeSocket.made).toHaveLength(1);
    await expect(client.invoke("mcp.listServers", {})).rejects.toMatchObject({ code: "closed" });
  });

  it("ignores text that is not a message", () => {
    const { latest } = socketClient();
    latest().open();
    expect(() => latest().onmessage?.call(latest() as never, { data: "not json" } as MessageEvent)).not.toThrow();
  });
});
