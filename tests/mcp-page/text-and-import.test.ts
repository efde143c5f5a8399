// The raw config text and Claude Desktop import/export on the servers page: invalid text
// is refused with line and column and the old file stays; an import with any invalid
// entry saves nothing; a valid one starts its servers.
import { afterEach, describe, expect, it } from "vitest";
import { findJsonSpan, jsonValueSpans } from "../../mcp/config/json-text.js";
import { everythingProcessSource } from "../fixtures/everything-server.js";
import { weatherProcessSource } from "../fixtures/weather-server.js";
import { PageWorld } from "./page-fixture.js";

let world: PageWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const claudeConfig = () =>
  JSON.stringify(
    {
      globalShortcut: "Ctrl+Space",
      mcpServers: {
        weather: { command: process.execPath, args: weatherProcessSource().args, env: weatherProcessSource().env },
        "every thing": { command: process.execPath, args: everythingProcessSource().args },
      },
    },
    null,
    2,
  );

describe("mcp.saveConfigText", () => {
  it("refuses broken JSON with its line and column and keeps the old file", async () => {
    world = await PageWorld.start();
    await world.invoke("mcp.saveServer", { definition: { id: "weather", source: weatherProcessSource() } });
    const before = await world.fileText();
    const broken = '{\n  "servers": [\n    { "id": "a", }\n  ]\n}\n';
    const result = await world.invoke("mcp.saveConfigText", { text: broken });
    expect(result.saved).toBe(false);
    expect(result.problems).toEqual([expect.objectContaining({ path: "(root)", line: 3, column: 18 })]);
    expect(await world.fileText()).toBe(before);
    expect(world.pool.server("weather")?.state.status).toBe("running");
  });

  it("refuses a schema error with the line and column of the value", async () => {
    world = await PageWorld.start();
    const text = '{\n  "servers": [\n    {\n      "id": "remote",\n      "source": { "type": "Http", "url": "nope" }\n    }\n  ]\n}\n';
    const result = await world.invoke("mcp.saveConfigText", { text });
    expect(result.saved).toBe(false);
    expect(result.problems).toEqual([{ path: "servers[0].source.url", message: "not a URL", line: 5, column: 42 }]);
    expect(await world.fileText()).toBe("");
  });

  it("saves valid text as written and applies it", async () => {
    world = await PageWorld.start();
    const text = `{\n  "tool_timeout_secs": 15,\n  "servers": [{ "id": "weather", "source": ${JSON.stringify(weatherProcessSource())} }]\n}\n`;
    expect(await world.invoke("mcp.saveConfigText", { text })).toEqual({ saved: true, problems: [] });
    expect(await world.fileText()).toBe(text);
    expect(world.pool.server("weather")?.state.status).toBe("running");
    expect(world.pool.config.tool_timeout_secs).toBe(15);
  });

  it("lets the text editor fix a file that does not validate, while edits refuse to touch it", async () => {
    world = await PageWorld.start();
    await world.invoke("mcp.saveConfigText", { text: '{ "servers": [] }' });
    const { writeFile } = await import("node:fs/promises");
    await writeFile(world.configPath, '{ "servers": [ { "id": "x" } ] }');
    const config = await world.invoke("mcp.getConfig", {});
    expect(config.text).toBe('{ "servers": [ { "id": "x" } ] }');
    expect((await world.failure("mcp.updateSettings", { tool_timeout_secs: 5 })).code).toBe("config_invalid");
    expect((await world.invoke("mcp.saveConfigText", { text: '{ "servers": [] }' })).saved).toBe(true);
  });
});

describe("mcp.importServers and mcp.exportServers", () => {
  it("imports a Claude Desktop config with two servers and starts them", async () => {
    world = await PageWorld.start();
    const result = await world.invoke("mcp.importServers", { text: claudeConfig() });
    expect(result).toEqual({ added: ["weather", "every_thing"], replaced: [], skipped: [], problems: [] });
    expect(world.pool.server("weather")?.state.status).toBe("running");
    expect(world.pool.server("every_thing")?.state.status).toBe("running");
    const file = JSON.parse(await world.fileText());
    expect(file.servers[1]).toEqual({ id: "every_thing", name: "every thing", source: { type: "Process", command: process.execPath, args: everythingProcessSource().args } });

    const again = await world.invoke("mcp.importServers", { text: claudeConfig() });
    expect(again.added).toEqual([]);
    expect(again.skipped.map((skip) => skip.id)).toEqual(["weather", "every_thing"]);
    const replaced = await world.invoke("mcp.importServers", { text: claudeConfig(), replace: true });
    expect(replaced.replaced).toEqual(["weather", "every_thing"]);
    expect(JSON.parse(await world.fileText()).servers).toHaveLength(2);
  });

  it("saves nothing when any entry is invalid, and lists every problem with its place", async () => {
    world = await PageWorld.start();
    const text = '{\n  "mcpServers": {\n    "good": { "command": "node" },\n    "bad": { "url": "ftp://x" },\n    "worse": {}\n  }\n}';
    const result = await world.invoke("mcp.importServers", { text });
    expect(result.added).toEqual([]);
    expect(result.problems.map((problem) => [problem.path, problem.line])).toEqual([
      ["mcpServers.bad.url", 4],
      ["mcpServers.worse", 5],
    ]);
    expect(await world.fileText()).toBe("");
    const broken = await world.invoke("mcp.importServers", { text: '{ "mcpServers": ' });
    expect(broken.problems[0]).toMatchObject({ path: "(root)" });
  });

  it("exports without tokens or Authorization headers", async () => {
    world = await PageWorld.start();
    await world.invoke("mcp.saveServer", {
      definition: { id: "remote", source: { type: "Http", url: "http://127.0.0.1:9/mcp", headers: { Authorization: "Bearer hidden-1", "X-Team": "a" } }, enabled: true },
      bearerToken: "hidden-2",
    });
    const { text } = await world.invoke("mcp.exportServers", {});
    expect(JSON.parse(text)).toEqual({ mcpServers: { remote: { type: "http", url: "http://127.0.0.1:9/mcp", headers: { "X-Team": "a" } } } });
    expect((await world.invoke("mcp.getConfig", {})).text).not.toMatch(/hidden-/);
  });
});

describe("jsonValueSpans", () => {
  it("finds values by issue path, and a missing key at its object", () => {
    const text = '{"a": [1, {"b c": "x"}], "d": {}}';
    const spans = jsonValueSpans(text);
    expect(text.slice(spans.get('a[1]["b c"]')!.start, spans.get('a[1]["b c"]')!.end)).toBe('"x"');
    expect(findJsonSpan(spans, "d.missing")).toMatchObject({ line: 1, column: 31 });
    expect(jsonValueSpans("{ nope").size).toBe(0);
  });
});
