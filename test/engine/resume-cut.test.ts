/**
 * A turn that did not finish before axiom stopped (the manifest's mark: runs.test.ts): the resumed
 * session comes back INTERRUPTED with its last prompt in the title, not COMPLETED as if the prompt
 * had its answer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { claudeProfile } from '../../src/agents/claude.js';
import { repoRoot } from '../helpers/claude-env.js';
import { fakeManager } from '../helpers/fake-manager.js';
import type { FakePty } from '../helpers/fake-pty.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('a turn cut when axiom stopped', () => {
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
