/**
 * Notifications seen from outside, in tmux, with the real claude CLI against the fake Messages
 * API (first token 1.5 s late, like a real API): every byte axiom writes is captured with
 * pipe-pane; tmux itself shows the bell flag and the pane title (OSC 2).
 */
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAnthropic, startFakeAnthropic } from '../fixtures/fake-anthropic.js';
import { type ClaudeEnv, claudeBin, makeClaudeEnv, repoRoot } from '../helpers/claude-env.js';
import { waitNoProcesses } from '../helpers/procs.js';
import { Tmux } from '../helpers/tmux.js';

const AXIOM = join(repoRoot(), 'bin', 'axiom.js');
const built = existsSync(join(repoRoot(), 'dist', 'ui', 'run.js'));

/** tmux passthrough of OSC 9 (ESC doubled inside), as axiom writes it inside tmux. */
const passthrough9 = (text: string) => `\x1bPtmux;\x1b\x1b]9;${text}\x07\x1b\\`;

describe.runIf(built)('notifications in tmux with real claude', () => {
  let api: FakeAnthropic;
  let work: string;
  let cenv: ClaudeEnv;
  let tmux: Tmux;
  let pipe: string;

  beforeAll(async () => {
    api = await startFakeAnthropic({ chunkDelayMs: 80, firstTokenDelayMs: 1500 });
  });
  afterAll(async () => {
    await api.close();
  });
  afterEach(async () => {
    tmux?.kill();
    await waitNoProcesses('HOME', cenv.home, 10000);
    await cenv.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  const written = () => (existsSync(pipe) ? readFileSync(pipe, 'utf8') : '');
  async function waitWritten(pred: (s: string) => boolean, what: string, ms = 45000): Promise<string> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const s = written();
      if (pred(s)) return s;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}; screen:\n${tmux.capture()}`);
  }

  it('#2 waiting rings and notifies; the focused #1 does not until the terminal loses focus; the title tells', async () => {
    work = realpathSync(mkdtempSync(join(tmpdir(), 'axiom-notify-e2e-')));
    cenv = await makeClaudeEnv({ workDir: work, baseUrl: api.url, tui: 'auto' });
    pipe = join(work, 'pane.bytes');
    tmux = new Tmux(work, 160, 45);
    tmux.start(
      [
        process.execPath,
        AXIOM,
        'spawn',
        '--parallel',
        '2',
        'please write perm.txt',
        '--',
        '--permission-mode',
        'default',
      ],
      { ...cenv.env, AXIOM_CLAUDE_BIN: claudeBin(), AXIOM_STATE_DIR: join(work, '.state') },
      work,
      join(work, 'axiom.stderr'),
    );
    tmux.pipeTo(pipe);

    // Both sessions stop on the permission dialog; #1 has the focus. #1's notification, had
    // there been one, would be written by the time #2's is (both wait on the same settle).
    const note2 = passthrough9('#2 waits for permission: Write perm.txt');
    const both = await waitWritten(
      (s) => s.includes('\x1b]2;axiom · 2 waiting\x07') && s.includes(note2),
      '#2 to notify and the title to say both are waiting',
    );
    expect(both).toContain(`\x07${note2}`);
    expect(both).not.toContain('#1 waits');
    expect(both.split(note2)).toHaveLength(2);
    expect(tmux.format('#{window_bell_flag}')).toBe('1');
    expect(tmux.format('#{pane_title}')).toBe('axiom · 2 waiting');

    // The terminal loses focus (tmux forwards the outer terminal's CSI O): now #1 counts too.
    tmux.sendBytes('\x1b[O');
    tmux.press('1'); // answer #1's dialog: it writes the file and ends its turn
    const done = await waitWritten((s) => s.includes('#1 finished its turn'), '#1 to notify after focus out');
    expect(done).toMatch(/\x07\x1bPtmux;\x1b\x1b\]9;#1 finished its turn in \d+s\x07\x1b\\/);
    expect(done).not.toContain('#1 waits');
    await tmux.waitFor(() => tmux.format('#{pane_title}') === 'axiom · 1 waiting · 1 done', 'the title');
    expect(readFileSync(join(work, 'perm.txt'), 'utf8')).toBe('permission test\n');
    // The focus report never reached the prompt box.
    expect(tmux.capture()).not.toMatch(/#\d❯ .*\[O/);
  }, 90_000);
});
