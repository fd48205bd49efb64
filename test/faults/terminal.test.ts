/**
 * Terminal faults for the built UI, driven in tmux: a resize storm, a terminal smaller than the
 * layout needs, suspend and resume (SIGTSTP/SIGCONT), an exception inside a component and one
 * outside, and the terminal going away. Each case: the UI survives or exits cleanly, the
 * terminal is given back (main screen, cursor visible), every session is killed and no process
 * is left. (EPIPE on stdout is a pipe's fault: see process.test.ts; a terminal that goes away
 * sends SIGHUP.)
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { processesWithEnv, waitNoProcesses } from '../helpers/procs.js';
import { Tmux } from '../helpers/tmux.js';
import { agent, BIN, REPO, TAG_VAR, tempDir } from './helpers.js';

const PRELOAD = pathToFileURL(fileURLToPath(new URL('../fixtures/crash-preload.mjs', import.meta.url))).href;
const UI_BUILT = existsSync(join(REPO, 'dist', 'ui', 'run.js'));

interface Ui {
  tmux: Tmux;
  tag: string;
  dir: string;
  stderrFile: string;
  /** The pane's terminal: alternate screen on, cursor visible, line discipline cooked (icanon, echo). */
  state(): { alt: boolean; cursor: boolean; cooked: boolean };
  /** The axiom process (the one running bin/axiom.js). */
  pid(): number | undefined;
  resize(cols: number, rows: number): void;
  /** Many resizes in one tmux call (as fast as tmux applies them). */
  resizeStorm(sizes: Array<[number, number]>): void;
}

let current: { ui: Ui; remove(): void } | undefined;
afterEach(async () => {
  if (!current) return;
  const { ui, remove } = current;
  current = undefined;
  ui.tmux.kill();
  await waitNoProcesses(TAG_VAR, ui.tag, 10_000);
  remove();
});

/**
 * Start `argv` in tmux, under a shell that prints "AXIOM-EXITED <code>" when it ends and keeps
 * the pane (and its terminal) alive, to read what it left behind. Every process carries a tag.
 */
function open(
  argv: string[],
  extraEnv: Record<string, string> = {},
  cols = 100,
  rows = 30,
  stderrToTty = false,
): Ui {
  const d = tempDir('axiom-fault-tty-');
  const tag = randomUUID();
  const tmux = new Tmux(d.path, cols, rows);
  const stderrFile = join(d.path, 'axiom.stderr');
  tmux.start(
    [
      'sh',
      '-c',
      `${stderrToTty ? 'exec 2>/dev/tty; ' : ''}"$@"; echo "AXIOM-EXITED $?"; exec sleep 600`,
      'sh',
      ...argv,
    ],
    {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: d.path,
      TERM: 'xterm-256color',
      AXIOM_STATE_DIR: join(d.path, 'state'),
      [TAG_VAR]: tag,
      ...extraEnv,
    },
    d.path,
    stderrFile,
  );
  const t = (...args: string[]) => execFileSync('tmux', ['-L', tmux.socket, ...args], { encoding: 'utf8' });
  const ui: Ui = {
    tmux,
    tag,
    dir: d.path,
    stderrFile,
    state() {
      const [alt, cursor, tty] = t(
        'display',
        '-p',
        '-t',
        tmux.session,
        '#{alternate_on} #{cursor_flag} #{pane_tty}',
      )
        .trim()
        .split(' ');
      const modes = execFileSync('stty', ['-a', '-F', tty as string], { encoding: 'utf8' });
      return {
        alt: alt === '1',
        cursor: cursor === '1',
        cooked: / icanon\b/.test(modes) && / echo\b/.test(modes),
      };
    },
    pid() {
      return processesWithEnv(TAG_VAR, tag).find((p) => {
        try {
          const argv = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
          return argv[0] === process.execPath && argv.includes(BIN);
        } catch {
          return false;
        }
      });
    },
    resize(c, r) {
      t('resize-window', '-t', tmux.session, '-x', String(c), '-y', String(r));
    },
    resizeStorm(sizes) {
      t(
        ...sizes.flatMap(([c, r], i) => [
          ...(i ? [';'] : []),
          'resize-window',
          '-t',
          tmux.session,
          '-x',
          String(c),
          '-y',
          String(r),
        ]),
      );
    },
  };
  current = { ui, remove: d.remove };
  return ui;
}

