// The WebSocket bridge of `hearth serve --ui`, as the browser UI meets it: a real
// HearthServer on a free loopback port (the scripted model through real llama.cpp, the
// weather MCP server over stdio), the bridge attached with a token and the core's
// handlers, and clients speaking the `ws` protocol.
import { fixedModelHost } from "../../app/fixed-model-host.js";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createCoreHandlers, type CoreHandlers } from "../../app/bridge/core-handlers.js";
import type { TurnEvent } from "../../app/contract/chat.js";
import type { BridgeError } from "../../app/contract/channels.js";
import { ModelSlots } from "../../app/server/model-slots.js";
import { HearthServer } from "../../app/server/server.js";
import { attachUiBridge, UI_BRIDGE_MAX_MESSAGE_BYTES, UI_BRIDGE_PATH, type UiBridge } from "../../app/server/ui-bridge.js";
import { ChatStore } from "../../app/store/index.js";
import { McpPool } from "../../mcp/index.js";
import { SUNNY, ScriptedModel } from "../chat/turn-fixture.js";
import { weatherProcessSource } from "../fixtures/weather-server.js";

const TOKEN = "correct-horse-battery-staple";

type Reply = { id: number | null; ok: true; output: unknown } | { id: number | null; ok: false; error: BridgeError };
type Pushed = { event: string; payload: unknown };

/** A client of the bridge: numbered calls and the events pushed to it. */
class BridgeClient {
  readonly events: Pushed[] = [];
  readonly replies: Reply[] = [];
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: Reply) => void>();
  private readonly watchers = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as Reply | Pushed;
      if ("event" in message) this.events.push(message);
      else {
        this.replies.push(message);
        if (typeof message.id === "number") this.waiting.get(message.id)?.(message);
      }
      for (const watcher of this.watchers) watcher();
    });
  }

  static connect(url: string, options: WebSocket.ClientOptions = {}): Promise<BridgeClient> {
    const socket = new WebSocket(url, options);
    return new Promise((resolve, reject) => {
      socket.once("open", () => resolve(new BridgeClient(socket)));
      socket.once("error", reject);
    });
  }

  call(channel: string, input: unknown): Promise<Reply> {
    const id = this.nextId++;
    return this.send({ id, channel, input }, id);
  }

  /** Sends raw text; resolves with the reply to `id` (or the next reply when `id` is null). */
  send(message: unknown, id: number | null = null): Promise<Reply> {
    return new Promise((resolve) => {
      if (id !== null) this.waiting.set(id, resolve);
      else {
        const count = this.replies.length;
        void this.until(() => this.replies.length > count).then(() => resolve(this.replies[count]!));
      }
      this.socket.send(typeof message === "string" ? message : JSON.stringify(message));
    });
  }

  /** Resolves once `condition` holds after a message. */
  until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("timed out waiting on the bridge")), timeoutMs);
      const watcher = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.watchers.delete(watcher);
        resolve();
      };
      this.watchers.add(watcher);
    });
  }

  turnEvents(): TurnEvent[] {
    return this.events.filter((event) => event.event === "chat.turnUpdated").map((event) => event.payload as TurnEvent);
  }

  closed(): Promise<{ code: number; reason: string }> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve({ code: 0, reason: "" });
    return new Promise((resolve) => this.socket.once("close", (code, reason) => resolve({ code, reason: String(reason) })));
  }

  close(): void {
    this.socket.close();
  }
}

