/**
 * styledRow (src/engine/styled-row.ts) reads a row as one span per run of one style, without a
 * span per cell: it must give exactly what the reading before it gave (test/helpers/
 * styled-row-reference.ts), key order included, for every row of random styled output.
 */
import xtermHeadless from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { xtermWriteSync } from '../../src/compat/xterm.js';
import { styledRow } from '../../src/engine/styled-row.js';
import { rng } from '../helpers/rng.js';
import { referenceStyledRow } from '../helpers/styled-row-reference.js';

const TEXT = [
  'abc',
  'hello world ',
  'x',
  ' ',
  '  ',
  '漢字',
  '👍🏽',
  'e\u0301',
  '─────',
  '❯\u00a0',
  '✻',
  '●',
  '\t',
];
const SGR = [
  '\x1b[0m',
  '\x1b[1m',
  '\x1b[2m',
  '\x1b[3m',
  '\x1b[4m',
  '\x1b[7m',
  '\x1b[9m',
  '\x1b[22m',
  '\x1b[24m',
  '\x1b[27m',
  '\x1b[31m',
  '\x1b[42m',
  '\x1b[39m',
  '\x1b[49m',
  '\x1b[38;5;208m',
  '\x1b[48;5;17m',
  '\x1b[38;2;215;119;87m',
  '\x1b[38;2;0;0;7m',
  '\x1b[48;2;55;55;55m',
  '\x1b[38;2;255;255;255m',
];
const MOVES = ['\r\n', '\r', '\x1b[3C', '\x1b[2D', '\x1b[K', '\x1b[2K', '\x1b[1;1H', '\x1b[3;5H', '\x1b[2X'];

describe('styledRow', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`gives the reference's spans for every row of random styled output (seed ${seed})`, () => {
      const rand = rng(seed);
      const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)] as T;
      const term = new xtermHeadless.Terminal({ cols: 24, rows: 8, scrollback: 0, allowProposedApi: true });
      const parse = xtermWriteSync(term);
      if (!parse) throw new Error('no synchronous parse');
      const cell = term.buffer.active.getNullCell();
      const other = term.buffer.active.getNullCell();
      for (let step = 0; step < 300; step++) {
        let chunk = '';
        const n = 1 + Math.floor(rand() * 8);
        for (let i = 0; i < n; i++) {
          const r = rand();
          chunk += r < 0.5 ? pick(TEXT) : r < 0.85 ? pick(SGR) : pick(MOVES);
        }
        parse(chunk);
        const b = term.buffer.active;
        for (let y = 0; y < term.rows; y++) {
          const line = b.getLine(b.baseY + y);
          const got = styledRow(line, cell);
          const want = referenceStyledRow(line, other);
          expect(got, `row ${y} after step ${step}`).toEqual(want);
          expect(JSON.stringify(got)).toBe(JSON.stringify(want));
        }
      }
      expect(styledRow(undefined, cell)).toEqual([]);
      term.dispose();
    });
  }
});
