/**
 * How the desktop app starts and ends around its window: a second launch brings the first
 * window forward instead of opening another app (two instances would share one database
 * and start every MCP server twice), and quitting waits for the core to stop its MCP
 * servers and unload the model before the process ends, once, however many times quit is
 * asked for.
 */

/** The part of a `BrowserWindow` that {@link focusWindow} uses. */
export interface FocusableWindow {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
}

/** Brings `window` to the front: restores it when minimized, shows it when hidden. Nothing when there is none. */
export function focusWindow(window: FocusableWindow | undefined): void {
  if (window === undefined || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

/** The event `before-quit` passes. */
export interface QuitEvent {
  preventDefault(): void;
}

/** What {@link gracefulQuit} needs. */
export interface GracefulQuitOptions {
  /** Stops what the core started (MCP servers, the model). Called at most once. */
  shutdown(): Promise<void>;
  /** `app.quit()`: called again once `shutdown` has settled, which lets the quit through. */
  quit(): void;
  /** How long `shutdown` may take before the app quits anyway (default 10 s; an MCP server's stop has its own grace period inside it). */
  timeoutMs?: number;
  /** Told when `shutdown` fails or times out; the app quits all the same. */
  onError?(error: unknown): void;
}

/** The stages of quitting. */
export type QuitStage = "running" | "stopping" | "stopped";

/**
 * The `before-quit` listener. The first quit is held (`preventDefault`) while
 * `shutdown()` runs; quits asked for meanwhile (Cmd+Q twice, the last window closing) are
 * held too; once it has settled (or timed out) `quit()` runs again and this time passes.
 * @returns the listener, and `stage()` for tests and logs.
 */
export function gracefulQuit(options: GracefulQuitOptions): { onBeforeQuit: (event: QuitEvent) => void; stage: () => QuitStage } {
  const timeoutMs = options.timeoutMs ?? 10_000;
  let stage: QuitStage = "running";

  const stop = async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`shutdown took longer than ${timeoutMs} ms; quitting anyway`)), timeoutMs);
    });
    try {
      // Started at once; an async wrapper turns a synchronous throw into a rejection.
      await Promise.race([(async () => options.shutdown())(), timeout]);
    } catch (error) {
      options.onError?.(error);
    } finally {
      clearTimeout(timer);
      stage = "stopped";
      options.quit();
    }
  };

  return {
    onBeforeQuit(event) {
      if (stage === "stopped") return;
      event.preventDefault();
      if (stage === "stopping") return;
      stage = "stopping";
      void stop();
    },
    stage: () => stage,
  };
}
