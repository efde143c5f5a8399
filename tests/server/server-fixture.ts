/**
 * `hearth serve` as a user starts it, for the server's tests and the examples' tests: the
 * real CLI in a child process, with the scripted model of ../shared/fixtures/models and
 * an mcp-config.json that runs the get_weather server over stdio, on a free loopback port.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startServerProcess, type ServerProcess } from "../fixtures/child-processes.js";
import { SCRIPTED_MODEL } from "../fixtures/models.js";
import { LOOPBACK, freePort, waitForPort } from "../fixtures/net.js";
import { weatherProcessSource, type WeatherOptions } from "../fixtures/weather-server.js";

const BIN = fileURLToPath(new URL("../../bin/hearth.js", import.meta.url));

/** The model id `hearth serve` gives the scripted model (its file name without `.gguf`). */
export const SCRIPTED_MODEL_ID = "scripted-toolcall";

export interface HearthServeOptions {
  /** The GGUF to serve; `null` gives no `--model` (a remote provider then). Default: the scripted model. */
  model?: string | null;
  /** The weather server's behaviour (default: sunny, no annotations). */
  weather?: WeatherOptions;
  /** Replaces the whole MCP config (default: the weather server alone). */
  mcpConfig?: unknown;
  /** More `hearth serve` arguments (default `--approve auto`). `--temperature 0` is always given: the scripted model follows its script only when greedy. */
  args?: string[];
  env?: NodeJS.ProcessEnv;
}

export interface RunningHearth {
  /** `http://127.0.0.1:PORT/v1`: what an OpenAI client takes as its base URL. */
  baseUrl: string;
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  port: number;
  process: ServerProcess;
  /** The server's stderr so far (its log). */
  stderr(): string;
  /** With `--ui`: the UI's address with its token, as the server printed it. */
  uiUrl(): string | undefined;
  /** Sends SIGTERM and waits for the exit; resolves to the exit code. */
  close(): Promise<number | null>;
}

/** Starts `hearth serve` and resolves once it accepts connections. */
export async function startHearthServe(options: HearthServeOptions = {}): Promise<RunningHearth> {
  const folder = await mkdtemp(join(tmpdir(), "hearth-serve-"));
  const configPath = join(folder, "mcp-config.json");
  const config = options.mcpConfig ?? { servers: [{ id: "weather", source: weatherProcessSource(options.weather) }] };
  await writeFile(configPath, JSON.stringify(config));
  const port = await freePort();
  const model = options.model === undefined ? SCRIPTED_MODEL : options.model;
  const args = [BIN, "serve", ...(model === null ? [] : ["--model", model]), "--mcp-config", configPath, "--port", String(port), "--context-size", "2048", "--temperature", "0", ...(options.args ?? ["--approve", "auto"])];
  const server = startServerProcess(process.execPath, args, {
    env: { ...process.env, HEARTH_DATA_DIR: join(folder, "data"), ...options.env },
  });
  try {
    await waitForPort(port, 60_000, server.isAlive);
  } catch (error) {
    await server.stop();
    await rm(folder, { recursive: true, force: true });
    throw new Error(`hearth serve did not start: ${String(error)}\n${server.stderrTail()}`, { cause: error });
  }
  const origin = `http://${LOOPBACK}:${port}`;
  return {
    baseUrl: `${origin}/v1`,
    origin,
    port,
    process: server,
    stderr: () => server.stderrTail(),
    uiUrl: () => /the UI is at (\S+)/.exec(server.stderrTail())?.[1],
    async close() {
      await server.stop(15_000);
      await rm(folder, { recursive: true, force: true });
      return server.child.exitCode;
    },
  };
}
