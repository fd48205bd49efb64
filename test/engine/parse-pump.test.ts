import { describe, expect, it } from 'vitest';
import { ParsePump, type PumpClient } from '../../src/engine/parse-pump.js';
import { Screen } from '../../src/engine/screen.js';

/** A pump whose rounds run only when the test says so. */
function manualPump(turnBytes = 100, minSlice = 10) {
  const rounds: Array<() => void> = [];
  const pump = new ParsePump({ turnBytes, minSlice, schedule: (run) => rounds.push(run) });
  const step = (): boolean => {
    const run = rounds.shift();
    run?.();
    return run !== undefined;
  };
  return { pump, rounds, step };
}

/** A client with `queued` bytes that records each budget it was handed. */
function client(queued: number): PumpClient & { budgets: number[]; queued: number } {
  const c = {
    queued,
    budgets: [] as number[],
    feed(max: number): number {
      c.budgets.push(max);
      const n = Math.min(max, c.queued);
      c.queued -= n;
      return n;
    },
  };
  return c;
}

describe('parse pump', () => {
  it('shares one round budget among the screens that wait, round-robin', () => {
    const { pump, rounds, step } = manualPump(100, 10);
    const a = client(1000);
    const b = client(1000);
    pump.request(a);
    pump.request(b);
    expect(rounds).toHaveLength(1); // one round scheduled, however many requests
    step();
    expect(a.budgets).toEqual([50]);
    expect(b.budgets).toEqual([50]);
    expect(pump.inFlight).toBe(100);
    // Nothing more until what was handed out is parsed.
    pump.request(a);
    expect(rounds).toHaveLength(0);
    pump.parsed(100);
    expect(rounds).toHaveLength(1);
    step();
    expect(a.budgets).toEqual([50, 100]); // alone in this round: the whole budget
    expect(b.budgets).toEqual([50]);
  });

  it('gives each screen at least the minimum slice, and stops at the budget', () => {
    const { pump, step } = manualPump(100, 40);
    const cs = [client(1000), client(1000), client(1000), client(1000)];
    for (const c of cs) pump.request(c);
    step();
    expect(cs.map((c) => c.budgets)).toEqual([[40], [40], [20], []]);
  });

  it('forgets a screen that went away', () => {
    const { pump, step } = manualPump();
    const a = client(10);
    pump.request(a);
    pump.forget(a);
    step();
    expect(a.budgets).toEqual([]);
  });

  it('a screen given its own pump parses only when that pump runs', async () => {
    const { pump, step } = manualPump(1 << 20, 1 << 16);
    const s = new Screen({ cols: 20, rows: 3, pump });
    let done = false;
    s.write('hello', () => {
      done = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(s.pending).toBe(5);
    expect(s.plainLines()[0]).toBe('');
    step();
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(true);
    expect(s.plainLines()[0]).toBe('hello');
    expect(s.pending).toBe(0);
    s.dispose();
  });
});
