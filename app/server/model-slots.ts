/**
 * The model's slots: requests queue for a runner (each local runner has a context sequence
 * of its own), first come, first served, so no request starves. The queue's length is
 * what `/health` shows.
 */
import type { ChatRunner } from "../../models/runner.js";

/** A runner lent to one request; `release()` gives it back (once). */
export interface Lease {
  runner: ChatRunner;
  /** Milliseconds the request waited for the slot. */
  waitedMs: number;
  release(): void;
}

/** A FIFO of requests over a fixed set of runners. */
export class ModelSlots {
  private readonly free: ChatRunner[];
  private readonly waiting: Array<{ grant: (runner: ChatRunner) => void; since: number }> = [];

  /** @param runners one per slot (the same stateless remote runner may appear several times); none while no model is loaded. */
  constructor(private readonly runners: readonly ChatRunner[]) {
    this.free = [...runners];
  }

  /** Slots in all, in use, and requests waiting. */
  get stats(): { capacity: number; running: number; waiting: number } {
    return { capacity: this.runners.length, running: this.runners.length - this.free.length, waiting: this.waiting.length };
  }

  /**
   * Waits for a free slot, in arrival order. Rejects with the signal's reason when it
   * aborts first (the client went away), leaving the queue as if it never came.
   */
  acquire(signal?: AbortSignal): Promise<Lease> {
    signal?.throwIfAborted();
    const since = performance.now();
    const runner = this.free.shift();
    if (runner !== undefined) return Promise.resolve(this.lease(runner, since));
    return new Promise<Lease>((resolve, reject) => {
      const entry = {
        since,
        grant: (granted: ChatRunner) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(this.lease(granted, since));
        },
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(entry);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  private lease(runner: ChatRunner, since: number): Lease {
    let released = false;
    return {
      runner,
      waitedMs: performance.now() - since,
      release: () => {
        if (released) return;
        released = true;
        const next = this.waiting.shift();
        if (next !== undefined) next.grant(runner);
        else this.free.push(runner);
      },
    };
  }
}
