/**
 * The output pump alone: a fake PTY feeds it, a fake host stands in for the transcript, the
 * screen's parser (chunks are parsed when the test says so) and the session; fake timers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CONFIRM_MS,
  DISK_HIGH_WATER,
  DISK_LOW_WATER,
  FLOOD_BATCH_MS,
  HIGH_WATER,
  LOW_WATER,
  OutputPump,
} from '../../src/engine/output-pump.js';
import { FakePty } from '../helpers/fake-pty.js';

const BATCH_MS = 16;

function make() {
  const pty = new FakePty({ file: 'x', args: [], cwd: '/', env: {}, cols: 80, rows: 24 });
  const recorded: Buffer[] = [];
  const queue: Array<() => void> = [];
  const calls: string[] = [];
  const outputsAt: number[] = [];
  let disk = 0;
  let hold = false;
  const pump = new OutputPump(
    {
      record: (d) => recorded.push(d),
      parse: (_d, parsed) => queue.push(parsed),
      diskBacklog: () => disk,
      settle: (final) => {
        calls.push(final ? 'settle final' : 'settle');
        return hold;
      },
      output: () => {
        calls.push('output');
        outputsAt.push(Date.now());
      },
      wake: () => calls.push('wake'),
    },
    BATCH_MS,
  );
  pty.onData((d) => pump.onData(d));
  return {
    pty,
    pump,
    recorded,
    calls,
    outputsAt,
    /** The parser catches up with `n` queued chunks (all by default). */
    parse(n = queue.length) {
      for (const done of queue.splice(0, n)) done();
    },
    /** What settle answers: rows held for a second look. */
    setHold(h: boolean) {
      hold = h;
    },
    setDisk(bytes: number) {
      disk = bytes;
      pump.updateFlow();
    },
  };
}

const chunk = (bytes: number) => Buffer.alloc(bytes, 0x61);

