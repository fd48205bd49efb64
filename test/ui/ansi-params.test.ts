/**
 * spansToAnsi keeps each color's SGR parameters by level, fg/bg and color (src/ui/ansi.ts): what it
 * writes for a span must be what colorParams says for that color at that level, whichever colors
 * and levels came before it, also past the memo's bound (it is emptied when full).
 */
import { describe, expect, it } from 'vitest';
import { type ColorLevel, colorParams, spansToAnsi } from '../../src/ui/ansi.js';
import { rng } from '../helpers/rng.js';

describe('spansToAnsi color parameters', () => {
  it("equal colorParams for every color, level and side, in any order (3000 colors, past the memo's bound)", () => {
    const rand = rng(7);
    const colors: Array<number | string> = [];
    for (let i = 0; i < 256; i++) colors.push(i);
    for (let i = 0; i < 2744; i++)
      colors.push(
        `#${Math.floor(rand() * 0xffffff)
          .toString(16)
          .padStart(6, '0')}`,
      );
    for (let step = 0; step < 12000; step++) {
      const c = colors[Math.floor(rand() * colors.length)] as number | string;
      const level = Math.floor(rand() * 4) as ColorLevel;
      const bg = rand() < 0.5;
      const params = colorParams(c, level, bg);
      const got = spansToAnsi([bg ? { text: 'x', bg: c } : { text: 'x', fg: c }], level);
      expect(got, `${String(c)} level ${level} ${bg ? 'bg' : 'fg'}`).toBe(
        params ? `\x1b[0;${params}mx\x1b[0m` : 'x',
      );
    }
  });
});
