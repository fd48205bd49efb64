/**
 * src/compat/xterm-guard.ts against the pinned @xterm/headless: a huge count no longer stalls the
 * parser and leaves the screen and cursor as xterm's own uncut run does; and the xterm bug the
 * throw guard was found with is still there (if an upgrade fixes it, say so in the README).
 */
import xtermHeadless from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { xtermWriteSync } from '../../src/compat/xterm.js';
import { boundCounts, repeatCount } from '../../src/compat/xterm-guard.js';

type Term = InstanceType<typeof xtermHeadless.Terminal>;

function term(cols: number, rows: number, bounded: boolean): { t: Term; write: (d: string) => void } {
  const t = new xtermHeadless.Terminal({
    cols,
    rows,
    scrollback: 50,
    allowProposedApi: true,
    logLevel: 'off',
  });
  if (bounded) expect(boundCounts(t)).toBe(true);
  const sync = xtermWriteSync(t);
  if (!sync) throw new Error('no writeSync');
  return { t, write: sync };
}

/** What a reader sees: the rows (with their wrap flags) and the cursor. */
function view(t: Term): { rows: string[]; x: number; y: number } {
  const b = t.buffer.active;
  const rows: string[] = [];
  for (let y = 0; y < t.rows; y++) {
    const line = b.getLine(b.baseY + y);
    rows.push(`${line?.isWrapped ? '~' : '|'}${line?.translateToString(false) ?? ''}`);
  }
  return { rows, x: b.cursorX, y: b.cursorY };
}

/** A screen with something on every row, a scroll region and the cursor inside it. */
const SETUP = '1111111\r\n2222222\r\n3333333\r\n4444444\r\n5555555\x1b[2;4r\x1b[3;3H';

describe('xterm counts cut to what the screen can show', () => {
  for (const [name, seq] of [
    ['IL (insert lines)', 'L'],
    ['DL (delete lines)', 'M'],
    ['SU (scroll up)', 'S'],
    ['SD (scroll down)', 'T'],
    ['CHT (tab forward)', 'I'],
    ['CBT (tab back)', 'Z'],
  ] as const) {
    it(`${name}: a count past the screen leaves what xterm's own run leaves; 2^31-1 parses at once`, () => {
      const cut = term(7, 5, true);
      const uncut = term(7, 5, false);
      for (const n of [1, 3, 6, 40]) {
        for (const x of [cut, uncut]) x.write(`\x1bc${SETUP}\x1b[${n}${seq}X`);
        expect(view(cut.t), `count ${n}`).toEqual(view(uncut.t));
      }
      const started = performance.now();
      cut.write(`\x1bc${SETUP}\x1b[2147483647${seq}X`);
      // Uncut, this took from 11 s (CHT) to minutes (IL, DL, SU, SD).
      expect(performance.now() - started).toBeLessThan(2000);
      uncut.write(`\x1bc${SETUP}\x1b[40${seq}X`);
      expect(view(cut.t)).toEqual(view(uncut.t));
    });
  }

  for (const [cols, ch] of [
    [7, 'a'],
    [8, 'a'],
    [7, '漢'],
    [8, '👍'],
  ] as const) {
    it(`REP (repeat ${ch}) on ${cols} columns: a cut count leaves the same screen and cursor`, () => {
      const rows = 3;
      for (const wrap of ['', '\x1b[?7l']) {
        for (const start of ['', 'xy']) {
          for (let n = 30; n < 30 + 3 * cols * cols; n += 7) {
            const cut = term(cols, rows, true);
            const uncut = term(cols, rows, false);
            for (const x of [cut, uncut]) x.write(`${wrap}${start}${ch}\x1b[${n}b`);
            expect(view(cut.t), `${JSON.stringify(wrap + start)} count ${n}`).toEqual(view(uncut.t));
            expect(repeatCount(n, cols, rows)).toBeLessThanOrEqual(n);
          }
        }
      }
      const cut = term(cols, rows, true);
      const started = performance.now();
      // Uncut: 21 s for 'a' with 300,000,000; a RangeError for an emoji with 2^31-1.
      cut.write(`${ch}\x1b[2147483647b`);
      expect(performance.now() - started).toBeLessThan(2000);
      expect(view(cut.t).rows.join('')).toContain(ch.repeat(2));
    });
  }

  it('cuts a huge count to a small one, and keeps small counts', () => {
    expect(repeatCount(5, 80, 24)).toBe(5);
    expect(repeatCount(2147483647, 80, 24)).toBeLessThan(80 * 27);
    expect(repeatCount(2147483647, 81, 24)).toBeLessThan(81 * 26 + 81 * 40);
  });
});

describe('the pinned xterm bug the parse guard was found with', () => {
  it('@xterm/headless 6.0.0 throws on erase-above (ED1) with the cursor in the last cell of the last row and no scrollback', () => {
    // eraseInDisplay(1) clears the wrap flag of `lines.get(y + 1)`: a screen row used as a
    // buffer index (no ybase). With scrollback it clears the flag of a wrong line instead.
    const { write } = term(20, 4, true);
    expect(() => write('\x1b[4;20H\x1b[1J')).toThrow(/isWrapped/);
    const scrolled = term(20, 4, true);
    // After ESC[3J (scrollback erased) the same throw: the helper who first saw it had sent that.
    scrolled.write('\r\n'.repeat(10));
    expect(() => scrolled.write('\x1b[3J\x1b[4;20H\x1b[1J')).toThrow(/isWrapped/);
  });
});
