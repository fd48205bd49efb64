/**
 * Drive a real `claude` in node-pty with an @xterm/headless screen (no axiom code): for e2e tests
 * and experiments against test/fixtures/fake-anthropic.ts.
 *
 * Synchronize on screen text (`waitForScreen`), fake-API requests and hook events, never on sleeps.
 */
import pkg from '@xterm/headless';
import * as pty from 'node-pty';
import { claudeBin } from './claude-env.js';

const { Terminal } = pkg;

export interface SpawnClaudeOptions {
  args?: string[];
  cwd: string;
  env: Record<string, string>;
  cols?: number;
  rows?: number;
  /** Executable (default: the repo's node_modules/.bin/claude). */
  file?: string;
}

export interface ClaudePty {
  pid: number;
  term: InstanceType<typeof Terminal>;
  /** Visible screen as plain text, one line per row, trailing spaces trimmed. */
  screen(): Promise<string>;
  /** Scrollback plus screen as plain text. */
  allText(): Promise<string>;
  /** Poll the screen until `re` matches (or the predicate holds); rejects with the last screen on timeout. */
  waitForScreen(re: RegExp | ((screen: string) => boolean), timeoutMs?: number): Promise<string>;
  /**
   * Answer a dialog: wait `graceMs` (claude drops keys that arrive within ~100-150 ms of a permission
   * dialog being drawn), write `key`, and repeat until `dialog` is off the screen.
   */
  answerDialog(dialog: RegExp, key: string, opts?: { graceMs?: number; tries?: number }): Promise<string>;
  write(data: string): void;
  /** Type `text`, wait `delayMs` (default 200), then press Enter alone. */
  submit(text: string, delayMs?: number): Promise<void>;
  /** Resolves with the exit once the process has exited. */
  exited: Promise<{ exitCode: number; signal?: number }>;
  hasExited(): boolean;
  /** Raw bytes received so far (utf8). */
  raw(): string;
  /** SIGKILL the whole process group (claude runs as a session leader in its PTY). */
  killGroup(): void;
}

export function spawnClaude(opts: SpawnClaudeOptions): ClaudePty {
  const cols = opts.cols ?? 80;
  const rows = opts.rows ?? 24;
  const term = new Terminal({ cols, rows, scrollback: 5000, allowProposedApi: true });
  const p = pty.spawn(opts.file ?? claudeBin(), opts.args ?? [], {
    name: opts.env.TERM ?? 'xterm-256color',
    cols,
    rows,
    cwd: opts.cwd,
    env: opts.env,
  });
  let raw = '';
  let done = false;
  p.onData((d) => {
    raw += d;
    term.write(d);
  });
  // Answers to terminal queries (device attributes, cursor position) go back to claude.
  term.onData((d) => {
    if (!done) p.write(d);
  });
  const exited = new Promise<{ exitCode: number; signal?: number }>((resolve) => {
    p.onExit((e) => {
      done = true;
      resolve(e);
    });
  });

  const flush = () => new Promise<void>((resolve) => term.write('', resolve));
  const lines = (from: number, to: number) => {
    const b = term.buffer.active;
    const out: string[] = [];
    for (let i = from; i < to; i++) out.push(b.getLine(i)?.translateToString(true) ?? '');
    return out.join('\n');
  };
  const screen = async () => {
    await flush();
    const y = term.buffer.active.viewportY;
    return lines(y, y + term.rows);
  };

  return {
    pid: p.pid,
    term,
    screen,
    allText: async () => {
      await flush();
      return lines(0, term.buffer.active.length);
    },
    async waitForScreen(re, timeoutMs = 15_000) {
      const test = typeof re === 'function' ? re : (s: string) => re.test(s);
      const deadline = Date.now() + timeoutMs;
      let last = '';
      while (Date.now() < deadline) {
        last = await screen();
        if (test(last)) return last;
        if (done) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(
        `claude-pty: ${done ? 'claude exited' : `timed out after ${timeoutMs} ms`} waiting for ${re}; screen:\n${last}`,
      );
    },
    write: (data) => {
      if (!done) p.write(data);
    },
    async answerDialog(dialog, key, { graceMs = 300, tries = 3 } = {}) {
      let last = '';
      for (let i = 0; i < tries; i++) {
        await new Promise((r) => setTimeout(r, graceMs));
        if (!done) p.write(key);
        try {
          return await this.waitForScreen((s) => !dialog.test(s), 1500);
        } catch (err) {
          last = String(err);
        }
      }
      throw new Error(`claude-pty: dialog ${dialog} still on screen after ${tries} tries: ${last}`);
    },
    async submit(text, delayMs = 200) {
      if (!done) p.write(text);
      await new Promise((r) => setTimeout(r, delayMs));
      if (!done) p.write('\r');
    },
    exited,
    hasExited: () => done,
    raw: () => raw,
    killGroup: () => {
      try {
        process.kill(-p.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}
