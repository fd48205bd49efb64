/**
 * Issue 12's review keys end to end: the built `axiom` UI in tmux, two real claude sessions (fake
 * Messages API, 1.5 s to the first token) each in its own worktree of a temporary git repository.
 * Each writes fib.py and runs its test with Bash: #1's fib is wrong (the test fails), #2's is
 * right. Ctrl+P compares them (last test ✗ / ✓), Enter opens #2's diff, `a` then `y` applies it:
 * the user's tree then holds #2's fib.py next to the user's own uncommitted edit, nothing else.
 * AXIOM_COMPARE_CAPTURE=FILE writes the compare view as captured (the README's capture).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auxReply,
  defaultResponder,
  type FakeAnthropic,
  type Reply,
  type RequestContext,
  type Responder,
  startFakeAnthropic,
  textReply,
  writeReply,
} from '../fixtures/fake-anthropic.js';
import { type TempRepo, tempRepo } from '../git/repo.js';
import { type ClaudeEnv, claudeBin, makeClaudeEnv, repoRoot } from '../helpers/claude-env.js';
import { waitNoProcesses } from '../helpers/procs.js';
import { Tmux } from '../helpers/tmux.js';

const AXIOM = join(repoRoot(), 'bin', 'axiom.js');
const built = existsSync(join(repoRoot(), 'dist', 'ui', 'run.js'));
const TEST_CMD = 'python3 -m unittest -q test_fib';

/** fib.py as the session in `cwd` writes it: the first worktree's is wrong. */
const fibFor = (cwd: string) =>
  cwd.endsWith('-1')
    ? 'def fib(n):\n    return n\n'
    : 'def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n';

/** Write fib.py, then run its test, then say what came of it. */
function fibAndTest(ctx: RequestContext): Reply {
  const last = ctx.lastToolUses.at(-1);
  if (!ctx.isToolResult) return writeReply(ctx, 'fib.py', fibFor(ctx.cwd ?? ''), 'Writing fib.py.');
  if (last?.name === 'Write')
    return {
      blocks: [{ type: 'tool_use', name: 'Bash', input: { command: TEST_CMD, description: 'Run the test' } }],
    };
  return textReply(ctx.toolResults.some((r) => r.is_error) ? 'The test fails.' : 'The test passes.');
}

const PROMPT = 'Write fib.py and run its test';

const script: Responder = (ctx) => {
  if (ctx.kind === 'aux') return auxReply(ctx);
  if (JSON.stringify(ctx.body.messages).includes(PROMPT)) return fibAndTest(ctx);
  return defaultResponder(ctx);
};

