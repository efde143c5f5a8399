/**
 * The pool's global limit on tool calls in flight (`max_concurrent_calls`): a counting
 * semaphore whose waiters are served first in, first out. A waiter whose signal aborts
 * leaves the queue at once.
 */
import { McpClientError } from "../errors.js";

interface Waiter {
  grant: () => void;
  reject: (error: unknown) => void;
}

export class CallLimiter {
  private active = 0;
  private readonly queue: Waiter[] = [];

  /** @param limit calls allowed in flight at once (at least 1). */
  constructor(private limit: number) {}

  /** Calls in flight now. */
  get inFlight(): number {
    return this.active;
  }

  /** Calls waiting for a slot now. */
  get queued(): number {
    return this.queue.length;
  }

  /** Changes the limit; waiters are admitted at once if it grew. */
  setLimit(limit: number): void {
    this.limit = Math.max(1, limit);
    this.drain();
  }

  /**
   * Waits for a slot. Resolves to the function that gives it back (call it exactly once);
   * rejects with `call_cancelled` if `signal` aborts while waiting.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(cancelled());
    if (this.active < this.limit && this.queue.length === 0) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        reject(cancelled());
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(this.releaser());
        },
        reject,
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.drain();
    };
  }

  private drain(): void {
    while (this.active < this.limit && this.queue.length > 0) {
      this.active++;
      this.queue.shift()!.grant();
    }
  }
}

function cancelled(): McpClientError {
  return new McpClientError("call_cancelled", "the tool call was cancelled while waiting for a free slot");
}
