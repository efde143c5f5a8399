/** The MCP benchmark's markdown tables. */
import { cpus } from "node:os";
import type { Wire } from "./echo-clients.js";
import type { StartupResult } from "./startup.js";
import { percentile, type LatencySummary } from "./stats.js";
import { fixed, markdownTable, millis } from "./table.js";

/** One wire and concurrency: both clients' summaries and their ratios. */
export interface Cell {
  wire: Wire;
  inFlight: number;
  hearth: LatencySummary;
  sdk: LatencySummary;
  /** Hearth/SDK of calls/s, overall and per adjacent Hearth–SDK segment pair. */
  callsPerSecondRatio: number;
  pairRatios: number[];
  /** Hearth/SDK of p50 latency: below 1 means Hearth answers sooner. */
  p50Ratio: number;
  target?: { text: string; pass: boolean };
}

/** One row per wire and concurrency: latencies, calls/s, ratios, client CPU, target. */
export function roundTripTable(cells: Cell[]): string {
  const headers = ["wire", "in flight", "p50 ms H", "p50 ms SDK", "p99 ms H", "p99 ms SDK", "calls/s H", "calls/s SDK", "calls/s H/SDK", "pairs: median (range)", "p50 H/SDK", "CPU µs/call H", "CPU µs/call SDK", "target", "result"];
  const rows = cells.map((cell) => [
    cell.wire,
    String(cell.inFlight),
    millis(cell.hearth.p50Ms),
    millis(cell.sdk.p50Ms),
    millis(cell.hearth.p99Ms),
    millis(cell.sdk.p99Ms),
    fixed(cell.hearth.callsPerSecond, 0),
    fixed(cell.sdk.callsPerSecond, 0),
    fixed(cell.callsPerSecondRatio, 3),
    `${fixed(median(cell.pairRatios), 2)} (${fixed(Math.min(...cell.pairRatios), 2)}–${fixed(Math.max(...cell.pairRatios), 2)})`,
    fixed(cell.p50Ratio, 3),
    fixed(cell.hearth.cpuMicrosPerCall, 0),
    fixed(cell.sdk.cpuMicrosPerCall, 0),
    cell.target?.text ?? "—",
    cell.target ? (cell.target.pass ? "PASS" : "MISS") : "—",
  ]);
  return markdownTable(headers, rows, ["left", "right", "right", "right", "right", "right", "right", "right", "right", "right", "right", "right", "right", "left", "left"]);
}

/** Single starts, the parallel apply, their ratio and the CPU floor under it. */
export function startupTable(startup: StartupResult): string {
  const rows = [
    [`${startup.servers} single starts (each alone), ms`, startup.singleStartsMs.map((ms) => ms.toFixed(0)).join(", ")],
    ["slowest single start, ms", startup.slowestSingleMs.toFixed(0)],
    [`${startup.servers} servers in one pool.apply, ms`, startup.parallelApplyMs.toFixed(0)],
    ["ratio apply / slowest single", `${startup.ratio.toFixed(2)} (1 = full overlap; ${startup.servers} = one after another)`],
    [
      `CPU floor: ${startup.servers} x ${startup.serverStartCpuMs.toFixed(0)} ms server start-up CPU / ${cpus().length} cores`,
      `${startup.cpuFloorMs.toFixed(0)} ms; apply / floor = ${(startup.parallelApplyMs / startup.cpuFloorMs).toFixed(2)}`,
    ],
    ["Hearth's own CPU during that apply, ms", startup.clientCpuMsDuringApply.toFixed(0)],
    ["speed-up over starting them one after another", `${(startup.sumOfSinglesMs / startup.parallelApplyMs).toFixed(2)}x (sum of singles ${startup.sumOfSinglesMs.toFixed(0)} ms)`],
  ];
  return markdownTable(["measure", "value"], rows);
}

function median(values: number[]): number {
  return percentile(Float64Array.from(values).sort(), 50);
}
