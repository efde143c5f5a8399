/**
 * Process warnings during a benchmark, counted instead of printed one per line: the SDK's
 * Streamable HTTP transport with Node's fetch emits MaxListenersExceededWarning on every
 * request past the 1,500th (see shared/notes/mcp-peers.md), which would bury the table.
 * The first of each kind is printed at once; `summary()` gives the counts.
 */

/** Warnings of one kind seen while one phase of the benchmark ran. */
export interface WarningCount {
  phase: string;
  name: string;
  /** The first such warning's message, digits as they were. */
  message: string;
  count: number;
}

/** Replaces Node's warning printer until `restore()`; `phase()` names what runs right now. */
export function captureWarnings(phase: () => string): { summary(): WarningCount[]; restore(): void } {
  const printers = process.listeners("warning");
  process.removeAllListeners("warning");
  const counts = new Map<string, WarningCount>();
  const onWarning = (warning: Error) => {
    const current = phase();
    const key = `${current}\0${warning.name}\0${warning.message.replace(/\d+/g, "#")}`;
    const seen = counts.get(key);
    if (seen) {
      seen.count++;
      return;
    }
    counts.set(key, { phase: current, name: warning.name, message: warning.message, count: 1 });
    console.error(`(warning while ${current} ran; repeats are counted, not printed) ${warning.name}: ${warning.message}`);
  };
  process.on("warning", onWarning);
  return {
    summary: () => [...counts.values()],
    restore: () => {
      process.off("warning", onWarning);
      for (const printer of printers) process.on("warning", printer);
    },
  };
}
