import { afterEach, describe, expect, it } from 'vitest';
import { Screen } from '../../src/engine/screen.js';
import { WIDE_TEXTS } from '../fixtures/wide-text.js';

describe('cell widths of the pane screen', () => {
  const screens: Screen[] = [];
  afterEach(() => {
    for (const s of screens.splice(0)) s.dispose();
  });
  const screen = () => {
    const s = new Screen({ cols: 40, rows: 4 });
    screens.push(s);
    return { s, write: (d: string) => new Promise<void>((r) => s.write(d, r)) };
  };

  it.each(WIDE_TEXTS)(
    'lays out $name in $cells cells, as the agents and tmux do',
    async ({ text, cells }) => {
      const { s, write } = screen();
      await write(`${text}|`);
      expect(s.cursor().x).toBe(cells + 1);
      // The styled line says so itself: the spans' widths add up to the cells, text intact.
      const line = s.styledLines()[0] ?? [];
      expect(line.map((sp) => sp.text).join('')).toBe(`${text}|`);
      expect(line.reduce((n, sp) => n + (sp.width ?? sp.text.length), 0)).toBe(cells + 1);
    },
  );

  it('keeps a grapheme cluster in one cell: the family, the toned thumb and the flag whole', async () => {
    const { s, write } = screen();
    await write('a👨\u200d👩\u200d👧\u200d👦b👍🏽🇯🇵');
    expect(s.styledLines()[0]).toEqual([
      { text: 'a' },
      { text: '👨\u200d👩\u200d👧\u200d👦', width: 2 },
      { text: 'b' },
      { text: '👍🏽', width: 2 },
      { text: '🇯🇵', width: 2 },
    ]);
  });

  it('runs of 1-cell characters stay one span (one UTF-16 unit per cell)', async () => {
    const { s, write } = screen();
    await write('\x1b[1m● done\x1b[0m ─── é');
    expect(s.styledLines()[0]).toEqual([{ text: '● done', bold: true }, { text: ' ─── é' }]);
  });
});
