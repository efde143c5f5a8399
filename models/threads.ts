/**
 * How many CPU threads llama.cpp should use on this machine.
 *
 * Why this exists: in CPU mode node-llama-cpp 3.x uses `max(4, cpuMathCores)` threads by
 * default. On a 2-core machine the two extra threads fight the two real ones for the same
 * cores at every token, and generation became 30 to 100 times slower (measured; see
 * shared/fixtures/models/README.md). llama.cpp's matrix work wants one thread per
 * physical core: hyper-threads share a core's vector units and add little.
 *
 * The rule ({@link chooseThreadCount}): the smallest of
 * - the CPUs this process may run on (`os.availableParallelism()`, which honours CPU affinity),
 * - the physical cores (Linux: distinct `physical id`/`core id` pairs of /proc/cpuinfo),
 * - the container's CPU quota (cgroup v2 `cpu.max`, or v1 `cpu.cfs_quota_us`), rounded down,
 * and at least 1. Where a figure is unknown (another OS, no quota) it is left out.
 */
import { readFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";

/** What the machine says about its CPUs; each figure is a count of CPUs. */
export interface CpuCores {
  /** Logical CPUs (hyper-threads count) that the OS reports, from `os.cpus()`. */
  logical: number;
  /** CPUs this process may run on: `os.availableParallelism()` (honours CPU affinity). */
  available: number;
  /** Physical cores from /proc/cpuinfo (Linux x86); `undefined` where it does not say. */
  physical: number | undefined;
  /** The cgroup's CPU quota rounded down (at least 1); `undefined` where there is none. */
  quota: number | undefined;
}

/** Reads the figures of {@link CpuCores} for this machine (synchronous; a few small files on Linux). */
export function readCpuCores(): CpuCores {
  const logical = Math.max(1, cpus().length);
  const available = Math.max(1, availableParallelism());
  if (process.platform !== "linux") return { logical, available, physical: undefined, quota: undefined };
  const physical = parsePhysicalCores(readTextOrEmpty("/proc/cpuinfo"));
  const quota =
    parseCgroupV2CpuMax(readTextOrEmpty("/sys/fs/cgroup/cpu.max")) ??
    parseCgroupV1Quota(readTextOrEmpty("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"), readTextOrEmpty("/sys/fs/cgroup/cpu/cpu.cfs_period_us"));
  return { logical, available, physical, quota };
}

/**
 * The number of threads for llama.cpp: min(available, physical, quota), at least 1 (see
 * the rule at the top of this file).
 *
 * @param cores - defaults to {@link readCpuCores} of this machine.
 */
export function chooseThreadCount(cores: CpuCores = readCpuCores()): number {
  const limits = [cores.available, cores.physical, cores.quota].filter((value): value is number => value !== undefined && value > 0);
  return Math.max(1, Math.floor(Math.min(...limits)));
}

/**
 * Counts the physical cores in the text of /proc/cpuinfo: distinct (`physical id`,
 * `core id`) pairs. `undefined` when the text has no `core id` lines (ARM, some VMs).
 */
export function parsePhysicalCores(cpuinfo: string): number | undefined {
  const cores = new Set<string>();
  // Each processor is a block of "key : value" lines; blocks are separated by a blank line.
  for (const block of cpuinfo.split(/\n\s*\n/)) {
    const socket = /^physical id\s*:\s*(\d+)/m.exec(block)?.[1] ?? "0";
    const core = /^core id\s*:\s*(\d+)/m.exec(block)?.[1];
    if (core !== undefined) cores.add(`${socket}:${core}`);
  }
  return cores.size > 0 ? cores.size : undefined;
}

/**
 * The CPU quota in the text of cgroup v2 `cpu.max` (`"<quota> <period>"` in microseconds,
 * or `"max <period>"` for none), rounded down to whole CPUs and at least 1.
 */
export function parseCgroupV2CpuMax(text: string): number | undefined {
  const [quota, period] = text.trim().split(/\s+/);
  if (quota === undefined || period === undefined || quota === "max") return undefined;
  return cpusFromQuota(Number(quota), Number(period));
}

/** The CPU quota of cgroup v1 (`cpu.cfs_quota_us`, `-1` for none, and `cpu.cfs_period_us`), as for v2. */
export function parseCgroupV1Quota(quotaText: string, periodText: string): number | undefined {
  return cpusFromQuota(Number(quotaText.trim() || Number.NaN), Number(periodText.trim() || Number.NaN));
}

function cpusFromQuota(quota: number, period: number): number | undefined {
  if (!(quota > 0) || !(period > 0)) return undefined;
  // Rounded down, as Go's automaxprocs does: a 1.5-CPU quota run with 2 busy threads is throttled.
  return Math.max(1, Math.floor(quota / period));
}

function readTextOrEmpty(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    // Absent on this kernel or in this container: the figure is simply unknown.
    return "";
  }
}
