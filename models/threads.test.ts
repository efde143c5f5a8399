import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { chooseThreadCount, parseCgroupV1Quota, parseCgroupV2CpuMax, parsePhysicalCores, readCpuCores } from "./threads.js";

/** A /proc/cpuinfo of `sockets` x `cores` x `threadsPerCore` processors (only the lines that matter). */
function cpuinfo(sockets: number, cores: number, threadsPerCore: number): string {
  const blocks: string[] = [];
  let processor = 0;
  for (let socket = 0; socket < sockets; socket++) {
    for (let core = 0; core < cores; core++) {
      for (let thread = 0; thread < threadsPerCore; thread++) {
        blocks.push(`processor\t: ${processor++}\nmodel name\t: Test CPU\nphysical id\t: ${socket}\nsiblings\t: ${cores * threadsPerCore}\ncore id\t\t: ${core}\ncpu cores\t: ${cores}\n`);
      }
    }
  }
  return blocks.join("\n");
}

describe("parsePhysicalCores", () => {
  it("counts cores, not hyper-threads", () => {
    expect(parsePhysicalCores(cpuinfo(1, 2, 2))).toBe(2);
    expect(parsePhysicalCores(cpuinfo(1, 2, 1))).toBe(2);
  });

  it("counts the same core id on two sockets twice", () => {
    expect(parsePhysicalCores(cpuinfo(2, 4, 2))).toBe(8);
  });

  it("does not know when there are no core ids (ARM, some VMs)", () => {
    expect(parsePhysicalCores("processor\t: 0\nBogoMIPS\t: 48.00\n\nprocessor\t: 1\nBogoMIPS\t: 48.00\n")).toBeUndefined();
    expect(parsePhysicalCores("")).toBeUndefined();
  });
});

describe("cgroup CPU quota", () => {
  it("reads cgroup v2 cpu.max, rounding down to at least 1", () => {
    expect(parseCgroupV2CpuMax("max 100000\n")).toBeUndefined();
    expect(parseCgroupV2CpuMax("200000 100000\n")).toBe(2);
    expect(parseCgroupV2CpuMax("150000 100000\n")).toBe(1);
    expect(parseCgroupV2CpuMax("50000 100000\n")).toBe(1);
    expect(parseCgroupV2CpuMax("")).toBeUndefined();
  });

  it("reads cgroup v1 cfs quota and period", () => {
    expect(parseCgroupV1Quota("-1\n", "100000\n")).toBeUndefined();
    expect(parseCgroupV1Quota("400000\n", "100000\n")).toBe(4);
    expect(parseCgroupV1Quota("", "")).toBeUndefined();
  });
});

describe("chooseThreadCount", () => {
  it("takes the smallest known limit", () => {
    expect(chooseThreadCount({ logical: 4, available: 4, physical: 2, quota: undefined })).toBe(2);
    expect(chooseThreadCount({ logical: 16, available: 16, physical: 8, quota: 3 })).toBe(3);
    // CPU affinity (taskset) below the physical count.
    expect(chooseThreadCount({ logical: 16, available: 2, physical: 8, quota: undefined })).toBe(2);
  });

  it("falls back to the available CPUs where physical cores are unknown", () => {
    expect(chooseThreadCount({ logical: 8, available: 8, physical: undefined, quota: undefined })).toBe(8);
  });

  it("never goes below 1", () => {
    expect(chooseThreadCount({ logical: 1, available: 1, physical: undefined, quota: undefined })).toBe(1);
  });

  it("chooses no more threads than this machine has cores", () => {
    const cores = readCpuCores();
    const chosen = chooseThreadCount();
    console.info(`threads chosen here: ${chosen} (cores: ${JSON.stringify(cores)})`);
    expect(chosen).toBeGreaterThanOrEqual(1);
    expect(chosen).toBeLessThanOrEqual(availableParallelism());
    if (cores.physical !== undefined) expect(chosen).toBeLessThanOrEqual(cores.physical);
    // node-llama-cpp's CPU default is at least 4; on a machine with fewer cores we must choose fewer.
    if (availableParallelism() < 4) expect(chosen).toBeLessThan(4);
  });
});
