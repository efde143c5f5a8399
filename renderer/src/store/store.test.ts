import { describe, expect, it } from "vitest";
import type { Conversation, TurnEvent } from "../../../app/contract/chat.js";
import type { ModelChoice, ServerSummary } from "../../../app/contract/channels.js";
import { BridgeClientError } from "../bridge/types.js";
import { fakeClient, settle, type FakeHandlers } from "./fake-client.js";
import { choiceLabel, defaultChoiceLabel, selectModelChoices } from "./models-slice.js";
import { selectEmptyStateKind, selectNoServers, selectOpenTurn, selectTurnRunning } from "./selectors.js";
import { connectEvents, createHearthStore } from "./store.js";
import { groupToolsByServer } from "./tools-slice.js";

const conversation = (id: string, title = "New conversation"): Conversation => ({ id, title, createdAt: 1, updatedAt: 1 });
const server = (id: string, status: ServerSummary["status"] = "running"): ServerSummary => ({ id, transport: "Process", enabled: true, status, tools: 2 });
const choice = (id: string, extra: Partial<ModelChoice> = {}): ModelChoice => ({ id, label: id.replace(/^local:/, ""), kind: "local", loaded: false, isDefault: false, ...extra });
const CHOICES = [choice("local:first.gguf", { isDefault: true, loaded: true }), choice("local:second.gguf")];
const turnEvent = (body: Record<string, unknown>): TurnEvent => ({ id: `t1:${String(body.type)}`, turnId: "t1", conversationId: "c1", at: 5, ...body }) as TurnEvent;

function setup(handlers: FakeHandlers = {}) {
  const fake = fakeClient({
    "model.getStatus": () => ({ state: "loaded", description: "local: m.gguf" }),
    "mcp.listServers": () => [server("fs")],
    "conversations.list": () => [conversation("c0", "Older")],
    "conversations.create": (input) => conversation("c1", input.title),
    "conversations.open": ({ id }) => ({ conversation: conversation(id), messages: [], toolCalls: [] }),
    "chat.send": () => ({ turnId: "t1" }),
    "chat.stop": () => ({ stopped: true }),
    "tools.list": () => [],
    "models.list": () => CHOICES,
    ...handlers,
  });
  const store = createHearthStore(fake.client);
  connectEvents(store, fake.client);
  return { ...fake, store };
}

