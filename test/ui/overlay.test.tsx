import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import type { StyledLine } from '../../src/engine/types.js';
import { App } from '../../src/ui/App.js';
import { FrameWriter } from '../../src/ui/frame-writer.js';
import { BodyOverlay, BodyOverlayContext } from '../../src/ui/overlay.js';
import { FakeEngine } from '../helpers/fake-engine.js';
import { cleanup, render, stripAnsi } from './helpers.js';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const tick = () => new Promise((r) => setTimeout(r, 30));

describe('BodyOverlay', () => {
  it('splices a body row over its marker and the blank padding after it', () => {
    const screens: Record<string, StyledLine[]> = { a: [[{ text: 'red', fg: 1 }]], b: [[{ text: 'x' }]] };
    const engine = {
      screen: (id: string) => screens[id] ?? [],
      cursor: () => undefined,
    } as unknown as Engine;
    const changes: string[] = [];
    const o = new BodyOverlay({ onChange: () => changes.push('frame') });
    const spec = { engine, scroll: 0, rows: 1, showCursor: false, colorLevel: 2 as const };
    const specA = { ...spec, id: 'a', cols: 6 };
    const [m] = o.show(3, specA);
    expect(m).toHaveLength(2);
    expect(o.apply(`\x1b[36m│\x1b[39m${m}    \x1b[36m│\x1b[39m`)).toBe(
      '\x1b[36m│\x1b[39m\x1b[0;38;5;1mred\x1b[0m   \x1b[36m│\x1b[39m',
    );
    // Ink trims trailing blanks at the end of a line: the body is padded back to its width.
    expect(stripAnsi(o.apply(`${m}`))).toBe('red   ');
    // Several bodies on one line; unknown markers and plain lines are left alone.
    const [m2] = o.show(4, { ...spec, id: 'b', cols: 2 });
    const unknown = BodyOverlay.marker(9, 0);
    expect(stripAnsi(o.apply(`|${m}    |${m2}|${unknown} |`))).toBe(`|red   |x |${unknown} |`);
    expect(o.apply('plain │ line')).toBe('plain │ line');
    // A screen change is picked up at the next update(), not before.
    screens.a = [[{ text: 'green' }]];
    o.changed('a');
    expect(changes).toEqual(['frame']);
    expect(stripAnsi(o.apply(`${m}    |`))).toBe('red   |');
    o.update();
    expect(stripAnsi(o.apply(`${m}    |`))).toBe('green |');
    o.hide(3, specA);
    expect(o.apply(`${m}    |`)).toBe(`${m}    |`);
  });

  it('a resize (new spec, same session) survives the old spec being hidden after the new show', () => {
    // React order on a re-render: render (show new spec), then the old effect's cleanup (hide old).
    const screens: Record<string, StyledLine[]> = { a: [[{ text: 'still here' }]] };
    const engine = {
      screen: (id: string) => screens[id] ?? [],
      cursor: () => undefined,
    } as unknown as Engine;
    const o = new BodyOverlay();
    const old = { engine, id: 'a', scroll: 0, cols: 12, rows: 1, showCursor: false, colorLevel: 1 as const };
    const [m] = o.show(0, old);
    const resized = { ...old, cols: 14 };
    o.show(0, resized);
    o.hide(0, old);
    expect(stripAnsi(o.apply(`${m}`))).toBe('still here    ');
  });

  it('the UI drawn through the overlay shows exactly what Ink alone draws', async () => {
    // Pane titles show the elapsed time and each App ticks its own clock: a frozen clock (timers
    // stay real) keeps the two UIs compared in the same second however loaded the machine is.
    vi.useFakeTimers({ toFake: ['Date'] });
    const engine = new FakeEngine();
    engine.spawn({ prompt: 'first task' });
    engine.spawn({ prompt: 'second task' });
    engine.emitOutput('1', 'hello from one', 'wide: 日本語 ok');
    engine.emitOutput('2', 'two', '');
    const app = () => <App engine={engine} size={{ cols: 90, rows: 24 }} spawnDefaults={{ cwd: '/tmp' }} />;
    const plain = render(app(), 90, 24);
    const overlay = new BodyOverlay();
    engine.on('output', (id: string) => overlay.changed(id));
    const spliced = render(
      <BodyOverlayContext.Provider value={overlay}>{app()}</BodyOverlayContext.Provider>,
      90,
      24,
    );
    await tick();
    engine.emitOutput('1', 'later line');
    await tick();
    await tick();
    overlay.update();
    const raw = spliced.lastFrame() ?? '';
    // Ink only saw the markers, never the screen text.
    expect(raw).not.toContain('hello from one');
    const viaOverlay = raw
      .split('\n')
      .map((l) => stripAnsi(overlay.apply(l)).trimEnd())
      .join('\n');
    const direct = stripAnsi(plain.lastFrame() ?? '')
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n');
    expect(viaOverlay).toContain('later line');
    expect(viaOverlay).toBe(direct);
  });

  it('lets frames from Ink (input) go out sooner than screen refreshes, without re-reading screens', () => {
    const term = Object.assign(new EventEmitter(), {
      columns: 10,
      rows: 3,
      writes: [] as string[],
      write(d: string) {
        term.writes.push(d);
        return true;
      },
    });
    // A real overlay over a screen that counts its reads: a frame shows which version it read.
    let reads = 0;
    let text = 'v0';
    const engine = {
      screen: () => {
        reads++;
        return [[{ text }]];
      },
      cursor: () => undefined,
    } as unknown as Engine;
    const overlay = new BodyOverlay();
    const spec = { engine, id: 'a', scroll: 0, cols: 4, rows: 1, showCursor: false, colorLevel: 0 as const };
    const [m] = overlay.show(0, spec);
    reads = 0;
    let now = 1000;
    const w = new FrameWriter(term, { now: () => now, minIntervalMs: 34, inkIntervalMs: 8, overlay });
    w.frame(`${m}  a`);
    expect(term.writes).toHaveLength(1);
    now += 10;
    text = 'v1';
    overlay.changed('a');
    w.refresh(); // screen output after a quiet spell: goes out at once, screens re-read
    expect([term.writes.length, reads]).toEqual([2, 1]);
    expect(term.writes[1]).toContain('v1  a');
    now += 10;
    text = 'v2';
    overlay.changed('a');
    w.refresh(); // more output 10 ms later: waits for its 34 ms slot
    expect(term.writes).toHaveLength(2);
    w.frame(`${m}  b`); // a keystroke's frame: 10 ms since the last write is enough
    expect(term.writes).toHaveLength(3);
    expect(term.writes[2]).toContain('v1  b');
    expect(reads).toBe(1); // …and it did not pay for re-reading the streaming screens
    now += 2;
    w.frame(`${m}  c`); // too soon even for input: waits (a timer), not dropped
    expect(term.writes).toHaveLength(3);
    w.flush();
    expect(term.writes[3]).toContain('v2  c');
    expect(reads).toBe(2); // flush() writes everything, screens included
    w.dispose();
  });
});
