/**
 * `npm run bench -- mcp`: Hearth's MCP pool against a bare SDK client, same run, same servers.
 *
 * 1. tools/call round trip on an `echo` tool over stdio and Streamable HTTP
 *    (server-everything) and WebSocket (tests/fixtures' WebSocket server), with 1, 10 and 50
 *    calls in flight (closed loop). Per cell: a warm-up of each client, then measured
 *    segments in the order Hearth, SDK, SDK, Hearth, … (ABBA), so that drift on a shared
 *    2-core machine falls on both alike.
 * 2. Starting 10 Process servers with one `pool.apply` against the slowest of 10 single starts.
 *
 * Prints markdown tables with Hearth/SDK ratios and the issue's targets; writes JSON to
 * bench/results/mcp.json. Options: --segment-ms, --segments (per client), --warmup-ms,
 * --wires (stdio,http,websocket), --in-flight (1,10,50), --starts (10; 0 skips that part).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { runClosedLoop } from "./lib/closed-loop.js";
import { BASELINE_TRANSPORT, connectHearth, connectSdk, type EchoClient, type EchoServer, type Wire } from "./lib/echo-clients.js";
import { everythingProcessSource, startEverythingHttp } from "../tests/fixtures/everything-server.js";
import { roundTripTable, startupTable, type Cell } from "./lib/mcp-report.js";
import { measureStartup, type StartupResult } from "./lib/startup.js";
import { summarize } from "./lib/stats.js";
import { markdownTable } from "./lib/table.js";
import { captureWarnings } from "./lib/warnings.js";
import { startWebSocketFixture } from "./lib/websocket-fixture.js";

interface Settings {
  segmentMs: number;
  segmentsPerClient: number;
  warmupMs: number;
  wires: Wire[];
  inFlight: number[];
  starts: number;
}

/** The issue's targets, on the ratio Hearth/SDK of calls/s. */
const TARGETS: Partial<Record<Wire, { text: string; met: (ratio: number) => boolean }>> = {
  stdio: { text: ">= 0.90", met: (ratio) => ratio >= 0.9 },
  http: { text: "> 1.00", met: (ratio) => ratio > 1 },
};

/** What runs now, to attribute process warnings: "<wire> <client>" or "startup". */
let phase = "setup";

export async function run(args: string[]): Promise<void> {
  const settings = parseSettings(args);
  const startedAt = performance.now();
  const loadAtStart = loadavg();
  console.log(`# MCP benchmark: Hearth's McpPool vs the bare SDK Client`);
  console.log(`Node ${process.version}, ${cpus().length} CPUs, load average ${loadAtStart.map((load) => load.toFixed(2)).join(" ")}`);
  console.log(`Per cell and client: ${settings.warmupMs} ms warm-up, then ${settings.segmentsPerClient} x ${settings.segmentMs} ms, alternating ABBA.\n`);

  const warnings = captureWarnings(() => phase);
  const cells: Cell[] = [];
  let startup: StartupResult | undefined;
  try {
    for (const wire of settings.wires) cells.push(...(await measureWire(wire, settings)));
    phase = "startup";
    const stdioCommand = everythingProcessSource();
    startup = settings.starts > 0 ? await measureStartup(stdioCommand.command, stdioCommand.args, settings.starts) : undefined;
    if (startup) console.error(`startup: ${startup.servers} in one apply ${startup.parallelApplyMs.toFixed(0)} ms, slowest single ${startup.slowestSingleMs.toFixed(0)} ms`);
  } finally {
    warnings.restore();
  }
  const durationSeconds = (performance.now() - startedAt) / 1000;

  console.log(`\n## tools/call round trip (echo)\n`);
  console.log(roundTripTable(cells));
  console.log(`\nBaselines: ${settings.wires.map((wire) => `${wire}: ${BASELINE_TRANSPORT[wire]}`).join("; ")}.`);
  console.log(`Ratios are Hearth/SDK. calls/s: above 1 is Hearth faster; p50: below 1 is Hearth faster. "pairs": the calls/s ratio of each adjacent Hearth/SDK segment pair, a gauge of noise. CPU µs/call: the benchmark (client) process's CPU per call.`);
  if (startup) {
    console.log(`\n## Starting ${startup.servers} Process servers (server-everything stdio)\n`);
    console.log(startupTable(startup));
  }
  if (warnings.summary().length > 0) {
    console.log(`\n## Process warnings\n`);
    const rows = warnings.summary().map((warning) => [warning.phase, warning.name, String(warning.count), warning.message.slice(0, 110)]);
    console.log(markdownTable(["while", "warning", "count", "first message"], rows, ["left", "left", "right", "left"]));
  }
  console.log(`\nTotal time ${durationSeconds.toFixed(1)} s; load average at the end ${loadavg().map((load) => load.toFixed(2)).join(" ")}.`);

  const resultsUrl = new URL("./results/mcp.json", import.meta.url);
  await mkdir(new URL("./", resultsUrl), { recursive: true });
  const report = {
    benchmark: "mcp",
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    loadAverage: { start: loadAtStart, end: loadavg() },
    settings,
    baselines: BASELINE_TRANSPORT,
    cells,
    startup,
    warnings: warnings.summary(),
    durationSeconds,
  };
  await writeFile(resultsUrl, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`JSON: ${resultsUrl.pathname}`);
}

