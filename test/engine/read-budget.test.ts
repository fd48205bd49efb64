import { describe, expect, it } from 'vitest';
import { type ReadSync, readAhead } from '../../src/compat/node-pty.js';
import { TurnBudget } from '../../src/engine/read-budget.js';

/** A budget whose turns end only when the test says so. */
function manualBudget(bytesPerTurn: number) {
  const resets: Array<() => void> = [];
  const budget = new TurnBudget({ bytesPerTurn, schedule: (fn) => resets.push(fn) });
  const endTurn = (): void => {
    for (const fn of resets.splice(0)) fn();
  };
  return { budget, resets, endTurn };
}

/** A fake PTY master: `data` waits in the kernel and comes out ~4 KB per read, then EAGAIN. */
function fakeMaster(data: Buffer) {
  let pos = 0;
  const reads: number[] = [];
  const read: ReadSync = (_fd, buf, offset, length) => {
    if (pos >= data.length) throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
    const n = Math.min(4095, length, data.length - pos);
    data.copy(buf, offset, pos, pos + n);
    pos += n;
    reads.push(n);
    return n;
  };
  const raw = { _fd: 99, _socket: { destroyed: false, readableLength: 0 } };
  return { raw, read, reads, left: () => data.length - pos };
}

/** Bytes 0..n-1 as a pattern that shows any loss or reordering. */
const pattern = (n: number, seed = 0): Buffer => {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + seed) % 251;
  return b;
};

describe('read-ahead budget per event-loop turn', () => {
  it('a reader stops at the turn budget and goes on after the turn: every byte, in order', () => {
    const { budget, endTurn } = manualBudget(64 * 1024);
    const data = pattern(300 * 1024);
    const m = fakeMaster(data);
    const got: Buffer[] = [];
    const more = readAhead(
      m.raw,
      (d) => got.push(d),
      () => false,
      budget,
      m.read,
    );
    expect(more).toBeTypeOf('function');
    more?.();
    expect(Buffer.concat(got).length).toBe(64 * 1024);
    expect(budget.left()).toBe(0);
    more?.(); // the same turn: nothing more
    expect(Buffer.concat(got).length).toBe(64 * 1024);
    for (let turn = 0; turn < 10 && m.left() > 0; turn++) {
      endTurn();
      more?.();
    }
    expect(Buffer.concat(got).equals(data)).toBe(true);
    // Reads cut to the budget: a full read of what was asked is not taken for an empty kernel.
    expect(Math.max(...m.reads)).toBeLessThanOrEqual(4095);
  });

  it('several readers share one budget: together no more than it per turn', () => {
    const { budget, endTurn, resets } = manualBudget(100 * 1024);
    const masters = [0, 1, 2, 3].map((i) => fakeMaster(pattern(200 * 1024, i)));
    const got = masters.map(() => [] as Buffer[]);
    const readers = masters.map((m, i) =>
      readAhead(
        m.raw,
        (d) => got[i]?.push(d),
        () => false,
        budget,
        m.read,
      ),
    );
    const total = () => got.reduce((s, g) => s + Buffer.concat(g).length, 0);
    for (const r of readers) r?.();
    expect(total()).toBe(100 * 1024);
    expect(resets).toHaveLength(1); // one reset per turn, however many readers spent
    let turns = 1;
    while (masters.some((m) => m.left() > 0) && turns < 20) {
      const before = total();
      endTurn();
      for (const r of readers) r?.();
      expect(total() - before).toBeLessThanOrEqual(100 * 1024);
      turns++;
    }
    expect(turns).toBe(8); // 800 KiB at 100 KiB per turn
    for (let i = 0; i < masters.length; i++) {
      expect(Buffer.concat(got[i] ?? []).equals(pattern(200 * 1024, i))).toBe(true);
    }
  });

  it('without a budget (the default) a reader reads up to its own cap of 1 MiB', () => {
    const m = fakeMaster(pattern(1536 * 1024));
    const got: Buffer[] = [];
    readAhead(
      m.raw,
      (d) => got.push(d),
      () => false,
      undefined,
      m.read,
    )?.();
    expect(Buffer.concat(got).length).toBe(1024 * 1024);
  });

  it('a pause stops the read at once; the budget is only spent on bytes read', () => {
    const { budget } = manualBudget(1024 * 1024);
    const m = fakeMaster(pattern(600 * 1024));
    let paused = false;
    const got: Buffer[] = [];
    const more = readAhead(
      m.raw,
      (d) => {
        got.push(d);
        paused = true; // flow control: the first chunk filled the parser
      },
      () => paused,
      budget,
      m.read,
    );
    more?.();
    const n = Buffer.concat(got).length;
    expect(n).toBe(256 * 1024); // one chunk of READ_AHEAD_CHUNK
    expect(budget.left()).toBe(1024 * 1024 - n);
  });

  it('TurnBudget: spending schedules one reset, which frees the whole budget', () => {
    const { budget, resets, endTurn } = manualBudget(1000);
    expect(budget.left()).toBe(1000);
    budget.spend(0);
    expect(resets).toHaveLength(0);
    budget.spend(600);
    budget.spend(600);
    expect(budget.left()).toBe(0);
    expect(resets).toHaveLength(1);
    endTurn();
    expect(budget.left()).toBe(1000);
  });
});
