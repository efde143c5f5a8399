/** Latency statistics for closed-loop runs. All times in milliseconds. */

/** The p-th percentile (0..100) of an ascending array, nearest-rank; NaN when empty. */
export function percentile(sortedAscending: ArrayLike<number>, p: number): number {
  const count = sortedAscending.length;
  if (count === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * count);
  return sortedAscending[Math.min(count - 1, Math.max(0, rank - 1))]!;
}

/** What one client measured in one cell. */
export interface LatencySummary {
  calls: number;
  /** Wall time of the measured segments together, in milliseconds. */
  elapsedMs: number;
  callsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  /** CPU time of the client process per call, in microseconds (NaN when not measured). */
  cpuMicrosPerCall: number;
}

/** Summarizes call latencies gathered over `elapsedMs` of wall time, using `cpuMicros` of client CPU. */
export function summarize(latenciesMs: number[], elapsedMs: number, cpuMicros = Number.NaN): LatencySummary {
  const sorted = Float64Array.from(latenciesMs).sort();
  let total = 0;
  for (const value of sorted) total += value;
  return {
    calls: sorted.length,
    elapsedMs,
    callsPerSecond: elapsedMs > 0 ? (sorted.length * 1000) / elapsedMs : Number.NaN,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    meanMs: sorted.length > 0 ? total / sorted.length : Number.NaN,
    maxMs: sorted.length > 0 ? sorted[sorted.length - 1]! : Number.NaN,
    cpuMicrosPerCall: sorted.length > 0 ? cpuMicros / sorted.length : Number.NaN,
  };
}

/** The median (the mean of the middle two for an even count); NaN where nothing was measured. */
export function median(values: number[]): number {
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
