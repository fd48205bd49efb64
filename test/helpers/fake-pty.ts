import type { Disposable, PtyExit, PtyFactory, PtyProcess, PtySpawnOptions } from '../../src/engine/pty.js';

/** A PTY with no process: tests feed output with `emit` and read input from `written`. */
export class FakePty implements PtyProcess {
  static nextPid = 4_000_000;
  readonly pid = FakePty.nextPid++;
  readonly written: string[] = [];
  readonly resizes: Array<[number, number]> = [];
  readonly signals: string[] = [];
  paused = false;
  private dataCbs: Array<(d: Buffer) => void> = [];
  private exitCbs: Array<(e: PtyExit) => void> = [];

  constructor(readonly opts: PtySpawnOptions) {}

  write(data: string | Buffer): void {
    this.written.push(data.toString());
  }
  resize(cols: number, rows: number): void {
    this.resizes.push([cols, rows]);
  }
  kill(signal?: NodeJS.Signals): void {
    this.signals.push(signal ?? 'SIGHUP');
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
  onData(cb: (d: Buffer) => void): Disposable {
    this.dataCbs.push(cb);
    return { dispose: () => void this.dataCbs.splice(this.dataCbs.indexOf(cb), 1) };
  }
  onExit(cb: (e: PtyExit) => void): Disposable {
    this.exitCbs.push(cb);
    return { dispose: () => void this.exitCbs.splice(this.exitCbs.indexOf(cb), 1) };
  }

  // ---- drivers ----
  emit(data: string | Buffer): void {
    const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (const cb of this.dataCbs) cb(b);
  }
  exit(exitCode = 0, signal?: number): void {
    for (const cb of [...this.exitCbs]) cb({ exitCode, signal });
  }
  /** Everything written, joined. */
  get input(): string {
    return this.written.join('');
  }
}

/** A factory that records every PTY it makes. */
export function fakePtyFactory(): { factory: PtyFactory; ptys: FakePty[] } {
  const ptys: FakePty[] = [];
  return {
    ptys,
    factory: (opts) => {
      const p = new FakePty(opts);
      ptys.push(p);
      return p;
    },
  };
}
