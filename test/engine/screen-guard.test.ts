/**
 * A throw while parsing one screen's output (xterm's parser, or a handler inside it) leaves that
 * screen usable, its callbacks run, and the other screens on the same pump untouched. The
 * throwing parser is injected as a CSI handler on the screen's own xterm (the path every byte
 * takes), and once with a sequence the pinned xterm really throws on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ParsePump } from '../../src/engine/parse-pump.js';
import { Screen } from '../../src/engine/screen.js';

/** `ESC [ 7 z`: no such sequence; the injected handler throws on it. */
const BOOM = '\x1b[7z';

describe('Screen: a throw while parsing', () => {
  const screens: Screen[] = [];
  afterEach(() => {
    for (const s of screens.splice(0)) s.dispose();
  });

  /** Screens on one pump whose rounds the test runs by hand (a fake scheduler). */
  function rig(syncParse = true) {
    const rounds: Array<() => void> = [];
    const pump = new ParsePump({ schedule: (run) => rounds.push(run) });
    const make = (): { s: Screen; errors: Array<[unknown, number]> } => {
      const s = new Screen({ cols: 20, rows: 4, pump, syncParse });
      screens.push(s);
      const errors: Array<[unknown, number]> = [];
      s.onParseError((e, n) => errors.push([e, n]));
      return { s, errors };
    };
    /** Run pump rounds (and the microtasks that finish them) until every screen is idle. */
    const drain = async (): Promise<void> => {
      for (let i = 0; i < 1000; i++) {
        const run = rounds.shift();
        if (run) run();
        await new Promise((r) => setTimeout(r, run ? 0 : 2));
        if (rounds.length === 0 && screens.every((s) => s.pending === 0)) return;
      }
      throw new Error('the pump never went idle');
    };
    return { make, drain };
  }

  const throwOn7z = (s: Screen): void => {
    s.term.parser.registerCsiHandler({ final: 'z' }, (params) => {
      if (params[0] === 7) throw new Error('injected parser failure');
      return false;
    });
  };

  for (const syncParse of [true, false]) {
    it(`goes on with later output, runs every callback, and leaves the other screen alone (${syncParse ? 'sync' : 'async'} parse)`, async () => {
      const { make, drain } = rig(syncParse);
      const bad = make();
      const good = make();
      throwOn7z(bad.s);
      const done: string[] = [];
      bad.s.write('before\r\n', () => done.push('bad 1'));
      good.s.write('other 1\r\n', () => done.push('good 1'));
      bad.s.write(`x${BOOM}lost`, () => done.push('bad 2'));
      good.s.write('other 2\r\n', () => done.push('good 2'));
      bad.s.write('\r\nafter\r\n', () => done.push('bad 3'));
      await drain();
      expect(done.sort()).toEqual(['bad 1', 'bad 2', 'bad 3', 'good 1', 'good 2']);
      expect(bad.errors.map(([e, n]) => [(e as Error).message, n])).toEqual([['injected parser failure', 1]]);
      // The rest of the chunk that threw is lost to the screen (not to the transcript, which is
      // written before parsing); the parser starts again from ground state.
      expect(bad.s.plainLines()).toEqual(['before', 'x', 'after', '']);
      expect(good.s.plainLines()).toEqual(['other 1', 'other 2', '', '']);
      expect(good.errors).toEqual([]);
      expect(bad.s.pending).toBe(0);
    });
  }

  it('counts every throw, and resets the screen (RIS) after two in a row', async () => {
    const { make, drain } = rig();
    const bad = make();
    throwOn7z(bad.s);
    bad.s.write('kept\r\n');
    bad.s.write(BOOM);
    await drain();
    expect(bad.s.plainLines()[0]).toBe('kept');
    bad.s.write(BOOM);
    await drain();
    expect(bad.errors.map(([, n]) => n)).toEqual([1, 2]);
    expect(bad.s.plainLines()).toEqual(['', '', '', '']);
    bad.s.write('fresh');
    await drain();
    expect(bad.s.plainLines()[0]).toBe('fresh');
  });

  it("survives the pinned xterm's own throw: erase-above (ED1) with the cursor in the last cell and no scrollback", async () => {
    const { make, drain } = rig();
    const bad = make();
    const good = make();
    // @xterm/headless 6.0.0 clears the wrap flag of `lines.get(y + 1)`, an index without the
    // buffer's base: on the last row with no scrollback there is no such line (TypeError).
    bad.s.write('top\x1b[4;20H\x1b[1J');
    good.s.write('fine');
    bad.s.write('\x1b[Hnext');
    await drain();
    expect(bad.errors).toHaveLength(1);
    expect(String(bad.errors[0]?.[0])).toMatch(/isWrapped/);
    expect(bad.s.plainLines()[0]).toBe('next');
    expect(good.s.plainLines()[0]).toBe('fine');
  });
});

