import { describe, expect, it } from "vitest";
import { TurnMutex } from "./serialized-sqlite-adapter.server";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Counts event-loop turns (check phases) while `run` runs. */
async function withTurns<T>(run: (turn: () => number) => Promise<T>): Promise<T> {
  let turns = 0;
  let counting = true;
  const tick = () => {
    turns += 1;
    if (counting) setImmediate(tick);
  };
  setImmediate(tick);
  try {
    return await run(() => turns);
  } finally {
    counting = false;
  }
}

describe("TurnMutex", () => {
  it("grants one holder at a time, in arrival order", async () => {
    const mutex = new TurnMutex(1_000);
    const order: string[] = [];
    const hold = (name: string) =>
      mutex.runExclusive(async () => {
        order.push(`${name} in`);
        await nextTurn();
        order.push(`${name} out`);
      });
    await Promise.all([hold("a"), hold("b"), hold("c")]);
    expect(order).toEqual(["a in", "a out", "b in", "b out", "c in", "c out"]);
  });

  it("within the turn's budget the next holder goes on in the same turn; past it, on a later turn", async () => {
    let clock = 0;
    const mutex = new TurnMutex(10, () => clock);
    await withTurns(async (turn) => {
      const grantedOn: number[] = [];
      const step = (cost: number) =>
        mutex.runExclusive(async () => {
          grantedOn.push(turn());
          clock += cost;
        });
      // Each costs 4 "ms": three fit a 10 ms turn (0, 4, 8 < 10), the fourth waits for the next turn.
      await Promise.all([step(4), step(4), step(4), step(4), step(4)]);
      expect(grantedOn[0]).toBe(grantedOn[1]);
      expect(grantedOn[1]).toBe(grantedOn[2]);
      expect(grantedOn[3]).toBeGreaterThan(grantedOn[2]);
      expect(grantedOn[4]).toBe(grantedOn[3]);
    });
  });

  it("with a budget of 0 grants one holder per turn", async () => {
    const mutex = new TurnMutex(0);
    await withTurns(async (turn) => {
      const grantedOn: number[] = [];
      await Promise.all(Array.from({ length: 5 }, () => mutex.runExclusive(async () => void grantedOn.push(turn()))));
      expect(new Set(grantedOn).size).toBe(5);
    });
  });

  it("a holder that throws releases the connection", async () => {
    const mutex = new TurnMutex(10);
    await expect(mutex.runExclusive(() => Promise.reject(new Error("constraint")))).rejects.toThrow("constraint");
    await expect(mutex.runExclusive(async () => "next")).resolves.toBe("next");
  });
});

describe("TurnMutex urgent holders (transaction starts)", () => {
  it("go before waiting plain holders and do not wait for the next turn", async () => {
    let clock = 0;
    const mutex = new TurnMutex(10, () => clock);
    await withTurns(async (turn) => {
      const releaseFirst = await mutex.acquire();
      clock += 50; // the first holder spends the turn's budget
      const grantedOn: Record<string, number> = {};
      const plain = mutex.runExclusive(async () => void (grantedOn.plain = turn()));
      const urgent = mutex.acquire({ urgent: true }).then((release) => {
        grantedOn.urgent = turn();
        release();
      });
      const releasedOn = turn();
      releaseFirst();
      await Promise.all([plain, urgent]);
      expect(grantedOn.urgent).toBe(releasedOn);
      expect(grantedOn.plain).toBeGreaterThan(releasedOn);
    });
  });
});
