/**
 * A closed-loop load: `inFlight` workers, each awaiting its call and then issuing the next,
 * until a deadline. Calls still in flight at the deadline are awaited and counted, and the
 * elapsed time runs until the last one returns, so calls/s = calls / elapsed.
 */

/** One segment's raw result. */
export interface LoopResult {
  latenciesMs: number[];
  elapsedMs: number;
  /** CPU time (user + system) this process spent meanwhile, in microseconds: the client's cost. */
  cpuMicros: number;
}

/**
 * Runs `call` with `inFlight` workers for `durationMs` of wall time. A call that throws
 * ends the run with that error (a benchmark of failing calls measures nothing).
 */
export async function runClosedLoop(call: () => Promise<unknown>, inFlight: number, durationMs: number): Promise<LoopResult> {
  const latenciesMs: number[] = [];
  const cpuAtStart = process.cpuUsage();
  const startedAt = performance.now();
  const deadline = startedAt + durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const sentAt = performance.now();
      await call();
      latenciesMs.push(performance.now() - sentAt);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const elapsedMs = performance.now() - startedAt;
  const cpu = process.cpuUsage(cpuAtStart);
  return { latenciesMs, elapsedMs, cpuMicros: cpu.user + cpu.system };
}
