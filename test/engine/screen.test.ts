import { afterEach, describe, expect, it } from 'vitest';
import { genericProfile } from '../../src/agents/generic.js';
import { Screen, type ScreenOptions } from '../../src/engine/screen.js';

/** The stable text log of a Screen: what commit() hands the .txt transcript, and what readers get. */
describe('Screen text log (wrapped lines)', () => {
  const screens: Screen[] = [];
  afterEach(() => {
    for (const s of screens.splice(0)) s.dispose();
  });

  function screen(opts: Partial<ScreenOptions>): {
    s: Screen;
    write: (d: string) => Promise<void>;
    /** Commit the rows above the cursor (like a generic agent's flush); returns the transcript text. */
    commit: (final?: boolean) => string;
    log: () => string[];
  } {
    const s = new Screen(opts);
    screens.push(s);
    return {
      s,
      write: (d) => new Promise<void>((resolve) => s.write(d, resolve)),
      commit: (final = false) => s.commit(final ? s.rows : s.cursor().y, final),
      log: () => s.readLog(0).lines,
    };
  }

  it('keeps a space in the last column of a wrapped row', async () => {
    const t = screen({ cols: 10, rows: 4 });
    await t.write('aaaaaaaaa bb\r\nnext\r\n');
    expect(t.commit()).toBe('aaaaaaaaa bb\nnext\n');
    expect(t.log()).toEqual(['aaaaaaaaa bb', 'next']);
  });

  it('adds no space for the blank a wide character leaves at the edge when it wraps', async () => {
    const t = screen({ cols: 10, rows: 4 });
    await t.write('aaaaaaaaa漢字\r\n');
    t.commit();
    expect(t.log()).toEqual(['aaaaaaaaa漢字']);
  });

  it('holds back a line that goes on below the stable rows, then commits it whole', async () => {
    const t = screen({ cols: 10, rows: 4 });
    await t.write('a'.repeat(15)); // the cursor is on the line's second row
    expect(t.commit()).toBe('');
    expect(t.s.logEnd).toBe(0);
    await t.write('bb\r\n');
    expect(t.commit()).toBe(`${'a'.repeat(15)}bb\n`);
    expect(t.log()).toEqual([`${'a'.repeat(15)}bb`]);
  });

  it('continues a line whose first rows were committed from scrollback: one log line, each character once in the transcript', async () => {
    const t = screen({ cols: 10, rows: 3 });
    await t.write('x'.repeat(45)); // 5 rows: 2 in scrollback
    const first = t.commit();
    expect(first).toBe('x'.repeat(20)); // no newline: the line is still open
    expect(t.log()).toEqual([]); // readers get it once it is finished
    await t.write('y'.repeat(30)); // the first rows of this part scroll out as well
    const second = t.commit();
    await t.write('z\r\nnext\r\n');
    const third = t.commit();
    const line = `${'x'.repeat(45)}${'y'.repeat(30)}z`;
    expect(first + second + third).toBe(`${line}\nnext\n`);
    expect(t.log()).toEqual([line, 'next']);
    expect(t.s.readLog(1).lines).toEqual(['next']);
  });

  it('a line still open when the agent is gone is ended by the final commit', async () => {
    const t = screen({ cols: 10, rows: 2 });
    await t.write('q'.repeat(35));
    const first = t.commit();
    expect(t.log()).toEqual([]);
    const last = t.commit(true);
    expect(first + last).toBe(`${'q'.repeat(35)}\n`);
    expect(t.log()).toEqual(['q'.repeat(35)]);
  });

  it('keeps only the tail of a line past lineLimit (marked), while the transcript gets all of it', async () => {
    const t = screen({ cols: 10, rows: 2, lineLimit: 25 });
    const digits = Array.from({ length: 200 }, (_, i) => String(i % 10)).join('');
    let text = '';
    for (let i = 0; i < digits.length; i += 7) {
      await t.write(digits.slice(i, i + 7));
      text += t.commit();
    }
    await t.write('!\r\n');
    text += t.commit();
    expect(text).toBe(`${digits}!\n`);
    expect(t.log()).toEqual([
      `[axiom: 176 earlier characters of this line are only in the transcript on disk] ${digits.slice(-24)}!`,
    ]);
  });

  it('caps a long line committed in one go too', async () => {
    const t = screen({ cols: 10, rows: 2, lineLimit: 25 });
    await t.write(`${'w'.repeat(100)}\r\n`);
    expect(t.commit()).toBe(`${'w'.repeat(100)}\n`);
    expect(t.log()).toEqual([
      `[axiom: 75 earlier characters of this line are only in the transcript on disk] ${'w'.repeat(25)}`,
    ]);
  });

  it('rows trimmed from scrollback before they were committed end the open line; nothing is committed twice', async () => {
    const t = screen({ cols: 10, rows: 2, scrollback: 3 });
    await t.write('a'.repeat(40)); // 4 rows: 2 in scrollback
    expect(t.commit()).toBe('a'.repeat(20));
    // 8 more rows of the same line scroll by (and out) before the next commit.
    await t.write(`${'b'.repeat(80)}\r\nnext\r\n`);
    const text = t.commit();
    const log = t.log();
    expect(log).toHaveLength(3);
    expect(log[0]).toBe('a'.repeat(20)); // what was committed of the line before the gap
    expect(log[1]).toMatch(/^b+$/); // what was left of it after the gap
    expect(log[2]).toBe('next');
    expect(text).toBe(`\n${log[1]}\nnext\n`);
  });
});

