/** Resume: reading a stored run (errors named), which sessions come back, the run lock, the engine's side. */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claudeResumeArgs } from '../../src/agents/claude.js';
import { planResume, RunLock, RunLockError } from '../../src/engine/resume.js';
import {
  bootId,
  loadManifest,
  MANIFEST_VERSION,
  type ManifestSession,
  manifestPath,
  type RunManifest,
  readManifest,
  scanRuns,
} from '../../src/engine/runs.js';
import { defaultProfileFor, SessionManager } from '../../src/engine/session-manager.js';
import { fakePtyFactory } from '../helpers/fake-pty.js';
import { until } from '../helpers/until.js';

/** Poll `pred` (a process appearing in /proc: no event to wait on). */
async function poll(pred: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const session = (n: number, over: Partial<ManifestSession> = {}): ManifestSession => ({
  n,
  agent: 'claude',
  agentArgs: [],
  command: ['claude'],
  cwd: dir,
  applied: false,
  prompts: [{ at: 1, text: `prompt ${n}` }],
  status: 'COMPLETED',
  startedAt: 1,
  turnDurations: [1000],
  ...over,
});
const manifest = (sessions: ManifestSession[], over: Partial<RunManifest> = {}): RunManifest => ({
  version: MANIFEST_VERSION,
  runId: 'r1',
  cwd: dir,
  startedAt: 1,
  updatedAt: 2,
  pid: 999_999_999,
  sessions,
  ...over,
});
function runDir(name = 'r1'): string {
  const d = join(dir, 'runs', name);
  mkdirSync(d, { recursive: true });
  return d;
}

describe('reading a stored run', () => {
  it('names the file and the fix for a corrupt manifest, a newer version, a wrong shape', () => {
    dir = mkdtempSync(join(tmpdir(), 'axiom-resume-'));
    const d = runDir();
    expect(loadManifest(d)).toMatchObject({ ok: false, missing: true });
    writeFileSync(manifestPath(d), '{"version": 1, "sessions": [');
    let m = loadManifest(d);
    expect(m.ok).toBe(false);
    if (!m.ok) {
      expect(m.problem).toMatch(
        new RegExp(
          `^corrupt manifest ${manifestPath(d)} \\(.+\\): this run cannot be resumed; delete ${d} or fix the file$`,
        ),
      );
      expect(m.problem).not.toContain('\n');
    }
    writeFileSync(manifestPath(d), JSON.stringify({ ...manifest([]), version: MANIFEST_VERSION + 1 }));
    m = loadManifest(d);
    expect(!m.ok && m.problem).toBe(
      `${manifestPath(d)} is manifest version ${MANIFEST_VERSION + 1}, newer than this axiom reads (${MANIFEST_VERSION}): upgrade axiom to resume it`,
    );
    writeFileSync(manifestPath(d), JSON.stringify({ ...manifest([]), sessions: [{ n: 1 }] }));
    expect(!loadManifest(d).ok && (loadManifest(d) as { problem: string }).problem).toContain(
      'a session without n or cwd',
    );
    // Listing skips it but says why; a good run beside it is listed.
    writeFileSync(manifestPath(runDir('r0')), JSON.stringify(manifest([session(1)], { runId: 'r0' })));
    const scan = scanRuns(dir);
    expect(scan.runs.map((r) => r.manifest.runId)).toEqual(['r0']);
    expect(scan.broken).toEqual([
      { dir: d, runId: 'r1', problem: expect.stringContaining('a session without') },
    ]);
  });
});

describe('which sessions come back', () => {
  it('all but those killed on purpose; a missing cwd or worktree is one line naming the session', () => {
    dir = mkdtempSync(join(tmpdir(), 'axiom-resume-'));
    const gone = join(dir, 'gone');
    const plan = planResume(
      manifest([
        session(1),
        session(2, { killedOnPurpose: true }),
        session(3, { cwd: gone }),
        session(4, {
          cwd: join(dir, 'wt'),
          worktree: { state: 'removed', repo: dir, path: join(dir, 'wt'), branch: 'axiom/r1-4' },
        }),
        session(5, { status: 'FAILED' }),
      ]),
    );
    expect(plan.resume.map((s) => s.n)).toEqual([1, 5]);
    expect(plan.left.map((s) => s.n)).toEqual([2]);
    expect(plan.problems).toEqual([
      `session r1:3 not resumed: its cwd ${gone} no longer exists; restore it and run axiom resume r1 again`,
      `session r1:4 not resumed: its worktree ${join(dir, 'wt')} is gone (removed or cleaned); \`axiom runs\` shows what it held`,
    ]);
  });
});

describe('the run lock', () => {
  it('one axiom at a time: a live holder is refused by name, a dead one or one from another boot is taken over', async () => {
    dir = mkdtempSync(join(tmpdir(), 'axiom-resume-'));
    const d = runDir();
    const m = manifest([session(1), session(2), session(3, { killedOnPurpose: true })]);
    // A live process that is an axiom (its command line says so).
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', 'axiom-holder'], {
      stdio: 'ignore',
    });
    try {
      await poll(() => {
        try {
          return readFileSync(`/proc/${other.pid}/cmdline`, 'utf8').includes('axiom-holder');
        } catch {
          return false;
        }
      }, 'the holder process');
      const refused = `run r1 is already open in axiom pid ${other.pid} (sessions #1, #2): switch to it, or quit it before resuming`;
      // The run's own axiom is still up.
      expect(() => RunLock.acquire(d, { ...m, pid: other.pid as number, bootId: bootId() })).toThrow(refused);
      // Another resume holds the lock.
      writeFileSync(join(d, 'resume.lock'), JSON.stringify({ pid: other.pid, bootId: bootId() }));
      expect(() => RunLock.acquire(d, m)).toThrow(RunLockError);
      expect(() => RunLock.acquire(d, m)).toThrow(refused);
      // The same pid from before a reboot means nothing.
      writeFileSync(join(d, 'resume.lock'), JSON.stringify({ pid: other.pid, bootId: 'another-boot' }));
      const lock = RunLock.acquire(d, m);
      expect(JSON.parse(readFileSync(join(d, 'resume.lock'), 'utf8'))).toEqual({
        pid: process.pid,
        bootId: bootId(),
      });
      lock.release();
      // A holder that is gone (kill -9): taken over.
      writeFileSync(join(d, 'resume.lock'), JSON.stringify({ pid: 999_999_999 }));
      RunLock.acquire(d, m).release();
      expect(() => readFileSync(join(d, 'resume.lock'))).toThrow();
    } finally {
      other.kill('SIGKILL');
    }
  });
});

