// Test double: Electron cannot be launched on this machine (its binary does not install),
// so the window is a fake `BrowserWindow` that records listeners and reports bounds, and
// displays are plain rectangles as `screen.getAllDisplays()` would give their work areas.
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  DEFAULT_WINDOW_STATE,
  MINIMUM_WINDOW_SIZE,
  isReachable,
  loadWindowState,
  parseWindowState,
  saveWindowState,
  trackWindowState,
  windowBounds,
  type Rectangle,
  type TrackedWindow,
} from "./window-state.js";

const LAPTOP: Rectangle = { x: 0, y: 0, width: 1920, height: 1080 };
const RIGHT_MONITOR: Rectangle = { x: 1920, y: 0, width: 2560, height: 1440 };

let folder: string;
let file: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "hearth-window-state-"));
  file = join(folder, "nested", "window-state.json");
});
afterEach(async () => {
  vi.useRealTimers();
  await rm(folder, { recursive: true, force: true });
});

describe("window state file", () => {
  it("round-trips size, position and maximized state", async () => {
    await saveWindowState(file, { width: 1400, height: 900, x: 2000, y: 100, maximized: true });
    expect(await loadWindowState(file, [LAPTOP, RIGHT_MONITOR])).toEqual({ width: 1400, height: 900, x: 2000, y: 100, maximized: true });
  });

  it("writes through a temporary file and leaves none behind", async () => {
    await saveWindowState(file, { width: 1000.4, height: 700.6, maximized: false });
    await saveWindowState(file, { width: 1100, height: 750, x: 10, y: 20, maximized: false });
    expect(await readdir(join(folder, "nested"))).toEqual(["window-state.json"]);
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({ width: 1100, height: 750, x: 10, y: 20, maximized: false });
  });

  it("gives the defaults (1200×800) without a file", async () => {
    expect(await loadWindowState(file, [LAPTOP])).toEqual({ width: 1200, height: 800, maximized: false });
    expect(DEFAULT_WINDOW_STATE).toEqual({ width: 1200, height: 800, maximized: false });
  });

  it("gives the defaults for a corrupt file", async () => {
    await saveWindowState(file, { width: 1, height: 1, maximized: false });
    await writeFile(file, '{"width": 1400, "height": 9');
    expect(await loadWindowState(file, [LAPTOP])).toEqual(DEFAULT_WINDOW_STATE);
  });

  it("gives the defaults when the file cannot be read at all (a folder)", async () => {
    expect(await loadWindowState(folder, [LAPTOP])).toEqual(DEFAULT_WINDOW_STATE);
  });

  it.each([
    ["null", "null"],
    ["an array", "[1200, 800]"],
    ["a string width", '{"width": "1200", "height": 800}'],
    ["a negative height", '{"width": 1200, "height": -5}'],
    ["an absurd position", '{"width": 1200, "height": 800, "x": 1e12, "y": 0}'],
    ["a non-boolean maximized", '{"width": 1200, "height": 800, "maximized": "yes"}'],
  ])("gives the defaults for %s", (_what, text) => {
    expect(parseWindowState(text, [LAPTOP])).toEqual(DEFAULT_WINDOW_STATE);
  });

  it("raises a size below the minimum", () => {
    expect(parseWindowState('{"width": 100, "height": 50}', [LAPTOP])).toEqual({ ...MINIMUM_WINDOW_SIZE, maximized: false });
  });
});

