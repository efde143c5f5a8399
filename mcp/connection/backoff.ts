/** Capped exponential backoff for restarts and reconnects. */
export interface BackoffOptions {
  /** Delay before the first retry, in milliseconds. Default 500. */
  initialDelayMs?: number;
  /** The delay never grows past this, in milliseconds. Default 30,000. */
  maxDelayMs?: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /** Random spread, as a share of the delay (0 to 1), so many servers do not retry in step. Default 0.1. */
  jitter?: number;
}

/** The delay in milliseconds before retry number `attempt` (1-based). */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random = Math.random): number {
  const { initialDelayMs = 500, maxDelayMs = 30_000, factor = 2, jitter = 0.1 } = options;
  const base = Math.min(maxDelayMs, initialDelayMs * factor ** Math.max(0, attempt - 1));
  const spread = base * jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(Math.min(maxDelayMs, base + spread)));
}
