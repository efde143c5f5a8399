/**
 * Server start timing for the MCP benchmark: one `pool.apply` of N Process servers against
 * the slowest of N single starts, and the CPU floor that the machine's cores put under the
 * parallel start (N servers' own start-up CPU shared by the cores).
 */
import { execFile } from "node:child_process";
import { cpus } from "node:os";
import { promisify } from "node:util";
import { McpConfigSchema } from "../../mcp/config/schema.js";
import { McpPool } from "../../mcp/pool/pool.js";
import { percentile } from "./stats.js";

/** What {@link measureStartup} found. Times in milliseconds. */
export interface StartupResult {
  servers: number;
  singleStartsMs: number[];
  slowestSingleMs: number;
  sumOfSinglesMs: number;
  parallelApplyMs: number;
  /** parallelApplyMs / slowestSingleMs: 1 is full overlap; `servers` is one after another. */
  ratio: number;
  /** CPU one server process spends from spawn to exit with stdin closed at once (median of 3). */
  serverStartCpuMs: number;
  /** servers × serverStartCpuMs / cores: no parallel start can be faster on this machine. */
  cpuFloorMs: number;
  /** CPU the benchmark (Hearth's side) spent during the parallel apply. */
  clientCpuMsDuringApply: number;
}

/**
 * Starts `count` servers alone, one after another (each in a fresh pool, kept running until
 * all are measured, so none overlaps another's shutdown), then all `count` in one apply.
 */
export async function measureStartup(command: string, args: string[], count: number): Promise<StartupResult> {
  const source = { type: "Process" as const, command, args };
  const startPool = async (ids: string[]) => {
    const pool = new McpPool({ autoRestart: false });
    const config = McpConfigSchema.parse({ servers: ids.map((id) => ({ id, source })), max_concurrent_calls: 100 });
    const cpuAtStart = process.cpuUsage();
    const startedAt = performance.now();
    await pool.apply(config);
    const ms = performance.now() - startedAt;
    const cpu = process.cpuUsage(cpuAtStart);
    const failed = pool.servers().filter((server) => server.state.status !== "running");
    if (failed.length > 0) {
      await pool.close();
      throw new Error(`servers did not start: ${failed.map((server) => `${server.id} ${JSON.stringify(server.state)}`).join("; ")}`);
    }
    return { pool, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
  };
  // An untimed start first, so that no timed one pays for loading and compiling code.
  await (await startPool(["warm-up"])).pool.close();
  const singles: Array<{ pool: McpPool; ms: number }> = [];
  try {
    for (let index = 0; index < count; index++) singles.push(await startPool([`single-${index}`]));
  } finally {
    await Promise.all(singles.map(({ pool }) => pool.close()));
  }
  const parallel = await startPool(Array.from({ length: count }, (_, index) => `parallel-${index}`));
  await parallel.pool.close();
  const serverStartCpuMs = await medianServerStartCpuMs(command, args, 3);
  const singleStartsMs = singles.map(({ ms }) => ms);
  const slowestSingleMs = Math.max(...singleStartsMs);
  return {
    servers: count,
    singleStartsMs,
    slowestSingleMs,
    sumOfSinglesMs: singleStartsMs.reduce((sum, ms) => sum + ms, 0),
    parallelApplyMs: parallel.ms,
    ratio: parallel.ms / slowestSingleMs,
    serverStartCpuMs,
    cpuFloorMs: (count * serverStartCpuMs) / cpus().length,
    clientCpuMsDuringApply: parallel.cpuMs,
  };
}

/**
 * The CPU (user + system) of the server from spawn to exit, its stdin at end of file from
 * the start: loading its code and connecting its transport, less the MCP handshake. The
 * shell's `times` reports its children's CPU, which Node cannot read for a child.
 */
async function medianServerStartCpuMs(command: string, args: string[], runs: number): Promise<number> {
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const { stdout } = await promisify(execFile)("sh", ["-c", '"$@" </dev/null >/dev/null 2>&1; times', "sh", command, ...args]);
    const childrenLine = stdout.trim().split("\n").at(-1) ?? "";
    const seconds = [...childrenLine.matchAll(/(\d+)m([\d.]+)s/g)].map((match) => Number(match[1]) * 60 + Number(match[2]));
    if (seconds.length !== 2) throw new Error(`unexpected output of times: ${stdout}`);
    samples.push((seconds[0]! + seconds[1]!) * 1000);
  }
  return percentile(Float64Array.from(samples).sort(), 50);
}
