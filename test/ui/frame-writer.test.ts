import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { colorParams, detectColorLevel, spansToAnsi } from '../../src/ui/ansi.js';
import { BSU, ESU, FrameWriter, VirtualStdout, visibleWidth } from '../../src/ui/frame-writer.js';

class Term extends EventEmitter {
  columns = 10;
  rows = 4;
  writes: string[] = [];
  write(data: string): boolean {
    this.writes.push(data);
    return true;
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('FrameWriter', () => {
  it('paints the first frame in full at absolute positions, then only changed lines', () => {
    const term = new Term();
    let now = 1000;
    const w = new FrameWriter(term, { now: () => now });
    w.frame('aaa\nbbb\nccc');
    expect(term.writes).toEqual([
      `${BSU}\x1b[0m\x1b[2J\x1b[1;1Haaa\x1b[0m\x1b[K\x1b[2;1Hbbb\x1b[0m\x1b[K\x1b[3;1Hccc\x1b[0m\x1b[K${ESU}`,
    ]);
    now += 100;
    w.frame('aaa\nBBB\nccc');
    expect(term.writes[1]).toBe(`${BSU}\x1b[2;1HBBB\x1b[0m\x1b[K${ESU}`);
    now += 100;
    w.frame('aaa\nBBB\nccc');
    expect(term.writes).toHaveLength(2); // nothing changed, nothing written
    now += 100;
    w.frame('aaa');
    expect(term.writes[2]).toBe(`${BSU}\x1b[2;1H\x1b[K\x1b[3;1H\x1b[K${ESU}`);
    w.dispose();
  });

  it('never erases after a line that fills the width, never writes a newline or past the last row', () => {
    const term = new Term();
    const w = new FrameWriter(term, { sync: false });
    w.frame('0123456789\n\x1b[31mabcdefghij\x1b[39m\nshort\nrow4\nrow5 is beyond the terminal');
    const out = term.writes.join('');
    expect(out).not.toContain('\n');
    expect(out).toContain('\x1b[1;1H0123456789\x1b[0m\x1b[2;1H');
    expect(out).toContain('abcdefghij\x1b[39m\x1b[0m\x1b[3;1H');
    expect(out).toContain('\x1b[3;1Hshort\x1b[0m\x1b[K');
    expect(out).not.toContain('row5');
    w.dispose();
  });

  it('writes at most once per interval, always ending with the latest frame, and no timer when idle', () => {
    vi.useFakeTimers({ now: 0 });
    const term = new Term();
    const w = new FrameWriter(term, { minIntervalMs: 33, sync: false });
    for (let i = 0; i < 100; i++) w.frame(`frame ${i}`);
    expect(term.writes).toHaveLength(1); // leading edge
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(33);
    expect(term.writes).toHaveLength(2);
    expect(term.writes[1]).toContain('frame 99');
    expect(vi.getTimerCount()).toBe(0);
    w.dispose();
  });

  it('repaints everything after a resize or on request', () => {
    const term = new Term();
    let now = 0;
    const w = new FrameWriter(term, { sync: false, now: () => now });
    w.frame('one\ntwo');
    now += 100;
    term.emit('resize');
    expect(term.writes[1]).toBe('\x1b[0m\x1b[2J\x1b[1;1Hone\x1b[0m\x1b[K\x1b[2;1Htwo\x1b[0m\x1b[K');
    now += 100;
    w.repaint();
    expect(term.writes[2]).toBe(term.writes[1]);
    w.dispose();
    term.emit('resize');
    expect(term.writes).toHaveLength(3);
  });

  it('VirtualStdout reports the real size, forwards resize and hands writes to the writer', () => {
    const term = new Term();
    const w = new FrameWriter(term, { sync: false });
    const v = new VirtualStdout(term, w);
    expect([v.columns, v.rows, v.isTTY]).toEqual([10, 4, false]);
    const onResize = vi.fn();
    v.on('resize', onResize);
    term.emit('resize');
    expect(onResize).toHaveBeenCalledTimes(1);
    const cb = vi.fn();
    v.write('hello', cb);
    expect(cb).toHaveBeenCalled();
    expect(term.writes.join('')).toContain('hello');
    v.dispose();
    w.dispose();
  });

  it('measures lines without their escape codes', () => {
    expect(visibleWidth('\x1b[1;38;5;12mab\x1b[0m中')).toBe(4);
    expect(visibleWidth('\x1b]8;;http://x\x07link\x1b]8;;\x07')).toBe(4);
  });
});

describe('ansi', () => {
  it('renders spans as SGR runs that start from a reset and end reset', () => {
    expect(spansToAnsi([{ text: 'plain' }], 2)).toBe('plain');
    expect(spansToAnsi([{ text: 'a', bold: true, fg: 1 }, { text: 'b' }], 2)).toBe(
      '\x1b[0;1;38;5;1ma\x1b[0mb',
    );
    expect(spansToAnsi([{ text: 'x', bg: '#ff0000', inverse: true }], 3)).toBe(
      '\x1b[0;7;48;2;255;0;0mx\x1b[0m',
    );
    expect(spansToAnsi([{ text: 'x', fg: 9 }], 0)).toBe('x');
    expect(spansToAnsi([{ text: 'x', fg: 9, underline: true }], 0)).toBe('\x1b[0;4mx\x1b[0m');
  });

  it('downsamples colors to what the terminal supports', () => {
    expect(colorParams('#ff0000', 3, false)).toBe('38;2;255;0;0');
    expect(colorParams('#ff0000', 2, false)).toBe('38;5;196');
    expect(colorParams('#808080', 2, true)).toBe('48;5;244');
    expect(colorParams(2, 1, false)).toBe('32');
    expect(colorParams(12, 1, false)).toBe('94');
    expect(colorParams(196, 1, false)).toBe('91');
    expect(colorParams('#00ff00', 1, true)).toBe('102');
    expect(colorParams('nonsense', 3, false)).toBe('');
  });

  it('detects the color level from the environment', () => {
    expect(detectColorLevel({ TERM: 'xterm-256color' }, true)).toBe(2);
    expect(detectColorLevel({ TERM: 'xterm', COLORTERM: 'truecolor' }, true)).toBe(3);
    expect(detectColorLevel({ TERM: 'screen' }, true)).toBe(2);
    expect(detectColorLevel({ TERM: 'xterm' }, true)).toBe(1);
    expect(detectColorLevel({ TERM: 'xterm-256color' }, false)).toBe(0);
    expect(detectColorLevel({ TERM: 'xterm-256color', NO_COLOR: '1' }, true)).toBe(0);
    expect(detectColorLevel({ FORCE_COLOR: '3' }, false)).toBe(3);
    expect(detectColorLevel({ TERM: 'dumb' }, true)).toBe(0);
  });
});
