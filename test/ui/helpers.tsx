import { EventEmitter } from 'node:events';
import { type Instance, render as inkRender } from 'ink';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import type { SpawnOptions } from '../../src/engine/types.js';
import { App, type AppProps } from '../../src/ui/App.js';
import { type BodyOverlay, BodyOverlayContext } from '../../src/ui/overlay.js';
import { stringWidth } from '../../src/ui/width.js';
import { FakeEngine } from '../helpers/fake-engine.js';

export const KEY = {
  enter: '\r',
  esc: '\x1b',
  tab: '\t',
  shiftTab: '\x1b[Z',
  ctrlC: '\x03',
  ctrlN: '\x0e',
  ctrlX: '\x18',
  ctrlO: '\x0f',
  ctrlJ: '\n',
  ctrlRB: '\x1d',
  altEnter: '\x1b\r',
  up: '\x1b[A',
  down: '\x1b[B',
  right: '\x1b[C',
  left: '\x1b[D',
  pgUp: '\x1b[5~',
  pgDn: '\x1b[6~',
  end: '\x1b[F',
  home: '\x1b[H',
  f1: '\x1bOP',
  backspace: '\x7f',
  alt: (c: string) => `\x1b${c}`,
} as const;

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
export const stripAnsi = (s: string) => s.replace(ANSI, '');

/**
 * Like ink-testing-library's render, but with a terminal size we choose (its stdout is always
 * 100 columns, and Ink lays the root out at the stdout width).
 */
class TestStdout extends EventEmitter {
  columns: number;
  rows: number;
  readonly frames: string[] = [];
  constructor(
    cols: number,
    rows: number,
    private readonly onFrame?: (frame: string) => void,
  ) {
    super();
    this.columns = cols;
    this.rows = rows;
  }
  write = (frame: string) => {
    this.frames.push(frame);
    this.onFrame?.(frame);
    return true;
  };
  lastFrame = () => this.frames[this.frames.length - 1];
}