/** A seeded generator of hostile terminal output (the fuzzer that found the ED1 throw, bounded). */
function hostile(seed: number): { next: () => string; int: (n: number) => number } {
  let s = seed;
  const rnd = (): number => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
  const int = (n: number): number => Math.floor(rnd() * n);
  const pick = <T>(a: readonly T[]): T => a[int(a.length)] as T;
  const E = '\x1b';
  const num = (): string =>
    pick(['', '0', '1', '2', String(int(300)), '65535', '2147483647', '4294967296', '-1']);
  const gens: Array<() => string> = [
    () => `${E}[${num()};${num()}${pick([...'@ABCDEFGHIJKLMPSTXZ`abdefghlmnqrstuxz'])}`,
    () => `${E}[${num()}${pick([...'JKLMSTIZb@PX'])}`,
    () => `${E}[?${num()}${pick(['J', 'K'])}`,
    () => `${E}[${num()};${num()}r`,
    () => `${E}[?${pick(['1049', '47', '1047', '6', '7', '25', '2004', '69'])}${pick(['h', 'l'])}`,
    () => `${E}[${num()}'}`,
    () => `${E}[${num()}'~`,
    () => pick([`${E}c`, `${E}7`, `${E}8`, `${E}D`, `${E}E`, `${E}M`, `${E}H`, `${E}#8`, `${E}(0`, `${E}(B`]),
    () => `${E}]${pick(['0', '2', '8', '52'])};${'x'.repeat(int(40))}\x07`,
    () => `${E}[${num()};${num()}m`,
    () =>
      pick([
        '😀',
        '👨‍👩‍👧‍👦',
        '🇯🇵',
        '中文字',
        'e\u0301',
        '\u200b',
        '👍🏽',
        '❤️',
        'abc ',
        'x'.repeat(int(200)),
      ]),
    () => pick(['\r', '\n', '\r\n', '\t', '\b', '\x07', '\x00', '\x7f', '\n'.repeat(int(60))]),
  ];
  const next = (): string => {
    let chunk = '';
    for (let k = 1 + int(8); k > 0; k--) chunk += pick(gens)();
    // Sometimes a sequence cut in two, finished by the next chunk.
    return rnd() < 0.1 ? chunk.slice(0, int(chunk.length + 1)) : chunk;
  };
  return { next, int };
}

describe('Screen: hostile output (seeded fuzz)', () => {
  it('no throw escapes, no chunk stalls, every callback runs, the next screen on the pump is untouched', async () => {
    const rounds: Array<() => void> = [];
    const pump = new ParsePump({ schedule: (run) => rounds.push(run) });
    let slowest = 0;
    let caught = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const g = hostile(seed);
      const s = new Screen({
        cols: 1 + g.int(120),
        rows: 1 + g.int(40),
        scrollback: [0, 10, 1000][g.int(3)],
        pump,
      });
      const other = new Screen({ cols: 20, rows: 3, pump });
      s.onParseError(() => caught++);
      let done = 0;
      for (let i = 0; i < 120; i++) {
        if (g.int(20) === 0) s.resize(1 + g.int(200), 1 + g.int(100));
        s.write(g.next(), () => done++);
        const started = performance.now();
        while (rounds.length > 0) {
          rounds.shift()?.();
          await Promise.resolve();
        }
        slowest = Math.max(slowest, performance.now() - started);
        if (i % 10 === 0) {
          s.plainLines();
          s.styledLines(0);
          s.commit(0);
        }
      }
      other.write(`seed ${seed}`);
      while (rounds.length > 0 || s.pending > 0 || other.pending > 0) {
        rounds.shift()?.();
        await new Promise((r) => setTimeout(r, 0));
      }
      expect(done, `seed ${seed}`).toBe(120);
      expect(other.plainLines()[0]).toBe(`seed ${seed}`);
      s.dispose();
      other.dispose();
    }
    // Uncut counts took seconds to minutes per chunk; generous for a loaded machine.
    expect(slowest).toBeLessThan(3000);
    // These seeds meet xterm's own throws (the ED1 bug): the guard, not luck, kept them in.
    expect(caught).toBeGreaterThan(0);
  });
});
