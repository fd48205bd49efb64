/**
 * Pane frames hold on any text (issue 10 §5): what the OUTER terminal shows after the frame
 * writer draws panes full of emoji, complex scripts and binary. The outer terminal here is an
 * xterm with its stock Unicode 6 widths, which disagrees with the pane's layout on every emoji
 * (1 cell instead of 2), as real terminals disagree on clusters; the tmux end-to-end test
 * (ui-frames.e2e.test.ts) checks the same with tmux 3.3a.
 */
import { EventEmitter } from 'node:events';
import xtermHeadless from '@xterm/headless';
import { createElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { Screen } from '../../src/engine/screen.js';
import { App } from '../../src/ui/App.js';
import { clipLine } from '../../src/ui/ansi.js';
import { guard, portable, unguard } from '../../src/ui/cells.js';
import { FrameWriter, visibleWidth } from '../../src/ui/frame-writer.js';
import { BodyOverlay } from '../../src/ui/overlay.js';
import { BINARY, WIDE_TEXTS } from '../fixtures/wide-text.js';
import { FakeEngine } from '../helpers/fake-engine.js';
import { cleanup, render } from './helpers.js';

const { Terminal } = xtermHeadless;

class Term extends EventEmitter {
  writes: string[] = [];
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  write(data: string): boolean {
    this.writes.push(data);
    return true;
  }
}

const screens: Screen[] = [];
afterEach(() => {
  for (const s of screens.splice(0)) s.dispose();
});

/** A pane screen (the real headless terminal) holding `data`. */
async function paneScreen(cols: number, rows: number, data: string | Uint8Array): Promise<Screen> {
  const s = new Screen({ cols, rows });
  screens.push(s);
  await new Promise<void>((r) => s.write(data, r));
  return s;
}

/** What an outer terminal shows after `writes`, one string per row (cells, wide ones once). */
async function outer(cols: number, rows: number, writes: string[], prefill = 'X'): Promise<string[]> {
  const t = new Terminal({ cols, rows, allowProposedApi: true, logLevel: 'off' });
  const all = `${`${prefill.repeat(cols)}\r\n`.repeat(rows - 1)}${prefill.repeat(cols)}${writes.join('')}`;
  await new Promise<void>((r) => t.write(all, r));
  const out: string[] = [];
  for (let y = 0; y < rows; y++) out.push(t.buffer.active.getLine(y)?.translateToString(true) ?? '');
  t.dispose();
  return out;
}

/** Columns (0-based) of `ch` in an outer terminal's row, counted in cells. */
async function columnsOf(cols: number, writes: string[], ch: string): Promise<number[]> {
  const t = new Terminal({ cols, rows: 3, allowProposedApi: true, logLevel: 'off' });
  await new Promise<void>((r) => t.write(`${'X'.repeat(cols)}${writes.join('')}`, r));
  const line = t.buffer.active.getLine(0);
  const at: number[] = [];
  for (let x = 0; x < cols; x++) if (line?.getCell(x)?.getChars() === ch) at.push(x);
  t.dispose();
  return at;
}

/** Two panes side by side: `left` shows `data`, `right` shows "right pane"; borders ┃. */
async function drawTwoPanes(data: string | Uint8Array, width = 14) {
  const left = await paneScreen(width, 1, data);
  const right = await paneScreen(width, 1, 'right pane');
  const byId: Record<string, Screen> = { l: left, r: right };
  const engine = {
    screen: (id: string) => byId[id]?.styledLines() ?? [],
    cursor: () => undefined,
  } as unknown as Engine;
  const overlay = new BodyOverlay();
  const spec = { engine, scroll: 0, cols: width, rows: 1, showCursor: false, colorLevel: 2 as const };
  const [ml] = overlay.show(0, { ...spec, id: 'l' });
  const [mr] = overlay.show(1, { ...spec, id: 'r' });
  const pad = ' '.repeat(width - 2);
  const cols = 2 * width + 3;
  const term = new Term(cols, 1);
  const writer = new FrameWriter(term, { overlay, sync: false });
  writer.frame(`┃${ml}${pad}┃${mr}${pad}┃`);
  writer.flush();
  writer.dispose();
  return { cols, width, writes: term.writes };
}

describe('pane frames on the outer terminal', () => {
  it.each(WIDE_TEXTS)('$name: borders stay put, nothing stale, the next pane intact', async ({ text }) => {
    const { cols, width, writes } = await drawTwoPanes(`${text}|ok`);
    expect(await columnsOf(cols, writes, '┃')).toEqual([0, width + 1, 2 * width + 2]);
    const [row] = await outer(cols, 1, writes);
    expect(row).not.toContain('X');
    expect(row?.slice(-(width + 1))).toBe(`right pane${' '.repeat(width - 10)}┃`);
  });

  it('a whole row of clusters (more than the pane holds) is cut at the pane edge', async () => {
    const { cols, width, writes } = await drawTwoPanes('👍🏽'.repeat(20));
    expect(await columnsOf(cols, writes, '┃')).toEqual([0, width + 1, 2 * width + 2]);
  });

  it('binary output (invalid UTF-8, C1 controls, lone surrogates) leaves no doubled border', async () => {
    const { cols, width, writes } = await drawTwoPanes(new Uint8Array(BINARY));
    expect(await columnsOf(cols, writes, '┃')).toEqual([0, width + 1, 2 * width + 2]);
    const [row] = await outer(cols, 1, writes);
    expect(row).not.toContain('┃┃');
    expect(row).not.toContain('X');
  });
});

describe('titles on the outer terminal', () => {
  afterEach(() => cleanup());

  it('a prompt with emoji in a pane title does not move its corner or the next pane', async () => {
    const engine = new FakeEngine();
    engine.spawn({ prompt: 'thumbs 👍 ✅ 🫠 up' });
    engine.spawn({ prompt: 'two' });
    const cols = 90;
    const r = render(
      createElement(App, { engine, size: { cols, rows: 12 }, spawnDefaults: { cwd: '/tmp' } }),
      cols,
      12,
    );
    await new Promise((res) => setTimeout(res, 30));
    const frame = r.lastFrame() ?? '';
    const term = new Term(cols, 12);
    const writer = new FrameWriter(term, { sync: false });
    writer.frame(frame);
    writer.flush();
    writer.dispose();
    const lines = frame.split('\n');
    const title = lines.findIndex((l) => l.includes('thumbs'));
    const footer = lines.findIndex((l, i) => i > title && l.startsWith('┗'));
    const t = new Terminal({ cols, rows: 12, allowProposedApi: true, logLevel: 'off' });
    await new Promise<void>((res) => t.write(term.writes.join(''), res));
    const corners = (y: number, chars: string) => {
      const at: number[] = [];
      const line = t.buffer.active.getLine(y);
      for (let x = 0; x < cols; x++) if ([...chars].includes(line?.getCell(x)?.getChars() ?? '')) at.push(x);
      return at;
    };
    // The title's corners sit above the footer's: ┓ over ┛, ╮ over ╯ (the outer xterm gives
    // each of these emoji 1 cell, the layout 2).
    expect(corners(title, '┓╮')).toEqual(corners(footer, '┛╯'));
    expect(corners(footer, '┛╯')).toHaveLength(2);
    t.dispose();
  });
});

describe('cells', () => {
  it('writes portable characters plainly and pins the others to their cells', () => {
    expect(portable('a', 1)).toBe(true);
    expect(portable('─', 1)).toBe(true);
    expect(portable('漢', 2)).toBe(true);
    expect(portable('👍', 2)).toBe(false);
    expect(portable('e\u0301', 1)).toBe(false);
    expect(portable('✅', 1)).toBe(false);
    const g = guard('👍🏽', 2);
    expect(g).toBe('\x1b[2X\x1b7👍🏽\x1b8\x1b[2C');
    expect(unguard(`a${g}b`)).toBe('a  b');
    expect(visibleWidth(`\x1b[1ma${g}b\x1b[0m`)).toBe(4);
  });

  it('clipLine counts the cells the screen gave, and draws the cursor on a whole cluster', () => {
    const line = [{ text: 'a' }, { text: '👨\u200d👩\u200d👧\u200d👦', width: 2 }, { text: 'b✅' }];
    expect(clipLine(line, 10, 1)).toEqual([
      { text: 'a' },
      { text: '👨\u200d👩\u200d👧\u200d👦', width: 2, inverse: true },
      { text: 'b' },
      { text: '✅', width: 1 },
    ]);
    // A cluster that does not fit is left out whole, never cut in half.
    expect(clipLine(line, 2)).toEqual([{ text: 'a' }]);
  });
});