class TestStdin extends EventEmitter {
  isTTY = true;
  readonly rawModes: boolean[] = [];
  private data: string | null = null;
  write = (data: string) => {
    this.data = data;
    this.emit('readable');
  };
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding() {}
  setRawMode(mode: boolean) {
    this.rawModes.push(mode);
  }
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

const instances: Instance[] = [];

export function cleanup(): void {
  for (const i of instances.splice(0)) {
    i.unmount();
    i.cleanup();
  }
}

/** `onFrame` sees every frame Ink writes (e.g. a FrameWriter, as runTui has). */
export function render(node: ReactElement, cols = 100, rows = 30, onFrame?: (frame: string) => void) {
  const stdout = new TestStdout(cols, rows, onFrame);
  const stdin = new TestStdin();
  const stderr = new TestStdout(cols, rows);
  const instance = inkRender(node, {
    // biome-ignore lint/suspicious/noExplicitAny: test doubles stand in for the Node streams Ink expects
    stdout: stdout as any,
    // biome-ignore lint/suspicious/noExplicitAny: as above
    stderr: stderr as any,
    // biome-ignore lint/suspicious/noExplicitAny: as above
    stdin: stdin as any,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  instances.push(instance);
  return {
    rerender: instance.rerender,
    unmount: instance.unmount,
    stdout,
    stdin,
    frames: stdout.frames,
    lastFrame: stdout.lastFrame,
  };
}

export interface Harness {
  engine: FakeEngine;
  onQuit: ReturnType<typeof vi.fn>;
  r: ReturnType<typeof render>;
  frame: () => string;
  lines: () => string[];
  press: (...seqs: string[]) => Promise<void>;
  type: (text: string) => Promise<void>;
  settle: (ms?: number) => Promise<void>;
  setSize: (cols: number, rows: number) => void;
}

// Captured before any test installs fake timers: React's scheduler and Ink use the real ones.
const realSetImmediate = globalThis.setImmediate;
const realSetTimeout = globalThis.setTimeout;
const realTick = () => new Promise<void>((r) => realSetImmediate(() => r()));

/**
 * Let Ink flush a pending lone Esc (setImmediate) and React run deferred renders and effects
 * (its scheduler uses the real setImmediate even under fake timers). A render's effects can set
 * state again and render once more, each a scheduler task later, and a loaded machine stretches
 * that chain: so the real part is repeated until a round draws no new frame (`drawn` counts them).
 */
async function flush(drawn: () => number): Promise<void> {
  if (vi.isFakeTimers()) await vi.advanceTimersByTimeAsync(1);
  for (let round = 0, seen = -1; seen !== drawn() && round < 20; round++) {
    seen = drawn();
    await realTick();
    await new Promise<void>((r) => realSetTimeout(() => r(), 1));
    if (vi.isFakeTimers()) await vi.advanceTimersByTimeAsync(0);
    await realTick();
  }
}

export function setup(
  opts: {
    cols?: number;
    rows?: number;
    engine?: FakeEngine;
    spawnDefaults?: SpawnOptions;
    initial?: AppProps['initial'];
    spawned?: AppProps['spawned'];
    notify?: AppProps['notify'];
    /** Draw as runTui does: pane bodies, titles and the prompt box through this overlay. */
    overlay?: BodyOverlay;
    /** Every frame Ink writes (runTui hands them to its FrameWriter). */
    onFrame?: (frame: string) => void;
  } = {},
): Harness {
  const engine = opts.engine ?? new FakeEngine();
  const onQuit = vi.fn();
  let size = { cols: opts.cols ?? 100, rows: opts.rows ?? 30 };
  const app = () => (
    <App
      engine={engine}
      size={size}
      onQuit={onQuit}
      spawnDefaults={opts.spawnDefaults ?? { cwd: '/tmp/axiom-test' }}
      initial={opts.initial}
      spawned={opts.spawned}
      notify={opts.notify}
    />
  );
  const element = () =>
    opts.overlay ? (
      <BodyOverlayContext.Provider value={opts.overlay}>{app()}</BodyOverlayContext.Provider>
    ) : (
      app()
    );
  const r = render(element(), size.cols, size.rows, opts.onFrame);
  const frame = () => stripAnsi(r.lastFrame() ?? '');
  const drawn = () => r.frames.length;
  return {
    engine,
    onQuit,
    r,
    frame,
    lines: () => frame().split('\n'),
    press: async (...seqs) => {
      for (const s of seqs) {
        r.stdin.write(s);
        await flush(drawn);
      }
    },
    type: async (text) => {
      r.stdin.write(text);
      await flush(drawn);
    },
    settle: async (ms = 50) => {
      await flush(drawn);
      if (vi.isFakeTimers()) await vi.advanceTimersByTimeAsync(ms);
      else await new Promise((res) => setTimeout(res, ms));
      await flush(drawn);
    },
    setSize: (cols, rows) => {
      size = { cols, rows };
      r.stdout.columns = cols;
      r.stdout.rows = rows;
      r.rerender(element());
    },
  };
}

/** Every line fits in `cols` cells and there are exactly `rows` lines. */
export function frameFits(frame: string, cols: number, rows: number): string[] {
  const problems: string[] = [];
  const lines = frame.split('\n');
  if (lines.length > rows) problems.push(`${lines.length} lines > ${rows}`);
  lines.forEach((l, i) => {
    const w = stringWidth(l);
    if (w > cols) problems.push(`line ${i} is ${w} wide > ${cols}: ${l}`);
  });
  return problems;
}

/** The title line (top border) of pane #n in a frame, or undefined. */
export function titleOf(frame: string, n: number): string | undefined {
  const re = new RegExp(`[┏╭╔][━─═] #${n} .*?[┓╮╗]`);
  for (const line of frame.split('\n')) {
    const m = re.exec(line);
    if (m) return m[0];
  }
  return undefined;
}

export const isFocusedTitle = (title: string | undefined) => !!title?.startsWith('┏');
