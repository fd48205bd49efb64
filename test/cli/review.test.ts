/**
 * `axiom runs / diff / apply / clean` in-process, on a run made by the engine (fake PTYs, real
 * git in a temporary repository), and the --worktree choice.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genericProfile } from '../../src/agents/generic.js';
import { chooseWorktree } from '../../src/cli/worktree-mode.js';
import { readManifest } from '../../src/engine/runs.js';
import { SessionManager } from '../../src/engine/session-manager.js';
import { type TempRepo, tempRepo } from '../git/repo.js';
import { type CliResult, runCli } from '../helpers/cli.js';
import { fakePtyFactory } from '../helpers/fake-pty.js';
import { until } from '../helpers/until.js';

let repo: TempRepo;
let stateDir: string;
let runDir: string;

/** `axiom ...args` in this process, on this test's state dir and folder. */
const axiom = (...args: string[]): Promise<CliResult> =>
  runCli([...args, '--state-dir', stateDir, '--cwd', repo.root]);

beforeAll(async () => {
  repo = tempRepo({ 'a.txt': 'one\ntwo\n', 'u.txt': 'user\n' });
  repo.write('u.txt', 'user\nmy edit\n');
  stateDir = mkdtempSync(join(tmpdir(), 'axiom-state-'));
  const f = fakePtyFactory();
  const m = new SessionManager({
    ptyFactory: f.factory,
    stateDir,
    runId: 'r1',
    cwd: repo.root,
    hooks: false,
    profileFor: () => genericProfile('/bin/sh'),
    signal: () => [],
    timings: { startFallbackMs: 50 },
  });
  for (let i = 0; i < 3; i++) m.spawn({ agent: 'sh', cwd: repo.root, worktree: true, prompt: 'write' });
  await until(m, () => f.ptys.length === 3, 'three agents launched', 20_000);
  for (const s of m.list()) {
    const wt = s.worktree!.path;
    // Each writes the same file name; #2 also edits a tracked file; #3 also changes the user's
    // edited file (cleanly: its base holds the user's edit).
    writeFileSync(join(wt, 'fib.py'), `# session ${s.n}\n`);
    if (s.n === 2) writeFileSync(join(wt, 'a.txt'), 'one\nTWO\n');
    if (s.n === 3) writeFileSync(join(wt, 'u.txt'), 'user\nsession 3\n');
  }
  for (const p of f.ptys) p.exit(0);
  await m.shutdown();
  runDir = m.runDir!;
}, 60_000);

afterAll(() => {
  repo.cleanup();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('review commands', () => {
  it('runs lists each session with its worktree, branch and diff summary', async () => {
    const { out, code } = await axiom('runs');
    expect(code).toBe(0);
    expect(out).toContain(`r1  `);
    expect(out).toMatch(/\[1\] EXITED .* \+1 \u22120, 1 file {2}\S+r1-1 \(branch axiom\/r1-1\)/);
    expect(out).toMatch(/\[2\] EXITED .* \+2 \u22121, 2 files/);
    const json = JSON.parse((await axiom('runs', '--json')).out) as Array<{ runId: string; version: number }>;
    expect(json.map((r) => [r.runId, r.version])).toEqual([['r1', 1]]);
  });

  it('diff shows one session (N or RUN:N) or every session', async () => {
    const one = await axiom('diff', '2');
    expect(one.out).toContain('+# session 2');
    expect(one.out).toContain('-two');
    expect(one.out).not.toContain('\x1b['); // not a terminal: no colors
    expect((await axiom('diff', 'r1:1', '--stat')).out).toMatch(/fib\.py \| 1 \+/);
    const all = await axiom('diff');
    expect(all.out).toContain('== r1:1 axiom/r1-1 (+1 \u22120, 1 file)');
    expect(all.out).toContain('== r1:3');
    const bad = await axiom('diff', 'x:y');
    expect([bad.code, bad.err]).toEqual([
      2,
      "axiom: bad SESSION 'x:y': give N or RUN:N (axiom runs lists them)\n",
    ]);
    const none = await axiom('diff', '9');
    expect([none.code, none.err]).toEqual([1, 'axiom: run r1 has no session 9 (it has 1, 2, 3)\n']);
  });

  it("apply brings one session's changes in and leaves the user's edit alone; a conflict changes nothing", async () => {
    const res = await axiom('apply', '2');
    expect(res.code).toBe(0);
    expect(res.out).toBe(`applied session r1:2 (+2 \u22121, 2 files) to ${repo.root}: a.txt, fib.py\n`);
    expect(readFileSync(join(repo.root, 'fib.py'), 'utf8')).toBe('# session 2\n');
    expect(readFileSync(join(repo.root, 'a.txt'), 'utf8')).toBe('one\nTWO\n');
    expect(readFileSync(join(repo.root, 'u.txt'), 'utf8')).toBe('user\nmy edit\n');
    expect(readManifest(runDir)?.sessions.map((s) => s.applied)).toEqual([false, true, false]);
    const clash = await axiom('apply', '3');
    expect(clash.code).toBe(1);
    expect(clash.err).toBe(
      'axiom: session r1:3 not applied: conflicts with your tree in fib.py; nothing was changed\n',
    );
    expect(readFileSync(join(repo.root, 'u.txt'), 'utf8')).toBe('user\nmy edit\n');
    expect(readFileSync(join(repo.root, 'fib.py'), 'utf8')).toBe('# session 2\n');
  });

  it('clean refuses the unapplied sessions by name; --force leaves no worktree', async () => {
    const soft = await axiom('clean');
    expect(soft.code).toBe(1);
    expect(soft.out).toBe('removed the worktrees of r1:2\n');
    expect(soft.err).toBe(
      'axiom: kept r1:1, r1:3: changes never applied (axiom apply SESSION, or axiom clean --force to drop them)\n',
    );
    expect(existsSync(join(repo.root, '.axiom', 'worktrees', 'r1-1'))).toBe(true);
    const hard = await axiom('clean', 'r1', '--force');
    expect([hard.code, hard.out]).toEqual([0, 'removed the worktrees of r1:1, r1:3\n']);
    expect(repo.git('worktree', 'list').trim().split('\n')).toHaveLength(1);
    expect(repo.git('branch', '--list', 'axiom/*')).toBe('');
    expect(existsSync(join(repo.root, '.axiom'))).toBe(false);
    expect((await axiom('runs')).out).toContain('worktree removed (axiom/r1-1)');
    const gone = await axiom('diff', '1');
    expect(gone.err).toBe(
      "axiom: session r1:1's worktree was removed (it held no changes, or was cleaned)\n",
    );
  });
});

describe('--worktree choice', () => {
  it('defaults on for --parallel > 1 inside a work tree; --worktree outside one names the fix', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'axiom-nogit-'));
    try {
      expect(await chooseWorktree('auto', 3, repo.root)).toEqual({ ok: true, on: true });
      expect(await chooseWorktree('auto', 1, repo.root)).toEqual({ ok: true, on: false });
      expect(await chooseWorktree('auto', 3, plain)).toEqual({ ok: true, on: false });
      expect(await chooseWorktree(false, 3, repo.root)).toEqual({ ok: true, on: false });
      expect(await chooseWorktree(true, 1, plain)).toEqual({
        ok: false,
        message: `--worktree: not a git repository: ${plain} (run \`git init\` there, or use --no-worktree)`,
      });
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});