/** The HTTP status an upgrade is refused with (rejects when it is accepted). */
function refusal(url: string, options: WebSocket.ClientOptions = {}): Promise<number> {
  const socket = new WebSocket(url, options);
  return new Promise((resolve, reject) => {
    socket.once("unexpected-response", (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once("open", () => {
      socket.close();
      reject(new Error("the bridge accepted the connection"));
    });
    socket.once("error", (error) => reject(error));
  });
}

describe("the UI bridge over WebSocket", () => {
  const model = new ScriptedModel();
  let folder: string;
  let store: ChatStore;
  let pool: McpPool;
  let server: HearthServer;
  let core: CoreHandlers;
  let bridge: UiBridge;
  let base: string;
  const clients: BridgeClient[] = [];

  beforeAll(async () => {
    await model.load();
    folder = await mkdtemp(join(tmpdir(), "hearth-ui-bridge-"));
    store = ChatStore.open(join(folder, "hearth.db"));
    pool = new McpPool({ autoRestart: false });
    await pool.apply({ servers: [{ id: "weather", source: weatherProcessSource(), enabled: true, resources: [] }], auto_register_tools: true, tool_timeout_secs: 30, max_concurrent_calls: 10 });
    // One runner for both: it queues its runs, as the model slots of the HTTP API do.
    const runner = await model.runner();
    server = await HearthServer.start({ port: 0, model: { id: "scripted-toolcall", description: runner.description }, slots: new ModelSlots([runner]), pool });
    const port = Number(new URL(server.url).port);
    core = createCoreHandlers({
      store,
      pool,
      models: fixedModelHost(runner),
      binding: "websocket",
      version: "0.1.0",
      emit: (channel, payload) => bridge.emit(channel, payload),
    });
    bridge = attachUiBridge({ httpServer: server.httpServer, host: "127.0.0.1", port }, core.handlers, { token: TOKEN });
    base = `ws://127.0.0.1:${port}${UI_BRIDGE_PATH}`;
  }, 120_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    core?.dispose();
    await bridge?.close();
    await server?.close();
    await pool?.close();
    store?.close();
    await model.dispose();
    if (folder) await rm(folder, { recursive: true, force: true });
  }, 30_000);

  async function connect(options: WebSocket.ClientOptions = {}): Promise<BridgeClient> {
    const client = await BridgeClient.connect(`${base}?token=${encodeURIComponent(TOKEN)}`, options);
    clients.push(client);
    return client;
  }

  it("refuses a missing or wrong token with 401", async () => {
    expect(await refusal(base)).toBe(401);
    expect(await refusal(`${base}?token=`)).toBe(401);
    expect(await refusal(`${base}?token=wrong`)).toBe(401);
    expect(await refusal(`${base}?token=${TOKEN}x`)).toBe(401);
  });

  it("refuses a foreign Origin with 403, even with the token", async () => {
    const withToken = `${base}?token=${TOKEN}`;
    expect(await refusal(withToken, { origin: "https://evil.example" })).toBe(403);
    expect(await refusal(withToken, { origin: "null" })).toBe(403);
    expect(await refusal(withToken, { headers: { host: "evil.example" } })).toBe(403);
    // The server's own page may connect.
    const port = new URL(server.url).port;
    const own = await connect({ origin: `http://localhost:${port}` });
    expect((await own.call("app.getInfo", {})).ok).toBe(true);
  });

  it("answers other upgrade paths with 404, and the HTTP API still works", async () => {
    expect(await refusal(base.replace(UI_BRIDGE_PATH, "/elsewhere") + `?token=${TOKEN}`)).toBe(404);
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
  });

  it("answers calls with the contract's replies, and malformed messages with bad_message", async () => {
    const client = await connect();
    expect(await client.call("app.getInfo", {})).toEqual({ id: 1, ok: true, output: { version: "0.1.0", binding: "websocket" } });
    expect(await client.call("conversations.open", { id: "nope" })).toMatchObject({ id: 2, ok: false, error: { code: "not_found" } });
    expect(await client.call("conversations.rename", { id: "x", title: "" })).toMatchObject({ id: 3, ok: false, error: { code: "invalid_input", message: expect.stringContaining("title") } });
    expect(await client.call("no.such", {})).toMatchObject({ id: 4, ok: false, error: { code: "unknown_channel" } });
    expect(await client.send("{not json")).toEqual({ id: null, ok: false, error: { code: "bad_message", message: expect.any(String) } });
    expect(await client.send({ channel: "app.getInfo" })).toMatchObject({ id: null, ok: false, error: { code: "bad_message" } });
    expect(await client.send({ id: 7, channel: 42 })).toMatchObject({ id: 7, ok: false, error: { code: "bad_message" } });
    // Still usable afterwards.
    expect(await client.call("mcp.listServers", {})).toEqual({ id: 5, ok: true, output: [{ id: "weather", transport: "Process", enabled: true, status: "running", tools: 1 }] });
  });

  it("closes the socket of a message over 1 MiB", async () => {
    const client = await connect();
    const closed = client.closed();
    client.socket.send(JSON.stringify({ id: 1, channel: "conversations.create", input: { title: "x".repeat(UI_BRIDGE_MAX_MESSAGE_BYTES) } }));
    expect((await closed).code).toBe(1009);
    expect(store.listConversations()).toEqual([]);
  });

  it("runs a turn: create, send, approve when asked, and the turn's events through to turnFinished", async () => {
    const client = await connect();
    const watcher = await connect();
    client.socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as Pushed;
      const event = message.payload as TurnEvent | undefined;
      if (message.event === "chat.turnUpdated" && event?.type === "approvalRequested") void client.call("approvals.answer", { toolCallId: event.toolCallId, answer: "allow" });
    });

    const created = await client.call("conversations.create", { title: "Paris" });
    expect(created).toMatchObject({ ok: true, output: { title: "Paris" } });
    const conversationId = (created as { output: { id: string } }).output.id;
    await client.until(() => client.events.some((event) => event.event === "conversations.changed"));
    expect(client.events).toEqual([{ event: "conversations.changed", payload: { id: conversationId } }]);

    const sent = await client.call("chat.send", { conversationId, text: "Weather?" });
    expect(sent).toMatchObject({ ok: true, output: { turnId: expect.any(String) } });
    const turnId = (sent as { output: { turnId: string } }).output.turnId;
    await client.until(() => client.turnEvents().some((event) => event.type === "turnFinished"));

    const types = client.turnEvents().map((event) => event.type).filter((type, index, all) => type !== "textDelta" || all[index - 1] !== "textDelta");
    expect(types).toEqual(["turnStarted", "toolCallRequested", "approvalRequested", "approvalAnswered", "toolCallStarted", "toolCallFinished", "textDelta", "turnFinished"]);
    expect(client.turnEvents().every((event) => event.turnId === turnId)).toBe(true);
    expect(client.turnEvents().at(-1)).toMatchObject({ type: "turnFinished", stopReason: "stop", text: SUNNY });
    expect(client.turnEvents().find((event) => event.type === "approvalAnswered")).toMatchObject({ answer: "allow", by: "user" });
    expect(client.replies).toContainEqual(expect.objectContaining({ ok: true, output: { answered: true } }));

    // Every open socket hears the events, not only the one that asked.
    await watcher.until(() => watcher.turnEvents().some((event) => event.type === "turnFinished"));
    expect(watcher.turnEvents().map((event) => event.id)).toEqual(client.turnEvents().map((event) => event.id));

    await client.until(() => client.events.filter((event) => event.event === "conversations.changed").length === 2);
    const opened = await client.call("conversations.open", { id: conversationId });
    expect(opened).toMatchObject({ ok: true, output: { conversation: { id: conversationId }, toolCalls: [{ status: "ok", serverId: "weather" }] } });
  }, 60_000);

  it("close() ends every client with 1001 and refuses new ones", async () => {
    const client = await connect();
    const closed = client.closed();
    await bridge.close();
    expect((await closed).code).toBe(1001);
    // Nothing handles /bridge upgrades any more: Node hands them to Fastify as plain requests.
    expect(await refusal(`${base}?token=${TOKEN}`)).toBe(404);
  });
});
