// The servers page's config edits, end to end: the handlers through `dispatch`, a real
// mcp-config.json in a temporary folder and a real pool running the weather server.
import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { weatherProcessSource } from "../fixtures/weather-server.js";
import { PageWorld } from "./page-fixture.js";

let world: PageWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const weather = (id = "weather") => ({ id, name: "Weather", source: weatherProcessSource() });

describe("mcp config edits", () => {
  it("reads a missing file as an empty config", async () => {
    world = await PageWorld.start();
    const config = await world.invoke("mcp.getConfig", {});
    expect(config).toEqual({
      path: world.configPath,
      servers: [],
      settings: { auto_register_tools: true, tool_timeout_secs: 30, max_concurrent_calls: 10 },
      text: "",
    });
  });

  it("saves a Process server: the file has it and the pool runs it with its tools", async () => {
    world = await PageWorld.start();
    const entry = await world.invoke("mcp.saveServer", { definition: { ...weather(), tool_prefix: "wx" } });
    expect(entry).toMatchObject({ definition: { id: "weather", enabled: true }, bearerToken: "not set" });
    const file = JSON.parse(await world.fileText());
    expect(file.servers).toHaveLength(1);
    expect(file.servers[0].id).toBe("weather");
    expect(world.pool.server("weather")?.state.status).toBe("running");
    const tools = await world.invoke("mcp.listServerTools", { id: "weather" });
    expect(tools.map((tool) => [tool.name, tool.exposedName, tool.enabled, tool.policySource])).toEqual([["get_weather", "wx_get_weather", true, "annotations"]]);
    expect(tools[0]!.inputSchema).toMatchObject({ type: "object" });
  });

  it("renames a server with previousId: the old id stops, the new one runs", async () => {
    world = await PageWorld.start();
    await world.invoke("mcp.saveServer", { definition: weather() });
    await world.invoke("mcp.saveServer", { previousId: "weather", definition: weather("forecast") });
    expect(world.pool.server("weather")).toBeUndefined();
    expect(world.pool.server("forecast")?.state.status).toBe("running");
    const config = await world.invoke("mcp.getConfig", {});
    expect(config.servers.map((server) => server.definition.id)).toEqual(["forecast"]);
    const failure = await world.failure("mcp.saveServer", { previousId: "weather", definition: weather() });
    expect(failure.code).toBe("not_found");
  });

  it("refuses an invalid URL naming servers[0].source.url, leaving the file untouched", async () => {
    world = await PageWorld.start();
    const failure = await world.failure("mcp.saveServer", { definition: { id: "remote", source: { type: "Http", url: "not a url" } } });
    expect(failure.code).toBe("config_invalid");
    expect(failure.message).toContain("servers[0].source.url");
    expect(await world.fileText()).toBe("");

    await world.invoke("mcp.saveServer", { definition: weather() });
    const before = await world.fileText();
    const second = await world.failure("mcp.saveServer", { definition: { id: "remote", source: { type: "Http", url: "ftp://x" } } });
    expect(second.message).toContain("servers[1].source.url");
    expect(await world.fileText()).toBe(before);
  });

  it("refuses a duplicate id naming where the new server would go", async () => {
    world = await PageWorld.start();
    await world.invoke("mcp.saveServer", { definition: weather() });
    const failure = await world.failure("mcp.saveServer", { definition: weather() });
    expect(failure.code).toBe("config_invalid");
    expect(failure.message).toContain("servers[1].id");
  });

  it("keeps both of two edits made at the same time", async () => {
    world = await PageWorld.start();
    const remote = (id: string) => ({ id, source: { type: "Http" as const, url: "http://127.0.0.1:9/mcp" }, enabled: false });
    await Promise.all([world.invoke("mcp.saveServer", { definition: remote("a") }), world.invoke("mcp.saveServer", { definition: remote("b") })]);
    const ids = JSON.parse(await world.fileText()).servers.map((server: { id: string }) => server.id);
    expect(ids.sort()).toEqual(["a", "b"]);
  });

  it("disables, enables and removes a server, and changes the settings", async () => {
    world = await PageWorld.start();
    await world.invoke("mcp.saveServer", { definition: weather() });
    const off = await world.invoke("mcp.setServerEnabled", { id: "weather", enabled: false });
    expect(off.definition.enabled).toBe(false);
    expect(world.pool.server("weather")).toBeUndefined();
    await world.invoke("mcp.setServerEnabled", { id: "weather", enabled: true });
    expect(world.pool.server("weather")?.state.status).toBe("running");
    expect((await world.failure("mcp.setServerEnabled", { id: "nope", enabled: true })).code).toBe("not_found");

    const settings = await world.invoke("mcp.updateSettings", { tool_timeout_secs: 12 });
    expect(settings.tool_timeout_secs).toBe(12);
    expect(world.pool.config.tool_timeout_secs).toBe(12);
    expect((await world.failure("mcp.updateSettings", { max_concurrent_calls: 0 })).code).toBe("invalid_input");

    expect(await world.invoke("mcp.removeServer", { id: "weather" })).toEqual({ removed: true });
    expect(world.pool.server("weather")).toBeUndefined();
    expect(await world.invoke("mcp.removeServer", { id: "weather" })).toEqual({ removed: false });
    // The previous version of the file is kept beside it.
    expect(JSON.parse(await readFile(`${world.configPath}.bak`, "utf8")).servers).toHaveLength(1);
  });
});