describe('output pump', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('records every byte and counts it; the state reads the parser backlog', () => {
    const t = make();
    t.pump.attach(t.pty);
    t.pty.emit('hello');
    t.pty.emit(chunk(10));
    expect(Buffer.concat(t.recorded).toString()).toBe(`hello${'a'.repeat(10)}`);
    expect(t.pump.bytesReceived).toBe(15);
    expect(t.pump.lastOutput).toBe(Date.now());
    expect(t.pump.flow()).toEqual({ paused: false, pendingParse: 15 });
    t.parse();
    expect(t.pump.flow()).toEqual({ paused: false, pendingParse: 0 });
  });

  it('pauses the PTY over HIGH_WATER waiting to be parsed and resumes only below LOW_WATER', () => {
    const t = make();
    t.pump.attach(t.pty);
    const size = HIGH_WATER / 4;
    for (let i = 0; i < 4; i++) t.pty.emit(chunk(size));
    expect(t.pty.paused).toBe(false); // exactly HIGH_WATER is not over it
    t.pty.emit(chunk(1));
    expect(t.pump.flow()).toEqual({ paused: true, pendingParse: HIGH_WATER + 1 });
    expect(t.pty.paused).toBe(true);
    t.parse(2); // HIGH_WATER / 2 + 1 left: between the marks, still held
    expect(t.pty.paused).toBe(true);
    t.parse(1); // LOW_WATER + 1 left
    expect(LOW_WATER).toBe(size);
    expect(t.pty.paused).toBe(true);
    t.parse(1); // 1 byte left
    expect(t.pty.paused).toBe(false);
    expect(t.pump.flow().paused).toBe(false);
  });

  it('holds the agent while the transcript backlog is over DISK_HIGH_WATER, until below DISK_LOW_WATER', () => {
    const t = make();
    t.pump.attach(t.pty);
    t.setDisk(DISK_HIGH_WATER);
    expect(t.pty.paused).toBe(false);
    t.setDisk(DISK_HIGH_WATER + 1);
    expect(t.pty.paused).toBe(true);
    t.setDisk(DISK_LOW_WATER);
    expect(t.pty.paused).toBe(true);
    t.setDisk(DISK_LOW_WATER - 1);
    expect(t.pty.paused).toBe(false);
  });

  it('does no flow control before attach or after stop', () => {
    const t = make();
    t.pty.emit(chunk(HIGH_WATER + 1));
    expect(t.pty.paused).toBe(false);
    expect(t.pump.flow().paused).toBe(false);
    t.pump.attach(t.pty);
    t.pump.stop();
    t.setDisk(DISK_HIGH_WATER + 1);
    expect(t.pty.paused).toBe(false);
  });

  it('output after a quiet spell is flushed as soon as it is parsed, in the same turn (no timer)', () => {
    const t = make();
    t.pump.attach(t.pty);
    vi.advanceTimersByTime(BATCH_MS * 4); // quiet since the start
    t.pty.emit('a');
    vi.advanceTimersByTime(BATCH_MS * 2);
    expect(t.calls).toEqual([]); // not parsed yet: nothing to show
    t.parse();
    expect(t.calls).toEqual(['settle', 'output', 'wake']);
    expect(vi.getTimerCount()).toBe(0); // nothing held: no timer left to wake the process
  });

  it('batches: chunks parsed within batchMs of a flush, or with more waiting for the parser, make one flush after batchMs', () => {
    const t = make();
    t.pump.attach(t.pty);
    vi.advanceTimersByTime(BATCH_MS * 4);
    t.pty.emit('a');
    t.pty.emit('b');
    t.parse(1); // 'b' still waits for the parser: not yet
    expect(t.calls).toEqual([]);
    t.parse(1);
    expect(t.calls).toEqual(['settle', 'output', 'wake']); // the burst's first flush, at once
    t.pty.emit('c');
    t.parse();
    t.pty.emit('d');
    t.parse();
    vi.advanceTimersByTime(BATCH_MS - 1);
    expect(t.calls).toHaveLength(3); // 'c' and 'd' came within batchMs of that flush: batched
    vi.advanceTimersByTime(1);
    expect(t.calls).toEqual(['settle', 'output', 'wake', 'settle', 'output', 'wake']);
    vi.advanceTimersByTime(BATCH_MS * 4);
    expect(t.calls).toHaveLength(6);
  });

  it('a flush that held rows for a second look gets one CONFIRM_MS later, once per burst', () => {
    const t = make();
    t.pump.attach(t.pty);
    t.setHold(true);
    vi.advanceTimersByTime(BATCH_MS * 4);
    t.pty.emit('half a frame');
    t.parse();
    expect(t.calls).toEqual(['settle', 'output', 'wake']);
    // Nothing more from the agent: the second look comes anyway.
    vi.advanceTimersByTime(CONFIRM_MS - 1);
    expect(t.calls.filter((c) => c === 'settle')).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(t.calls.filter((c) => c === 'settle')).toHaveLength(2);
    // Still held (a row that keeps changing): no flush loop without output.
    vi.advanceTimersByTime(CONFIRM_MS * 10);
    expect(t.calls.filter((c) => c === 'settle')).toHaveLength(2);
    // New output starts a new burst: its held rows get their second look again.
    t.pty.emit('more');
    t.parse();
    vi.advanceTimersByTime(CONFIRM_MS);
    expect(t.calls.filter((c) => c === 'settle')).toHaveLength(4);
    // Nothing held: no extra flush.
    t.setHold(false);
    t.pty.emit('rest');
    t.parse();
    vi.advanceTimersByTime(CONFIRM_MS * 10);
    expect(t.calls.filter((c) => c === 'settle')).toHaveLength(5);
  });

  it("the next output's flush is the second look: the confirming timer goes (one wake-up less per repaint)", () => {
    const t = make();
    t.pump.attach(t.pty);
    t.setHold(true);
    vi.advanceTimersByTime(BATCH_MS * 4);
    t.pty.emit('frame 1');
    t.parse();
    expect(t.calls.filter((c) => c === 'settle')).toHaveLength(1);
    // The agent repaints before CONFIRM_MS: its flush looks again; nothing is held any more.
    vi.advanceTimersByTime(CONFIRM_MS / 2);
    t.setHold(false);
    t.pty.emit('frame 2');
    t.parse();
    expect(t.calls.filter((c) => c === 'settle')).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(CONFIRM_MS * 4);
    expect(t.calls.filter((c) => c === 'settle')).toHaveLength(2);
  });

  it('in a flood, flushes keep committing but front ends hear of it at most every FLOOD_BATCH_MS, on a shared grid', () => {
    vi.setSystemTime(1_000_000 + 3); // off the grid by 3 ms
    const t = make();
    t.pump.attach(t.pty);
    for (let i = 0; i < 20; i++) {
      t.pty.emit(chunk(64 * 1024)); // 64 KB per 16 ms: ~4 MB/s
      t.parse();
      vi.advanceTimersByTime(BATCH_MS);
    }
    expect(t.calls.filter((c) => c === 'settle')).toHaveLength(20);
    const { outputsAt } = t;
    // 320 ms of flood: a notice at each 100 ms grid point it reaches, none between.
    expect(outputsAt).toHaveLength(3);
    for (const at of outputsAt) expect(at % FLOOD_BATCH_MS).toBe(0);
  });

  it('a final flush notifies at once, also in a flood; after stop a parsed chunk schedules nothing', () => {
    const t = make();
    t.pump.attach(t.pty);
    t.pty.emit(chunk(64 * 1024));
    t.parse();
    vi.advanceTimersByTime(BATCH_MS);
    expect(t.calls).toEqual(['settle', 'wake']); // a flood: the notice waits for the grid
    t.calls.length = 0;
    t.pty.emit('late');
    t.pump.stop();
    t.parse();
    t.pump.flush(true);
    expect(t.calls).toEqual(['settle final', 'output', 'wake']);
    vi.advanceTimersByTime(FLOOD_BATCH_MS * 2);
    expect(t.calls).toHaveLength(3); // the flood's pending notice was dropped, no batch followed
  });
});
