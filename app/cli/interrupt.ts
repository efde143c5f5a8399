/**
 * Ctrl-C for long-running commands: the first SIGINT or SIGTERM aborts `signal` (and runs
 * `onFirst`, e.g. an orderly shutdown), a second one exits at once with 130.
 */
import { EXIT } from "./output.js";

export interface Interrupt {
  /** Aborts on the first Ctrl-C. */
  signal: AbortSignal;
  /** Removes the signal handlers; call it when the command ends. */
  dispose(): void;
}

export function listenForInterrupt(onFirst?: () => void): Interrupt {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(EXIT.cancelled);
    controller.abort();
    onFirst?.();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
