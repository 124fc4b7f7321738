/**
 * The concurrency gate as a request's cap (`run`): never more than its limit at once, waiters served
 * in order, a slot handed over cannot be taken by a newcomer, and a wait without a timeout lasts.
 * The gate's process-wide use (queue bound, timeouts, cancellation) is covered with the resilient
 * client's units.
 */
import { describe, expect, it } from "vitest";
import { ConcurrencyGate } from "../../src/upstream/concurrency-gate.js";

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("ConcurrencyGate.run", () => {
  it("runs at most `maxActive` tasks at once, in arrival order, and keeps the cap when a slot is handed over", async () => {
    const gate = new ConcurrencyGate(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, () => deferred());
    const results = gates.map((task, i) =>
      gate.run(async () => {
        running++;
        most = Math.max(most, running);
        started.push(i);
        await task.promise;
        running--;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(gate.inFlight).toBe(2);
    expect(gate.queued).toBe(3);
    gates[0]!.resolve();
    // A task arriving while the freed slot is being handed to task 2 must wait its turn.
    const late = gate.run(() => {
      started.push(99);
      return Promise.resolve(99);
    });
    for (const task of gates.slice(1)) {
      task.resolve();
    }
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4]);
    expect(await late).toBe(99);
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 99]);
    expect(gate.inFlight).toBe(0);
    expect(gate.queued).toBe(0);
  });

  it("frees the slot of a task that throws or rejects, passing its error on as it is", async () => {
    const gate = new ConcurrencyGate(1);
    const thrown = { not: "an Error" };
    await expect(
      gate.run(() => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw thrown;
      }),
    ).rejects.toBe(thrown);
    await expect(gate.run(() => Promise.reject(new Error("async")))).rejects.toThrow("async");
    expect(gate.inFlight).toBe(0);
    expect(await gate.run(() => Promise.resolve("free"))).toBe("free");
  });

  it("a waiter without a timeout waits as long as the slot is held", async () => {
    const gate = new ConcurrencyGate(1);
    const holder = deferred();
    const held = gate.run(() => holder.promise);
    let ran = false;
    const waiting = gate.run(() => {
      ran = true;
      return Promise.resolve();
    });
    // setTimeout would take Infinity for 1 ms: the wait must not end there.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(ran).toBe(false);
    expect(gate.queued).toBe(1);
    holder.resolve();
    await Promise.all([held, waiting]);
    expect(ran).toBe(true);
  });

  it("refuses a task at once when the queue is full, running nothing of it", async () => {
    const gate = new ConcurrencyGate(1, 1);
    const holder = deferred();
    const held = gate.run(() => holder.promise);
    const queued = gate.run(() => Promise.resolve("queued"));
    let ran = false;
    await expect(
      gate.run(() => {
        ran = true;
        return Promise.resolve();
      }),
    ).rejects.toMatchObject({ name: "GateRefusedError", reason: "queue-full" });
    expect(ran).toBe(false);
    holder.resolve();
    await held;
    expect(await queued).toBe("queued");
  });
});
