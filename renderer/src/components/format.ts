/** How numbers and states read on screen. */
import type { ToolCardStatus } from "../store/turn-reducer.js";

/** `340 ms`, `1.2 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1_000)} s`;
}

/** `42.5 tok/s`. */
export function formatRate(tokensPerSecond: number): string {
  return `${tokensPerSecond.toFixed(tokensPerSecond < 100 ? 1 : 0)} tok/s`;
}

export const STATUS_LABELS: Record<ToolCardStatus, string> = {
  "waiting-for-approval": "Waiting for approval",
  queued: "Queued",
  running: "Running",
  done: "Done",
  error: "Error",
  denied: "Denied",
  cancelled: "Cancelled",
};

/** Two-space JSON; values JSON cannot show come out as their string. */
export function prettyJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A date as the sidebar shows it: the time today, else the day. */
export function formatWhen(epochMs: number, now = Date.now()): string {
  const date = new Date(epochMs);
  const sameDay = new Date(now).toDateString() === date.toDateString();
  return sameDay ? date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" }) : date.toLocaleDateString(undefined, { month: "short", day: "numeric" });
}
