/**
 * A turn that did not finish before axiom stopped: the run manifest keeps the mark through a quit
 * (a crash leaves the status as it was), and the resumed session comes back INTERRUPTED with its
 * last prompt in the title, not COMPLETED as if the prompt had its answer.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { claudeProfile } from '../../src/agents/claude.js';
import { ManifestWriter, readManifest, turnCut } from '../../src/engine/runs.js';
import type { SessionSnapshot, SessionStatus } from '../../src/engine/types.js';
import { repoRoot } from '../helpers/claude-env.js';
import { fakeManager } from '../helpers/fake-manager.js';
import type { FakePty } from '../helpers/fake-pty.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  vi.useRealTimers();
});

const snap = (n: number, status: SessionStatus): SessionSnapshot => ({
  id: String(n),
  n,
  agent: 'claude',
  command: ['claude'],
  cwd: '/w',
  prompt: 'first',
  lastPrompt: 'first',
  status,
  startedAt: 1000,
  turnDurations: [],
  filesWritten: [],
  lastLine: '',
  cols: 80,
  rows: 24,
  bytesReceived: 0,
});

describe('a turn cut when axiom stopped', () => {
  it('the manifest marks a session that ended mid-turn, and only that one', () => {
    dir = mkdtempSync(join(tmpdir(), 'axiom-cut-'));
    const w = new ManifestWriter(dir, 'r', '/w', () => {});
    const cutOf = () =>
      Object.fromEntries((readManifest(dir as string)?.sessions ?? []).map((s) => [s.n, turnCut(s)]));
    w.update(snap(1, 'RUNNING'));
    w.update(snap(2, 'COMPLETED'));
    w.update(snap(3, 'WAITING'));
    // A crash of axiom: nothing more is written, the status says it.
    expect(cutOf()).toEqual({ 1: true, 2: false, 3: true });
    // A quit: every agent is stopped first, and the mark outlives their exit.
    for (const n of [1, 2, 3]) w.update(snap(n, 'EXITED'));
    expect(cutOf()).toEqual({ 1: true, 2: false, 3: true });
    // Resumed (starting again) it keeps the mark; a turn that runs again clears it.
    w.update(snap(1, 'STARTING'));
    w.update(snap(3, 'STARTING'));
    w.update(snap(3, 'RUNNING'));
    w.update(snap(3, 'COMPLETED'));
    expect(cutOf()).toEqual({ 1: true, 2: false, 3: false });
  });

  it('the resumed session is INTERRUPTED once ready, its last prompt in its title; one not cut is COMPLETED', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: false });
    const idle = `\x1b[2J\x1b[H${readFileSync(
      join(repoRoot(), 'test', 'fixtures', 'claude-screens', 'idle-after-answer.txt'),
      'utf8',
    )
      .replace(/\n+$/, '')
      .split('\n')
      .join('\r\n')}`;
    const { manager, ptys } = fakeManager(claudeProfile('/bin/sh'));
    const cut = manager.spawn({ cwd: '/tmp', resume: { n: 1, lastPrompt: 'fix the flaky test', cut: true } });
    const done = manager.spawn({ cwd: '/tmp', resume: { n: 2, lastPrompt: 'say hello', cut: false } });
    for (const p of ptys) (p as FakePty).emit(idle);
    await vi.advanceTimersByTimeAsync(5000);
    expect(manager.get(cut.id)).toMatchObject({
      status: 'INTERRUPTED',
      lastPrompt: 'fix the flaky test',
      reason: 'its last turn did not finish before axiom stopped: send the prompt again to redo it',
    });
    expect(manager.get(done.id)).toMatchObject({ status: 'COMPLETED', lastPrompt: 'say hello' });
    const down = manager.shutdown();
    for (const p of ptys) (p as FakePty).exit(0, 15);
    await vi.advanceTimersByTimeAsync(2000);
    await down;
  });
});
