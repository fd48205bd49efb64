/**
 * The screen's row cache (src/engine/row-cache.ts): rows are re-read only where xterm changed
 * them, and what the screen serves is always what an uncached read of the emulator gives.
 */
import xtermHeadless from '@xterm/headless';
import { afterEach, describe, expect, it } from 'vitest';
import { xtermWriteSync } from '../../src/compat/xterm.js';
import { RowCache } from '../../src/engine/row-cache.js';
import { Screen } from '../../src/engine/screen.js';
import { styledRow } from '../../src/engine/styled-row.js';
import { rng } from '../helpers/rng.js';

const TEXT = ['abc', 'hello world ', 'x', '漢字', '👍🏽', 'e\u0301', '  ', 'ok.', '─────'];
/**
 * What agents write: text, line ends, cursor moves, erases, colours, scrolls, regions, screens.
 * (Not ED 1, erase above: after ED 3 xterm 6.0.0 itself can throw in it, with or without the cache.)
 */
const OPS = [
  '\r\n',
  '\n',
  '\r',
  '\x1b[A',
  '\x1b[2B',
  '\x1b[3C',
  '\x1b[D',
  '\x1b[1;1H',
  '\x1b[4;2H',
  '\x1b[K',
  '\x1b[1K',
  '\x1b[2K',
  '\x1b[J',
  '\x1b[2J',
  '\x1b[3J',
  '\x1b[31m',
  '\x1b[7m',
  '\x1b[0m',
  '\x1b[S',
  '\x1b[2T',
  '\x1b[L',
  '\x1b[M',
  '\x1b[@',
  '\x1b[2P',
  '\x1bM',
  '\x1bD',
  '\x1b[2;4r',
  '\x1b[r',
  '\x1b[?1049h',
  '\x1b[?1049l',
  '\x1bc',
  '\x1b[3X',
];

describe('Screen rows served from the row cache', () => {
  const screens: Screen[] = [];
  afterEach(() => {
    for (const s of screens.splice(0)) s.dispose();
  });

  /** The live view read afresh from the emulator, as the screen did before it cached rows. */
  function fresh(s: Screen): { plain: string[]; styled: ReturnType<Screen['styledLines']> } {
    const b = s.term.buffer.active;
    const cell = b.getNullCell();
    const plain: string[] = [];
    const styled: ReturnType<Screen['styledLines']> = [];
    for (let y = 0; y < s.term.rows; y++) {
      plain.push(b.getLine(b.baseY + y)?.translateToString(true) ?? '');
      styled.push(styledRow(b.getLine(b.baseY + y), cell));
    }
    return { plain, styled };
  }

  // Seeds 9 and 10 parse through xterm's public asynchronous write() (AXIOM_XTERM_ASYNC=1).
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
    it(`serves exactly the emulator's rows through random output, scrolls, trims and resizes (seed ${seed})`, async () => {
      const rand = rng(seed);
      const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)] as T;
      // A small scrollback, so that the full buffer drops lines at its top often.
      const s = new Screen({ cols: 12, rows: 6, scrollback: 8, syncParse: seed < 9 });
      screens.push(s);
      const write = (d: string) => new Promise<void>((resolve) => s.write(d, resolve));
      for (let step = 0; step < 400; step++) {
        let chunk = '';
        const n = 1 + Math.floor(rand() * 6);
        for (let i = 0; i < n; i++) chunk += rand() < 0.45 ? pick(TEXT) : pick(OPS);
        await write(chunk);
        if (rand() < 0.03) s.resize(8 + Math.floor(rand() * 10), 4 + Math.floor(rand() * 5));
        // Read only now and then: marks from several parses pile up between two reads.
        if (rand() < 0.5) {
          const want = fresh(s);
          expect(s.plainLines(), `plain rows after step ${step}`).toEqual(want.plain);
          expect(s.styledLines(), `styled rows after step ${step}`).toEqual(want.styled);
        }
      }
    });
  }
});

describe('RowCache re-reads only the rows xterm changed', () => {
  function rig(cols: number, rows: number, scrollback: number) {
    const term = new xtermHeadless.Terminal({ cols, rows, scrollback, allowProposedApi: true });
    const parse = xtermWriteSync(term);
    if (!parse) throw new Error('no synchronous parse');
    const cache = new RowCache(term);
    const read: number[] = [];
    const rowsNow = (): string[] => {
      read.length = 0;
      const b = term.buffer.active;
      return cache.plainRows((y) => {
        read.push(y);
        return b.getLine(b.baseY + y)?.translateToString(true) ?? '';
      });
    };
    return { term, parse, cache, read, rowsNow };
  }

  it('a repaint of one row reads that row; a scroll reads the new bottom row', () => {
    const r = rig(40, 20, 100);
    expect(r.cache.active).toBe(true);
    r.parse(Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\r\n'));
    expect(r.rowsNow()[19]).toBe('line 19');
    expect(r.read).toHaveLength(20);
    expect(r.rowsNow()).toHaveLength(20);
    expect(r.read).toEqual([]);
    // A spinner-like repaint two rows up (claude's way: cursor up, rewrite the row, back down):
    // the rows the cursor went through are read, no others.
    r.parse('\x1b[2A\r\x1b[2K· thinking\x1b[2B');
    const after = r.rowsNow();
    expect(after[17]).toBe('· thinking');
    expect(r.read).toEqual([17, 18, 19]);
    // New output scrolls the screen by two lines: the rows that are new are read, and the row the
    // cursor left; the rows that only moved up are not.
    r.parse('\r\nnext a\r\nnext b');
    const scrolled = r.rowsNow();
    expect(scrolled.slice(15)).toEqual(['· thinking', 'line 18', 'line 19', 'next a', 'next b']);
    expect(scrolled[0]).toBe('line 2');
    expect(r.read).toEqual([17, 18, 19]);
  });

  it('keeps following lines once the full buffer drops its top lines', () => {
    const r = rig(20, 5, 3);
    r.parse(Array.from({ length: 30 }, (_, i) => `l${i}`).join('\r\n'));
    expect(r.rowsNow()).toEqual(['l25', 'l26', 'l27', 'l28', 'l29']);
    r.parse('\r\nl30\r\nl31');
    expect(r.rowsNow()).toEqual(['l27', 'l28', 'l29', 'l30', 'l31']);
    expect(r.read).toEqual([2, 3, 4]);
  });
});

describe('RowCache turned off (AXIOM_XTERM_ROWS=0)', () => {
  it('takes no marks from xterm and reads every row on every read', () => {
    const term = new xtermHeadless.Terminal({ cols: 20, rows: 4, scrollback: 10, allowProposedApi: true });
    const parse = xtermWriteSync(term);
    if (!parse) throw new Error('no synchronous parse');
    const cache = new RowCache(term, false);
    expect(cache.active).toBe(false);
    const read: number[] = [];
    const b = term.buffer.active;
    const rowsNow = () =>
      cache.plainRows((y) => {
        read.push(y);
        return b.getLine(b.baseY + y)?.translateToString(true) ?? '';
      });
    parse('a\r\nb');
    expect(rowsNow()).toEqual(['a', 'b', '', '']);
    read.length = 0;
    expect(rowsNow()).toEqual(['a', 'b', '', '']);
    expect(read).toEqual([0, 1, 2, 3]);
  });
});