/** Starts the wire's server, connects both clients, and measures every concurrency. */
async function measureWire(wire: Wire, settings: Settings): Promise<Cell[]> {
  const server = await startEchoServer(wire);
  const clients: EchoClient[] = [];
  try {
    phase = `${wire} Hearth`;
    clients.push(await connectHearth(server.address));
    phase = `${wire} SDK`;
    clients.push(await connectSdk(server.address));
    const [hearth, sdk] = clients as [EchoClient, EchoClient];
    const cells: Cell[] = [];
    for (const inFlight of settings.inFlight) {
      const cell = await measureCell(wire, inFlight, hearth, sdk, settings);
      console.error(
        `${wire.padEnd(9)} ${String(inFlight).padStart(2)} in flight: Hearth ${cell.hearth.callsPerSecond.toFixed(0)}/s, ` +
          `SDK ${cell.sdk.callsPerSecond.toFixed(0)}/s, ratio ${cell.callsPerSecondRatio.toFixed(3)}`,
      );
      cells.push(cell);
    }
    return cells;
  } finally {
    await Promise.all(clients.map((client) => client.close().catch((error: unknown) => console.error(`closing ${client.label}: ${String(error)}`))));
    await server.stop();
  }
}

async function startEchoServer(wire: Wire): Promise<{ address: EchoServer; stop: () => Promise<void> }> {
  switch (wire) {
    case "stdio": {
      // Each client spawns its own server process.
      const { command, args } = everythingProcessSource();
      return { address: { wire, command, args }, stop: async () => {} };
    }
    case "http": {
      const server = await startEverythingHttp("streamableHttp");
      return { address: { wire, url: server.url }, stop: server.close };
    }
    case "websocket": {
      const server = await startWebSocketFixture();
      return { address: { wire, url: server.url }, stop: server.stop };
    }
  }
}

async function measureCell(wire: Wire, inFlight: number, hearth: EchoClient, sdk: EchoClient, settings: Settings): Promise<Cell> {
  phase = `${wire} Hearth`;
  await runClosedLoop(hearth.call, inFlight, settings.warmupMs);
  phase = `${wire} SDK`;
  await runClosedLoop(sdk.call, inFlight, settings.warmupMs);
  const gathered = { Hearth: emptyGathering(), SDK: emptyGathering() };
  for (let segment = 0; segment < settings.segmentsPerClient * 2; segment++) {
    // ABBA: H S S H H S S H …
    const client = (segment + 1) % 4 < 2 ? hearth : sdk;
    phase = `${wire} ${client.label}`;
    const { latenciesMs, elapsedMs, cpuMicros } = await runClosedLoop(client.call, inFlight, settings.segmentMs);
    const into = gathered[client.label];
    for (const latency of latenciesMs) into.latencies.push(latency);
    into.elapsedMs += elapsedMs;
    into.cpuMicros += cpuMicros;
    into.rates.push((latenciesMs.length * 1000) / elapsedMs);
  }
  const hearthSummary = summarize(gathered.Hearth.latencies, gathered.Hearth.elapsedMs, gathered.Hearth.cpuMicros);
  const sdkSummary = summarize(gathered.SDK.latencies, gathered.SDK.elapsedMs, gathered.SDK.cpuMicros);
  const callsPerSecondRatio = hearthSummary.callsPerSecond / sdkSummary.callsPerSecond;
  const target = TARGETS[wire];
  return {
    wire,
    inFlight,
    hearth: hearthSummary,
    sdk: sdkSummary,
    callsPerSecondRatio,
    pairRatios: gathered.Hearth.rates.map((rate, index) => rate / gathered.SDK.rates[index]!),
    p50Ratio: hearthSummary.p50Ms / sdkSummary.p50Ms,
    ...(target ? { target: { text: target.text, pass: target.met(callsPerSecondRatio) } } : {}),
  };
}

function emptyGathering() {
  return { latencies: [] as number[], elapsedMs: 0, cpuMicros: 0, rates: [] as number[] };
}

function parseSettings(args: string[]): Settings {
  const { values } = parseArgs({
    args,
    options: {
      "segment-ms": { type: "string", default: "500" },
      segments: { type: "string", default: "8" },
      "warmup-ms": { type: "string", default: "500" },
      wires: { type: "string", default: "stdio,http,websocket" },
      "in-flight": { type: "string", default: "1,10,50" },
      starts: { type: "string", default: "10" },
    },
  });
  const wires = values.wires.split(",").map((wire) => wire.trim());
  for (const wire of wires) if (!(wire in BASELINE_TRANSPORT)) throw new Error(`unknown wire "${wire}" (stdio, http, websocket)`);
  return {
    segmentMs: positive(values["segment-ms"], "--segment-ms"),
    segmentsPerClient: positive(values.segments, "--segments"),
    warmupMs: nonNegative(values["warmup-ms"], "--warmup-ms"),
    wires: wires as Wire[],
    inFlight: values["in-flight"].split(",").map((value) => positive(value, "--in-flight")),
    starts: nonNegative(values.starts, "--starts"),
  };
}

function positive(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${text}"`);
  return value;
}

function nonNegative(text: string, name: string): number {
  return text.trim() === "0" ? 0 : positive(text, name);
}
