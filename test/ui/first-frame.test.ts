/**
 * The frame drawn before React and Ink load (src/ui/first-frame.ts): pane bodies at the places
 * the layout gives them, nothing else; the UI loads once it is out (or after the wait).
 */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { spawnEarly } from '../../src/ui/early-spawn.js';
import { startFirstFrame } from '../../src/ui/first-frame.js';
import { BSU, ESU } from '../../src/ui/frame-writer.js';
import { ENTER_SCREEN, LEAVE_SCREEN } from '../../src/ui/screen-codes.js';
import { FakeEngine } from '../helpers/fake-engine.js';

afterEach(() => vi.useRealTimers());

function terminal() {
  const written: string[] = [];
  const raw: boolean[] = [];
  const stdout = Object.assign(new EventEmitter(), {
    write: (s: string) => written.push(s) > 0,
    columns: 100,
    rows: 30,
  }) as unknown as NodeJS.WriteStream;
  const stdin = Object.assign(new EventEmitter(), {
    isTTY: true,
    setRawMode: (on: boolean) => raw.push(on),
  }) as unknown as NodeJS.ReadStream;
  return { stdout, stdin, written, raw };
}

function host() {
  const restores = new Set<() => void>();
  return {
    restores,
    attach: () => () => {},
    onRestore: (r: () => void) => {
      restores.add(r);
      return () => void restores.delete(r);
    },
    suspend: () => {},
  };
}

describe('the first frame', () => {
  it('draws each body at its pane’s place as soon as its agent shows something, then stops for the UI', async () => {
    vi.useFakeTimers();
    const engine = new FakeEngine();
    const spawned = spawnEarly(
      engine,
      { prompt: 'p', parallel: 2 },
      { cwd: '/tmp' },
      { cols: 100, rows: 30 },
    );
    const panes = spawned.sessions.map((s) => ({ id: s.id, rect: s.rect! }));
    // Two panes side by side: bodies inside the borders, 48 columns each.
    expect(panes.map((p) => [p.rect.x, p.rect.y, p.rect.innerCols])).toEqual([
      [0, 0, 48],
      [50, 0, 48],
    ]);
    const t = terminal();
    const h = host();
    const first = startFirstFrame({ engine, panes, ...t, colorLevel: 0, host: h, waitMs: 150 });
    // The alternate screen, raw mode (keys wait for the UI, unechoed), a restore until the UI has one.
    expect(t.written).toEqual([ENTER_SCREEN]);
    expect(t.raw).toEqual([true]);
    expect(h.restores.size).toBe(1);
    let shown = false;
    void first.shown.then(() => {
      shown = true;
    });
    engine.emitOutput(panes[1]!.id, 'HELLO');
    await vi.advanceTimersByTimeAsync(0);
    expect(shown).toBe(true);
    const frame = t.written[1] ?? '';
    expect(frame.startsWith(BSU) && frame.endsWith(ESU)).toBe(true);
    // Only the pane with output; its first row at row 2, column 52 (1-based: inside the border).
    expect(frame).toContain(`\x1b[2;52HHELLO\x1b[0m${' '.repeat(43)}\x1b[3;52H`);
    expect(frame).not.toContain(';2H');
    // Later output: at most one frame per 16 ms.
    engine.emitOutput(panes[0]!.id, 'one');
    engine.emitOutput(panes[0]!.id, 'two');
    await vi.advanceTimersByTimeAsync(16);
    expect(t.written).toHaveLength(3);
    expect(t.written[2]).toContain('\x1b[2;2Hone');
    expect(t.written[2]).toContain('\x1b[3;2Htwo');
    first.stop();
    engine.emitOutput(panes[0]!.id, 'after');
    await vi.advanceTimersByTimeAsync(100);
    // The UI took over: nothing more, the terminal left as it is (alternate screen, raw) for it.
    expect(t.written).toHaveLength(3);
    expect(h.restores.size).toBe(0);
  });

  it('lets the UI load after the wait when no agent shows anything; gives the terminal back if the UI cannot load', async () => {
    vi.useFakeTimers();
    const engine = new FakeEngine();
    const spawned = spawnEarly(
      engine,
      { prompt: 'p', parallel: 1 },
      { cwd: '/tmp' },
      { cols: 100, rows: 30 },
    );
    const t = terminal();
    const first = startFirstFrame({
      engine,
      panes: spawned.sessions.map((s) => ({ id: s.id, rect: s.rect! })),
      ...t,
      colorLevel: 0,
      waitMs: 150,
    });
    let shown = false;
    void first.shown.then(() => {
      shown = true;
    });
    await vi.advanceTimersByTimeAsync(149);
    expect(shown).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(shown).toBe(true);
    first.stop(true);
    expect(t.written).toEqual([ENTER_SCREEN, LEAVE_SCREEN]);
    expect(t.raw).toEqual([true, false]);
  });
});