describe("off-screen positions", () => {
  it("drops a position on a display that is gone, keeping the size", async () => {
    await saveWindowState(file, { width: 1400, height: 900, x: 2500, y: 200, maximized: false });
    expect(await loadWindowState(file, [LAPTOP])).toEqual({ width: 1400, height: 900, maximized: false });
  });

  it("keeps a position on the second display", () => {
    expect(parseWindowState('{"width": 1400, "height": 900, "x": 2500, "y": 200}', [LAPTOP, RIGHT_MONITOR])).toMatchObject({ x: 2500, y: 200 });
  });

  it("keeps a window whose title bar is partly on screen, drops one whose title bar is not", () => {
    expect(isReachable({ x: -1300, y: 100, width: 1400, height: 900 }, [LAPTOP])).toBe(true);
    expect(isReachable({ x: -1380, y: 100, width: 1400, height: 900 }, [LAPTOP])).toBe(false);
    expect(isReachable({ x: 100, y: -500, width: 1400, height: 900 }, [LAPTOP])).toBe(false);
    expect(isReachable({ x: 100, y: 1075, width: 1400, height: 900 }, [LAPTOP])).toBe(false);
    expect(isReachable({ x: 100, y: 100, width: 1400, height: 900 }, [])).toBe(false);
  });

  it("drops a half-given position", () => {
    expect(parseWindowState('{"width": 1400, "height": 900, "x": 10}', [LAPTOP])).toEqual({ width: 1400, height: 900, maximized: false });
  });

  it("gives BrowserWindow options with the position only when there is one", () => {
    expect(windowBounds({ width: 1400, height: 900, maximized: true })).toEqual({ width: 1400, height: 900, minWidth: 480, minHeight: 360 });
    expect(windowBounds({ width: 1400, height: 900, x: 5, y: 6, maximized: false })).toMatchObject({ x: 5, y: 6 });
  });
});

/** A fake `BrowserWindow`: listeners by event, bounds and maximized state set by the test. */
function fakeWindow() {
  const listeners = new Map<string, Array<() => void>>();
  const window = {
    bounds: { x: 10, y: 20, width: 1300, height: 850 } as Rectangle,
    maximized: false,
    destroyed: false,
    emit(event: string) {
      for (const listener of listeners.get(event) ?? []) listener();
    },
  };
  const tracked: TrackedWindow = {
    on: (event, listener) => listeners.set(event, [...(listeners.get(event) ?? []), listener]),
    getNormalBounds: () => ({ ...window.bounds }),
    isMaximized: () => window.maximized,
    isDestroyed: () => window.destroyed,
  };
  return { window, tracked, listeners };
}

describe("trackWindowState", () => {
  it("saves once after moves and resizes pause", async () => {
    vi.useFakeTimers();
    const { window, tracked } = fakeWindow();
    const tracker = trackWindowState(tracked, file, { debounceMs: 500 });
    window.emit("move");
    window.bounds = { x: 30, y: 40, width: 1300, height: 850 };
    window.emit("move");
    window.emit("resize");
    await vi.advanceTimersByTimeAsync(499);
    await tracker.flush();
    // flush wrote the pending state at once; nothing more is due
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({ x: 30, y: 40, width: 1300, height: 850, maximized: false });
  });

  it("writes after the pause without a flush", async () => {
    vi.useFakeTimers();
    const { window, tracked } = fakeWindow();
    const onError = vi.fn();
    trackWindowState(tracked, file, { debounceMs: 200, onError });
    window.maximized = true;
    window.emit("maximize");
    await vi.advanceTimersByTimeAsync(200);
    vi.useRealTimers();
    await vi.waitFor(async () => expect(JSON.parse(await readFile(file, "utf8"))).toMatchObject({ maximized: true }));
    expect(onError).not.toHaveBeenCalled();
  });

  it("saves the normal bounds at once on close", async () => {
    const { window, tracked } = fakeWindow();
    const tracker = trackWindowState(tracked, file);
    window.maximized = true;
    window.emit("close");
    await tracker.flush();
    expect(await loadWindowState(file, [LAPTOP])).toEqual({ x: 10, y: 20, width: 1300, height: 850, maximized: true });
  });

  it("writes nothing for a destroyed window and reports write failures", async () => {
    const { window, tracked } = fakeWindow();
    const onError = vi.fn();
    const tracker = trackWindowState(tracked, join(folder, "missing-parent-is-a-file", "x.json"), { onError });
    await writeFile(join(folder, "missing-parent-is-a-file"), "not a folder");
    window.emit("close");
    await tracker.flush();
    expect(onError).toHaveBeenCalledOnce();
    window.destroyed = true;
    window.emit("close");
    await tracker.flush();
    expect(onError).toHaveBeenCalledOnce();
  });
});
