import { describe, expect, it } from "vitest";
import { CallLimiter } from "./call-limiter.js";

describe("CallLimiter", () => {
  it("admits up to the limit and serves waiters first in, first out", async () => {
    const limiter = new CallLimiter(2);
    const order: number[] = [];
    const releases = await Promise.all([limiter.acquire(), limiter.acquire()]);
    const waiting = [3, 4, 5].map((n) => limiter.acquire().then((release) => (order.push(n), release)));
    expect(limiter.inFlight).toBe(2);
    expect(limiter.queued).toBe(3);
    releases[0]!();
    releases[1]!();
    const [third, fourth] = await Promise.all(waiting.slice(0, 2));
    expect(order).toEqual([3, 4]);
    third!();
    fourth!();
    (await waiting[2]!)();
    expect(order).toEqual([3, 4, 5]);
    expect(limiter.inFlight).toBe(0);
  });

  it("drops an aborted waiter from the queue with call_cancelled", async () => {
    const limiter = new CallLimiter(1);
    const release = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: "call_cancelled" });
    expect(limiter.queued).toBe(0);
    release();
    expect(limiter.inFlight).toBe(0);
  });

  it("admits waiters when the limit grows", async () => {
    const limiter = new CallLimiter(1);
    await limiter.acquire();
    const waiting = limiter.acquire();
    limiter.setLimit(2);
    await expect(waiting).resolves.toBeTypeOf("function");
    expect(limiter.inFlight).toBe(2);
  });

  it("ignores a second release of the same slot", async () => {
    const limiter = new CallLimiter(1);
    const release = await limiter.acquire();
    release();
    release();
    expect(limiter.inFlight).toBe(0);
  });
});
