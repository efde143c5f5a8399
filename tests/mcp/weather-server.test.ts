/**
 * The weather test server through Hearth's real pool, over stdio and over Streamable
 * HTTP: one pool per wire holds one server per behaviour (each prefixed with its case
 * name), started in parallel, so every mode is checked without a start per test.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import type { McpConfigInput } from "../../mcp/config/schema.js";
import type { McpPool } from "../../mcp/pool/pool.js";
import {
  startWeatherHttp,
  weatherProcessSource,
  type RunningWeather,
  type WeatherMode,
  type WeatherOptions,
} from "../fixtures/weather-server.js";
import { eventually, resultText, startPool } from "./pool-helpers.js";

type Wire = "stdio" | "http";
type Source = NonNullable<McpConfigInput["servers"]>[number]["source"];

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const HUGE_SIZE = 150_000;
const SLOW_DELAY_MS = 700;

const folder = mkdtempSync(join(tmpdir(), "hearth-weather-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** One server per case; the case name is its id and tool prefix. */
function casesFor(wire: Wire): Record<string, WeatherOptions> {
  return {
    sunny: {},
    readonly: { annotations: "readonly" },
    destructive: { annotations: "destructive" },
    error: { mode: "error" },
    image: { mode: "image" },
    huge: { mode: "huge", size: HUGE_SIZE },
    slow: { mode: "slow", delayMs: SLOW_DELAY_MS },
    hang: { mode: "hang" },
    crash: { mode: "crash" },
    calls: { callsFile: join(folder, `calls-${wire}.txt`) },
  };
}

