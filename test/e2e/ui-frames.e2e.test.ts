/**
 * Pane frames hold on any text (issue 10 §5), checked on what the OUTER terminal shows: the
 * built `axiom` in tmux 3.3a, two panes side by side running an agent that prints emoji
 * clusters (ZWJ family, skin tones, flags, VS16), Devanagari, Thai, CJK and binary. Every
 * column is measured by tmux itself (Tmux.measure), never by axiom's width rules.
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic } from '../fixtures/fake-anthropic.js';
import { claudeBin, makeClaudeEnv, repoRoot } from '../helpers/claude-env.js';
import { waitNoProcesses } from '../helpers/procs.js';
import { Tmux } from '../helpers/tmux.js';

const AXIOM = join(repoRoot(), 'bin', 'axiom.js');
const AGENT = join(repoRoot(), 'test', 'fixtures', 'wide-agent.mjs');
// tmux and capture-pane speak UTF-8 only in a UTF-8 locale.
process.env.LC_ALL = 'C.UTF-8';

const paneStatus = (n: number, status: string) => new RegExp(`#${n}\\s+${status}\\b`);
const BORDER = /[┃│]/g;
// capture-pane prints a cell that tmux cut at its 21-byte limit (the 4-person family keeps 3)
// with its dangling ZWJ, which would join the next character when printed again to measure.
const measurable = (row: string) => row.replace(/\u200d(?!\p{Extended_Pictographic})/gu, '');

describe('pane frames in tmux', () => {
  let work: string;
  let tmux: Tmux;

  afterEach(async () => {
    tmux?.kill();
    // axiom closes its transcripts and manifest as it goes (SIGHUP): removing the folder under it
    // failed with ENOTEMPTY in a fresh-clone CI run. Every process here has HOME=work.
    await waitNoProcesses('HOME', work, 10000);
    rmSync(work, { recursive: true, force: true });
  });

  it('emoji, complex scripts and binary (in panes and in a prompt in the titles) never move a border or leave a stale one', async () => {
    work = realpathSync(mkdtempSync(join(tmpdir(), 'axiom-frames-')));
    const cols = 120;
    tmux = new Tmux(work, cols, 24);
    tmux.start(
      [
        process.execPath,
        AXIOM,
        'spawn',
        '--parallel',
        '2',
        '--agent',
        `${process.execPath} ${AGENT}`,
        'go 👍🏽 ⚠️ ok',
      ],
      {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: work,
        LC_ALL: 'C.UTF-8',
        AXIOM_STATE_DIR: join(work, 's'),
      },
      work,
      join(work, 'axiom.stderr'),
    );
    const screen = await tmux.waitFor(
      (s) =>
        (s.match(/READY> go/g) ?? []).length === 2 &&
        paneStatus(1, 'COMPLETED').test(s) &&
        paneStatus(2, 'COMPLETED').test(s),
      'both panes printed everything and went idle',
      60000,
    );
    // Every body row (the panes' titles and footers start with ┏ and ┗).
    const rows = screen.split('\n').filter((l) => l.startsWith('┃'));
    expect(rows.filter((l) => l.includes('|end'))).toHaveLength(10);
    // The left pane's right border: where tmux puts it on a plain row.
    const plain = rows.find((l) => l.includes('WIDE-DONE')) ?? '';
    const split = (l: string) => l.split(BORDER);
    const leftEdge = await tmux.measure(`┃${split(plain)[1]}`);
    expect(leftEdge).toBe(cols / 2 - 1);
    // The titles show the prompt, emoji and all, and still end on the last column.
    const title = screen.split('\n').find((l) => l.startsWith('┏')) ?? '';
    expect(title).toContain('👍');
    expect(title.endsWith('╮'), title).toBe(true);
    expect(await tmux.measure(measurable(title)), title).toBe(cols);
    for (const row of rows) {
      // Four borders (┃ body ┃│ body │), none doubled or left behind, none pushed off the row.
      expect(row.match(BORDER), row).toHaveLength(4);
      expect(row.endsWith('│'), row).toBe(true);
      if (split(row)[1]?.trim() === '') continue;
      expect(await tmux.measure(measurable(row)), row).toBe(cols);
      expect(await tmux.measure(measurable(`┃${split(row)[1]}`)), row).toBe(leftEdge);
      // Both panes show the same text, in the same cells.
      expect(split(row)[1]).toBe(split(row)[3]);
    }
  }, 120000);

  it("claude's own answer with emoji and complex scripts keeps both panes' borders, also after Ctrl+L", async () => {
    work = realpathSync(mkdtempSync(join(tmpdir(), 'axiom-frames-claude-')));
    const api = await startFakeAnthropic({ chunkDelayMs: 20 });
    const cenv = await makeClaudeEnv({ workDir: work, baseUrl: api.url, tui: 'auto' });
    try {
      const cols = 140;
      tmux = new Tmux(work, cols, 30);
      tmux.start(
        [process.execPath, AXIOM, 'spawn', '--parallel', '2', 'show emoji please'],
        { ...cenv.env, LC_ALL: 'C.UTF-8', AXIOM_CLAUDE_BIN: claudeBin(), AXIOM_STATE_DIR: join(work, 's') },
        work,
        join(work, 'axiom.stderr'),
      );
      const done = (s: string) =>
        (s.match(/EMOJI-END/g) ?? []).length === 2 &&
        paneStatus(1, 'COMPLETED').test(s) &&
        paneStatus(2, 'COMPLETED').test(s);
      const check = async (screen: string) => {
        const rows = screen.split('\n').filter((l) => l.startsWith('┃'));
        expect(rows.filter((l) => l.includes('emoji line'))).toHaveLength(4);
        const leftEdge = await tmux.measure(`┃${rows[0]?.split('┃')[1]}┃`);
        for (const row of rows) {
          // ┃ body ┃ then the other pane; its right border on the last column.
          expect(row.split('┃'), row).toHaveLength(3);
          expect(row.endsWith('│'), row).toBe(true);
          if (!/emoji line|EMOJI-END/.test(row)) continue;
          expect(await tmux.measure(measurable(row)), row).toBe(cols);
          expect(await tmux.measure(measurable(`┃${row.split('┃')[1]}┃`)), row).toBe(leftEdge);
        }
      };
      // tmux takes a frame's bytes in more than one read and capture-pane can see between two:
      // the frame is complete once every body row has its borders (a lasting fault times out).
      const whole = (s: string) =>
        done(s) &&
        s
          .split('\n')
          .filter((l) => l.startsWith('┃'))
          .every((row) => row.split('┃').length === 3 && row.endsWith('│'));
      await check(await tmux.waitFor(whole, 'both answers shown and COMPLETED', 90000));
      tmux.press('C-l');
      // The repaint draws the same (CI at 866a102 caught it half drawn: the wait was on the answers only).
      await check(await tmux.waitFor(whole, 'the repaint', 10000));
    } finally {
      tmux.kill();
      await waitNoProcesses('HOME', cenv.home, 10000);
      await cenv.cleanup();
      await api.close();
    }
  }, 180000);
});
