// The core behind the contract, end to end: a real ChatStore on a temporary file, a real
// McpPool running the weather server over stdio, and the scripted model (real llama.cpp).
// Handlers are called through `dispatch`, as both bindings call them, so every output is
// also checked against the contract.
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { McpPool } from "../../mcp/index.js";
import type { ChatRunner } from "../../models/runner.js";
import { SUNNY, ScriptedModel } from "../../tests/chat/turn-fixture.js";
import { SCRIPTED_MODEL } from "../../tests/fixtures/models.js";
import { weatherProcessSource, type WeatherOptions } from "../../tests/fixtures/weather-server.js";
import type { TurnEvent, TurnEventOf } from "../contract/chat.js";
import type { EventChannel, EventPayload, InvokeChannel, InvokeInput, InvokeOutput } from "../contract/channels.js";
import { fixedModelHost } from "../fixed-model-host.js";
import { LocalModelHost } from "../local-model-host.js";
import type { ModelHost } from "../model-host.js";
import { ChatStore } from "../store/index.js";
import { createCoreHandlers, type CoreHandlers } from "./core-handlers.js";
import { dispatch } from "./dispatch.js";

const model = new ScriptedModel();
beforeAll(() => model.load(), 60_000);
afterAll(() => model.dispose());

type Sent = { [Channel in EventChannel]: { channel: Channel; payload: EventPayload<Channel> } }[EventChannel];

/** One test's core: store, pool (weather over stdio), model, handlers, and the events they sent. */
class World {
  readonly sent: Sent[] = [];
  private readonly listeners = new Set<(event: Sent) => void>();
  core!: CoreHandlers;
  store!: ChatStore;
  pool!: McpPool;
  models!: ModelHost;
  private folder = "";

  /** `models` replaces the scripted model's runner (the world disposes it). */
  static async start(weather: WeatherOptions = {}, options: { noModel?: boolean; models?: (folder: string) => Promise<ModelHost> } = {}): Promise<World> {
    const world = new World();
    world.folder = await mkdtemp(join(tmpdir(), "hearth-bridge-"));
    world.store = ChatStore.open(join(world.folder, "hearth.db"));
    world.pool = new McpPool({ autoRestart: false });
    await world.pool.apply({
      servers: [
        { id: "weather", name: "Weather", source: weatherProcessSource(weather), enabled: true, resources: [] },
        { id: "off", source: { type: "Http", url: "http://127.0.0.1:9/mcp" }, enabled: false, resources: [] },
      ],
      auto_register_tools: true,
      tool_timeout_secs: 30,
      max_concurrent_calls: 10,
    });
    const runner: ChatRunner | undefined = options.noModel || options.models ? undefined : await model.runner();
    world.models = options.models ? await options.models(world.folder) : fixedModelHost(runner);
    world.core = createCoreHandlers({
      store: world.store,
      pool: world.pool,
      models: world.models,
      binding: "electron",
      version: "9.9.9",
      emit: (channel, payload) => {
        const event = { channel, payload } as Sent;
        world.sent.push(event);
        for (const listener of world.listeners) listener(event);
      },
    });
    return world;
  }

  /** Calls a channel as a binding does; a failure rejects with its `{ code, message }`. */
  async invoke<Channel extends InvokeChannel>(channel: Channel, input: InvokeInput<Channel>): Promise<InvokeOutput<Channel>> {
    const result = await dispatch(this.core.handlers, channel, input);
    if (!result.ok) throw result.error;
    return result.output as InvokeOutput<Channel>;
  }

  /** Calls `listener` with every event sent from now on. */
  onEvent(listener: (event: Sent) => void): void {
    this.listeners.add(listener);
  }

  /** The turn events sent so far. */
  turnEvents(): TurnEvent[] {
    return this.sent.flatMap((event) => (event.channel === "chat.turnUpdated" ? [event.payload] : []));
  }

  only<Type extends TurnEvent["type"]>(type: Type): TurnEventOf<Type>[] {
    return this.turnEvents().filter((event): event is TurnEventOf<Type> => event.type === type);
  }

  /** Turn event types in order, text deltas folded into one. */
  turnEventTypes(): string[] {
    return this.turnEvents()
      .map((event) => event.type)
      .filter((type, index, types) => type !== "textDelta" || types[index - 1] !== "textDelta");
  }

