/**
 * Download progress: bytes so far, the total, speed over a sliding window and the time
 * left at that speed.
 */

/** One progress report of a download. */
export interface DownloadProgress {
  /** Bytes of the file received so far, counting those an earlier attempt left in the `.part` file. */
  receivedBytes: number;
  /** Size of the whole file in bytes, when the server (or the repository listing) said. */
  totalBytes?: number;
  /** Speed in bytes per second over the last few seconds (bytes of this run only). */
  bytesPerSecond: number;
  /** Seconds left at that speed; absent when the total is unknown or nothing arrived yet. */
  etaSeconds?: number;
  /** Bytes that were already on disk when this run started (0 for a fresh download). */
  resumedFromBytes: number;
  /** True on the last report, once every byte arrived. */
  done: boolean;
}

/** Called with progress at most every `progressIntervalMs`, and once more at the end. */
export type ProgressListener = (progress: DownloadProgress) => void;

/** Bytes per second over a sliding window of samples. */
export class SpeedMeter {
  private readonly samples: { at: number; bytes: number }[] = [];

  /**
   * @param windowMs how far back the speed looks, in milliseconds. Default 5000.
   * @param now the clock in milliseconds (tests pass their own). Default `performance.now`.
   */
  constructor(
    private readonly windowMs = 5000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Records that the running count of bytes is `bytes` now. */
  record(bytes: number): void {
    const at = this.now();
    this.samples.push({ at, bytes });
    // Keep one sample older than the window, so the window is always covered.
    while (this.samples.length > 2 && this.samples[1]!.at <= at - this.windowMs) this.samples.shift();
  }

  /** Bytes per second between the oldest kept sample and the newest; 0 until two samples span some time. */
  bytesPerSecond(): number {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.at <= first.at) return 0;
    return ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
  }
}

/** A progress report from the counts and the meter. */
export function progressReport(receivedBytes: number, totalBytes: number | undefined, resumedFromBytes: number, meter: SpeedMeter, done: boolean): DownloadProgress {
  const bytesPerSecond = meter.bytesPerSecond();
  const report: DownloadProgress = { receivedBytes, bytesPerSecond, resumedFromBytes, done };
  if (totalBytes !== undefined) {
    report.totalBytes = totalBytes;
    if (done) report.etaSeconds = 0;
    else if (bytesPerSecond > 0) report.etaSeconds = Math.max(0, totalBytes - receivedBytes) / bytesPerSecond;
  }
  return report;
}