describe('claude resume arguments', () => {
  it('continue the conversation by id and drop the flags that picked one the first time', () => {
    const id = '11111111-2222-3333-4444-555555555555';
    expect(claudeResumeArgs(['--model', 'm'], id)).toEqual(['--resume', id, '--model', 'm']);
    expect(claudeResumeArgs(['--session-id', 'u', '--permission-mode', 'default'], id)).toEqual([
      '--resume',
      id,
      '--permission-mode',
      'default',
    ]);
    expect(claudeResumeArgs(['-c', '--resume=x', '--fork-session', '-r', 'y'], id)).toEqual(['--resume', id]);
    // Nothing saved under the id: a new conversation under it.
    expect(claudeResumeArgs(['--session-id', id, '--model', 'm'], id, false)).toEqual([
      '--session-id',
      id,
      '--model',
      'm',
    ]);
  });
});

describe('the engine resuming a run', () => {
  it('keeps numbers, prompts and turns; claude gets --resume <id>; other agents restart and say so; kills on purpose are recorded', async () => {
    dir = mkdtempSync(join(tmpdir(), 'axiom-resume-'));
    const d = runDir();
    const id = '11111111-2222-3333-4444-555555555555';
    const never = '66666666-2222-3333-4444-555555555555';
    const stored = manifest([
      session(2, { agentSessionId: id, agentArgs: ['--model', 'm'] }),
      session(3, { agent: 'generic', agentCommand: 'sh -i', command: ['sh', '-i'] }),
      session(4, { killedOnPurpose: true }),
      session(6, { agentSessionId: never }),
    ]);
    writeFileSync(manifestPath(d), JSON.stringify(stored));
    // Claude logged conversation `id` (in some project dir); `never` got no prompt, so no log.
    const home = join(dir, 'home');
    mkdirSync(join(home, '.claude', 'projects', '-elsewhere'), { recursive: true });
    writeFileSync(join(home, '.claude', 'projects', '-elsewhere', `${id}.jsonl`), '{}\n');
    const f = fakePtyFactory();
    const manager = new SessionManager({
      ptyFactory: f.factory,
      stateDir: dir,
      hooks: false,
      resume: stored,
      env: { PATH: process.env.PATH, HOME: home },
      profileFor: (agent) => defaultProfileFor(agent, { bin: '/bin/sh' }),
      signal: () => [],
    });
    const warnings: string[] = [];
    manager.on('warning', (m) => warnings.push(m));
    const a = manager.spawn({
      agent: 'claude',
      agentArgs: ['--model', 'm'],
      cwd: dir,
      resume: { n: 2, agentSessionId: id },
    });
    const b = manager.spawn({ agent: 'sh -i', cwd: dir, resume: { n: 3 } });
    const c = manager.spawn({ agent: 'claude', cwd: dir, resume: { n: 6, agentSessionId: never } });
    await until(manager, () => f.ptys.length === 3, 'the agents started');
    expect([a.n, b.n, c.n, manager.spawn({ cwd: dir }).n]).toEqual([2, 3, 6, 7]);
    // Nothing to resume: a new conversation under the same id (claude would exit otherwise).
    expect(f.ptys[2]?.opts.args.slice(0, 2)).toEqual(['--session-id', never]);
    expect(manager.get('6')?.agentSessionId).toBe(never);
    expect(f.ptys[0]?.opts.args.slice(0, 4)).toEqual(['--resume', id, '--model', 'm']);
    expect(f.ptys[0]?.opts.args).not.toContain('--session-id');
    expect(f.ptys[1]?.opts.args).toEqual(['-i']);
    expect(warnings).toEqual([
      '#3 restarted: no conversation to resume (generic keeps none axiom knows)',
      '#6 restarted: it never got a prompt, so there is no conversation to resume',
    ]);
    expect(manager.get('2')?.agentSessionId).toBe(id);

    const killed = manager.kill('3');
    f.ptys[1]?.exit(0, 15);
    await killed;
    let m = readManifest(d);
    expect(m?.runId).toBe('r1');
    expect(m?.sessions.map((s) => [s.n, s.resumed, Boolean(s.killedOnPurpose)])).toEqual([
      [2, 'conversation', false],
      [3, 'restarted', true],
      [4, undefined, true],
      [6, 'restarted', false],
      [7, undefined, false],
    ]);
    expect(m?.sessions[0]).toMatchObject({
      agentArgs: ['--model', 'm'],
      prompts: [{ text: 'prompt 2' }],
      turnDurations: [1000],
    });
    expect(m?.sessions[1]?.agentCommand).toBe('sh -i');
    // A quit is not a kill on purpose.
    const down = manager.shutdown();
    for (const p of f.ptys) p.exit(0, 15);
    await down;
    m = readManifest(d);
    expect(m?.sessions.map((s) => Boolean(s.killedOnPurpose))).toEqual([false, true, true, false, false]);
  });
});
