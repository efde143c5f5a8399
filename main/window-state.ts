/**
 * The main window's size, position and maximized state, kept in a small JSON file
 * (`window-state.json` in the user data folder) so the window comes back where the user
 * left it. A position that no current display shows (a monitor was unplugged) is dropped,
 * so the window never opens out of reach; an unreadable file gives the defaults.
 */
import { z } from "zod";
import { SerialQueue, readTextIfExists, writeFileAtomic } from "./atomic-file.js";

/** A rectangle in screen coordinates (device-independent pixels), as Electron's `Rectangle`. */
export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What is remembered of the window. `x` and `y` are absent when the system should place it. */
export interface WindowState {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized: boolean;
}

/** The first start, and whenever the file cannot be used: 1200×800, placed by the system. */
export const DEFAULT_WINDOW_STATE: Readonly<WindowState> = Object.freeze({ width: 1200, height: 800, maximized: false });

/** The smallest window the layout supports; also the window's `minWidth` and `minHeight`. */
export const MINIMUM_WINDOW_SIZE = Object.freeze({ width: 480, height: 360 });

/** Larger than any real screen: a value above it is a corrupt file, not a window. */
const LARGEST_COORDINATE = 100_000;

const Coordinate = z.number().int().min(-LARGEST_COORDINATE).max(LARGEST_COORDINATE);
const WindowStateFileSchema = z.object({
  width: z.number().int().min(1).max(LARGEST_COORDINATE),
  height: z.number().int().min(1).max(LARGEST_COORDINATE),
  x: Coordinate.optional(),
  y: Coordinate.optional(),
  maximized: z.boolean().optional(),
});

/**
 * How much of the window's top strip (its title bar) must lie on one display for the
 * saved position to be kept: enough to grab it with the mouse.
 */
const TITLE_BAR_HEIGHT = 32;
const GRABBABLE_WIDTH = 64;
const GRABBABLE_HEIGHT = 16;

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { width: Math.max(0, width), height: Math.max(0, height) };
}

/**
 * Whether a window at `bounds` can be reached on one of `displays` (their work areas): at
 * least 64×16 px of its title bar (the top 32 px) lie on one display.
 */
export function isReachable(bounds: Rectangle, displays: readonly Rectangle[]): boolean {
  const titleBar = { x: bounds.x, y: bounds.y, width: bounds.width, height: Math.min(bounds.height, TITLE_BAR_HEIGHT) };
  return displays.some((display) => {
    const shared = overlap(titleBar, display);
    return shared.width >= Math.min(GRABBABLE_WIDTH, bounds.width) && shared.height >= Math.min(GRABBABLE_HEIGHT, titleBar.height);
  });
}

/**
 * The state that `text` (the file's content; undefined when there is no file) describes,
 * fitted to `displays`: bad JSON or values give {@link DEFAULT_WINDOW_STATE}; sizes below
 * {@link MINIMUM_WINDOW_SIZE} are raised to it; a position off every display, or only half
 * given, is dropped (the size is kept).
 */
export function parseWindowState(text: string | undefined, displays: readonly Rectangle[]): WindowState {
  if (text === undefined) return { ...DEFAULT_WINDOW_STATE };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
  const parsed = WindowStateFileSchema.safeParse(json);
  if (!parsed.success) return { ...DEFAULT_WINDOW_STATE };
  const saved = parsed.data;
  const state: WindowState = {
    width: Math.max(saved.width, MINIMUM_WINDOW_SIZE.width),
    height: Math.max(saved.height, MINIMUM_WINDOW_SIZE.height),
    maximized: saved.maximized ?? false,
  };
  if (saved.x !== undefined && saved.y !== undefined && isReachable({ x: saved.x, y: saved.y, width: state.width, height: state.height }, displays)) {
    state.x = saved.x;
    state.y = saved.y;
  }
  return state;
}

/**
 * Reads the state saved in `file` (see {@link parseWindowState}). A file that cannot be
 * read at all (a folder, no permission) also gives the defaults: a window must open.
 * @param displays - the work areas of the displays connected now (`screen.getAllDisplays()`).
 */
export async function loadWindowState(file: string, displays: readonly Rectangle[]): Promise<WindowState> {
  let text: string | undefined;
  try {
    text = await readTextIfExists(file);
  } catch {
    text = undefined;
  }
  return parseWindowState(text, displays);
}

/** Writes `state` to `file` atomically (temporary file, then rename). */
export async function saveWindowState(file: string, state: WindowState): Promise<void> {
  const saved: WindowState = { width: Math.round(state.width), height: Math.round(state.height), maximized: state.maximized };
  if (state.x !== undefined && state.y !== undefined) {
    saved.x = Math.round(state.x);
    saved.y = Math.round(state.y);
  }
  await writeFileAtomic(file, `${JSON.stringify(saved, null, 2)}\n`);
}

/** The part of a `BrowserWindow` that {@link trackWindowState} uses. */
export interface TrackedWindow {
  on(event: "resize" | "move" | "maximize" | "unmaximize" | "close", listener: () => void): unknown;
  /** The bounds the window has when not maximized, so that un-maximizing after a restart restores them. */
  getNormalBounds(): Rectangle;
  isMaximized(): boolean;
  isDestroyed(): boolean;
}

/** What {@link trackWindowState} returns. */
export interface WindowStateTracker {
  /** Resolves once every state seen so far is on disk (call it before quitting). */
  flush(): Promise<void>;
}

/**
 * Saves the window's state to `file` as it changes: resizes and moves are saved once they
 * pause for `debounceMs` (default 500 ms; dragging fires dozens a second), a `close` at once.
 * Writes run one at a time, in order. A failed write goes to `onError` and is not retried
 * (the next change writes again).
 */
export function trackWindowState(
  window: TrackedWindow,
  file: string,
  options: { debounceMs?: number; onError?: (error: unknown) => void } = {},
): WindowStateTracker {
  const debounceMs = options.debounceMs ?? 500;
  const queue = new SerialQueue();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last: Promise<void> = Promise.resolve();

  const saveNow = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (window.isDestroyed()) return;
    const state: WindowState = { ...window.getNormalBounds(), maximized: window.isMaximized() };
    last = queue.run(() => saveWindowState(file, state)).catch((error: unknown) => options.onError?.(error));
  };
  const saveSoon = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(saveNow, debounceMs);
  };

  for (const event of ["resize", "move", "maximize", "unmaximize"] as const) window.on(event, saveSoon);
  window.on("close", saveNow);

  return {
    async flush() {
      if (timer !== undefined) saveNow();
      await last;
    },
  };
}

/** The size and position options of a new `BrowserWindow` for `state` (maximize it after creation when `state.maximized`). */
export function windowBounds(state: WindowState): { width: number; height: number; x?: number; y?: number; minWidth: number; minHeight: number } {
  return {
    width: state.width,
    height: state.height,
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: MINIMUM_WINDOW_SIZE.width,
    minHeight: MINIMUM_WINDOW_SIZE.height,
  };
}