describe("the store", () => {
  it("loads model, servers and conversations when the connection opens, and again after it comes back", async () => {
    const { store, setStatus, calls } = setup();
    expect(store.getState().connection).toBe("connecting");
    setStatus("open");
    await settle();
    expect(store.getState()).toMatchObject({ connection: "open", model: { state: "loaded" }, servers: [server("fs")], conversations: [conversation("c0", "Older")], conversationsLoaded: true });
    store.setState({ turns: { c9: { turnId: "t9", running: true, items: [], text: "", toolCalls: {} } } });
    setStatus("closed");
    setStatus("open");
    await settle();
    expect(calls.filter((call) => call.channel === "conversations.list")).toHaveLength(2);
    expect(store.getState().turns).toEqual({});
  });

  it("sends in a new conversation named after the text, then follows the turn to its end", async () => {
    const { store, emit, calls } = setup();
    const sent = store.getState().send("  What is in /tmp?\nPlease list it.  ");
    await settle();
    expect(calls.find((call) => call.channel === "conversations.create")?.input).toEqual({ title: "What is in /tmp?" });
    expect(store.getState().selectedConversationId).toBe("c1");
    expect(selectOpenTurn(store.getState())).toMatchObject({ userText: "What is in /tmp?\nPlease list it.", running: true });
    expect(await sent).toBe(true);

    emit("chat.turnUpdated", turnEvent({ type: "turnStarted", model: "m", tools: [] }));
    emit("chat.turnUpdated", turnEvent({ type: "textDelta", text: "Three files." }));
    expect(selectOpenTurn(store.getState())).toMatchObject({ turnId: "t1", text: "Three files." });
    expect(selectTurnRunning(store.getState())).toBe(true);

    const timings = { totalMs: 10, tokensPerSecond: 50, timeToFirstTokenMs: 30, toolMs: 0 };
    emit("chat.turnUpdated", turnEvent({ type: "turnFinished", stopReason: "stop", text: "Three files.", usage: { promptTokens: 1, completionTokens: 3, evaluatedPromptTokens: 1 }, timings }));
    expect(selectTurnRunning(store.getState())).toBe(false);
    expect(store.getState().answerStats.t1).toMatchObject({ tokensPerSecond: 50, timeToFirstTokenMs: 30 });
    // The finished turn stays until the history that holds it is loaded.
    emit("conversations.changed", { id: "c1" });
    await settle();
    expect(store.getState().turns).toEqual({});
  });

  it("renames a new, empty conversation after its first message", async () => {
    const { store, calls } = setup({ "conversations.rename": ({ id, title }) => conversation(id, title) });
    await store.getState().createConversation();
    await store.getState().send("Plan a trip");
    expect(calls.find((call) => call.channel === "conversations.rename")?.input).toEqual({ id: "c1", title: "Plan a trip" });
  });

  it("takes back a turn the core refused, and says why", async () => {
    const { store } = setup({ "chat.send": () => Promise.reject(new BridgeClientError("no_model", "no model is loaded")) });
    await store.getState().createConversation();
    expect(await store.getState().send("hi")).toBe(false);
    expect(store.getState().turns).toEqual({});
    expect(store.getState().notice).toEqual({ code: "no_model", message: "no model is loaded" });
  });

  it("stops a running turn by its id, and one not yet named as soon as it is", async () => {
    let answer: (value: { turnId: string }) => void = () => {};
    const { store, calls } = setup({ "chat.send": () => new Promise((resolve) => (answer = resolve)) });
    await store.getState().createConversation();
    const sent = store.getState().send("hi");
    await settle();
    await store.getState().stop();
    expect(calls.some((call) => call.channel === "chat.stop")).toBe(false);
    answer({ turnId: "t9" });
    await sent;
    expect(calls.filter((call) => call.channel === "chat.stop").map((call) => call.input)).toEqual([{ turnId: "t9" }]);
  });

  it("forgets a deleted conversation and clears the selection", async () => {
    const { store, emit } = setup();
    await store.getState().createConversation();
    emit("conversations.changed", { id: "c1", deleted: true });
    await settle();
    expect(store.getState().selectedConversationId).toBeUndefined();
    expect(store.getState().conversations.map((known) => known.id)).not.toContain("c1");
  });

  it("keeps only the answer to the newest search", async () => {
    const answers: Array<() => void> = [];
    const { store } = setup({
      "conversations.search": ({ query }) =>
        new Promise((resolve) => answers.push(() => resolve([{ conversationId: "c0", conversationTitle: "Older", messageId: "m", role: "user", snippet: query, createdAt: 1 }]))),
    });
    const first = store.getState().search("cat");
    const second = store.getState().search("cats");
    answers[1]!();
    await second;
    answers[0]!();
    await first;
    expect(store.getState().searchResults.map((hit) => hit.snippet)).toEqual(["cats"]);
    await store.getState().search("");
    expect(store.getState().searchResults).toEqual([]);
  });

  it("follows server and model events", () => {
    const { store, emit } = setup();
    emit("mcp.serverStateChanged", server("git", "starting"));
    emit("mcp.serverStateChanged", { ...server("git", "error"), error: "exited", stderr: ["boom"] });
    expect(store.getState().servers.map((known) => `${known.id}:${known.status}`)).toEqual(["git:error"]);
    emit("model.statusChanged", { state: "loading" });
    expect(store.getState().model).toEqual({ state: "loading" });
  });

  it("switches tools at once and then shows what the core decided", async () => {
    const { store, calls } = setup({
      "tools.list": () => [{ name: "fs_read", serverId: "fs", toolName: "read", selected: false, policy: "ask" }],
      "tools.select": () => ({ servers: {}, tools: {} }),
    });
    await store.getState().createConversation();
    await store.getState().selectTools("fs", "read", true);
    expect(calls.find((call) => call.channel === "tools.select")?.input).toEqual({ conversationId: "c1", serverId: "fs", toolName: "read", on: true });
    expect(store.getState().tools[0]?.selected).toBe(false);
  });
});

