/**
 * Issue 12 end to end: `axiom spawn --parallel 3` with the real claude against the fake Messages
 * API, in a git repository with an uncommitted edit. Each session writes fib.py in its own
 * worktree; the user's tree stays untouched until `axiom apply 2`, which brings exactly session
 * 2's change next to the user's edit; `axiom clean` keeps the unapplied; `--force` drops them.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path, { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultRules,
  type FakeAnthropic,
  type RequestContext,
  rulesResponder,
  startFakeAnthropic,
  writeReply,
} from '../fixtures/fake-anthropic.js';
import { type TempRepo, tempRepo } from '../git/repo.js';
import { type ClaudeEnv, claudeBin, makeClaudeEnv, repoRoot } from '../helpers/claude-env.js';
import { waitNoProcesses } from '../helpers/procs.js';

const AXIOM = join(repoRoot(), 'bin', 'axiom.js');
const built = existsSync(join(repoRoot(), 'dist', 'cli', 'main.js'));

/** fib.py as written by the session working in `cwd` (its worktree's name is in it). */
const fibFor = (cwd: string) =>
  `# written in ${path.basename(cwd)}\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n`;

const script = rulesResponder([
  {
    name: 'fib.py',
    match: (ctx: RequestContext) => ctx.lastUserText.includes('fib.py'),
    reply: (ctx: RequestContext) => writeReply(ctx, 'fib.py', fibFor(ctx.cwd ?? 'unknown')),
  },
  ...defaultRules,
]);

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

describe.runIf(built)('worktrees end to end (real claude, fake API)', () => {
  let api: FakeAnthropic;
  let repo: TempRepo;
  let cenv: ClaudeEnv;
  let env: Record<string, string>;

  const axiom = (...args: string[]): Promise<Ran> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [AXIOM, ...args],
        { cwd: repo.root, env, timeout: 170_000 },
        (err, stdout, stderr) =>
          resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    api = await startFakeAnthropic({ script, chunkDelayMs: 60, firstTokenDelayMs: 1500 });
    repo = tempRepo({ 'README.md': '# project\n', 'notes.txt': 'todo\n' });
    repo.write('notes.txt', 'todo\nmy uncommitted edit\n');
    cenv = await makeClaudeEnv({ workDir: repo.root, baseUrl: api.url });
    env = {
      ...cenv.env,
      AXIOM_CLAUDE_BIN: claudeBin(),
      AXIOM_STATE_DIR: join(cenv.home, '.axiom-state'),
    };
  });
  afterAll(async () => {
    await api.close();
    await waitNoProcesses('HOME', cenv.home);
    await cenv.cleanup();
    repo.cleanup();
  });

  it('three sessions, three worktrees; apply 2; clean refuses the rest; clean --force leaves none', async () => {
    const run = await axiom(
      'spawn',
      '--parallel',
      '3',
      'Write fib.py with a recursive fib function',
      '--',
      '--permission-mode',
      'acceptEdits',
    );
    const diag = `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
    expect(run.code, diag).toBe(0);
    const runs = JSON.parse((await axiom('runs', '--json')).stdout) as Array<{
      runId: string;
      sessions: Array<{
        n: number;
        status: string;
        worktree: { path: string; branch: string; state: string };
      }>;
    }>;
    expect(runs).toHaveLength(1);
    const { runId, sessions } = runs[0]!;
    expect(sessions.map((s) => s.n)).toEqual([1, 2, 3]);
    for (const s of sessions) {
      const wtPath = join(repo.root, '.axiom', 'worktrees', `${runId}-${s.n}`);
      expect(s.worktree).toMatchObject({ path: wtPath, branch: `axiom/${runId}-${s.n}`, state: 'kept' });
      expect(run.stdout, diag).toContain(`[${s.n}] worktree ${wtPath} (branch axiom/${runId}-${s.n})`);
      expect(run.stdout, diag).toContain(`[${s.n}] ✎ Write ${join(wtPath, 'fib.py')}`);
      expect(run.stdout, diag).toMatch(new RegExp(`\\[${s.n}\\] \\+3 \u22120, 1 file: kept in ${wtPath}`));
      // Each wrote its own fib.py in its own worktree.
      expect(readFileSync(join(wtPath, 'fib.py'), 'utf8')).toBe(fibFor(wtPath));
      // The worktree started from what the user saw, uncommitted edit included.
      expect(readFileSync(join(wtPath, 'notes.txt'), 'utf8')).toBe('todo\nmy uncommitted edit\n');
    }
    // Inside the trusted repository: no session met claude's trust dialog.
    expect(run.stdout).not.toMatch(/Quick safety check|trust this folder/);

    // The user's tree is untouched, and axiom's bookkeeping is not in their git status.
    expect(existsSync(join(repo.root, 'fib.py'))).toBe(false);
    expect(repo.git('status', '--porcelain')).toBe(' M notes.txt\n');

    const applied = await axiom('apply', '2');
    expect(applied.code, applied.stderr).toBe(0);
    const wt2 = join(repo.root, '.axiom', 'worktrees', `${runId}-2`);
    expect(readFileSync(join(repo.root, 'fib.py'), 'utf8')).toBe(fibFor(wt2));
    expect(readFileSync(join(repo.root, 'notes.txt'), 'utf8')).toBe('todo\nmy uncommitted edit\n');
    expect(repo.git('status', '--porcelain')).toBe(' M notes.txt\n?? fib.py\n');

    const soft = await axiom('clean');
    expect(soft.code).toBe(1);
    expect(soft.stdout).toBe(`removed the worktrees of ${runId}:2\n`);
    expect(soft.stderr).toBe(
      `axiom: kept ${runId}:1, ${runId}:3: changes never applied (axiom apply SESSION, or axiom clean --force to drop them)\n`,
    );
    expect(existsSync(join(repo.root, '.axiom', 'worktrees', `${runId}-1`))).toBe(true);

    const hard = await axiom('clean', '--force');
    expect(hard.code, hard.stderr).toBe(0);
    expect(repo.git('worktree', 'list').trim().split('\n')).toHaveLength(1);
    expect(repo.git('branch', '--list', 'axiom/*')).toBe('');
    expect(existsSync(join(repo.root, '.axiom'))).toBe(false);
    // The user's tree holds exactly session 2's change plus their own edit.
    expect(repo.git('status', '--porcelain')).toBe(' M notes.txt\n?? fib.py\n');
  }, 240_000);
});
