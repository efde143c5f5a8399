// The desktop app's core as Electron's main process starts it, under plain Node (nothing
// here needs Electron): a data folder with an mcp-config.json naming the weather server
// and a models/ folder holding the scripted model; the handlers of every channel over them.
// The secret store is an in-memory stand-in for Electron's safeStorage, which cannot run here.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { TurnEvent } from "./contract/chat.js";
import type { EventChannel } from "./contract/channels.js";
import { DEFAULT_MODEL_SETTING, TEMPERATURE_SETTING, createDesktopCore, type DesktopCore } from "./desktop-core.js";
import { ChatStore } from "./store/index.js";
import { SCRIPTED_MODEL } from "../tests/fixtures/models.js";
import { MemoryVault } from "../tests/fixtures/memory-vault.js";
import { weatherProcessSource } from "../tests/fixtures/weather-server.js";


let folder = "";
let core: DesktopCore | undefined;
afterEach(async () => {
  await core?.shutdown();
  core = undefined;
  if (folder) await rm(folder, { recursive: true, force: true });
}, 30_000);

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("the desktop core", () => {
  it("runs a turn with the data folder's model and MCP server, and keeps it after shutdown", async () => {
    folder = await mkdtemp(join(tmpdir(), "hearth-desktop-"));
    const callsFile = join(folder, "calls.txt");
    await mkdir(join(folder, "models"));
    await copyFile(SCRIPTED_MODEL, join(folder, "models", "scripted.gguf"));
    const source = weatherProcessSource({ annotations: "readonly", callsFile });
    await writeFile(join(folder, "mcp-config.json"), JSON.stringify({ servers: [{ id: "weather", source }] }));
    {
      using store = ChatStore.open(join(folder, "hearth.db"));
      store.setSetting(DEFAULT_MODEL_SETTING, "local:scripted.gguf");
      store.setSetting(TEMPERATURE_SETTING, 0);
    }

    const events: Array<{ channel: EventChannel; payload: unknown }> = [];
    core = await createDesktopCore({ emit: (channel, payload) => events.push({ channel, payload }), secrets: new MemoryVault(), userDataFolder: folder, version: "9.9.9" });
    const { handlers } = core;

    expect(await handlers["app.getInfo"]({})).toEqual({ version: "9.9.9", binding: "electron" });
    const weather = await until("the weather server to run", async () => (await handlers["mcp.listServers"]({})).find((server) => server.id === "weather" && server.status === "running"));
    expect(weather.tools).toBe(1);
    const models = await handlers["models.list"]({});
    expect(models).toEqual([expect.objectContaining({ id: "local:scripted.gguf", kind: "local", isDefault: true })]);

    const conversation = await handlers["conversations.create"]({ title: "Weather" });
    const { turnId } = await handlers["chat.send"]({ conversationId: conversation.id, text: "What's the weather in Paris?" });
    const turnEvents = () => events.filter((event) => event.channel === "chat.turnUpdated").map((event) => event.payload as TurnEvent);
    const finished = await until("the turn to finish", async () => turnEvents().find((event) => event.type === "turnFinished" && event.turnId === turnId), 120_000);
    expect(finished).toMatchObject({ stopReason: "stop", text: "It's sunny in Paris." });
    expect(turnEvents().some((event) => event.type === "toolCallFinished" && event.status === "ok")).toBe(true);
    expect(await readFile(callsFile, "utf8")).toBe("Paris\n");
    expect(events.some((event) => event.channel === "model.statusChanged" && (event.payload as { state: string }).state === "loaded")).toBe(true);

    await core.shutdown();
    core = undefined;
    using store = ChatStore.open(join(folder, "hearth.db"));
    const stored = store.messages(conversation.id).map((message) => message.role);
    expect(stored).toEqual(["user", "assistant", "tool", "assistant"]);
  }, 180_000);

  it("starts with no MCP server when mcp-config.json is invalid, and says where it is wrong", async () => {
    folder = await mkdtemp(join(tmpdir(), "hearth-desktop-"));
    await writeFile(join(folder, "mcp-config.json"), JSON.stringify({ servers: [{ id: "broken", source: { type: "Http", url: "not a url" } }] }));
    const lines: string[] = [];
    core = await createDesktopCore({ emit: () => {}, secrets: new MemoryVault(), userDataFolder: folder, version: "1.0.0", log: (line) => lines.push(line) });
    expect(await core.handlers["mcp.listServers"]({})).toEqual([]);
    expect(lines.join("\n")).toContain("servers[0].source.url");
    expect(await core.handlers["models.list"]({})).toEqual([]);
    await expect(core.handlers["conversations.create"]({})).resolves.toMatchObject({ title: expect.any(String) });
  }, 60_000);
});