  /** Resolves with the first event (sent already or later) that `match` accepts. */
  waitFor(match: (event: Sent) => boolean, timeoutMs = 30_000): Promise<Sent> {
    const found = this.sent.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no such event arrived")), timeoutMs);
      const listener = (event: Sent) => {
        if (!match(event)) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(event);
      };
      this.listeners.add(listener);
    });
  }

  /** The turn's `turnFinished`, once its `conversations.changed` has been sent too. */
  async finished(conversationId: string): Promise<TurnEventOf<"turnFinished">> {
    await this.waitFor((event) => event.channel === "conversations.changed" && event.payload.id === conversationId && this.only("turnFinished").length > 0);
    return this.only("turnFinished").at(-1)!;
  }

  async close(): Promise<void> {
    this.core?.dispose();
    await this.models?.dispose();
    await this.pool?.close();
    this.store?.close();
    await rm(this.folder, { recursive: true, force: true });
  }
}

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
  await model.disposeContexts();
});

describe("chat.send", () => {
  it("starts the turn, streams its events in order, and runs the call the user allows", async () => {
    world = await World.start();
    const w = world;
    const answers: Array<Promise<InvokeOutput<"approvals.answer">>> = [];
    // Answered at once, from inside the event: before the turn has even asked.
    w.onEvent((event) => {
      if (event.channel === "chat.turnUpdated" && event.payload.type === "approvalRequested") {
        answers.push(w.invoke("approvals.answer", { toolCallId: event.payload.toolCallId, answer: "allow" }));
      }
    });
    const conversation = await w.invoke("conversations.create", { title: "Paris" });
    expect(w.sent).toEqual([{ channel: "conversations.changed", payload: { id: conversation.id } }]);

    const { turnId } = await w.invoke("chat.send", { conversationId: conversation.id, text: "Weather?" });
    expect(w.turnEvents()[0]).toMatchObject({ type: "turnStarted", turnId, conversationId: conversation.id, tools: ["get_weather"] });
    const finished = await w.finished(conversation.id);

    expect(finished).toMatchObject({ turnId, stopReason: "stop", text: SUNNY });
    expect(w.turnEventTypes()).toEqual([
      "turnStarted",
      "toolCallRequested",
      "approvalRequested",
      "approvalAnswered",
      "toolCallStarted",
      "toolCallFinished",
      "textDelta",
      "turnFinished",
    ]);
    expect(w.turnEvents().every((event) => event.turnId === turnId)).toBe(true);
    expect(await Promise.all(answers)).toEqual([{ answered: true }]);
    expect(w.only("approvalAnswered")[0]).toMatchObject({ answer: "allow", by: "user" });
    expect(w.only("toolCallFinished")[0]).toMatchObject({ status: "ok", result: { content: [{ type: "text", text: "sunny, 24 °C in Paris" }] } });
    // The turn's end is announced after its last step.
    expect(w.sent.at(-1)).toEqual({ channel: "conversations.changed", payload: { id: conversation.id } });

    // A question is answered once.
    const toolCallId = w.only("approvalRequested")[0]!.toolCallId;
    expect(await w.invoke("approvals.answer", { toolCallId, answer: "deny" })).toEqual({ answered: false });
    expect(await w.invoke("chat.stop", { turnId })).toEqual({ stopped: false });

    // conversations.open returns what was stored.
    const opened = await w.invoke("conversations.open", { id: conversation.id });
    expect(opened.conversation).toMatchObject({ id: conversation.id, title: "Paris" });
    expect(opened.messages.map((message) => message.role)).toEqual(["user", "assistant", "tool", "assistant"]);
    expect(opened.messages[0]).toMatchObject({ content: "Weather?", turnId });
    expect(opened.messages.at(-1)).toMatchObject({ content: SUNNY, status: "complete" });
    expect(opened.toolCalls).toEqual([expect.objectContaining({ id: toolCallId, turnId, serverId: "weather", toolName: "get_weather", status: "ok", arguments: { city: "Paris" } })]);
    expect(opened).toEqual({ conversation: w.store.conversation(conversation.id), messages: w.store.messages(conversation.id), toolCalls: w.store.toolCalls(conversation.id) });
  }, 60_000);

  it('"deny" refuses the call: the server is never called and the model is told', async () => {
    world = await World.start();
    const w = world;
    w.onEvent((event) => {
      if (event.channel === "chat.turnUpdated" && event.payload.type === "approvalRequested") {
        const { toolCallId } = event.payload;
        // Answered later, while the turn waits.
        setTimeout(() => void w.invoke("approvals.answer", { toolCallId, answer: "deny" }), 50);
      }
    });
    const { id } = await w.invoke("conversations.create", {});
    await w.invoke("chat.send", { conversationId: id, text: "Weather?" });
    const finished = await w.finished(id);
    expect(finished.stopReason).toBe("stop");
    expect(w.turnEventTypes()).toEqual(["turnStarted", "toolCallRequested", "approvalRequested", "approvalAnswered", "toolCallFinished", "textDelta", "turnFinished"]);
    expect(w.only("approvalAnswered")[0]).toMatchObject({ answer: "deny", by: "user" });
    expect(w.only("toolCallFinished")[0]).toMatchObject({ status: "denied" });
    const { messages, toolCalls } = await w.invoke("conversations.open", { id });
    expect(messages.find((message) => message.role === "tool")).toMatchObject({ isError: true, content: expect.stringContaining("denied") });
    expect(toolCalls[0]).toMatchObject({ status: "denied" });
  }, 60_000);

  it("chat.stop during a slow call ends the turn aborted", async () => {
    world = await World.start({ mode: "slow", delayMs: 20_000, annotations: "readonly" });
    const w = world;
    const { id } = await w.invoke("conversations.create", {});
    const started = performance.now();
    const { turnId } = await w.invoke("chat.send", { conversationId: id, text: "Weather?" });
    await w.waitFor((event) => event.channel === "chat.turnUpdated" && event.payload.type === "toolCallProgress");
    // One turn at a time per conversation.
    await expect(w.invoke("chat.send", { conversationId: id, text: "And now?" })).rejects.toMatchObject({ code: "busy" });
    expect(await w.invoke("chat.stop", { turnId })).toEqual({ stopped: true });
    const finished = await w.finished(id);
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(finished.stopReason).toBe("aborted");
    expect(w.only("toolCallFinished")[0]).toMatchObject({ status: "cancelled" });
    expect(w.store.turn(turnId)).toMatchObject({ status: "finished", stopReason: "aborted" });
    expect(await w.invoke("chat.stop", { turnId })).toEqual({ stopped: false });
  }, 60_000);

  it("chat.stop while a question waits denies it and ends the turn", async () => {
    world = await World.start();
    const w = world;
    const { id } = await w.invoke("conversations.create", {});
    const { turnId } = await w.invoke("chat.send", { conversationId: id, text: "Weather?" });
    const asked = await w.waitFor((event) => event.channel === "chat.turnUpdated" && event.payload.type === "approvalRequested");
    expect(await w.invoke("chat.stop", { turnId })).toEqual({ stopped: true });
    const finished = await w.finished(id);
    expect(finished.stopReason).toBe("aborted");
    expect(w.only("approvalAnswered")[0]).toMatchObject({ answer: "deny" });
    expect(w.only("toolCallFinished")[0]).toMatchObject({ status: "cancelled" });
    // Too late: the question is gone.
    const toolCallId = (asked.payload as TurnEventOf<"approvalRequested">).toolCallId;
    expect(await w.invoke("approvals.answer", { toolCallId, answer: "allow" })).toEqual({ answered: false });
  }, 60_000);

  it("deleting a conversation stops its running turn", async () => {
    world = await World.start();
    const w = world;
    const { id } = await w.invoke("conversations.create", {});
    const { turnId } = await w.invoke("chat.send", { conversationId: id, text: "Weather?" });
    await w.waitFor((event) => event.channel === "chat.turnUpdated" && event.payload.type === "approvalRequested");
    expect(await w.invoke("conversations.delete", { id })).toEqual({ deleted: true });
    // The turn ends at once; what it would still write has nowhere to go.
    await w.waitFor((event) => event.channel === "chat.turnUpdated" && event.payload.type === "turnFinished");
    expect(w.only("approvalAnswered")[0]).toMatchObject({ answer: "deny" });
    expect(await w.invoke("chat.stop", { turnId })).toEqual({ stopped: false });
    expect(w.store.conversation(id)).toBeUndefined();
    expect(w.sent.filter((event) => event.channel === "conversations.changed").at(-1)).toEqual({ channel: "conversations.changed", payload: { id, deleted: true } });
  }, 60_000);

  it("dispose stops running turns and denies their questions", async () => {
    world = await World.start();
    const w = world;
    const { id } = await w.invoke("conversations.create", {});
    await w.invoke("chat.send", { conversationId: id, text: "Weather?" });
    await w.waitFor((event) => event.channel === "chat.turnUpdated" && event.payload.type === "approvalRequested");
    w.core.dispose();
    const finished = await w.finished(id);
    expect(finished.stopReason).toBe("aborted");
    expect(w.only("approvalAnswered")[0]).toMatchObject({ answer: "deny" });
    await expect(w.invoke("chat.send", { conversationId: id, text: "Again?" })).rejects.toMatchObject({ code: "closed" });
    // The pool is no longer followed.
    const before = w.sent.length;
    await w.pool.server("weather")!.restart();
    expect(w.sent.length).toBe(before);
  }, 60_000);
});

