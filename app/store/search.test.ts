/**
 * Search as a user types it: words, the last as a prefix, best match first, one
 * conversation or all, and never an error for what the FTS5 syntax would choke on.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChatStore, searchQuery } from "./index.js";

let store: ChatStore;
let trip: string;
let recipes: string;

beforeEach(() => {
  store = ChatStore.open(":memory:");
  trip = store.createConversation({ title: "Trip to Zürich" }).id;
  recipes = store.createConversation({ title: "Recipes" }).id;
  store.addMessage(trip, { role: "system", content: "You plan weather-proof trips." });
  store.addMessage(trip, { role: "user", content: "What is the weather in Zürich next week?" });
  store.addMessage(trip, {
    role: "assistant",
    content: "",
    toolCalls: [{ id: "c1", name: "forecast", arguments: { city: "Zürich" } }],
  });
  store.addMessage(trip, { role: "tool", toolCallId: "c1", name: "forecast", content: "weather: rain, umbrella advised" });
  store.addMessage(recipes, { role: "user", content: "A soup for cold weather, please" });
});
afterEach(() => store.close());

/** The text of the message with `id`, wherever it is. */
function messageText(id: string): string | undefined {
  for (const conversation of store.listConversations()) {
    const found = store.messages(conversation.id).find((message) => message.id === id);
    if (found !== undefined) return found.content;
  }
  return undefined;
}

describe("search", () => {
  it("finds words in user and assistant messages, ignoring case and accents, with conversation and snippet", () => {
    const assistant = store.addMessage(trip, { role: "assistant", content: "Expect Rain in Zurich on Monday." });
    const hits = store.search("zurich rain");
    expect(hits).toEqual([
      {
        conversationId: trip,
        conversationTitle: "Trip to Zürich",
        messageId: assistant.id,
        role: "assistant",
        snippet: "Expect [Rain] in [Zurich] on Monday.",
        createdAt: assistant.createdAt,
      },
    ]);
    // The tool result and the system prompt hold "umbrella" and "plan"; they are not searched.
    expect(store.search("umbrella")).toEqual([]);
    expect(store.search("plan")).toEqual([]);
  });

  it("takes the last word as a prefix, and only the last", () => {
    expect(store.search("wea").map((hit) => messageText(hit.messageId))).toEqual(
      expect.arrayContaining(["What is the weather in Zürich next week?", "A soup for cold weather, please"]),
    );
    expect(store.search("wea")).toHaveLength(2);
    expect(store.search("zür").map((hit) => hit.role)).toEqual(["user"]);
    expect(store.search("wea next")).toEqual([]);
    expect(store.search("weather nex").map((hit) => messageText(hit.messageId))).toEqual(["What is the weather in Zürich next week?"]);
  });

  it("needs every word", () => {
    expect(store.search("weather soup").map((hit) => hit.conversationId)).toEqual([recipes]);
    expect(store.search("weather banana")).toEqual([]);
  });

  it("ranks the better match first", () => {
    const conversation = store.createConversation({ title: "Ranking" }).id;
    // Stored first, so only the ranking (not recency) can put it on top.
    const better = store.addMessage(conversation, { role: "assistant", content: "Lighthouse facts: a lighthouse is a lighthouse." });
    const worse = store.addMessage(conversation, {
      role: "user",
      content: "We walked along the long sandy beach for hours and then, far away, saw an old lighthouse near the harbour.",
    });
    expect(store.search("lighthouse").map((hit) => hit.messageId)).toEqual([better.id, worse.id]);
  });

  it("is scoped to one conversation when asked, and respects the limit", () => {
    expect(store.search("weather", { conversationId: recipes }).map((hit) => hit.conversationId)).toEqual([recipes]);
    expect(store.search("weather", { conversationId: trip }).map((hit) => hit.conversationId)).toEqual([trip]);
    expect(store.search("weather", { conversationId: "ghost" })).toEqual([]);
    expect(store.search("weather")).toHaveLength(2);
    expect(store.search("weather", { limit: 1 })).toHaveLength(1);
  });

  it.each(['"', "*", "(", ")", "AND", "OR", "NOT", "-x", "a:b", "NEAR(", "^", "{}", '" * ( ) AND -x a:b', "", "   ", "🙂"])(
    "returns nothing, without throwing, for %j",
    (query) => {
      expect(store.search(query)).toEqual([]);
    },
  );

  it.each(['"weather', "weather*", "(weather)", "-weather", "weather:", 'soup "weather', "weather (", "( soup", "cold, weather!"])(
    "finds the words in %j and ignores the syntax around them",
    (query) => {
      expect(store.search(query).length).toBeGreaterThan(0);
    },
  );

  it("follows updates of messages and deletes of conversations", () => {
    const message = store.addMessage(recipes, { role: "assistant", content: "Try a pumpkin soup." });
    expect(store.search("pumpkin")).toHaveLength(1);
    store.updateMessage(message.id, { content: "Try a lentil soup." });
    expect(store.search("pumpkin")).toEqual([]);
    expect(store.search("lentil").map((hit) => hit.messageId)).toEqual([message.id]);
    store.updateMessage(message.id, { status: "cancelled" });
    expect(store.search("lentil")).toHaveLength(1);
    store.deleteConversation(recipes);
    expect(store.search("lentil")).toEqual([]);
    expect(store.search("soup")).toEqual([]);
    expect(store.search("weather").map((hit) => hit.conversationId)).toEqual([trip]);
  });

  it("marks matches with [ ] and elides long text with …", () => {
    const words = Array.from({ length: 60 }, (_, index) => `filler${index}`);
    words.splice(30, 0, "needle");
    store.addMessage(recipes, { role: "assistant", content: words.join(" ") });
    const [hit] = store.search("needle");
    expect(hit!.snippet).toMatch(/^….*\[needle\].*…$/u);
  });
});

describe("searchQuery", () => {
  it("quotes every word, doubles quotes inside, and makes the last a prefix", () => {
    expect(searchQuery('say "hi" AND bye')).toBe('"say" """hi""" "AND" "bye"*');
    expect(searchQuery("  ( wea  ")).toBe('"wea"*');
    expect(searchQuery('" * -')).toBeUndefined();
  });
});
