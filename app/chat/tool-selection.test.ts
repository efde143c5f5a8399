import { describe, expect, it } from "vitest";
import { ToolSelectionSchema, type ToolSelection } from "../contract/chat.js";
import type { McpPool } from "../../mcp/index.js";
import { isToolDisabled, offeredTools, selectTools, setDisabledTools, setServerSelected, setToolSelected } from "./tool-selection.js";

/** Tools as the pool lists them: exposed (prefixed) name, server, and the tool's own name. */
const tool = (serverId: string, name: string, prefix = serverId) => ({ name: `${prefix}_${name}`, serverId, tool: { name } });
const TOOLS = [tool("weather", "get_weather"), tool("weather", "get_forecast"), tool("files", "read_file", "fs"), tool("files", "write_file", "fs")];
const names = (tools: readonly { name: string }[]) => tools.map((entry) => entry.name);
const empty = (): ToolSelection => ToolSelectionSchema.parse({});
const selection = (servers: Record<string, boolean>, tools: Record<string, boolean> = {}): ToolSelection => ({ servers, tools });

describe("selectTools", () => {
  it("follows auto_register_tools when nothing is switched", () => {
    expect(selectTools(TOOLS, { autoRegister: true, selection: empty() })).toEqual(TOOLS);
    expect(selectTools(TOOLS, { autoRegister: false, selection: empty() })).toEqual([]);
  });

  it("lets a server's switch override auto_register_tools, both ways", () => {
    expect(names(selectTools(TOOLS, { autoRegister: false, selection: selection({ weather: true }) }))).toEqual(["weather_get_weather", "weather_get_forecast"]);
    expect(names(selectTools(TOOLS, { autoRegister: true, selection: selection({ weather: false }) }))).toEqual(["fs_read_file", "fs_write_file"]);
  });

  it("lets a tool's switch override its server's, both ways", () => {
    const offWithOne = selection({ files: false }, { "files/read_file": true });
    expect(names(selectTools(TOOLS, { autoRegister: true, selection: offWithOne }))).toEqual(["weather_get_weather", "weather_get_forecast", "fs_read_file"]);
    const onButOne = selection({ weather: true }, { "weather/get_forecast": false });
    expect(names(selectTools(TOOLS, { autoRegister: false, selection: onButOne }))).toEqual(["weather_get_weather"]);
  });

  it("lets a tool's switch override auto_register_tools when its server has none", () => {
    expect(names(selectTools(TOOLS, { autoRegister: false, selection: selection({}, { "files/write_file": true }) }))).toEqual(["fs_write_file"]);
    expect(names(selectTools(TOOLS, { autoRegister: true, selection: selection({}, { "weather/get_weather": false }) }))).toHaveLength(3);
  });

  it("keys tools by their own name, so a changed prefix keeps the choice", () => {
    const renamed = [tool("files", "read_file", "disk")];
    expect(selectTools(renamed, { autoRegister: false, selection: selection({}, { "files/read_file": true }) })).toEqual(renamed);
    // The exposed name is not a key.
    expect(selectTools(renamed, { autoRegister: false, selection: selection({}, { "files/disk_read_file": true }) })).toEqual([]);
  });

  it("returns the same objects, in order, and leaves its input alone", () => {
    const input = Object.freeze([...TOOLS].reverse());
    const kept = selectTools(input, { autoRegister: true, selection: selection({ files: false }) });
    expect(kept).toEqual([TOOLS[1], TOOLS[0]]);
    expect(kept[0]).toBe(TOOLS[1]);
    expect(input).toHaveLength(4);
  });

  it("reads only switches that were set, not Object.prototype's", () => {
    const odd = [tool("toString", "x"), tool("constructor", "y"), tool("__proto__", "z")];
    expect(selectTools(odd, { autoRegister: false, selection: empty() })).toEqual([]);
    expect(selectTools(odd, { autoRegister: true, selection: empty() })).toEqual(odd);
    const parsed = ToolSelectionSchema.parse({ servers: { toString: true } });
    expect(names(selectTools(odd, { autoRegister: false, selection: parsed }))).toEqual(["toString_x"]);
  });
});

describe("setServerSelected", () => {
  it("switches the server and clears only that server's tool switches, in a new object", () => {
    const before = Object.freeze(
      selection({ weather: true, files: true }, { "weather/get_forecast": false, "files/read_file": false, "weatherman/x": true, "weather/eu/y": true }),
    );
    const after = setServerSelected(before, "weather", false);
    expect(after).toEqual(selection({ weather: false, files: true }, { "files/read_file": false, "weatherman/x": true, "weather/eu/y": true }));
    expect(after).not.toBe(before);
    expect(before.tools["weather/get_forecast"]).toBe(false);
    expect(before.servers.weather).toBe(true);
    // A server id with a slash owns the keys under it, not its parent's.
    expect(setServerSelected(before, "weather/eu", false).tools).toEqual({ "weather/get_forecast": false, "files/read_file": false, "weatherman/x": true });
  });

  it("makes every tool of the server follow it, whatever was switched before", () => {
    const mixed = selection({}, { "weather/get_weather": false, "weather/get_forecast": true });
    const on = setServerSelected(mixed, "weather", true);
    expect(names(selectTools(TOOLS, { autoRegister: false, selection: on }))).toEqual(["weather_get_weather", "weather_get_forecast"]);
    const off = setServerSelected(mixed, "weather", false);
    expect(names(selectTools(TOOLS, { autoRegister: true, selection: off }))).toEqual(["fs_read_file", "fs_write_file"]);
  });
});

describe("setToolSelected", () => {
  it("switches one tool by its own name, in new objects, leaving the server's switch", () => {
    const before = Object.freeze(selection({ files: false }));
    const after = setToolSelected(before, "files", "read_file", true);
    expect(after).toEqual(selection({ files: false }, { "files/read_file": true }));
    expect(after.servers).not.toBe(before.servers);
    expect(before.tools).toEqual({});
    expect(names(selectTools(TOOLS, { autoRegister: false, selection: after }))).toEqual(["fs_read_file"]);
    expect(setToolSelected(after, "files", "read_file", false).tools).toEqual({ "files/read_file": false });
  });
});

describe("setDisabledTools", () => {
  it("keeps a disabled tool from every selection, even one that switched it on", () => {
    const pool = { tools: () => TOOLS, config: { auto_register_tools: true } } as unknown as McpPool;
    expect(offeredTools(pool)).toEqual(TOOLS);
    setDisabledTools(pool, { weather: ["get_forecast"], files: ["read_file"] });
    expect(isToolDisabled(pool, "weather", "get_forecast")).toBe(true);
    expect(names(offeredTools(pool))).toEqual(["weather_get_weather", "fs_write_file"]);
    expect(names(offeredTools(pool, selection({}, { "weather/get_forecast": true })))).toEqual(["weather_get_weather", "fs_write_file"]);
    setDisabledTools(pool, {});
    expect(offeredTools(pool)).toEqual(TOOLS);
    // Other pools are not affected.
    const other = { tools: () => TOOLS, config: { auto_register_tools: true } } as unknown as McpPool;
    expect(isToolDisabled(other, "weather", "get_forecast")).toBe(false);
  });
});
