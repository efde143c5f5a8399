/**
 * Download progress for a terminal: a bar redrawn in place on a TTY, plain lines every few
 * seconds otherwise (logs, CI, pipes), so both read well.
 */
import type { DownloadProgress } from "../../models/download/progress.js";

/** Bytes in decimal units as model hubs show them: `512 B`, `196.0 KB`, `1.8 GB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** Seconds as `42s`, `3m05s` or `1h02m`. */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, "0")}s`;
  return `${Math.floor(whole / 3600)}h${String(Math.floor((whole % 3600) / 60)).padStart(2, "0")}m`;
}

/** `52%  101.2 KB / 196.0 KB  1.2 MB/s  3s left` (parts that are unknown are left out). */
export function describeProgress(progress: DownloadProgress): string {
  const parts: string[] = [];
  if (progress.totalBytes) {
    parts.push(`${Math.floor((progress.receivedBytes / progress.totalBytes) * 100)}%`);
    parts.push(`${formatBytes(progress.receivedBytes)} / ${formatBytes(progress.totalBytes)}`);
  } else {
    parts.push(formatBytes(progress.receivedBytes));
  }
  if (progress.bytesPerSecond > 0) parts.push(`${formatBytes(progress.bytesPerSecond)}/s`);
  if (progress.etaSeconds !== undefined && !progress.done && progress.bytesPerSecond > 0) parts.push(`${formatDuration(progress.etaSeconds)} left`);
  return parts.join("  ");
}

/** `[#########-----------] ` followed by {@link describeProgress}, fitted to `columns`. */
export function progressBar(progress: DownloadProgress, columns: number): string {
  const text = describeProgress(progress);
  const barWidth = Math.min(40, columns - text.length - 4);
  if (!progress.totalBytes || barWidth < 10) return text.slice(0, Math.max(0, columns - 1));
  const filled = Math.min(barWidth, Math.floor((progress.receivedBytes / progress.totalBytes) * barWidth));
  return `[${"#".repeat(filled)}${"-".repeat(barWidth - filled)}] ${text}`;
}

/** Where and how {@link createProgressPrinter} writes. */
export interface ProgressPrinterOptions {
  /** Writes text (stderr, so stdout keeps only results). */
  write: (text: string) => void;
  /** Redraw one line in place (a TTY) or print lines. */
  isTty: boolean;
  /** Terminal width for the bar. Default 80. */
  columns?: number;
  /** Least time between plain lines, in milliseconds. Default 3000. */
  lineIntervalMs?: number;
  /** Clock in milliseconds. Default `performance.now`. */
  now?: () => number;
}

/** A progress listener for a download, and `end()` to finish its line. */
export function createProgressPrinter(options: ProgressPrinterOptions): { onProgress: (progress: DownloadProgress) => void; end: () => void } {
  const now = options.now ?? (() => performance.now());
  const interval = options.lineIntervalMs ?? 3000;
  let lastLine = Number.NEGATIVE_INFINITY;
  let drawnWidth = 0;
  let started = false;
  return {
    onProgress(progress) {
      if (!started) {
        started = true;
        if (progress.resumedFromBytes > 0) options.write(`resuming after ${formatBytes(progress.resumedFromBytes)} downloaded earlier\n`);
      }
      if (options.isTty) {
        const line = progressBar(progress, options.columns ?? 80);
        options.write(`\r${line.padEnd(drawnWidth)}`);
        drawnWidth = line.length;
      } else if (progress.done || now() - lastLine >= interval) {
        lastLine = now();
        options.write(`${describeProgress(progress)}\n`);
      }
    },
    end() {
      if (options.isTty && drawnWidth > 0) options.write("\n");
      drawnWidth = 0;
    },
  };
}
