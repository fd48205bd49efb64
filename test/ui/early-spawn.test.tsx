/**
 * `axiom spawn` starts its sessions before the UI loads (src/ui/early-spawn.ts): in the sizes the
 * UI itself would give them, and the UI adopts them (no second spawn, no resize, first focused).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawnEarly } from '../../src/ui/early-spawn.js';
import { FakeEngine } from '../helpers/fake-engine.js';
import { cleanup, setup } from './helpers.js';

afterEach(() => cleanup());

const initial = { prompt: 'Implement fibonacci', parallel: 3 };
const defaults = { cwd: '/tmp/axiom-test' };
const spawns = (e: FakeEngine) =>
  e.calls.flatMap((c) => (c.op === 'spawn' ? [[c.opts.prompt, c.opts.cols, c.opts.rows, c.opts.cwd]] : []));

describe('sessions started before the UI', () => {
  it('get the sizes the UI gives sessions it spawns itself', async () => {
    const before = new FakeEngine();
    spawnEarly(before, initial, defaults, { cols: 100, rows: 30 });
    const h = setup({ cols: 100, rows: 30, initial });
    await h.settle(1);
    expect(spawns(before)).toEqual(spawns(h.engine));
    expect(spawns(before)).toHaveLength(3);
  });

  it('are adopted by the UI: no second spawn, no resize, the first one focused', async () => {
    const engine = new FakeEngine();
    const spawned = spawnEarly(engine, initial, defaults, { cols: 100, rows: 30 });
    const h = setup({ cols: 100, rows: 30, engine, spawned });
    await h.settle(20);
    expect(engine.calls.filter((c) => c.op === 'spawn')).toHaveLength(3);
    expect(engine.calls.filter((c) => c.op === 'resize')).toEqual([]);
    expect(h.frame()).toContain('#1❯');
  });

  it('a session that could not start is one line in the event line', async () => {
    const engine = new FakeEngine();
    engine.spawn = () => {
      throw new Error('no such agent: nope');
    };
    const spawned = spawnEarly(engine, { prompt: 'x', parallel: 1 }, defaults, { cols: 100, rows: 30 });
    expect(spawned).toMatchObject({
      sessions: [],
      errors: ['could not start a session: no such agent: nope'],
    });
    const h = setup({ cols: 100, rows: 30, engine, spawned });
    await h.settle(20);
    expect(h.frame()).toContain('could not start a session: no such agent: nope');
  });

  it("the engine's warnings before the UI listens (transcripts off is said once, at the first spawn) reach the event line, once", async () => {
    const engine = new FakeEngine();
    const spawn = engine.spawn.bind(engine);
    engine.spawn = (opts) => {
      const s = spawn(opts);
      if (s.n === 1) engine.emit('warning', 'transcripts off: EROFS');
      return s;
    };
    const spawned = spawnEarly(engine, { prompt: 'x', parallel: 2 }, defaults, { cols: 200, rows: 30 });
    // While the UI's modules load.
    engine.emit('warning', 'hook channel unavailable');
    const h = setup({ cols: 200, rows: 30, engine, spawned });
    await h.settle(20);
    engine.emit('warning', 'said later');
    await h.settle(20);
    const line =
      h
        .frame()
        .split('\n')
        .find((l) => l.includes('said later')) ?? '';
    expect(line).toMatch(/said later · hook channel unavailable · transcripts off: EROFS/);
    expect(line.match(/transcripts off/g)).toHaveLength(1);
    expect(engine.listenerCount('warning')).toBe(1); // the UI's own
  });
});
