// A server's tools on the servers page: a tool switched off is offered to no conversation
// (and `tools.list` shows it off), policies come from rules or annotations, and the log
// shows what the server wrote.
import { afterEach, describe, expect, it } from "vitest";
import { Chats } from "../../app/chat/chats.js";
import { offeredTools, setDisabledTools } from "../../app/chat/tool-selection.js";
import { fixedModelHost } from "../../app/fixed-model-host.js";
import { ServerLogRecorder } from "../../app/log.js";
import { createMcpConfigHandlers } from "../../app/bridge/mcp-config-handlers.js";
import { weatherProcessSource } from "../fixtures/weather-server.js";
import { PageWorld } from "./page-fixture.js";

let world: PageWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe("tools on the servers page", () => {
  it("switches a tool off for every conversation and back on; the switch outlives the handlers", async () => {
    world = await PageWorld.start();
    await world.invoke("mcp.saveServer", { definition: { id: "weather", source: weatherProcessSource() } });
    const chats = new Chats({ store: world.store, pool: world.pool, runner: fixedModelHost(undefined) });
    const conversation = world.store.createConversation({});
    expect(offeredTools(world.pool).map((tool) => tool.name)).toEqual(["get_weather"]);

    const off = await world.invoke("mcp.setToolEnabled", { serverId: "weather", toolName: "get_weather", enabled: false });
    expect(off.enabled).toBe(false);
    expect(offeredTools(world.pool)).toEqual([]);
    // Even a conversation that switched the tool on explicitly is not offered it.
    chats.select(conversation.id, { serverId: "weather", toolName: "get_weather", on: true });
    expect(chats.tools(conversation.id)).toEqual([expect.objectContaining({ toolName: "get_weather", selected: false })]);
    expect(world.store.setting("mcp.disabledTools")).toEqual({ weather: ["get_weather"] });

    // A new core over the same store starts with the switch in force.
    setDisabledTools(world.pool, {});
    expect(offeredTools(world.pool)).toHaveLength(1);
    createMcpConfigHandlers({ store: world.store, pool: world.pool, models: fixedModelHost(undefined), mcpConfigPath: world.configPath, dataFolder: world.folder, secrets: undefined, log: world.log, serverLogs: new ServerLogRecorder(world.pool), emit: () => {} });
    expect(offeredTools(world.pool)).toEqual([]);

    await world.invoke("mcp.setToolEnabled", { serverId: "weather", toolName: "get_weather", enabled: true });
    expect(chats.tools(conversation.id)[0]!.selected).toBe(true);
    expect(world.store.setting("mcp.disabledTools")).toEqual({});
    expect((await world.failure("mcp.setToolEnabled", { serverId: "weather", toolName: "nope", enabled: false })).code).toBe("not_found");
  });

  it("shows each tool's policy: the annotations' default, then a server rule, then a tool rule; null removes", async () => {
    world = await PageWorld.start();
    await world.invoke("mcp.saveServer", { definition: { id: "weather", source: weatherProcessSource({ annotations: "readonly" }) } });
    const policy = async () => (await world!.invoke("mcp.listServerTools", { id: "weather" })).map((tool) => [tool.policy, tool.policySource]);
    expect(await policy()).toEqual([["always", "annotations"]]);
    await world.invoke("approvals.setRule", { serverId: "weather", policy: "ask" });
    expect(await policy()).toEqual([["ask", "rule"]]);
    const rules = await world.invoke("approvals.setRule", { serverId: "weather", toolName: "get_weather", policy: "once" });
    expect(rules.map((rule) => [rule.toolName ?? null, rule.policy])).toEqual([
      [null, "ask"],
      ["get_weather", "once"],
    ]);
    expect(await policy()).toEqual([["once", "rule"]]);
    await world.invoke("approvals.setRule", { serverId: "weather", toolName: "get_weather", policy: null });
    expect(await world.invoke("approvals.setRule", { serverId: "weather", policy: null })).toEqual([]);
    expect(await policy()).toEqual([["always", "annotations"]]);
    expect((await world.failure("mcp.listServerTools", { id: "nope" })).code).toBe("not_found");
  });

  it("shows the server's log with each line's time and level (a fatal line is an error)", async () => {
    world = await PageWorld.start();
    await world.invoke("mcp.saveServer", { definition: { id: "weather", source: weatherProcessSource({ mode: "crash" }) } });
    await world.pool.callTool("get_weather", { city: "Oslo" }).catch(() => undefined);
    const deadline = Date.now() + 5_000;
    let log = await world.invoke("mcp.getServerLog", { id: "weather" });
    while (!log.some((entry) => entry.text.includes("simulated crash")) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      log = await world.invoke("mcp.getServerLog", { id: "weather" });
    }
    expect(log).toContainEqual(expect.objectContaining({ source: "weather", level: "error", text: expect.stringContaining("simulated crash") }));
    expect(log.every((entry) => entry.at > 0)).toBe(true);
    expect((await world.failure("mcp.getServerLog", { id: "nope" })).code).toBe("not_found");
  });
});
