/** The per-request fan-out limiter: never more than its limit at once, waiters served in order. */
import { describe, expect, it } from "vitest";
import { createLimiter } from "../../src/service/concurrency.js";

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("createLimiter", () => {
  it("runs at most `limit` tasks at once, in arrival order, and keeps the limit when a slot is handed over", async () => {
    const limit = createLimiter(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, () => deferred());
    const results = gates.map((gate, i) =>
      limit(async () => {
        running++;
        most = Math.max(most, running);
        started.push(i);
        await gate.promise;
        running--;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    gates[0]!.resolve();
    // A task arriving while the freed slot is being handed to task 2 must wait its turn.
    const late = limit(() => {
      started.push(99);
      return Promise.resolve(99);
    });
    for (const gate of gates.slice(1)) {
      gate.resolve();
    }
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4]);
    expect(await late).toBe(99);
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 99]);
  });

  it("frees the slot of a task that throws or rejects", async () => {
    const limit = createLimiter(1);
    await expect(
      limit(() => {
        throw new Error("sync");
      }),
    ).rejects.toThrow("sync");
    await expect(limit(() => Promise.reject(new Error("async")))).rejects.toThrow("async");
    expect(await limit(() => Promise.resolve("free"))).toBe("free");
  });
});