describe("errors carry stable codes", () => {
  it("unknown conversations are not_found", async () => {
    world = await World.start();
    const w = world;
    await expect(w.invoke("conversations.open", { id: "nope" })).rejects.toMatchObject({ code: "not_found", message: expect.stringContaining("nope") });
    await expect(w.invoke("chat.send", { conversationId: "nope", text: "Hi" })).rejects.toMatchObject({ code: "not_found" });
    await expect(w.invoke("conversations.rename", { id: "nope", title: "X" })).rejects.toMatchObject({ code: "not_found" });
    await expect(w.invoke("tools.list", { conversationId: "nope" })).rejects.toMatchObject({ code: "not_found" });
    await expect(w.invoke("tools.select", { conversationId: "nope", serverId: "weather", on: false })).rejects.toMatchObject({ code: "not_found" });
    await expect(w.invoke("mcp.restartServer", { id: "nope" })).rejects.toMatchObject({ code: "not_found" });
    await expect(w.invoke("mcp.restartServer", { id: "off" })).rejects.toMatchObject({ code: "not_found", message: expect.stringContaining("disabled") });
    expect(await w.invoke("conversations.delete", { id: "nope" })).toEqual({ deleted: false });
    expect(w.turnEvents()).toEqual([]);
  });

  it("chat.send without a model is no_model, and nothing is stored", async () => {
    world = await World.start({}, { noModel: true });
    const w = world;
    expect(await w.invoke("model.getStatus", {})).toEqual({ state: "none" });
    const { id } = await w.invoke("conversations.create", {});
    await expect(w.invoke("chat.send", { conversationId: id, text: "Hi" })).rejects.toMatchObject({ code: "no_model" });
    expect(w.store.messages(id)).toEqual([]);
    expect(w.turnEvents()).toEqual([]);
  });
});