/** Resolve once nothing of this test runs any more but the pane's keeper (`sleep 600`). */
async function onlyKeeperLeft(ui: Ui, ms = 10_000): Promise<void> {
  const others = () =>
    processesWithEnv(TAG_VAR, ui.tag).filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0')[0] !== 'sleep';
      } catch {
        return false;
      }
    });
  const end = Date.now() + ms;
  while (others().length > 0) {
    if (Date.now() > end) {
      const cmd = (p: number) => readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ');
      throw new Error(
        `processes left behind: ${others()
          .map((p) => `${p} ${cmd(p)}`)
          .join('; ')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** axiom's UI with one session of the fault agent reporting its terminal size ("SIZE r c"). */
async function uiWithAgent(extraEnv: Record<string, string> = {}): Promise<Ui> {
  const ui = open([process.execPath, '--import', PRELOAD, BIN, '--agent', agent('winch')], extraEnv);
  await ui.tmux.waitFor(/type a prompt/, 'the UI');
  ui.tmux.type('go');
  ui.tmux.press('Enter');
  await ui.tmux.waitFor(/^┃SIZE \d+ \d+ *┃$/m, 'the agent in its pane');
  return ui;
}

/** Resolve once `pred` holds (checked every 50 ms: it reads process and terminal state). */
async function poll(pred: () => boolean, what: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The state letter of a process (R, S, T for stopped, Z…). */
const procState = (pid: number): string | undefined =>
  readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /s, '')
    .split(' ')[0];

/** Rows and columns of the first pane's inner box, measured on the screen. */
function paneBox(screen: string): { rows: number; cols: number } {
  const lines = screen.split('\n');
  const top = lines.findIndex((l) => l.startsWith('┏'));
  const bottom = lines.findIndex((l) => l.startsWith('┗'));
  const width = [...(lines[top] ?? '').trimEnd()].length;
  return { rows: bottom - top - 1, cols: width - 2 };
}

/** The last size the agent reported. */
const lastSize = (screen: string): string | undefined => [...screen.matchAll(/┃SIZE (\d+ \d+)/g)].at(-1)?.[1];

describe.runIf(UI_BUILT)('the UI in a misbehaving terminal', () => {
  it('100 resizes in a second, then a terminal too small for the layout, down to 1×1: no crash', async () => {
    const ui = await uiWithAgent();
    const t0 = Date.now();
    ui.resizeStorm(
      Array.from({ length: 100 }, (_, i): [number, number] => [40 + ((i * 37) % 90), 10 + ((i * 13) % 35)]),
    );
    expect(Date.now() - t0).toBeLessThan(1000);
    ui.resize(110, 32);
    const screen = await ui.tmux.waitFor(
      (s) => /^┏/.test(s) && s.split('\n')[0]?.trimEnd().length === 110,
      'layout',
    );
    // The agent's terminal is the pane's inner box.
    const box = paneBox(screen);
    await ui.tmux.waitFor((s) => lastSize(s) === `${box.rows} ${box.cols}`, 'the agent resized');
    expect(ui.state()).toMatchObject({ alt: true, cooked: false });

    ui.resize(20, 6);
    await ui.tmux.waitFor(/terminal too small/, 'the message');
    ui.resize(8, 2);
    ui.resize(1, 1);
    ui.resize(100, 30);
    await ui.tmux.waitFor((s) => /^┏/.test(s) && lastSize(s) !== undefined, 'the panes back');
    expect(ui.state()).toMatchObject({ alt: true, cooked: false });
  });

  // Before the fix the UI stopped with the terminal still raw and on the alternate screen, and on
  // SIGCONT it neither re-entered raw mode nor repainted. Under `sh -c` (no job control) nothing
  // but axiom touches the terminal modes, so what it leaves while stopped is what is measured.
  it('SIGTSTP gives the terminal back (main screen, cursor, cooked); SIGCONT takes it again', async () => {
    const ui = await uiWithAgent();
    const pid = ui.pid() as number;
    process.kill(pid, 'SIGTSTP');
    await poll(() => procState(pid) === 'T', 'axiom stopped', 5000);
    expect(ui.state()).toEqual({ alt: false, cursor: true, cooked: true });
    process.kill(pid, 'SIGCONT');
    await poll(() => ui.state().alt, 'the alternate screen again', 5000);
    await ui.tmux.waitFor(/^┃SIZE \d+ \d+ *┃$/m, 'the pane repainted', 5000);
    expect(ui.state()).toMatchObject({ alt: true, cooked: false });
    ui.tmux.type('typed-after-resume');
    await ui.tmux.waitFor(/typed-after-resume/, 'keys reach the prompt box', 5000);
  });

  // The person's path: Ctrl+Z in the UI, the shell's "Stopped", `fg`, and the UI is back. The
  // shell sets the terminal title at each prompt, as many setups do (PROMPT_COMMAND): after `fg`
  // the title tells axiom's state again (before the fix it kept the shell's until a status changed).
  it('Ctrl+Z suspends to the shell; `fg` restores the UI, its title, and keys reach it', async () => {
    const ui = open(['bash', '--norc', '--noprofile', '-i'], {}, 100, 30, true);
    await ui.tmux.waitFor(/[$#]\s*$/m, 'the shell', 5000);
    ui.tmux.type(`PROMPT_COMMAND='printf "\\033]2;the-shell\\007"'`);
    ui.tmux.press('Enter');
    await ui.tmux.waitFor(() => ui.tmux.format('#{pane_title}') === 'the-shell', 'the shell title');
    ui.tmux.type(`${process.execPath} ${BIN} --agent 'bash --norc --noprofile'`);
    ui.tmux.press('Enter');
    await ui.tmux.waitFor(/type a prompt/, 'the UI');
    await ui.tmux.waitFor(() => ui.tmux.format('#{pane_title}').startsWith('axiom'), 'the title');
    const title = ui.tmux.format('#{pane_title}');
    ui.tmux.press('C-z');
    await ui.tmux.waitFor(/Stopped/, 'the job stopped', 5000);
    expect(ui.state()).toMatchObject({ alt: false, cursor: true });
    await ui.tmux.waitFor(() => ui.tmux.format('#{pane_title}') === 'the-shell', 'the shell title again');
    ui.tmux.type('fg');
    ui.tmux.press('Enter');
    await ui.tmux.waitFor(/type a prompt/, 'the UI again', 5000);
    expect(ui.state()).toMatchObject({ alt: true, cooked: false });
    await ui.tmux.waitFor(
      () => ui.tmux.format('#{pane_title}') === title,
      `the title "${title}" again`,
      5000,
    );
    expect(ui.tmux.capture()).not.toMatch(/Stopped|\bfg\b/);
    ui.tmux.type('echo back-$((6*7))');
    ui.tmux.press('Enter');
    await ui.tmux.waitFor(/^┃back-42 *┃$/m, 'keys reach the UI', 5000);
  });

  it.each([
    ['inside a component', 'component', /injected component fault/],
    ['outside React (a timer)', '', /injected fault/],
  ])(
    'an exception %s: the terminal is restored, the error shown, every session killed',
    async (_w, how, msg) => {
      const ui = await uiWithAgent({ AXIOM_CRASH: how });
      const pid = ui.pid() as number;
      process.kill(pid, 'SIGUSR2');
      // A new event makes the status bar render its clock (the injected fault for a component).
      ui.tmux.type('trigger');
      ui.tmux.press('Enter');
      await ui.tmux.waitFor(/AXIOM-EXITED 1/, 'axiom to exit 1', 15_000);
      expect(ui.state()).toEqual({ alt: false, cursor: true, cooked: true });
      expect(readFileSync(ui.stderrFile, 'utf8')).toMatch(msg);
      await onlyKeeperLeft(ui);
    },
  );

  // One owner of signals and errors (src/cli/lifecycle.ts): before, the lifecycle and the UI both
  // handled them; the lifecycle printed "axiom: fatal: …" while the UI was still on the alternate
  // screen and then exited under it, so the error was printed twice.
  it('an exception outside React is reported once, by the UI, after the terminal is back', async () => {
    const ui = await uiWithAgent();
    process.kill(ui.pid() as number, 'SIGUSR2');
    await ui.tmux.waitFor(/AXIOM-EXITED 1/, 'axiom to exit 1', 15_000);
    expect(ui.state()).toEqual({ alt: false, cursor: true, cooked: true });
    const err = readFileSync(ui.stderrFile, 'utf8');
    expect(err.match(/injected fault/g)).toHaveLength(1);
    expect(err).not.toMatch(/fatal/);
    await onlyKeeperLeft(ui);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    '%s to the UI: its own quit path stops every session and restores the terminal; exit %i',
    async (sig, code) => {
      const ui = await uiWithAgent();
      process.kill(ui.pid() as number, sig);
      await ui.tmux.waitFor(new RegExp(`AXIOM-EXITED ${code}`), `axiom to exit ${code}`, 15_000);
      expect(ui.state()).toEqual({ alt: false, cursor: true, cooked: true });
      expect(readFileSync(ui.stderrFile, 'utf8')).toBe('');
      await onlyKeeperLeft(ui);
    },
  );

  it('the terminal going away (SIGHUP): every session killed, transcripts flushed', async () => {
    const ui = open([process.execPath, BIN, '--agent', agent('emit lines 300 wait')]);
    await ui.tmux.waitFor(/type a prompt/, 'the UI');
    ui.tmux.type('go');
    ui.tmux.press('Enter');
    await ui.tmux.waitFor(/<<END>>/, 'the agent output', 10_000);
    ui.tmux.kill();
    await waitNoProcesses(TAG_VAR, ui.tag, 10_000);
    const runs = join(ui.dir, 'state', 'runs');
    const [run] = execFileSync('ls', [runs], { encoding: 'utf8' }).trim().split('\n');
    const raw = readFileSync(join(runs, run as string, '1.raw'));
    const { emitted, onlcr } = await import('../fixtures/fault-data.mjs');
    expect(raw.equals(onlcr(emitted('lines', 300)))).toBe(true);
  });
});
