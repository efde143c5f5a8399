// A Hearth process for the kill -9 test (crash.test.ts): it opens the store at argv[2],
// starts the weather server (slow: it answers after a minute; argv[3] is a marker for
// `ps`) and runs a turn. It prints `call-started <conversationId> <turnId>` once the tool
// call is under way, then waits to be killed.
import { McpPool } from "../../mcp/index.js";
import { Chats } from "../../app/chat/chats.js";
import { ChatStore } from "../../app/store/index.js";
import { weatherProcessSource } from "../fixtures/weather-server.js";
import { ScriptedModel } from "./turn-fixture.js";

const [path, marker] = process.argv.slice(2) as [string, string];
const store = ChatStore.open(path);
const source = weatherProcessSource({ mode: "slow", delayMs: 60_000, annotations: "readonly" });
source.args.push(marker);
const pool = new McpPool({ autoRestart: false });
await pool.apply({ servers: [{ id: "weather", source, enabled: true, resources: [] }], auto_register_tools: true, tool_timeout_secs: 120, max_concurrent_calls: 10 });
const model = new ScriptedModel();
await model.load();
const chats = new Chats({ store, pool, runner: await model.runner() });
const conversation = store.createConversation({ title: "Paris weather" });
await chats.send(conversation.id, "What's the weather in Paris?", {
  onEvent: (event) => {
    if (event.type === "toolCallStarted") process.stdout.write(`call-started ${conversation.id} ${event.turnId}\n`);
  },
});
