import { describe, expect, it } from 'vitest';
import { StableGate } from '../../src/engine/stable-gate.js';

describe('StableGate: rows are final once two reads agree', () => {
  it('commits nothing on the first read, then the rows both reads saw the same and counted stable', () => {
    const g = new StableGate();
    expect(g.gate(['a', 'b', 'c', 'box'], 0, 3)).toBe(0);
    expect(g.gate(['a', 'b', 'c', 'box'], 0, 3)).toBe(3);
  });

  it('a row half drawn at the first read is held, and the rows above it go', () => {
    const g = new StableGate();
    // Claude rewrote rows 0-1 and was cut inside row 2 ("3." of "3. item m14 m15").
    expect(g.gate(['1. item m10', '2. item m12', '3.', 'old rule'], 0, 4)).toBe(0);
    expect(g.gate(['1. item m10', '2. item m12', '3. item m14 m15', 'rule'], 0, 3)).toBe(2);
    expect(g.gate(['1. item m10', '2. item m12', '3. item m14 m15', 'rule'], 0, 3)).toBe(3);
  });

  it('stale rows the last frame left (its input box) are not final: the last read did not count them stable', () => {
    const g = new StableGate();
    // A complete frame: rows 0-1 final, row 2-3 the input box.
    expect(g.gate(['answer 1', '', '────', '❯'], 0, 2)).toBe(0);
    // Cut mid-frame: row 1 written, the old box still below; the profile would call 3 rows final.
    expect(g.gate(['answer 1', 'answer 2', '────', '❯'], 0, 3)).toBe(1);
    // Whole: the box moved down.
    expect(g.gate(['answer 1', 'answer 2', 'answer 3', '────'], 0, 3)).toBe(2);
  });

  it('compares a row with the same buffer row after a scroll', () => {
    const g = new StableGate();
    expect(g.gate(['a', 'b', 'c', 'd'], 10, 3)).toBe(0);
    // Scrolled by one: 'b' and 'c' are where they were in the buffer.
    expect(g.gate(['b', 'c', 'd', 'e'], 11, 3)).toBe(2);
    // Scrolled by one again, but 'd' changed in place meanwhile.
    expect(g.gate(['c', 'D', 'e', 'f'], 12, 3)).toBe(1);
  });

  it('after a reset (resize) it starts over', () => {
    const g = new StableGate();
    g.gate(['a', 'b'], 0, 2);
    g.reset();
    expect(g.gate(['a', 'b'], 0, 2)).toBe(0);
    expect(g.gate(['a', 'b'], 0, 2)).toBe(2);
  });
});
