/** Run manifests: atomic rewrite, readers that refuse what they do not know, applied kept across processes. */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatRuns } from '../../src/cli/commands/runs.js';
import {
  listRuns,
  MANIFEST_VERSION,
  ManifestWriter,
  manifestPath,
  readManifest,
  turnCut,
  updateStoredSession,
} from '../../src/engine/runs.js';
import type { SessionSnapshot } from '../../src/engine/types.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const snap = (n: number, over: Partial<SessionSnapshot> = {}): SessionSnapshot => ({
  id: String(n),
  n,
  agent: 'claude',
  command: ['claude', 'hi'],
  cwd: '/r/.axiom/worktrees/x-1',
  prompt: 'hi',
  lastPrompt: 'hi',
  status: 'RUNNING',
  startedAt: 1000,
  turnDurations: [],
  filesWritten: [],
  lastLine: '',
  cols: 80,
  rows: 24,
  bytesReceived: 0,
  ...over,
});

describe('run manifests', () => {
  it('records sessions, prompts and worktrees; an apply by another process survives the next write', () => {
    dir = mkdtempSync(join(tmpdir(), 'axiom-runs-'));
    const runDir = join(dir, 'runs', 'x');
    mkdirSync(runDir, { recursive: true });
    const errors: string[] = [];
    const w = new ManifestWriter(runDir, 'x', '/r', (m) => errors.push(m));
    const wt = {
      state: 'ready' as const,
      repo: '/r',
      path: '/r/.axiom/worktrees/x-1',
      branch: 'axiom/x-1',
      base: 'c0',
    };
    w.update(snap(1, { worktree: wt, agentSessionId: 'uuid-1' }), { agentArgs: ['--model', 'm'] });
    w.update(snap(1, { worktree: wt }), { prompt: 'now fix it' });
    let m = readManifest(runDir)!;
    expect(m).toMatchObject({ version: MANIFEST_VERSION, runId: 'x', cwd: '/r', repo: '/r' });
    expect(m.sessions[0]).toMatchObject({
      n: 1,
      agentArgs: ['--model', 'm'],
      agentSessionId: 'uuid-1',
      prompts: [{ at: 1000, text: 'hi' }, { text: 'now fix it' }],
      worktree: { branch: 'axiom/x-1', base: 'c0' },
      applied: false,
    });
    // `axiom apply` in another process marks it applied; the running engine's next write keeps that.
    updateStoredSession(runDir, 1, (s) => {
      s.applied = true;
    });
    const lastCheck = { command: 'npm test', ok: false, at: 2000, check: true };
    w.update(snap(1, { worktree: wt, status: 'COMPLETED', lastCheck }));
    m = readManifest(runDir)!;
    expect(m.sessions[0]).toMatchObject({ status: 'COMPLETED', applied: true, lastCheck });
    // A later snapshot without it (a resumed session before its first command) keeps it.
    w.update(snap(1, { worktree: wt, status: 'COMPLETED' }));
    m = readManifest(runDir)!;
    expect(m.sessions[0]?.lastCheck).toEqual(lastCheck);
    expect(formatRuns([{ dir: runDir, manifest: m }])).toMatch(
      /\[1\] COMPLETED\s+\S+\s+no diff yet, applied {2}last test ✗ npm test {2}/,
    );
    expect(readdirSync(runDir)).toEqual(['manifest.json']); // no temp file left behind
    expect(errors).toEqual([]);
  });

  // A turn cut by axiom's stop: the mark a resumed session comes back INTERRUPTED by (resume-cut.test.ts).
  it('the manifest marks a session that ended mid-turn, and only that one', () => {
    dir = mkdtempSync(join(tmpdir(), 'axiom-runs-'));
    const w = new ManifestWriter(dir, 'r', '/w', () => {});
    const cutOf = () =>
      Object.fromEntries((readManifest(dir as string)?.sessions ?? []).map((s) => [s.n, turnCut(s)]));
    w.update(snap(1, { status: 'RUNNING' }));
    w.update(snap(2, { status: 'COMPLETED' }));
    w.update(snap(3, { status: 'WAITING' }));
    // A crash of axiom: nothing more is written, the status says it.
    expect(cutOf()).toEqual({ 1: true, 2: false, 3: true });
    // A quit: every agent is stopped first, and the mark outlives their exit.
    for (const n of [1, 2, 3]) w.update(snap(n, { status: 'EXITED' }));
    expect(cutOf()).toEqual({ 1: true, 2: false, 3: true });
    // Resumed (starting again) it keeps the mark; a turn that runs again clears it.
    w.update(snap(1, { status: 'STARTING' }));
    w.update(snap(3, { status: 'STARTING' }));
    w.update(snap(3, { status: 'RUNNING' }));
    w.update(snap(3, { status: 'COMPLETED' }));
    expect(cutOf()).toEqual({ 1: true, 2: false, 3: false });
  });

  it('lists runs newest first and skips unreadable or unknown-version manifests', () => {
    dir = mkdtempSync(join(tmpdir(), 'axiom-runs-'));
    const mk = (id: string, startedAt: number, version = MANIFEST_VERSION) => {
      const d = join(dir, 'runs', id);
      mkdirSync(d, { recursive: true });
      writeFileSync(
        manifestPath(d),
        JSON.stringify({ version, runId: id, cwd: '/r', startedAt, updatedAt: 0, pid: 1, sessions: [] }),
      );
    };
    mk('old', 1);
    mk('new', 2);
    mk('future', 3, MANIFEST_VERSION + 1);
    mkdirSync(join(dir, 'runs', 'empty'));
    writeFileSync(join(dir, 'runs', 'junk'), 'x');
    expect(listRuns(dir).map((r) => r.manifest.runId)).toEqual(['new', 'old']);
    expect(listRuns(join(dir, 'nothing'))).toEqual([]);
  });

  it('a manifest that cannot be written is said once, and the run goes on', () => {
    dir = mkdtempSync(join(tmpdir(), 'axiom-runs-'));
    const errors: string[] = [];
    const w = new ManifestWriter(join(dir, 'missing'), 'x', '/r', (m) => errors.push(m));
    w.update(snap(1));
    w.update(snap(1, { status: 'COMPLETED' }));
    expect(errors).toEqual(['run manifest not written (ENOENT): `axiom runs` will not list this run']);
  });
});