describe('Screen: committing ahead of the scrollback', () => {
  it('hands the parser no more rows than the scrollback holds, asking for a commit in between', async () => {
    const s = new Screen({ cols: 20, rows: 5, scrollback: 50 });
    let text = '';
    let asked = 0;
    s.onCommitNeeded(() => {
      asked++;
      text += s.commit(0);
    });
    // One write of 5,000 short lines and one of 300 lines that each wrap 3 times: 100× and 18× the scrollback.
    const short = Array.from({ length: 5000 }, (_, i) => `${i + 1}`).join('\r\n');
    const long = Array.from({ length: 300 }, (_, i) => `${i}`.padEnd(55, '.')).join('\r\n');
    await new Promise<void>((r) => s.write(`${short}\r\n${long}\r\n`, r));
    text += s.commit(s.cursor().y, true);
    s.dispose();
    const lines = text.split('\n').filter(Boolean);
    expect(lines.slice(0, 5000)).toEqual(short.split('\r\n'));
    expect(lines.slice(5000)).toEqual(long.split('\r\n'));
    expect(asked).toBeGreaterThan(100);
  });
});

describe('Screen: parsing path', () => {
  it.each([
    ['synchronous (default)', undefined],
    ['xterm’s async write (fallback, AXIOM_XTERM_ASYNC=1)', false],
  ])('%s: same screen, done callbacks in order, query replies', async (_name, syncParse) => {
    const s = new Screen({
      cols: 20,
      rows: 4,
      scrollback: 10,
      ...(syncParse === undefined ? {} : { syncParse }),
    });
    const replies: string[] = [];
    s.onReply((d) => replies.push(d));
    const order: number[] = [];
    s.write('one\r\n', () => order.push(1));
    s.write(Buffer.from('\x1b[31mtwo\x1b[0m\x1b[6n\r\n'), () => order.push(2));
    await new Promise<void>((r) => s.write('three', r));
    expect(order).toEqual([1, 2]);
    expect(s.plainLines().slice(0, 3)).toEqual(['one', 'two', 'three']);
    expect(replies).toEqual(['\x1b[2;4R']);
    s.dispose();
  });
});

/**
 * Issue 10 §2: the screen path for agents without a structured log must hold against agents that
 * redraw rows in place and against resizes. The commit policy is the generic profile's.
 */
describe('Screen text log: rows redrawn in place, resizes (generic agents)', () => {
  const generic = genericProfile('agent');
  const write = (s: Screen, d: string) => new Promise<void>((r) => s.write(d, r));
  /** A flush as the session does it: busy while a turn runs. */
  const flush = (s: Screen, busy: boolean) =>
    s.commit(generic.stableRows(s.plainLines(), s.cursor().y, busy));

  it('a bullet drawn first and filled in place later is emitted once, in its final form', async () => {
    const s = new Screen({ cols: 40, rows: 8, scrollback: 100 });
    let txt = '';
    await write(s, '$ ask\r\n●\r\n\r\n✻ Working…');
    txt += flush(s, true);
    // The answer arrives: the agent goes back up, fills the bullet's row, redraws its spinner.
    await write(s, '\x1b[2A\r● You asked: ask. ANSWER-COMPLETE\x1b[2B\r\x1b[2K✻ Still working…');
    txt += flush(s, true);
    await write(s, '\r\x1b[2K$ ');
    txt += flush(s, false); // the turn is over
    expect(txt).toBe('$ ask\n● You asked: ask. ANSWER-COMPLETE\n\n');
    expect(s.readLog(0).lines).toEqual(['$ ask', '● You asked: ask. ANSWER-COMPLETE', '']);
    s.dispose();
  });

  it.each([
    ['short lines stream', (i: number) => `line ${i} end`, false],
    [
      'lines wrapped over several rows stream',
      (i: number) => `line ${i} ${'word '.repeat(i % 17)}end`,
      false,
    ],
    // Like a full-screen-aware agent: on each resize it clears its screen and redraws the lines
    // it shows, at the new width.
    ['short lines stream, redrawn by the agent', (i: number) => `line ${i} end`, true],
  ])('5 resizes while %s: every line once, in order', async (_name, line, redraws) => {
    const s = new Screen({ cols: 40, rows: 10, scrollback: 1000 });
    const lines = Array.from({ length: 200 }, (_, i) => line(i + 1));
    const sizes: Array<[number, number]> = [
      [30, 8],
      [60, 12],
      [25, 9],
      [50, 10],
      [35, 7],
    ];
    let txt = '';
    for (const [i, l] of lines.entries()) {
      await write(s, `${l}\r\n`);
      if (i % 7 === 0) txt += flush(s, true);
      if (i % 40 === 20) {
        const [cols, rows] = sizes[(i - 20) / 40] as [number, number];
        s.resize(cols, rows);
        if (redraws) await write(s, `\x1b[H\x1b[2J${lines.slice(i + 2 - rows, i + 1).join('\r\n')}\r\n`);
        txt += flush(s, true);
      }
    }
    txt += s.commit(s.cursor().y, true);
    expect(txt.split('\n').filter(Boolean)).toEqual(lines);
    expect(s.readLog(0).lines).toEqual(lines);
    s.dispose();
  });
});
