// The settings page's handlers over a real ChatStore on a temporary file and a real McpPool
// running the weather server over stdio. Handlers are called through `dispatch`, as both
// bindings call them, so inputs and outputs are checked against the contract.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { McpPool } from "../../mcp/index.js";
import type { ProcessSource } from "../../mcp/config/schema.js";
import { WEATHER_SERVER, weatherProcessSource, type WeatherOptions } from "../../tests/fixtures/weather-server.js";
import type { InvokeHandlers } from "../contract/channels.js";
import { fixedModelHost } from "../fixed-model-host.js";
import { ServerLogRecorder, AppLog } from "../log.js";
import { ChatStore } from "../store/index.js";
import { dispatch } from "./dispatch.js";
import type { PageContext } from "./page-context.js";
import { createSettingsHandlers } from "./settings-handlers.js";

let folder: string;
let store: ChatStore;
let pool: McpPool;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "hearth-settings-"));
  store = ChatStore.open(join(folder, "hearth.db"));
  pool = new McpPool({ autoRestart: false });
});
afterEach(async () => {
  await pool.close();
  store.close();
  await rm(folder, { recursive: true, force: true });
});

function handlers(log = new AppLog()): InvokeHandlers {
  const context: PageContext = { store, pool, models: fixedModelHost(undefined), mcpConfigPath: join(folder, "mcp-config.json"), dataFolder: folder, secrets: undefined, log, serverLogs: new ServerLogRecorder(pool), emit: () => {} };
  return createSettingsHandlers(context) as InvokeHandlers;
}

async function call(handlerMap: InvokeHandlers, channel: string, input: unknown): Promise<unknown> {
  const result = await dispatch(handlerMap, channel, input);
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
  return result.output;
}

/** The weather server, writing `lines` to stderr before it starts. */
function chattyWeather(lines: string[], options: WeatherOptions = {}): ProcessSource {
  const source = weatherProcessSource(options);
  const writes = lines.map((line) => `process.stderr.write(${JSON.stringify(`${line}\n`)});`).join("");
  return { ...source, args: ["-e", `${writes}import(${JSON.stringify(pathToFileURL(WEATHER_SERVER).href)});`] };
}

async function startWeather(source: ProcessSource): Promise<void> {
  await pool.apply({ servers: [{ id: "weather", source, enabled: true, resources: [] }], auto_register_tools: true, tool_timeout_secs: 30, max_concurrent_calls: 10 });
  expect(pool.server("weather")?.state.status).toBe("running");
}

describe("settings.get and settings.update", () => {
  it("answers the defaults, stores changes, and keeps them across a reopen of the store", async () => {
    const log = new AppLog();
    const first = handlers(log);
    expect(await call(first, "settings.get", {})).toEqual({ theme: "system", dataFolder: folder, threads: "auto" });
    expect(await call(first, "settings.update", { theme: "dark" })).toEqual({ theme: "dark", dataFolder: folder, threads: "auto" });
    expect(await call(first, "settings.update", { threads: 6 })).toEqual({ theme: "dark", dataFolder: folder, threads: 6 });
    expect(store.setting("ui.theme")).toBe("dark");
    expect(store.setting("inference.threads")).toBe(6);
    expect(log.list().map((entry) => entry.text)).toEqual(["settings changed: theme = dark", "settings changed: threads = 6"]);

    store.close();
    store = ChatStore.open(join(folder, "hearth.db"));
    const second = handlers();
    expect(await call(second, "settings.get", {})).toEqual({ theme: "dark", dataFolder: folder, threads: 6 });
    expect(await call(second, "settings.update", { threads: "auto", theme: "light" })).toMatchObject({ theme: "light", threads: "auto" });
  });

  it("refuses what the contract refuses, and reads a bad stored value as the default", async () => {
    const map = handlers();
    for (const input of [{ theme: "blue" }, { threads: 0 }, { threads: 2.5 }, { dataFolder: "/elsewhere" }]) {
      await expect(call(map, "settings.update", input)).rejects.toMatchObject({ code: "invalid_input" });
    }
    store.setSetting("ui.theme", "purple");
    store.setSetting("inference.threads", -3);
    expect(await call(map, "settings.get", {})).toMatchObject({ theme: "system", threads: "auto" });
  });
});

describe("logs.list", () => {
  it("merges the app's log and the weather server's stderr, newest first, filtered by source and level", async () => {
    const log = new AppLog();
    log.write("info", "hearth started");
    const map = handlers(log);
    await startWeather(chattyWeather(["weather: warming up", "WARN weather: the cache is cold"]));
    await expect.poll(async () => ((await call(map, "logs.list", { source: "weather" })) as unknown[]).length).toBe(2);
    log.write("error", "something failed", "models");

    const all = (await call(map, "logs.list", {})) as Array<{ at: number; level: string; source: string; text: string }>;
    expect(all.map(({ level, source, text }) => ({ level, source, text }))).toEqual([
      { level: "error", source: "models", text: "something failed" },
      { level: "warn", source: "weather", text: "WARN weather: the cache is cold" },
      { level: "info", source: "weather", text: "weather: warming up" },
      { level: "info", source: "app", text: "hearth started" },
    ]);
    expect(all.map((entry) => entry.at)).toEqual([...all.map((entry) => entry.at)].sort((a, b) => b - a));

    expect(((await call(map, "logs.list", { source: "weather", level: "warn" })) as Array<{ text: string }>).map((entry) => entry.text)).toEqual(["WARN weather: the cache is cold"]);
    expect(((await call(map, "logs.list", { source: "app" })) as Array<{ text: string }>).map((entry) => entry.text)).toEqual(["something failed", "hearth started"]);
    expect(((await call(map, "logs.list", { level: "error" })) as Array<{ text: string }>).map((entry) => entry.text)).toEqual(["something failed"]);
    expect(await call(map, "logs.list", { limit: 1 })).toHaveLength(1);
    expect(await call(map, "logs.list", { source: "nobody" })).toEqual([]);
    await expect(call(map, "logs.list", { level: "verbose" })).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("records a crash's last words as an error, and lines written before the handlers started", async () => {
    await startWeather(chattyWeather(["weather: warming up"], { mode: "crash" }));
    await expect.poll(() => pool.server("weather")?.log.lines()).toEqual(["weather: warming up"]);
    const before = Date.now();
    const map = handlers();
    const tool = pool.tools().find((candidate) => candidate.tool.name === "get_weather")!;
    await expect(pool.callTool(tool.name, { city: "Paris" })).rejects.toMatchObject({ code: "connection_closed" });
    await expect
      .poll(async () => ((await call(map, "logs.list", { source: "weather", level: "error" })) as Array<{ text: string }>).map((entry) => entry.text))
      .toEqual(["weather: fatal: simulated crash while fetching the weather of Paris"]);
    const entries = (await call(map, "logs.list", { source: "weather" })) as Array<{ at: number; text: string }>;
    expect(entries.map((entry) => entry.text)).toEqual(["weather: fatal: simulated crash while fetching the weather of Paris", "weather: warming up"]);
    // The early line carries the time recording began: it was written then or earlier.
    expect(entries[1]!.at).toBeGreaterThanOrEqual(before);
    expect(entries[1]!.at).toBeLessThanOrEqual(entries[0]!.at);
  });
});