describe("per conversation: which model", () => {
  /** A models folder with two copies of the scripted model; first.gguf is the default. */
  async function twoModels(folder: string): Promise<ModelHost> {
    const modelsFolder = join(folder, "models");
    await mkdir(modelsFolder);
    await copyFile(SCRIPTED_MODEL, join(modelsFolder, "first.gguf"));
    await copyFile(SCRIPTED_MODEL, join(modelsFolder, "second.gguf"));
    return new LocalModelHost({ modelsFolder, defaultModel: "local:first.gguf", threads: 2, contextSize: 2048, samplingDefaults: { temperature: 0 } });
  }

  /** Sends `text` without tools (the scripted model then answers at once) and waits for the end. */
  async function answer(w: World, conversationId: string, text: string) {
    const { turnId } = await w.invoke("chat.send", { conversationId, text });
    const finished = await w.waitFor((event) => event.channel === "chat.turnUpdated" && event.payload.type === "turnFinished" && event.payload.turnId === turnId, 60_000);
    await w.waitFor((event) => event.channel === "conversations.changed" && event.payload.id === conversationId && w.sent.indexOf(event) > w.sent.indexOf(finished));
    return { turnId, finished: finished.payload as TurnEventOf<"turnFinished"> };
  }

  it("setModel is kept and shown; the turn runs on the chosen model, and null goes back to the default", async () => {
    world = await World.start({}, { models: twoModels });
    const w = world;
    expect(await w.invoke("models.list", {})).toEqual([
      { id: "local:first.gguf", label: "first.gguf", kind: "local", sizeBytes: expect.any(Number), loaded: false, isDefault: true },
      { id: "local:second.gguf", label: "second.gguf", kind: "local", sizeBytes: expect.any(Number), loaded: false, isDefault: false },
    ]);
    expect(await w.invoke("model.getStatus", {})).toEqual({ state: "none" });
    const { id } = await w.invoke("conversations.create", { title: "Second" });
    await w.invoke("tools.select", { conversationId: id, serverId: "weather", on: false });

    const chosen = await w.invoke("conversations.setModel", { id, modelId: "local:second.gguf" });
    expect(chosen).toMatchObject({ id, modelId: "local:second.gguf" });
    expect(w.sent.at(-1)).toEqual({ channel: "conversations.changed", payload: { id } });
    expect((await w.invoke("conversations.open", { id })).conversation.modelId).toBe("local:second.gguf");
    expect((await w.invoke("conversations.list", {})).find((conversation) => conversation.id === id)?.modelId).toBe("local:second.gguf");

    const first = await answer(w, id, "Capital of France?");
    expect(first.finished.text).toBe("The capital of France is Paris.");
    expect(w.store.turn(first.turnId)?.model).toContain("second.gguf");
    expect((await w.invoke("conversations.open", { id })).conversation.model).toContain("second.gguf");
    const statuses = () => w.sent.flatMap((event) => (event.channel === "model.statusChanged" ? [event.payload] : []));
    // Loading reports progress as more "loading" statuses: only the changes of state count here.
    const stateChanges = () => statuses().map((status) => status.state).filter((state, index, all) => state !== all[index - 1]);
    expect(stateChanges()).toEqual(["loading", "loaded"]);
    expect(statuses().at(-1)?.description).toContain("second.gguf");
    expect(await w.invoke("model.getStatus", {})).toMatchObject({ state: "loaded", description: expect.stringContaining("second.gguf") });
    expect((await w.invoke("models.list", {})).map((choice) => `${choice.id}:${choice.loaded}`)).toEqual(["local:first.gguf:false", "local:second.gguf:true"]);

    const back = await w.invoke("conversations.setModel", { id, modelId: null });
    expect(back.modelId).toBeUndefined();
    expect((await w.invoke("conversations.open", { id })).conversation.modelId).toBeUndefined();
    const second = await answer(w, id, "And again?");
    expect(w.store.turn(second.turnId)?.model).toContain("first.gguf");
    expect(stateChanges()).toEqual(["loading", "loaded", "loading", "loaded"]);
    expect(statuses().at(-1)?.description).toContain("first.gguf");
  }, 120_000);

  it("setModel refuses an id models.list does not offer, naming it, and an unknown conversation", async () => {
    world = await World.start();
    const w = world;
    const { id } = await w.invoke("conversations.create", {});
    const [only] = await w.invoke("models.list", {});
    expect(only).toMatchObject({ kind: "local", loaded: true, isDefault: true });
    await expect(w.invoke("conversations.setModel", { id, modelId: "local:missing.gguf" })).rejects.toMatchObject({ code: "model_not_found", message: expect.stringContaining("local:missing.gguf") });
    await expect(w.invoke("conversations.setModel", { id: "nope", modelId: only!.id })).rejects.toMatchObject({ code: "not_found" });
    expect(w.store.conversation(id)?.modelId).toBeUndefined();
    expect(await w.invoke("conversations.setModel", { id, modelId: only!.id })).toMatchObject({ modelId: only!.id });
  });
});

