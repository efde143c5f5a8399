/** Formatting download progress for a terminal: bar on a TTY, plain lines elsewhere. */
import { describe, expect, it } from "vitest";
import type { DownloadProgress } from "../../models/download/progress.js";
import { createProgressPrinter, describeProgress, formatBytes, formatDuration, progressBar } from "./download-progress.js";

const progress = (received: number, extra: Partial<DownloadProgress> = {}): DownloadProgress => ({
  receivedBytes: received,
  totalBytes: 1_000_000,
  bytesPerSecond: 250_000,
  etaSeconds: (1_000_000 - received) / 250_000,
  resumedFromBytes: 0,
  done: received === 1_000_000,
  ...extra,
});

describe("download progress text", () => {
  it("formats bytes and durations", () => {
    expect([512, 196_032, 639_447_744, 2_500_000_000].map(formatBytes)).toEqual(["512 B", "196.0 KB", "639.4 MB", "2.5 GB"]);
    expect([4.4, 65, 3725].map(formatDuration)).toEqual(["4s", "1m05s", "1h02m"]);
  });

  it("describes progress, leaving out what is unknown", () => {
    expect(describeProgress(progress(500_000))).toBe("50%  500.0 KB / 1.0 MB  250.0 KB/s  2s left");
    expect(describeProgress(progress(1_000_000))).toBe("100%  1.0 MB / 1.0 MB  250.0 KB/s");
    expect(describeProgress({ receivedBytes: 2048, bytesPerSecond: 0, resumedFromBytes: 0, done: false })).toBe("2.0 KB");
  });

  it("draws a bar that fits the terminal", () => {
    const bar = progressBar(progress(500_000), 80);
    expect(bar).toMatch(/^\[#{16}-{17}\] 50% {2}500\.0 KB/);
    expect(bar.length).toBeLessThanOrEqual(80);
    expect(progressBar(progress(500_000), 30)).toBe("50%  500.0 KB / 1.0 MB  250.0");
  });

  it("redraws one line on a TTY and prints spaced lines elsewhere", () => {
    let tty = "";
    const onTty = createProgressPrinter({ write: (text) => (tty += text), isTty: true, columns: 80 });
    onTty.onProgress(progress(100_000, { resumedFromBytes: 100_000 }));
    onTty.onProgress(progress(1_000_000));
    onTty.end();
    expect(tty.startsWith("resuming after 100.0 KB downloaded earlier\n\r[")).toBe(true);
    expect(tty.split("\r")).toHaveLength(3);
    expect(tty.endsWith("\n")).toBe(true);

    let clock = 0;
    let plain = "";
    const offTty = createProgressPrinter({ write: (text) => (plain += text), isTty: false, lineIntervalMs: 1000, now: () => clock });
    for (const [at, received] of [[0, 100_000], [500, 200_000], [1000, 300_000], [1200, 1_000_000]] as const) {
      clock = at;
      offTty.onProgress(progress(received));
    }
    offTty.end();
    expect(plain.split("\n").filter(Boolean).map((line) => line.split(" ")[0])).toEqual(["10%", "30%", "100%"]);
  });
});
