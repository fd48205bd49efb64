/**
 * The built `axiom` UI in environments a demanding user may have: NO_COLOR set (no color from
 * axiom's own chrome either), and a non-UTF-8 locale with a 16-color TERM (emoji and CJK from
 * the agent still keep every border in its column, measured by tmux itself).
 */
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/claude-env.js';
import { waitNoProcesses } from '../helpers/procs.js';
import { Tmux } from '../helpers/tmux.js';

const AXIOM = join(repoRoot(), 'bin', 'axiom.js');
const AGENT = join(repoRoot(), 'test', 'fixtures', 'wide-agent.mjs');
// tmux and capture-pane speak UTF-8 only in a UTF-8 locale (axiom gets its own locale below).
process.env.LC_ALL = 'C.UTF-8';

const BORDER = /[┃│]/g;
const bothIdle = (s: string) =>
  (s.match(/READY> go/g) ?? []).length === 2 && (s.match(/COMPLETED/g) ?? []).length === 2;
// A cell tmux cut at its 21-byte limit keeps a dangling ZWJ (see ui-frames.e2e.test.ts).
const measurable = (row: string) => row.replace(/\u200d(?!\p{Extended_Pictographic})/gu, '');

describe('axiom UI in odd environments (tmux)', () => {
  let work: string;
  let tmux: Tmux;

  afterEach(async () => {
    tmux?.kill();
    await waitNoProcesses('HOME', work, 10000);
    rmSync(work, { recursive: true, force: true });
  });

  function start(env: Record<string, string>, cols: number, rows: number): void {
    work = realpathSync(mkdtempSync(join(tmpdir(), 'axiom-oddenv-')));
    tmux = new Tmux(work, cols, rows);
    tmux.start(
      [process.execPath, AXIOM, 'spawn', '--parallel', '2', '--agent', `${process.execPath} ${AGENT}`, 'go'],
      { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, AXIOM_STATE_DIR: join(work, 's'), ...env },
      work,
      join(work, 'axiom.stderr'),
    );
  }

  it('NO_COLOR=1: nothing axiom writes carries a color (bold and inverse stay)', async () => {
    start({ LC_ALL: 'C.UTF-8', TERM: 'xterm-256color', NO_COLOR: '1' }, 120, 20);
    const raw = join(work, 'raw.bin');
    tmux.pipeTo(raw);
    await tmux.waitFor(bothIdle, 'both panes idle', 60000);
    tmux.press('C-l'); // a full repaint after the pipe is on
    await tmux.waitFor(bothIdle, 'the repaint', 10000);
    const out = readFileSync(raw, 'latin1');
    expect(out).toContain('READY>');
    const colors = [...out.matchAll(/\x1b\[([0-9;:]*)m/g)]
      .map((m) => m[1] ?? '')
      .filter((p) => p.split(/[;:]/).some((n) => /^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$/.test(n)));
    expect([...new Set(colors)]).toEqual([]);
    expect(readFileSync(join(work, 'axiom.stderr'), 'utf8')).toBe('');
  }, 90000);

  it('LC_ALL=POSIX and TERM=xterm: emoji and CJK from the agent keep both panes’ borders in their columns', async () => {
    const cols = 120;
    start({ LANG: 'C', LC_ALL: 'POSIX', TERM: 'xterm' }, cols, 24);
    const screen = await tmux.waitFor(bothIdle, 'both panes idle', 60000);
    const rows = screen.split('\n').filter((l) => l.startsWith('┃'));
    expect(rows.filter((l) => l.includes('|end'))).toHaveLength(10);
    const split = (l: string) => l.split(BORDER);
    for (const row of rows) {
      expect(row.match(BORDER), row).toHaveLength(4);
      if (!row.includes('|end')) continue;
      expect(await tmux.measure(measurable(`┃${split(row)[1]}`)), row).toBe(cols / 2 - 1);
      expect(await tmux.measure(measurable(row)), row).toBe(cols);
    }
  }, 120000);
});
