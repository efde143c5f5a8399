/**
 * Load progress as the UI wants it: a fraction from 0 to 1 that never goes back.
 * node-llama-cpp reports from llama.cpp's loader thread, asynchronously, starting above 0
 * and sometimes after the load has settled; this wrapper evens that out.
 */

/** A progress callback that passes on 0 first, then only increasing fractions up to 1, and nothing once closed. */
export interface ProgressReporter {
  (progress: number): void;
  /** Stops forwarding: llama.cpp's reports arrive asynchronously and may come after the load has settled. */
  close(): void;
}

/**
 * Wraps `onProgress` (left out: reports go nowhere). Fractions are clamped to 0..1 and
 * passed on only when larger than the last one.
 */
export function monotonicProgress(onProgress: ((progress: number) => void) | undefined): ProgressReporter {
  let last = -1;
  let closed = false;
  const report = (progress: number): void => {
    const value = Math.min(1, Math.max(0, progress));
    if (closed || value <= last) return;
    last = value;
    onProgress?.(value);
  };
  return Object.assign(report, { close: () => void (closed = true) });
}
