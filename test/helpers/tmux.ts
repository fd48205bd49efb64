import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A tmux server of our own (private socket) running one command in a detached session of a fixed
 * size; type into it with send-keys and read it with capture-pane, as a person would.
 */
export class Tmux {
  readonly socket = `axiom-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  readonly session = 'ui';

  constructor(
    private readonly dir: string,
    readonly cols = 160,
    readonly rows = 45,
  ) {}

  /** Run tmux on this server; its complaints go into the thrown error, not onto the test's stderr. */
  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** Start `argv` in `cwd` with exactly `env` (via a script, so nothing leaks from the tmux server's env). */
  start(argv: string[], env: Record<string, string>, cwd: string, stderrFile: string): void {
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const script = join(this.dir, `tmux-run-${this.socket}.sh`);
    writeFileSync(
      script,
      [
        '#!/bin/sh',
        ...Object.entries(env).map(([k, v]) => `export ${k}=${q(v)}`),
        `cd ${q(cwd)}`,
        `exec ${argv.map(q).join(' ')} 2>${q(stderrFile)}`,
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    this.tmux(
      '-f',
      '/dev/null',
      'new-session',
      '-d',
      '-s',
      this.session,
      '-x',
      String(this.cols),
      '-y',
      String(this.rows),
      script,
    );
  }

  /** The screen; '' once the server is gone. */
  capture(): string {
    try {
      return this.tmux('capture-pane', '-p', '-t', this.session);
    } catch (err) {
      quietIfGone(err);
      return '';
    }
  }

  /**
   * Cells tmux itself gives `text` printed on one line: its own width rules (wcwidth, its
   * cluster handling), not ours. Prints it in a scratch session of this server, waits for an
   * end marker on screen, and reads the cursor column.
   */
  async measure(text: string): Promise<number> {
    const end = '#END#';
    const file = join(this.dir, `measure-${this.socket}.txt`);
    writeFileSync(file, `${text}${end}`);
    this.tmux('new-session', '-d', '-s', 'measure', '-x', '500', '-y', '3', `cat '${file}'; exec sleep 60`);
    try {
      const deadline = Date.now() + 10000;
      while (!this.tmux('capture-pane', '-p', '-t', 'measure').includes(end)) {
        if (Date.now() > deadline) throw new Error(`tmux never printed ${JSON.stringify(text)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return Number(this.tmux('display', '-p', '-t', 'measure', '#{cursor_x}').trim()) - end.length;
    } finally {
      this.tmux('kill-session', '-t', 'measure');
    }
  }

  /** Resize the window, as a person resizing the terminal would (the program gets SIGWINCH). */
  resize(cols: number, rows: number): void {
    this.tmux('resize-window', '-t', this.session, '-x', String(cols), '-y', String(rows));
  }

  /** Type literal text. */
  type(text: string): void {
    this.tmux('send-keys', '-t', this.session, '-l', text);
  }

  /** Press keys by tmux name (Enter, Escape, Tab, C-c, ...). */
  press(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.session, ...keys);
  }

  alive(): boolean {
    try {
      this.tmux('has-session', '-t', this.session);
      return true;
    } catch {
      return false;
    }
  }

  /** Poll the screen until `pred` holds (a ready marker on screen, never a bare sleep). */
  async waitFor(pred: RegExp | ((screen: string) => boolean), what: string, ms = 30000): Promise<string> {
    const test = typeof pred === 'function' ? pred : (s: string) => pred.test(s);
    const end = Date.now() + ms;
    let last = '';
    while (Date.now() < end) {
      last = this.capture();
      if (test(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}; screen:\n${last}`);
  }

  async waitGone(ms = 10000): Promise<void> {
    const end = Date.now() + ms;
    while (this.alive()) {
      if (Date.now() > end) throw new Error(`tmux session still alive:\n${this.capture()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Append every byte the program writes to the pane (before tmux interprets it) to `file`. */
  pipeTo(file: string): void {
    const q = (x: string) => `'${x.replace(/'/g, `'\\''`)}'`;
    this.tmux('pipe-pane', '-t', this.session, '-o', `cat >> ${q(file)}`);
  }

  /** A tmux format for the pane, e.g. '#{pane_title}' or '#{window_bell_flag}'. */
  format(fmt: string): string {
    try {
      return this.tmux('display-message', '-p', '-t', this.session, fmt).replace(/\n$/, '');
    } catch {
      return '';
    }
  }

  /** Send raw bytes as if the outer terminal had sent them (e.g. focus reports). */
  sendBytes(bytes: string): void {
    const hex = [...Buffer.from(bytes, 'utf8')].map((b) => b.toString(16).padStart(2, '0'));
    this.tmux('send-keys', '-t', this.session, '-H', ...hex);
  }

  /** Close the whole tmux server: the program in it gets SIGHUP. A server already gone is no error. */
  kill(): void {
    try {
      this.tmux('kill-server');
    } catch (err) {
      quietIfGone(err);
    }
  }
}

/**
 * A failed tmux call: quiet when the server is already gone or going. tmux says 'no server
 * running on …', 'error connecting to … (No such file or directory)' once its socket is removed,
 * and 'server exited unexpectedly' (or 'lost server') when a call reached a server that was
 * exiting after kill-server. Any other complaint of tmux shows on stderr.
 */
const GONE =
  /no server running on|error connecting to .*\(No such file or directory\)|server exited unexpectedly|lost server/;

function quietIfGone(err: unknown): void {
  const stderr = String((err as { stderr?: string }).stderr ?? err);
  if (!GONE.test(stderr)) process.stderr.write(stderr.endsWith('\n') ? stderr : `${stderr}\n`);
}
