/**
 * `npm run bench -- server`: the headless server's overhead. A short completion on the
 * scripted model (../shared/fixtures/models; real llama.cpp, a few tokens), without and
 * with one MCP tool call (the get_weather server over stdio), by 1 and 8 concurrent
 * clients in a closed loop, through the headless server (`HearthServer`, what `hearth
 * serve` runs: one model slot, called over loopback HTTP with the official `openai`
 * client) against the library API (`createAssistant(...).send`, the same model file, MCP
 * server and settings). Both serve one request at a time on one context; 8 clients queue.
 *
 * Both run in this process, one after the other: llama.cpp's threads spin for a while
 * after each batch, so a server in a second process would steal the cores from whichever
 * side is being measured (that made an earlier version's ratios swing from 0.3 to 3.8).
 *
 * Prints requests/s and p50/p99 latency for each and the ratio server/library (1.00 means
 * no overhead); writes bench/results/server.json. Options: --requests (24 per cell),
 * --warmup (3).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import OpenAI from "openai";
import { createAssistant, type Assistant } from "../app/assistant.js";
import { ModelSlots } from "../app/server/model-slots.js";
import { HearthServer } from "../app/server/server.js";
import { McpPool, parseMcpConfig } from "../mcp/index.js";
import { createEngine } from "../models/engine.js";
import { LocalChatRunner } from "../models/local-runner.js";
import { SCRIPTED_MODEL } from "../tests/fixtures/models.js";
import { weatherProcessSource } from "../tests/fixtures/weather-server.js";
import { SCRIPTED_MODEL_ID } from "../tests/server/server-fixture.js";
import { summarize, type LatencySummary } from "./lib/stats.js";
import { fixed, markdownTable, millis } from "./lib/table.js";

type Case = "no tool" | "one tool call";
const QUESTION = "What's the weather in Paris?";
const EXPECTED: Record<Case, string> = { "no tool": "The capital of France is Paris.", "one tool call": "It's sunny in Paris." };

/** Runs `requests` calls of `call` with `clients` workers in a closed loop. */
async function closedLoop(clients: number, requests: number, call: () => Promise<void>): Promise<LatencySummary> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < requests) {
        next++;
        const at = performance.now();
        await call();
        latencies.push(performance.now() - at);
      }
    }),
  );
  return summarize(latencies, performance.now() - started);
}

function check(text: string | null | undefined, expected: string): void {
  if (text !== expected) throw new Error(`unexpected answer ${JSON.stringify(text)} (expected ${JSON.stringify(expected)})`);
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { requests: { type: "string", default: "24" }, warmup: { type: "string", default: "3" } } });
  const requests = Number(values.requests);
  const warmup = Number(values.warmup);
  const config = { servers: [{ id: "weather", source: weatherProcessSource() }] };

  const parsed = parseMcpConfig(config);
  if (!parsed.ok) throw new Error("the weather config is invalid");
  const engine = await createEngine({ gpu: false });
  const pool = new McpPool();
  let server: HearthServer | undefined;
  let assistant: Assistant | undefined;
  const rows: Array<{ case: Case; clients: number; server: LatencySummary; library: LatencySummary }> = [];
  try {
    const loaded = await engine.loadModel(SCRIPTED_MODEL, { contextSize: 2048 });
    const runner = new LocalChatRunner({ contextSequence: (await loaded.createContext()).getSequence(), defaults: { temperature: 0 } });
    await pool.apply(parsed.config);
    server = await HearthServer.start({ port: 0, model: { id: SCRIPTED_MODEL_ID, description: runner.description }, slots: new ModelSlots([runner]), pool, approval: "auto" });
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "not-needed", maxRetries: 0 });
    assistant = await createAssistant({ model: SCRIPTED_MODEL, contextSize: 2048, sampling: { temperature: 0 } }).withMcpClient(config).withApprovals("auto").build();
    const library = assistant;
    const viaServer: Record<Case, () => Promise<void>> = {
      "no tool": async () => {
        const body = { model: SCRIPTED_MODEL_ID, messages: [{ role: "user", content: QUESTION }], mcp: { allowed_tools: [] } };
        check((await client.chat.completions.create(body as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming)).choices[0]!.message.content, EXPECTED["no tool"]);
      },
      "one tool call": async () => {
        check((await client.chat.completions.create({ model: SCRIPTED_MODEL_ID, messages: [{ role: "user", content: QUESTION }] })).choices[0]!.message.content, EXPECTED["one tool call"]);
      },
    };
    const viaLibrary: Record<Case, () => Promise<void>> = {
      "no tool": async () => check((await library.send(QUESTION, { toolChoice: "none" })).content, EXPECTED["no tool"]),
      "one tool call": async () => check((await library.send(QUESTION)).content, EXPECTED["one tool call"]),
    };
    for (const kind of ["no tool", "one tool call"] as Case[]) {
      for (const clients of [1, 8]) {
        await closedLoop(1, warmup, viaServer[kind]);
        await closedLoop(1, warmup, viaLibrary[kind]);
        // Alternate which goes first, so a machine's drift falls on both.
        const first = rows.length % 2 === 0;
        const a = await closedLoop(clients, requests, first ? viaServer[kind] : viaLibrary[kind]);
        const b = await closedLoop(clients, requests, first ? viaLibrary[kind] : viaServer[kind]);
        rows.push({ case: kind, clients, server: first ? a : b, library: first ? b : a });
      }
    }
  } finally {
    await assistant?.close();
    await server?.close();
    await pool.close();
    await engine.dispose();
  }

  console.log(`\nShort completions on the scripted model, ${requests} requests a cell; server = HearthServer over loopback HTTP (openai client), library = createAssistant().send; same process\n`);
  console.log(
    markdownTable(
      ["case", "clients", "server req/s", "library req/s", "ratio", "server p50", "library p50", "server p99", "library p99"],
      rows.map((row) => [
        row.case,
        String(row.clients),
        fixed(row.server.callsPerSecond, 1),
        fixed(row.library.callsPerSecond, 1),
        fixed(row.server.callsPerSecond / row.library.callsPerSecond, 2),
        millis(row.server.p50Ms),
        millis(row.library.p50Ms),
        millis(row.server.p99Ms),
        millis(row.library.p99Ms),
      ]),
      ["left", "right", "right", "right", "right", "right", "right", "right", "right"],
    ),
  );
  console.log("\nratio = server req/s / library req/s (1.00: the HTTP layer costs nothing measurable)");
  await mkdir(new URL("./results/", import.meta.url), { recursive: true });
  await writeFile(new URL("./results/server.json", import.meta.url), JSON.stringify(rows, null, 2));
}
