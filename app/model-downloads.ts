/**
 * The models page's downloads (issue 7): each pull of an `hf:` URI or URL into the models
 * folder gets an id and a state (running, done, cancelled, error) with its bytes, sent to
 * the page at most a few times a second while it runs and always at its end. Cancelling
 * keeps the `.part` file; downloading the same URI again resumes it (models/download).
 */
import { randomUUID } from "node:crypto";
import type { PullOptions } from "../models/download/index.js";
import type { DownloadState } from "./contract/models-channels.js";

/** What a test or a front end may pass on to `pullModel`. */
export type PullSettings = Pick<PullOptions, "fetch" | "huggingFaceEndpoint" | "token" | "retries" | "retryDelayMs">;

/** The Hub mirror (`HF_ENDPOINT`) and token (`HF_TOKEN`, else `HUGGING_FACE_HUB_TOKEN`) the environment names, as `hearth models pull` reads them. */
export function pullSettingsFromEnvironment(environment: NodeJS.ProcessEnv = process.env): PullSettings {
  const endpoint = environment.HF_ENDPOINT?.trim();
  const token = environment.HF_TOKEN?.trim() || environment.HUGGING_FACE_HUB_TOKEN?.trim();
  return { ...(endpoint ? { huggingFaceEndpoint: endpoint } : {}), ...(token ? { token } : {}) };
}

/** Options of {@link ModelDownloads}. */
export interface ModelDownloadsOptions {
  /** The folder the models go to (created if needed). */
  modelsFolder: string;
  /** Receives each change of a download's state; never throws into the download. */
  onUpdate: (state: DownloadState) => void;
  /** Least time between two updates of one running download, in milliseconds. Default 250 (about 4 a second). */
  intervalMs?: number;
  /** Called once a download has put a new model in the folder. */
  onFinished?: (state: DownloadState) => void;
  /** Passed on to `pullModel` (the Hub's endpoint, a token, a `fetch` for tests). Default: none. */
  pull?: PullSettings;
}

interface Download {
  state: DownloadState;
  controller: AbortController;
  /** Settles with the final state. */
  finished?: Promise<DownloadState>;
}

/** The downloads of one models folder, by id. See the file's comment. */
export class ModelDownloads {
  private readonly downloads = new Map<string, Download>();
  private readonly intervalMs: number;

  constructor(private readonly options: ModelDownloadsOptions) {
    this.intervalMs = options.intervalMs ?? 250;
  }

  /**
   * Starts downloading `uri` and answers its id at once; the same URI while it runs gives
   * the running download's id, and an ended download of it is replaced by the new one
   * (which resumes its `.part`). Failures end up in its state (`error`, with why).
   */
  start(uri: string): string {
    const trimmed = uri.trim();
    for (const [id, download] of this.downloads) {
      if (download.state.uri !== trimmed) continue;
      if (download.state.state === "running") return id;
      // Superseded: the new download resumes or repeats it.
      this.downloads.delete(id);
    }
    const downloadId = randomUUID();
    const controller = new AbortController();
    const download: Download = { state: { downloadId, uri: trimmed, state: "running", bytes: 0 }, controller };
    this.downloads.set(downloadId, download);
    download.finished = this.run(download);
    return downloadId;
  }

  /** Stops a running download (its `.part` stays for a resume); false when it is not running. */
  cancel(downloadId: string): boolean {
    const download = this.downloads.get(downloadId);
    if (download === undefined || download.state.state !== "running") return false;
    download.controller.abort();
    return true;
  }

  /** Every download since start, oldest first. */
  list(): DownloadState[] {
    return [...this.downloads.values()].map((download) => ({ ...download.state }));
  }

  /** The final state of a download (undefined for an unknown id). */
  async settled(downloadId: string): Promise<DownloadState | undefined> {
    return this.downloads.get(downloadId)?.finished;
  }

  /** Cancels every running download and waits for them to stop. */
  async dispose(): Promise<void> {
    const running = [...this.downloads.values()].filter((download) => download.state.state === "running");
    for (const download of running) download.controller.abort();
    await Promise.allSettled(running.map((download) => download.finished));
  }

  private async run(download: Download): Promise<DownloadState> {
    // Let `start` return the id before the first update names it.
    await Promise.resolve();
    this.send(download);
    let lastSent = performance.now();
    try {
      const { pullModel } = await import("../models/download/index.js");
      const result = await pullModel(download.state.uri, {
        ...this.options.pull,
        modelsFolder: this.options.modelsFolder,
        signal: download.controller.signal,
        progressIntervalMs: this.intervalMs,
        onResolved: (file) => {
          download.state = { ...download.state, fileName: file.fileName, ...(file.sizeBytes !== undefined ? { totalBytes: file.sizeBytes } : {}) };
        },
        onProgress: (progress) => {
          download.state = { ...download.state, bytes: progress.receivedBytes, ...(progress.totalBytes !== undefined ? { totalBytes: progress.totalBytes } : {}) };
          const now = performance.now();
          if (!progress.done && now - lastSent < this.intervalMs) return;
          lastSent = now;
          this.send(download);
        },
      });
      download.state = { ...download.state, state: "done", fileName: result.fileName, bytes: result.bytes, totalBytes: result.bytes };
      this.send(download);
      this.options.onFinished?.({ ...download.state });
    } catch (error) {
      const cancelled = download.controller.signal.aborted;
      download.state = { ...download.state, state: cancelled ? "cancelled" : "error", ...(cancelled ? {} : { error: error instanceof Error ? error.message : String(error) }) };
      this.send(download);
    }
    return { ...download.state };
  }

  private send(download: Download): void {
    try {
      this.options.onUpdate({ ...download.state });
    } catch {
      // The listener's failure is its own; the download goes on.
    }
  }
}