describe("conversations, tools, rules and servers", () => {
  it("conversations.* map onto the store and announce changes", async () => {
    world = await World.start();
    const w = world;
    expect(await w.invoke("app.getInfo", {})).toEqual({ version: "9.9.9", binding: "electron" });
    const first = await w.invoke("conversations.create", { title: "First", systemPrompt: "Be brief." });
    const second = await w.invoke("conversations.create", {});
    expect(second.title).toBe("New conversation");
    const renamed = await w.invoke("conversations.rename", { id: first.id, title: "Renamed" });
    expect(renamed).toMatchObject({ id: first.id, title: "Renamed", systemPrompt: "Be brief." });
    expect((await w.invoke("conversations.list", {})).map((conversation) => conversation.id).sort()).toEqual([first.id, second.id].sort());
    expect(await w.invoke("conversations.list", { limit: 1, offset: 1 })).toHaveLength(1);
    expect(await w.invoke("conversations.delete", { id: second.id })).toEqual({ deleted: true });
    expect(w.sent).toEqual([
      { channel: "conversations.changed", payload: { id: first.id } },
      { channel: "conversations.changed", payload: { id: second.id } },
      { channel: "conversations.changed", payload: { id: first.id } },
      { channel: "conversations.changed", payload: { id: second.id, deleted: true } },
    ]);
    w.store.addMessage(first.id, { role: "user", content: "tell me about lighthouses" });
    expect(await w.invoke("conversations.search", { query: "lighthouse" })).toEqual([expect.objectContaining({ conversationId: first.id, conversationTitle: "Renamed", role: "user" })]);
  });

  it("tools.list and tools.select use the conversation's selection; approval rules can be listed and removed", async () => {
    world = await World.start();
    const w = world;
    const { id } = await w.invoke("conversations.create", {});
    expect(await w.invoke("tools.list", { conversationId: id })).toEqual([
      { name: "get_weather", serverId: "weather", toolName: "get_weather", description: expect.any(String), selected: true, policy: "ask" },
    ]);
    expect(await w.invoke("tools.select", { conversationId: id, serverId: "weather", toolName: "get_weather", on: false })).toEqual({ servers: {}, tools: { "weather/get_weather": false } });
    expect((await w.invoke("tools.list", { conversationId: id }))[0]).toMatchObject({ selected: false });

    w.store.setApprovalRule({ serverId: "weather", toolName: "get_weather", policy: "always" });
    expect(await w.invoke("approvals.listRules", {})).toEqual([{ serverId: "weather", toolName: "get_weather", policy: "always", createdAt: expect.any(Number) }]);
    expect((await w.invoke("tools.list", { conversationId: id }))[0]).toMatchObject({ policy: "always" });
    expect(await w.invoke("approvals.removeRule", { serverId: "weather", toolName: "get_weather" })).toEqual({ removed: true });
    expect(await w.invoke("approvals.removeRule", { serverId: "weather", toolName: "get_weather" })).toEqual({ removed: false });
    expect(await w.invoke("approvals.listRules", {})).toEqual([]);
  });

  it("mcp.listServers shows the weather server running with 1 tool; a restart is followed by events", async () => {
    world = await World.start();
    const w = world;
    expect(await w.invoke("mcp.listServers", {})).toEqual([
      { id: "weather", name: "Weather", transport: "Process", enabled: true, status: "running", tools: 1 },
      { id: "off", transport: "Http", enabled: false, status: "disabled", tools: 0 },
    ]);
    const restarted = await w.invoke("mcp.restartServer", { id: "weather" });
    expect(restarted).toEqual({ id: "weather", name: "Weather", transport: "Process", enabled: true, status: "running", tools: 1 });
    const states = w.sent.flatMap((event) => (event.channel === "mcp.serverStateChanged" ? [event.payload] : []));
    expect(states.map((summary) => `${summary.status}:${summary.tools}`)).toEqual(["stopped:0", "starting:0", "running:1"]);
  });

  it("a server that fails is an error state with its stderr lines", async () => {
    world = await World.start();
    const w = world;
    // The config changes to a server that dies at once, saying why on stderr.
    const connection = w.pool.server("weather")!;
    const failed = w.waitFor((event) => event.channel === "mcp.serverStateChanged" && event.payload.status === "error");
    await w.pool.apply({
      servers: [{ id: "weather", source: { type: "Process", command: process.execPath, args: ["-e", "console.error('no weather today'); process.exit(2)"], env: {} }, enabled: true, resources: [] }],
      auto_register_tools: true,
      tool_timeout_secs: 30,
      max_concurrent_calls: 10,
    });
    expect(connection.state.status).toBe("stopped");
    const summary = (await failed).payload as EventPayload<"mcp.serverStateChanged">;
    expect(summary).toMatchObject({ id: "weather", transport: "Process", status: "error", error: expect.any(String), tools: 0 });
    expect(summary.stderr).toEqual(expect.arrayContaining([expect.stringContaining("no weather today")]));
    expect((await w.invoke("mcp.listServers", {}))[0]).toMatchObject({ status: "error", stderr: summary.stderr });
  });
});
