/**
 * The end of a reported turn alone: a fake log view and host, fake timers (the system clock
 * reads them at each call).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/engine/clock.js';
import type { LogTurns } from '../../src/engine/text-stream.js';
import { STOP_SETTLE_MS, TEXT_SETTLE_MS, TurnEnd } from '../../src/engine/turn-end.js';

function make(log?: LogTurns) {
  const calls: string[] = [];
  const text = {
    log,
    read: () => calls.push('read'),
    fallBack: () => calls.push('fallBack'),
  };
  const end = new TurnEnd(
    text,
    { commitStable: () => calls.push('commit'), complete: () => calls.push('complete') },
    systemClock,
  );
  return { end, calls, text };
}

describe('the end of a reported turn', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('without a log: completes once the screen leaves busy, or after STOP_SETTLE_MS at the latest', () => {
    const a = make();
    a.end.reported();
    a.end.onScreenState('busy');
    expect(a.calls).toEqual([]);
    a.end.onScreenState('idle');
    expect(a.calls).toEqual(['commit', 'complete']);
    vi.advanceTimersByTime(STOP_SETTLE_MS * 2);
    expect(a.calls).toHaveLength(2); // once

    const b = make();
    b.end.reported();
    b.end.onScreenState('busy');
    vi.advanceTimersByTime(STOP_SETTLE_MS - 1);
    expect(b.calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(b.calls).toEqual(['commit', 'complete']);
  });

  it('with a log whose turn is still open: waits for its end of turn, bounded by TEXT_SETTLE_MS', () => {
    const log: LogTurns = { found: true, turnOpen: true, turns: 1 };
    const a = make(log);
    a.end.reported();
    a.end.onScreenState('idle');
    expect(a.calls).toEqual(['commit', 'read']);
    a.end.onTextRead(); // still open
    expect(a.calls).toEqual(['commit', 'read']);
    log.turnOpen = false;
    a.end.onTextRead();
    expect(a.calls).toEqual(['commit', 'read', 'complete']);

    const b = make({ found: true, turnOpen: true, turns: 1 });
    b.end.reported();
    b.end.onScreenState('idle');
    vi.advanceTimersByTime(TEXT_SETTLE_MS);
    expect(b.calls).toEqual(['commit', 'read', 'complete']);
  });

  it('a log never found falls back to the screen; a new turn opened meanwhile is not completed', () => {
    const a = make({ found: false, turnOpen: false, turns: 0 });
    a.end.reported();
    a.end.onScreenState('idle');
    vi.advanceTimersByTime(TEXT_SETTLE_MS);
    expect(a.calls).toEqual(['commit', 'read', 'fallBack', 'complete']);

    const log: LogTurns = { found: true, turnOpen: true, turns: 1 };
    const b = make(log);
    b.end.reported();
    b.end.onScreenState('idle');
    log.turns = 2; // the next prompt's record
    b.end.onTextRead();
    expect(b.calls).toEqual(['commit', 'read']);
    vi.advanceTimersByTime(TEXT_SETTLE_MS * 2);
    expect(b.calls).toEqual(['commit', 'read']);
  });

  it('a new turn (cancel) or the process gone (stop) drops what was pending', () => {
    const a = make();
    a.end.reported();
    a.end.cancel();
    a.end.onScreenState('idle');
    vi.advanceTimersByTime(STOP_SETTLE_MS * 2);
    expect(a.calls).toEqual([]);

    const b = make({ found: true, turnOpen: true, turns: 1 });
    b.end.reported();
    b.end.onScreenState('idle');
    b.end.stop();
    vi.advanceTimersByTime(TEXT_SETTLE_MS * 2);
    b.end.onTextRead();
    expect(b.calls).toEqual(['commit', 'read']);
  });
});
