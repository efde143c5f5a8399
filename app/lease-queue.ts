/**
 * One holder at a time, the others served first come, first served: how a
 * {@link ModelHost} hands out its leases (a local model has one context sequence, and a
 * model must not be unloaded under a turn that runs on it).
 */
import { ModelHostError } from "./model-host.js";

interface Waiter {
  grant(): void;
  fail(error: Error): void;
}

/** A first-in, first-out lock whose waits can be cancelled. */
export class LeaseQueue {
  private held = false;
  private readonly waiters: Waiter[] = [];

  /** Whether someone holds it now. */
  get busy(): boolean {
    return this.held;
  }

  /**
   * Resolves, once every earlier caller has released, to this caller's release function
   * (idempotent). Rejects with {@link ModelHostError} `cancelled` when `signal` aborts first.
   */
  wait(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(cancelled());
    if (!this.held) {
      this.held = true;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index !== -1) this.waiters.splice(index, 1);
        reject(cancelled());
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(this.releaser());
        },
        fail: (error) => {
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      };
      this.waiters.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Rejects every waiter with `error` (the host is closing); the holder keeps its lease. */
  failAll(error: Error): void {
    for (const waiter of this.waiters.splice(0)) waiter.fail(error);
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next === undefined) this.held = false;
      else next.grant();
    };
  }
}

function cancelled(): ModelHostError {
  return new ModelHostError("cancelled", "stopped while waiting for the model");
}
