// Test double: Electron cannot be launched on this machine (its binary does not install),
// so `app.quit`, the `before-quit` event and the window are fakes that record calls; the
// listener under test is the one app.ts gives `app.on("before-quit")`.
import { afterEach, describe, expect, it, vi } from "vitest";
import { focusWindow, gracefulQuit, type FocusableWindow } from "./lifecycle.js";

afterEach(() => {
  vi.useRealTimers();
});

/** Simulates Electron: `quit()` fires `before-quit` again, and the app ends if no listener prevents it. */
function fakeApp(options: { shutdown: () => Promise<void>; timeoutMs?: number }) {
  let ended = false;
  const onError = vi.fn();
  const quitting = gracefulQuit({ shutdown: options.shutdown, quit: () => quit(), onError, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) });
  const quit = () => {
    let prevented = false;
    quitting.onBeforeQuit({ preventDefault: () => (prevented = true) });
    if (!prevented) ended = true;
  };
  return { quit, ended: () => ended, stage: quitting.stage, onError };
}

describe("gracefulQuit", () => {
  it("holds the quit until shutdown has finished, then lets it through", async () => {
    let finish!: () => void;
    const shutdown = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const app = fakeApp({ shutdown });
    app.quit();
    expect(app.ended()).toBe(false);
    expect(app.stage()).toBe("stopping");
    finish();
    await vi.waitFor(() => expect(app.ended()).toBe(true));
    expect(app.stage()).toBe("stopped");
  });

  it("shuts down once however many times quit is asked for", async () => {
    let finish!: () => void;
    const shutdown = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const app = fakeApp({ shutdown });
    app.quit();
    app.quit();
    app.quit();
    expect(app.ended()).toBe(false);
    finish();
    await vi.waitFor(() => expect(app.ended()).toBe(true));
    app.quit();
    expect(shutdown).toHaveBeenCalledOnce();
  });

  it("quits all the same when shutdown fails, and says why", async () => {
    const app = fakeApp({ shutdown: () => Promise.reject(new Error("server would not stop")) });
    app.quit();
    await vi.waitFor(() => expect(app.ended()).toBe(true));
    expect(app.onError).toHaveBeenCalledWith(expect.objectContaining({ message: "server would not stop" }));
  });

  it("quits all the same when shutdown throws before returning a promise", async () => {
    const app = fakeApp({
      shutdown: () => {
        throw new Error("sync");
      },
    });
    app.quit();
    await vi.waitFor(() => expect(app.ended()).toBe(true));
    expect(app.onError).toHaveBeenCalledOnce();
  });

  it("quits after the timeout when shutdown hangs", async () => {
    vi.useFakeTimers();
    const app = fakeApp({ shutdown: () => new Promise<void>(() => {}), timeoutMs: 3_000 });
    app.quit();
    await vi.advanceTimersByTimeAsync(2_999);
    expect(app.ended()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(app.ended()).toBe(true);
    expect(app.onError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining("3000 ms") }));
  });
});

function fakeWindow(minimized: boolean, destroyed = false) {
  const calls: string[] = [];
  const window: FocusableWindow = {
    isDestroyed: () => destroyed,
    isMinimized: () => minimized,
    restore: () => calls.push("restore"),
    show: () => calls.push("show"),
    focus: () => calls.push("focus"),
  };
  return { window, calls };
}

describe("focusWindow (a second instance was launched)", () => {
  it("restores a minimized window and brings it forward", () => {
    const { window, calls } = fakeWindow(true);
    focusWindow(window);
    expect(calls).toEqual(["restore", "show", "focus"]);
  });

  it("only brings forward a window that is not minimized", () => {
    const { window, calls } = fakeWindow(false);
    focusWindow(window);
    expect(calls).toEqual(["show", "focus"]);
  });

  it("does nothing without a live window", () => {
    const { window, calls } = fakeWindow(true, true);
    focusWindow(window);
    focusWindow(undefined);
    expect(calls).toEqual([]);
  });
});