describe("the models slice", () => {
  it("lists the models when the connection opens, and again when the model's status changes", async () => {
    let listed = CHOICES;
    const { store, setStatus, emit, calls } = setup({ "models.list": () => listed });
    setStatus("open");
    await settle();
    expect(selectModelChoices(store.getState())).toEqual(CHOICES);
    expect(store.getState().modelChoicesLoaded).toBe(true);

    listed = [choice("local:first.gguf", { isDefault: true }), choice("local:second.gguf", { loaded: true })];
    emit("model.statusChanged", { state: "loaded", description: "local: second.gguf (cpu, 2 threads)" });
    await settle();
    expect(calls.filter((call) => call.channel === "models.list")).toHaveLength(2);
    expect(store.getState().model).toEqual({ state: "loaded", description: "local: second.gguf (cpu, 2 threads)" });
    expect(store.getState().modelChoices.find((known) => known.loaded)?.id).toBe("local:second.gguf");
  });

  it("does not list the models again for a load's progress ticks", async () => {
    const { setStatus, emit, calls } = setup();
    setStatus("open");
    await settle();
    emit("model.statusChanged", { state: "loading", modelId: "local:first.gguf", progress: 0.1 });
    emit("model.statusChanged", { state: "loading", modelId: "local:first.gguf", progress: 0.5 });
    emit("model.statusChanged", { state: "loading", modelId: "local:first.gguf", progress: 0.9 });
    await settle();
    expect(calls.filter((call) => call.channel === "models.list")).toHaveLength(2);
  });

  it("chooses a conversation's model, and back to the default, showing what the core stored", async () => {
    const { store, calls } = setup({
      "conversations.setModel": ({ id, modelId }) => ({ ...conversation(id), ...(modelId === null ? {} : { modelId }) }),
    });
    await store.getState().createConversation();
    await store.getState().chooseModel("c1", "local:second.gguf");
    expect(calls.find((call) => call.channel === "conversations.setModel")?.input).toEqual({ id: "c1", modelId: "local:second.gguf" });
    expect(store.getState().conversations.find((known) => known.id === "c1")?.modelId).toBe("local:second.gguf");
    await store.getState().chooseModel("c1", null);
    expect(store.getState().conversations.find((known) => known.id === "c1")?.modelId).toBeUndefined();
  });

  it("says why a choice was refused", async () => {
    const { store } = setup({ "conversations.setModel": () => Promise.reject(new BridgeClientError("model_not_found", 'no model "local:gone.gguf" is offered')) });
    await store.getState().createConversation();
    await store.getState().chooseModel("c1", "local:gone.gguf");
    expect(store.getState().notice).toEqual({ code: "model_not_found", message: 'no model "local:gone.gguf" is offered' });
    expect(store.getState().conversations.find((known) => known.id === "c1")?.modelId).toBeUndefined();
  });

  it("labels the default option after the default model, and the loaded one", () => {
    expect(defaultChoiceLabel(CHOICES)).toBe("Default (first.gguf)");
    expect(defaultChoiceLabel([choice("local:x.gguf")])).toBe("Default (none)");
    expect(CHOICES.map(choiceLabel)).toEqual(["first.gguf · loaded", "second.gguf"]);
  });
});

describe("selectors", () => {
  it("says why the chat is empty", () => {
    const none = { modelChoices: [], modelChoicesLoaded: true };
    const some = { modelChoices: CHOICES, modelChoicesLoaded: true };
    expect(selectEmptyStateKind({ model: { state: "none" }, ...none, selectedConversationId: "c1", conversationsLoaded: true })).toBe("no-model");
    // Nothing loaded yet, but models to choose from: the first turn loads one.
    expect(selectEmptyStateKind({ model: { state: "none" }, ...some, selectedConversationId: "c1", conversationsLoaded: true })).toBe("new-conversation");
    expect(selectEmptyStateKind({ model: { state: "none" }, modelChoices: [], modelChoicesLoaded: false, selectedConversationId: "c1", conversationsLoaded: true })).toBe("new-conversation");
    expect(selectEmptyStateKind({ model: { state: "loaded" }, ...none, selectedConversationId: undefined, conversationsLoaded: true })).toBe("no-conversation");
    expect(selectEmptyStateKind({ model: { state: "loaded" }, ...some, selectedConversationId: "c1", conversationsLoaded: true })).toBe("new-conversation");
    expect(selectEmptyStateKind({ model: undefined, modelChoices: [], modelChoicesLoaded: false, selectedConversationId: undefined, conversationsLoaded: false })).toBeUndefined();
  });

  it("says there is no server only once the list is loaded", () => {
    expect(selectNoServers({ servers: [], serversLoaded: false })).toBe(false);
    expect(selectNoServers({ servers: [], serversLoaded: true })).toBe(true);
  });

  it("groups tools by server with the state of their switches", () => {
    const tool = (serverId: string, toolName: string, selected: boolean) => ({ name: `${serverId}_${toolName}`, serverId, toolName, selected, policy: "ask" as const });
    const groups = groupToolsByServer([tool("a", "x", true), tool("b", "y", false), tool("a", "z", false)]);
    expect(groups.map((group) => `${group.serverId}:${group.selection}:${group.tools.length}`)).toEqual(["a:some:2", "b:none:1"]);
  });
});
