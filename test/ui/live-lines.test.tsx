/**
 * Lines the UI draws outside React (overlay.ts LiveLine): pane titles redrawn by the clock, and
 * what a person sees of them on the terminal (the FrameWriter's output, replayed into a screen).
 */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FrameWriter } from '../../src/ui/frame-writer.js';
import { BodyOverlay } from '../../src/ui/overlay.js';
import { segmentsAnsi, segmentsRow } from '../../src/ui/segments-ansi.js';
import { FRAME_MS } from '../../src/ui/use-engine.js';
import { FakeEngine } from '../helpers/fake-engine.js';
import { cleanup, type Harness, setup, stripAnsi } from './helpers.js';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

/** A terminal that keeps what the FrameWriter drew, row by row, as plain text. */
class FakeTerminal extends EventEmitter {
  readonly rows: number;
  readonly columns: number;
  readonly screen: string[];
  writes = 0;
  constructor(cols: number, rows: number) {
    super();
    this.columns = cols;
    this.rows = rows;
    this.screen = Array.from({ length: rows }, () => '');
  }
  write(data: string): boolean {
    this.writes++;
    // The writer addresses each line it rewrites absolutely: ESC[row;1H, the line, resets, ESC[K.
    const parts = data.split(/\x1b\[(\d+);1H/);
    for (let i = 1; i < parts.length; i += 2) {
      const row = Number(parts[i]) - 1;
      const text = (parts[i + 1] ?? '')
        .replace(/\x1b\[\d+X\x1b7([^\x1b]*)\x1b8\x1b\[\d+C/g, '$1') // a pinned cluster (cells.ts)
        .replace(/\x1b\[\?2026[hl]/g, '');
      this.screen[row] = stripAnsi(text).trimEnd();
    }
    return true;
  }
}

/** The app as runTui draws it: Ink's frames through a FrameWriter with the overlay. */
function drawn(
  engine: FakeEngine,
  cols = 100,
  rows = 30,
): Harness & { term: FakeTerminal; inkFrames: () => number } {
  const term = new FakeTerminal(cols, rows);
  const overlay = new BodyOverlay({ onChange: () => writer.refresh(), onDraw: () => writer.redraw() });
  const writer = new FrameWriter(term, { overlay, minIntervalMs: 33, inkIntervalMs: 8 });
  engine.on('output', (id: string) => overlay.changed(id));
  let inkFrames = 0;
  const h = setup({
    engine,
    cols,
    rows,
    overlay,
    onFrame: (f) => {
      inkFrames++;
      writer.frame(f);
    },
  });
  return { ...h, term, inkFrames: () => inkFrames };
}

/**
 * Until Ink has drawn everything pending: a settle longer than the engine view's throttle (a pane
 * resized on mount redraws FRAME_MS later) passes with no new frame. A test that counts frames
 * from here on counts only what it caused (CI at b8ad5c2 counted a mount-time frame as a key's).
 */
async function quiet(h: Harness & { inkFrames: () => number }): Promise<void> {
  for (let seen = -1; seen !== h.inkFrames(); ) {
    seen = h.inkFrames();
    await h.settle(FRAME_MS * 2);
  }
}

const titleRow = (screen: readonly string[], n: number) => screen.find((l) => l.includes(` #${n} `)) ?? '';

describe('live lines', () => {
  it('draw segments as Ink would: chalk codes, nothing at level 0, cut with … at the end', () => {
    const segs = [
      { text: '#1 ', color: 'whiteBright', bold: true },
      { text: 'RUNNING', color: 'black', backgroundColor: 'yellow' },
      { text: 'x', inverse: true, dim: true },
    ];
    expect(segmentsAnsi(segs, 1)).toBe('\x1b[97;1m#1 \x1b[0m\x1b[30;43mRUNNING\x1b[0m\x1b[2;7mx\x1b[0m');
    expect(segmentsAnsi(segs, 0)).toBe('#1 RUNNINGx');
    expect(segmentsRow(segs, 11, 0)).toEqual({ ansi: '#1 RUNNINGx', used: 11 });
    expect(segmentsRow(segs, 6, 0)).toEqual({ ansi: '#1 RU…', used: 6 });
    // A cluster terminals disagree on is pinned to its cells, as Ink's lines are by the writer.
    expect(segmentsRow([{ text: 'a👍🏽b' }], 4, 0).ansi).toBe('a\x1b[2X\x1b7👍🏽\x1b8\x1b[2Cb');
  });

  it('the clock advances the pane titles on the terminal without rendering the React tree', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const engine = new FakeEngine();
    engine.spawn({ prompt: 'count slowly' });
    const h = drawn(engine);
    await h.settle(100);
    expect(titleRow(h.term.screen, 1)).toContain('RUNNING');
    const frames = h.inkFrames();
    const writes = h.term.writes;
    await h.settle(12_000);
    expect(titleRow(h.term.screen, 1)).toContain(' 12s ');
    // Twelve ticks reached the terminal (one write each: only the title line changed)…
    expect(h.term.writes - writes).toBe(12);
    // …and not one of them rendered the tree (Ink gave no frame).
    expect(h.inkFrames()).toBe(frames);
    // A structural change still renders through React, and the title follows it.
    engine.setStatus('1', 'COMPLETED');
    await h.settle(50);
    expect(h.inkFrames()).toBeGreaterThan(frames);
    expect(titleRow(h.term.screen, 1)).toContain('COMPLETED');
    expect(titleRow(h.term.screen, 1)).toContain(' 12s ');
    // Nothing running: no clock, no writes.
    const after = h.term.writes;
    await h.settle(5_000);
    expect(h.term.writes).toBe(after);
  });

  it('a typed key is echoed in the prompt box without a render, exactly as Ink draws it', async () => {
    // Both UIs show the same second (titles carry elapsed times); timers stay real.
    vi.useFakeTimers({ toFake: ['Date'] });
    const engine = new FakeEngine();
    engine.spawn({ prompt: 'first task' });
    engine.emitOutput('1', 'hello from one');
    const h = drawn(engine, 60, 16);
    const plain = setup({ engine, cols: 60, rows: 16 });
    const both = async (keys: string) => {
      await h.type(keys);
      await plain.type(keys);
    };
    const prompt = () => h.term.screen.filter((l) => l.startsWith('#1❯') || l.startsWith('    '));
    await both('a'); // the box was empty: its shape (and the hint bar) change, React renders
    await quiet(h);
    const frames = h.inkFrames();
    const writes = h.term.writes;
    for (const c of 'bc 日本👍🏽é') await both(c);
    await both('\x1b[D\x1b[D'); // the cursor back over 👍🏽 (one cluster) and a space
    await both('X');
    await h.settle(20);
    // Every key reached the terminal, and not one rendered the tree.
    expect(h.inkFrames()).toBe(frames);
    expect(h.term.writes - writes).toBeGreaterThanOrEqual(1);
    expect(prompt()[0]).toBe('#1❯ abc 日本X👍🏽é');
    const same = () => {
      const direct = plain.lines().map((l) => l.trimEnd());
      expect(h.term.screen.slice(0, direct.length)).toEqual(direct);
    };
    same();
    // Typing past the width wraps to a second row: a new shape, rendered by React; then the echo
    // on that row is live again.
    await both('x'.repeat(60));
    await quiet(h);
    const wrappedFrames = h.inkFrames();
    expect(wrappedFrames).toBeGreaterThan(frames);
    await both('yz');
    await h.settle(20);
    expect(h.inkFrames()).toBe(wrappedFrames);
    same();
    // Emptying the box brings the placeholder back through React.
    await both('\x15'); // Ctrl+U: clear to the start of the line
    await both('\x03'); // Ctrl+C: clears the draft
    await h.settle(20);
    expect(h.inkFrames()).toBeGreaterThan(wrappedFrames);
    same();
  });
});
