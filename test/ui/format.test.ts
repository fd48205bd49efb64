import { describe, expect, it } from 'vitest';
import type { SessionSnapshot } from '../../src/engine/types.js';
import { displayPath, formatDuration, promptSummary, sessionTimes, timingText } from '../../src/ui/format.js';
import { sanitize, sliceToWidth, stringWidth, truncate } from '../../src/ui/width.js';

const snap = (over: Partial<SessionSnapshot>): SessionSnapshot => ({
  id: '1',
  n: 1,
  agent: 'claude',
  command: ['claude'],
  cwd: '/w',
  prompt: '',
  lastPrompt: '',
  status: 'STARTING',
  startedAt: 0,
  turnDurations: [],
  filesWritten: [],
  lastLine: '',
  cols: 80,
  rows: 24,
  bytesReceived: 0,
  ...over,
});

describe('format', () => {
  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(12_900)).toBe('12s');
    expect(formatDuration(63_000)).toBe('1m03s');
    expect(formatDuration(3_725_000)).toBe('1h02m');
    expect(formatDuration(-5)).toBe('0s');
  });

  it('times a running turn live, and a finished one by its end', () => {
    const running = snap({ status: 'RUNNING', turnStartedAt: 10_000, turnDurations: [60_000] });
    expect(sessionTimes(running, 22_000)).toEqual({ turn: 12_000, total: 72_000 });
    expect(timingText(running, 22_000)).toBe('12s · Σ1m12s');
    const done = snap({
      status: 'COMPLETED',
      turnStartedAt: 10_000,
      turnEndedAt: 15_000,
      turnDurations: [5_000],
    });
    expect(timingText(done, 99_000)).toBe('5s');
    const two = snap({
      status: 'COMPLETED',
      turnStartedAt: 10_000,
      turnEndedAt: 15_000,
      turnDurations: [20_000, 5_000],
    });
    expect(timingText(two, 99_000)).toBe('5s · Σ25s');
    expect(timingText(snap({ status: 'STARTING' }), 5)).toBe('');
    const waiting = snap({ status: 'WAITING', turnStartedAt: 0 });
    expect(timingText(waiting, 3_000)).toBe('3s');
  });

  it('summarizes prompts and paths', () => {
    expect(promptSummary('  Write   hello.py\nthat counts ')).toBe('Write hello.py that counts');
    expect(promptSummary('a b c d e f g h i j', 3)).toBe('a b c…');
    expect(displayPath('/w/src/x.py', '/w')).toBe('src/x.py');
    expect(displayPath('/other/x.py', '/w')).toBe('/other/x.py');
  });

  it('measures and cuts by terminal cells', () => {
    expect(stringWidth('abc')).toBe(3);
    expect(stringWidth('中文')).toBe(4);
    expect(stringWidth('😀')).toBe(2);
    expect(stringWidth('e\u0301')).toBe(1); // e + combining acute
    expect(sliceToWidth('中文字', 5)).toEqual({ text: '中文', width: 4 });
    expect(truncate('hello world', 6)).toBe('hello…');
    expect(truncate('hi', 6)).toBe('hi');
    expect(sanitize('a\x1b[31mb\r')).toBe('a [31mb ');
  });
});
