import { describe, expect, it, vi } from 'vitest';
import type { SpawnOptions } from '../../src/engine/types.js';
import { type EffectContext, runEffects } from '../../src/ui/effects.js';
import { computeLayout } from '../../src/ui/layout.js';
import { initialUi, type UiState } from '../../src/ui/ui-state.js';
import type { UiEvent } from '../../src/ui/use-engine.js';
import { paneResizes, plannedSizes, resizeKey } from '../../src/ui/use-panes.js';
import { FakeEngine } from '../helpers/fake-engine.js';

function context(engine = new FakeEngine()) {
  let state: UiState = initialUi();
  const events: UiEvent[] = [];
  const sized: string[] = [];
  const ctx: EffectContext = {
    engine,
    spawnDefaults: { cwd: '/tmp/x' },
    plannedSizes: (count) =>
      Array.from({ length: count }, (_, i) => (i === 0 ? { cols: 40, rows: 10 } : undefined)),
    sized: (id, c, r) => sized.push(`${id}:${c}x${r}`),
    touch: vi.fn(),
    log: (ev) => events.push(ev),
    update: (fn) => {
      state = fn(state);
    },
    onQuit: vi.fn(),
    onRepaint: vi.fn(),
    onSuspend: vi.fn(),
  };
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { engine, ctx, events, sized, settle, state: () => state };
}

describe('runEffects', () => {
  it('spawns at the planned sizes, remembers them, and focuses the first new session', () => {
    const t = context();
    t.engine.spawn({ prompt: 'existing' });
    runEffects([{ kind: 'spawn', prompt: 'go', count: 2 }], t.ctx);
    const spawns = t.engine.calls.filter((c) => c.op === 'spawn').map((c) => c.op === 'spawn' && c.opts);
    expect(spawns.slice(1)).toEqual<SpawnOptions[]>([
      { cwd: '/tmp/x', prompt: 'go', cols: 40, rows: 10 },
      { cwd: '/tmp/x', prompt: 'go' },
    ]);
    expect(t.sized).toEqual(['2:40x10']);
    expect(t.state().focusId).toBe('2');
  });

  it('logs a spawn that fails and keeps the focus', () => {
    const t = context();
    vi.spyOn(t.engine, 'spawn').mockImplementation(() => {
      throw new Error('claude not found');
    });
    runEffects([{ kind: 'spawn', count: 1 }], t.ctx);
    expect(t.events.map((e) => e.text)).toEqual(['could not start a session: claude not found']);
    expect(t.state()).toEqual(initialUi());
  });

  it('runs send, interrupt, kill and write on the engine, in order, after the log line', async () => {
    const t = context();
    t.engine.spawn({ prompt: 'a' });
    runEffects(
      [
        { kind: 'log', level: 'info', text: 'sent to #1', sessionId: '1' },
        { kind: 'send', id: '1', n: 1, text: 'hi' },
        { kind: 'write', id: '1', data: '2' },
        { kind: 'interrupt', id: '1', n: 1 },
        { kind: 'kill', id: '1', n: 1 },
      ],
      t.ctx,
    );
    await t.settle();
    expect(t.engine.calls.slice(1).map((c) => c.op)).toEqual([
      'send',
      'interrupt',
      'write',
      'interrupt',
      'kill',
    ]);
    expect(t.events).toMatchObject([{ level: 'info', text: 'sent to #1', sessionId: '1' }]);
  });

  it('turns engine errors into error lines naming the session, never exceptions', async () => {
    const t = context();
    runEffects(
      [
        { kind: 'send', id: '9', n: 9, text: 'hi' },
        { kind: 'interrupt', id: '9', n: 9 },
        { kind: 'kill', id: '9', n: 9 },
        { kind: 'remove', id: '9', n: 9 },
      ],
      t.ctx,
    );
    await t.settle();
    expect(t.events.map((e) => [e.level, e.text.slice(0, 4), e.sessionId])).toEqual([
      ['error', '#9: ', '9'],
      ['error', '#9: ', '9'],
      ['error', '#9: ', '9'],
      ['error', '#9: ', '9'],
    ]);
  });

  it('removes an ended session', () => {
    const t = context();
    t.engine.spawn({ prompt: 'a' });
    runEffects([{ kind: 'remove', id: '1', n: 1 }], t.ctx);
    expect(t.engine.get('1')).toBeUndefined();
  });

  it('resizes only a session whose terminal has another size, and redraws its pane', () => {
    const t = context();
    t.engine.spawn({ prompt: 'a', cols: 40, rows: 10 });
    runEffects(
      [
        { kind: 'resize', id: '1', cols: 40, rows: 10 },
        { kind: 'resize', id: '1', cols: 50, rows: 12 },
        { kind: 'resize', id: 'gone', cols: 50, rows: 12 },
      ],
      t.ctx,
    );
    expect(t.engine.calls.filter((c) => c.op === 'resize')).toEqual([
      { op: 'resize', id: '1', cols: 50, rows: 12 },
    ]);
    expect(t.sized).toEqual(['1:40x10', '1:50x12', 'gone:50x12']);
    expect(t.ctx.touch).toHaveBeenCalledExactlyOnceWith('1');
  });

  it('hands quit, repaint and suspend to the caller', () => {
    const t = context();
    runEffects([{ kind: 'quit' }, { kind: 'repaint' }, { kind: 'suspend' }], t.ctx);
    expect(t.ctx.onQuit).toHaveBeenCalledOnce();
    expect(t.ctx.onRepaint).toHaveBeenCalledOnce();
    expect(t.ctx.onSuspend).toHaveBeenCalledOnce();
  });
});

describe('pane sizes', () => {
  const layoutFor = (count: number, zoomIndex: number | undefined) =>
    computeLayout({ count, cols: 100, rows: 30, promptRows: 1, zoomIndex });

  it('plans new sessions at the size their panes will have (zoomed: the whole area)', () => {
    expect(plannedSizes(layoutFor, 1, 1, false)).toEqual([{ cols: 48, rows: 25 }]);
    expect(plannedSizes(layoutFor, 1, 1, true)).toEqual([{ cols: 98, rows: 25 }]);
    expect(plannedSizes(layoutFor, 0, 3, true)).toEqual([
      { cols: 48, rows: 11 },
      { cols: 48, rows: 11 },
      { cols: 98, rows: 12 },
    ]);
  });

  it('resizes live sessions whose pane size was not sent yet', () => {
    const engine = new FakeEngine();
    engine.spawn({ prompt: 'a' });
    engine.spawn({ prompt: 'b' });
    engine.spawn({ prompt: 'c' });
    engine.setStatus('3', 'EXITED');
    const list = engine.list();
    const layout = layoutFor(3, undefined);
    expect(paneResizes(layout, list, new Map([['1', '48x11']]))).toEqual([
      { kind: 'resize', id: '2', cols: 48, rows: 11 },
    ]);
    expect(resizeKey(layout, list)).toBe('1:48x11,2:48x11,3:98x12');
    expect(
      paneResizes(computeLayout({ count: 3, cols: 20, rows: 5, promptRows: 1 }), list, new Map()),
    ).toEqual([]);
  });
});