describe.each<Wire>(["stdio", "http"])("the weather server over %s", (wire) => {
  const pools: McpPool[] = [];
  const running = new Map<string, RunningWeather>();
  const cases = casesFor(wire);
  let pool: McpPool;

  async function sourceFor(id: string, options: WeatherOptions): Promise<Source> {
    if (wire === "stdio") return weatherProcessSource(options);
    const server = await startWeatherHttp(options);
    running.set(id, server);
    return { type: "Http", url: server.url };
  }

  /** What server `id` wrote on stderr: the pool keeps it for a process, the fixture for HTTP. */
  const stderrOf = (id: string): string => (wire === "stdio" ? pool.server(id)!.log.lines().join("\n") : running.get(id)!.process.stderrTail());

  beforeAll(async () => {
    const servers = await Promise.all(
      Object.entries(cases).map(async ([id, options]) => ({ id, tool_prefix: id, source: await sourceFor(id, options) })),
    );
    pool = await startPool({ servers }, { autoRestart: false }, pools);
  });
  afterAll(async () => {
    await Promise.all(pools.map((opened) => opened.close()));
    await Promise.all([...running.values()].map((server) => server.close()));
    for (const server of running.values()) expect(server.process.isAlive()).toBe(false);
  });

  it("offers exactly one tool, get_weather({city}), with the annotations asked for", () => {
    for (const id of Object.keys(cases)) {
      expect(pool.server(id)!.state.status, id).toBe("running");
      const tools = pool.server(id)!.catalog.tools;
      expect(tools.map((tool) => tool.name)).toEqual(["get_weather"]);
      const tool = tools[0]!;
      expect(tool.description).toBe("Current weather of a city");
      expect(tool.inputSchema).toMatchObject({ type: "object", properties: { city: { type: "string" } }, required: ["city"] });
      expect(Object.keys(tool.inputSchema.properties ?? {})).toEqual(["city"]);
    }
    expect(pool.findTool("sunny_get_weather")!.tool.annotations).toBeUndefined();
    expect(pool.findTool("readonly_get_weather")!.tool.annotations).toEqual({ readOnlyHint: true });
    expect(pool.findTool("destructive_get_weather")!.tool.annotations).toEqual({ destructiveHint: true, readOnlyHint: false });
  });

  it("answers sunny with text and structured content", async () => {
    const { result } = await pool.callTool("sunny_get_weather", { city: "Paris" });
    expect(result.isError).toBeFalsy();
    expect(result.content).toEqual([{ type: "text", text: "sunny, 24 °C in Paris" }]);
    expect(result.structuredContent).toEqual({ city: "Paris", condition: "sunny", temperatureC: 24 });
  });

  it("answers a tool-level error in error mode", async () => {
    const { result } = await pool.callTool("error_get_weather", { city: "Lyon" });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toBe("weather service unavailable for Lyon");
  });

  it("answers a text and a real PNG in image mode", async () => {
    const { result } = await pool.callTool("image_get_weather", { city: "Oslo" });
    expect(result.content.map((item) => item.type)).toEqual(["text", "image"]);
    const image = result.content[1]!;
    expect(image).toMatchObject({ type: "image", mimeType: "image/png" });
    const bytes = Buffer.from((image as { data: string }).data, "base64");
    expect(bytes.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(bytes.subarray(12, 16).toString("latin1")).toBe("IHDR");
  });

  it("answers the size asked for in huge mode, in readable lines", async () => {
    const { result } = await pool.callTool("huge_get_weather", { city: "Rome" });
    const text = resultText(result);
    expect(text).toHaveLength(HUGE_SIZE);
    expect(text.split("\n")[0]).toMatch(/^Rome, reading 1: sunny, \d+ °C/);
  });

  it("reports progress while slow, answers after the delay, and stops when cancelled", async () => {
    const progress: Progress[] = [];
    const started = Date.now();
    const { result } = await pool.callTool("slow_get_weather", { city: "Nice" }, { onProgress: (update) => progress.push(update) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(SLOW_DELAY_MS - 50);
    expect(resultText(result)).toBe("sunny, 24 °C in Nice");
    // Every 200 ms of a 700 ms wait: at 200, 400 and 600 ms (a loaded machine may merge one).
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.map((update) => update.progress)).toEqual(progress.map((update) => update.progress).sort((a, b) => a - b));
    expect(progress[0]).toMatchObject({ total: SLOW_DELAY_MS, message: "asking the sky over Nice" });

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 250);
    await expect(pool.callTool("slow_get_weather", { city: "Bern" }, { signal: controller.signal })).rejects.toMatchObject({
      code: "call_cancelled",
    });
    await eventually(() => /get_weather\(Bern\) cancelled after \d+ ms/.test(stderrOf("slow")));
  });

  it("never answers in hang mode", async () => {
    await expect(pool.callTool("hang_get_weather", { city: "Oulu" }, { timeoutMs: 300 })).rejects.toMatchObject({ code: "tool_timeout" });
  });

  it("exits with code 3 mid-call in crash mode, after a line on stderr", async () => {
    // Over HTTP the pool is not told when the server dies under an open response stream
    // (the call then ends by its timeout), so this one gets a short timeout of its own.
    const error = await pool.callTool("crash_get_weather", { city: "Pompeii" }, { timeoutMs: 2000 }).catch((reason: unknown) => reason);
    expect(error).toMatchObject({ code: expect.any(String), serverId: "crash" });
    await eventually(() => stderrOf("crash").includes("simulated crash while fetching the weather of Pompeii"));
    if (wire === "stdio") expect((error as Error).message).toMatch(/code 3/);
    else {
      const child = running.get("crash")!.process;
      await eventually(() => !child.isAlive());
      expect(child.child.exitCode).toBe(3);
    }
  });

  it("records each call in the calls file before answering, and nothing before a call", async () => {
    const file = cases.calls!.callsFile!;
    expect(existsSync(file)).toBe(false);
    await pool.callTool("calls_get_weather", { city: "Paris" });
    expect(readFileSync(file, "utf8")).toBe("Paris\n");
    await pool.callTool("calls_get_weather", { city: "Tromsø" });
    expect(readFileSync(file, "utf8")).toBe("Paris\nTromsø\n");
  });
});

describe("the weather server's settings", () => {
  it("refuses to start with a mode it does not know, saying why", async () => {
    const pools: McpPool[] = [];
    try {
      const pool = await startPool(
        { servers: [{ id: "rainy", source: weatherProcessSource({ mode: "rainy" as WeatherMode }) }] },
        { autoRestart: false },
        pools,
      );
      const state = pool.server("rainy")!.state;
      expect(state.status).toBe("error");
      expect(JSON.stringify(state)).toContain('WEATHER_MODE must be one of sunny, slow, hang, crash, huge, image, error, got \\"rainy\\"');
    } finally {
      await Promise.all(pools.map((pool) => pool.close()));
    }
  });
});
