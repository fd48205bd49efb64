/**
 * The narrow PTY port the engine depends on, and its node-pty adapter.
 * Tests substitute a fake factory; nothing else in the engine imports node-pty.
 */

import { createRequire } from 'node:module';
import {
  installDrain,
  quietWrites,
  READ_AHEAD_AFTER_MS,
  READ_AHEAD_MIN_CHUNK,
  readAhead,
} from '../compat/node-pty.js';
import { sharedReadBudget } from './read-budget.js';

export interface Disposable {
  dispose(): void;
}

export interface PtySpawnOptions {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
}

export interface PtyExit {
  exitCode: number;
  /** Signal number, if the process was killed by one. */
  signal?: number;
}

export interface PtyProcess {
  readonly pid: number;
  /** Write input bytes to the agent. */
  write(data: string | Buffer): void;
  resize(cols: number, rows: number): void;
  /** Signal the process (not its group; the session kills the group itself). */
  kill(signal?: NodeJS.Signals): void;
  /** Raw output bytes, never decoded (the transcript keeps them exactly). */
  onData(cb: (data: Buffer) => void): Disposable;
  onExit(cb: (e: PtyExit) => void): Disposable;
  /**
   * The terminal closed: no process holds it open any more. Normally right before onExit; on its
   * own, the agent closed its terminal but kept running.
   */
  onClose?(cb: () => void): Disposable;
  pause(): void;
  resume(): void;
}

export type PtyFactory = (opts: PtySpawnOptions) => PtyProcess;

interface NodePtyModule {
  spawn(
    file: string,
    args: string[],
    opts: {
      name: string;
      cols: number;
      rows: number;
      cwd: string;
      env: Record<string, string>;
      encoding: null;
    },
  ): {
    pid: number;
    write(data: string | Buffer): void;
    resize(cols: number, rows: number): void;
    kill(signal?: string): void;
    pause(): void;
    resume(): void;
    onData(cb: (d: Buffer | string) => void): Disposable;
    onExit(cb: (e: { exitCode: number; signal?: number }) => void): Disposable;
    on(event: 'close', cb: () => void): void;
  };
}

let nodePty: NodePtyModule | undefined;

/** The real PTY factory (node-pty, loaded lazily so unit tests never load the native addon). */
export const nodePtyFactory: PtyFactory = (opts) => {
  if (!nodePty) {
    const require = createRequire(import.meta.url);
    nodePty = require('node-pty') as NodePtyModule;
  }
  const p = nodePty.spawn(opts.file, opts.args, {
    name: opts.env.TERM ?? 'xterm-256color',
    cols: opts.cols,
    rows: opts.rows,
    cwd: opts.cwd,
    env: opts.env,
    encoding: null,
  });
  const dataCbs = new Set<(d: Buffer) => void>();
  const deliver = (d: Buffer): void => {
    for (const cb of dataCbs) cb(d);
  };
  let paused = false;
  const more = readAhead(p, deliver, () => paused, sharedReadBudget);
  let lastData = 0;
  p.onData((d) => {
    deliver(typeof d === 'string' ? Buffer.from(d, 'utf8') : d);
    // Only after a long event-loop turn and a full read: then the kernel likely holds more. (An
    // empty read-ahead costs a thrown EAGAIN, ~20 µs: not worth it on every small chunk.)
    const now = performance.now();
    if (now - lastData >= READ_AHEAD_AFTER_MS && d.length >= READ_AHEAD_MIN_CHUNK) more?.();
    lastData = now;
  });
  installDrain(p, deliver);
  // A write that meets a closed PTY (the agent just exited) is dropped: the agent is gone, and its
  // exit is reported by onExit; node-pty would print the error onto the person's terminal.
  quietWrites(p, () => undefined);
  return {
    pid: p.pid,
    write: (d) => p.write(d),
    resize: (c, r) => p.resize(c, r),
    kill: (sig) => p.kill(sig),
    pause: () => {
      paused = true;
      p.pause();
    },
    resume: () => {
      paused = false;
      p.resume();
    },
    onData: (cb) => {
      dataCbs.add(cb);
      return { dispose: () => void dataCbs.delete(cb) };
    },
    onExit: (cb) => p.onExit(cb),
    onClose: (cb) => {
      let active = true;
      p.on('close', () => {
        if (active) cb();
      });
      return {
        dispose: () => {
          active = false;
        },
      };
    },
  };
};