describe.runIf(built)('review keys in tmux (real claude, worktrees, real git)', () => {
  let api: FakeAnthropic;
  let repo: TempRepo;
  let cenv: ClaudeEnv;
  let tmux: Tmux;

  beforeAll(async () => {
    api = await startFakeAnthropic({ script, chunkDelayMs: 40, firstTokenDelayMs: 1500 });
    repo = tempRepo({
      'README.md': '# project\n',
      'notes.txt': 'todo\n',
      'test_fib.py':
        'import unittest\nfrom fib import fib\n\n\nclass T(unittest.TestCase):\n    def test_ten(self):\n        self.assertEqual(fib(10), 55)\n',
    });
    repo.write('notes.txt', 'todo\nmy uncommitted edit\n');
    cenv = await makeClaudeEnv({ workDir: repo.root, baseUrl: api.url });
  });
  afterAll(async () => {
    tmux?.kill();
    await api?.close();
    if (cenv) {
      await waitNoProcesses('HOME', cenv.home, 10000);
      await cenv.cleanup();
    }
    repo?.cleanup();
  });

  it('compares two worktree sessions, opens a diff, applies one after confirmation', async () => {
    tmux = new Tmux(cenv.home, 130, 32); // its launch script stays out of the repository
    tmux.start(
      [
        process.execPath,
        AXIOM,
        'spawn',
        '--parallel',
        '2',
        PROMPT,
        '--',
        '--permission-mode',
        'acceptEdits',
        '--allowedTools',
        `Bash(${TEST_CMD})`,
      ],
      { ...cenv.env, AXIOM_CLAUDE_BIN: claudeBin(), AXIOM_STATE_DIR: join(cenv.home, '.axiom-state') },
      repo.root,
      join(cenv.home, 'axiom.stderr'),
    );
    // Both turns over: each wrote fib.py in its worktree and ran the test.
    await tmux.waitFor(
      (s) => /#1\s+COMPLETED/.test(s) && /#2\s+COMPLETED/.test(s),
      'both sessions COMPLETED',
      120_000,
    );
    // Each session's own fib.py, in its worktree (<repo>/.axiom/worktrees/<run>-<n>).
    const wt = (n: number) => {
      const dir = join(repo.root, '.axiom', 'worktrees');
      const name = readdirSync(dir).find((d) => d.endsWith(`-${n}`));
      return readFileSync(join(dir, name ?? `?-${n}`, 'fib.py'), 'utf8');
    };
    expect(wt(1)).toBe(fibFor('-1'));
    expect(wt(2)).toBe(fibFor('-2'));
    // Nothing reached the user's tree yet.
    expect(repo.git('status', '--porcelain')).toBe(' M notes.txt\n');

    tmux.press('C-p');
    const compare = await tmux.waitFor(
      (s) =>
        /#1\s+COMPLETED.*✗ python3 -m unittest/.test(s) && /#2\s+COMPLETED.*✓ python3 -m unittest/.test(s),
      'the compare view with both tests',
      30_000,
    );
    expect(compare).toContain('compare: 2 sessions of this run');
    expect(compare).toMatch(/#\s+status\s+time\s+files\s+\+\/−\s+last test\s+applied\s+branch/);
    expect(compare).toMatch(
      /#1\s+COMPLETED\s+\d+s\s+1\s+\+2 −0\s+✗ python3 -m unittest -q test_fib\s+no\s+axiom\/\S+-1/,
    );
    expect(compare).toMatch(
      /#2\s+COMPLETED\s+\d+s\s+1\s+\+2 −0\s+✓ python3 -m unittest -q test_fib\s+no\s+axiom\/\S+-2/,
    );
    const out = process.env.AXIOM_COMPARE_CAPTURE;
    if (out) {
      // The README's capture: a smaller terminal, so the view has no empty rows to speak of.
      tmux.resize(118, 11);
      const small = await tmux.waitFor(
        (s) => /^╔═{116}╗$/m.test(s) && s.includes('Enter: diff') && /#2\s+COMPLETED/.test(s),
        'the compare view redrawn at 118x11',
      );
      writeFileSync(out, small);
      tmux.resize(130, 32);
      await tmux.waitFor((s) => /^╔═{128}╗$/m.test(s), 'the compare view back at 130x32');
    }

    // #2's diff, full screen.
    tmux.press('Down');
    tmux.press('Enter');
    const diff = await tmux.waitFor(/1 file changed:/, "#2's diff");
    expect(diff).toMatch(/#2 diff · axiom\/\S+-2 · \+2 −0, 1 file/);
    expect(diff).toContain('▶ fib.py');
    expect(diff).toContain('+    return n if n < 2 else fib(n - 1) + fib(n - 2)');

    // Apply, after the question.
    tmux.press('a');
    await tmux.waitFor(/apply #2's changes to your working tree\? y: apply/, 'the apply question');
    expect(repo.git('status', '--porcelain')).toBe(' M notes.txt\n');
    tmux.press('y');
    await tmux.waitFor(/applied #2 to your tree: fib\.py/, 'the apply notice');
    expect(readFileSync(join(repo.root, 'fib.py'), 'utf8')).toBe(fibFor('-2'));
    expect(readFileSync(join(repo.root, 'notes.txt'), 'utf8')).toBe('todo\nmy uncommitted edit\n');
    expect(repo.git('status', '--porcelain')).toBe(' M notes.txt\n?? fib.py\n');

    // Back to the comparison: #2 is applied.
    tmux.press('Escape');
    await tmux.waitFor(/#2\s+COMPLETED.*yes\s+axiom\//, 'compare shows #2 applied');
    tmux.press('Escape');
    await tmux.waitFor((s) => !s.includes('compare:'), 'the panes again');
    tmux.press('C-c');
    tmux.press('C-c');
    await tmux.waitGone(20_000);
  }, 240_000);
});
