import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLAUDE_TESTED, claudeVersionWarning, parseClaudeVersion } from '../../src/agents/claude.js';
import type { AgentProfile } from '../../src/agents/profile.js';
import { typeAndSubmit } from '../../src/agents/profile.js';
import { fakeManager } from '../helpers/fake-manager.js';
import { until } from '../helpers/until.js';

describe('claude version range', () => {
  it('reads the version claude prints', () => {
    expect(parseClaudeVersion('2.1.332 (Claude Code)\n')).toBe('2.1.332');
    expect(parseClaudeVersion('command not found')).toBeUndefined();
  });

  it('warns in one line outside the tested range, naming it and the fix', () => {
    expect(claudeVersionWarning(CLAUDE_TESTED.to)).toBeUndefined();
    expect(claudeVersionWarning(CLAUDE_TESTED.from)).toBeUndefined();
    for (const v of ['2.0.99', '2.1.299', '2.1.333', '3.0.0']) {
      const w = claudeVersionWarning(v);
      expect(w).toContain(`claude ${v} is outside`);
      expect(w).toContain(`${CLAUDE_TESTED.from}-${CLAUDE_TESTED.to}`);
      expect(w).toContain(`@anthropic-ai/claude-code@${CLAUDE_TESTED.to}`);
      expect(w).not.toContain('\n');
    }
  });
});

describe('agent version in the snapshot', () => {
  it('asks the executable once per run, records it on every session, warns once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'axiom-version-'));
    const count = join(dir, 'count');
    const bin = join(dir, 'agent');
    writeFileSync(bin, `#!/bin/sh\necho x >> '${count}'\necho '2.0.9 (Claude Code)'\n`, { mode: 0o755 });
    const profile: AgentProfile = {
      name: 'test',
      usesHooks: false,
      idleMs: 1000,
      launch: () => ({ file: '/bin/sh', args: [], env: {}, promptInArgs: false }),
      submitSteps: (text) => typeAndSubmit(text, 0, true),
      interruptSequence: () => '\x03',
      detect: () => 'idle',
      stableRows: (_l, y) => y,
      version: { file: bin, args: ['--version'], parse: parseClaudeVersion, untested: claudeVersionWarning },
    };
    // The engine's own timings, not the unit tests' fast ones.
    const { manager, ptys } = fakeManager(profile, { timings: undefined });
    const warnings: string[] = [];
    manager.on('warning', (m) => warnings.push(m));
    const a = manager.spawn({}).id;
    const b = manager.spawn({}).id;
    await until(
      manager,
      () => manager.get(a)?.agentVersion === '2.0.9' && manager.get(b)?.agentVersion === '2.0.9',
      'both sessions carry the version',
    );
    expect(warnings.filter((w) => w.includes('claude 2.0.9 is outside'))).toHaveLength(1);
    expect(readFileSync(count, 'utf8').trim().split('\n')).toHaveLength(1);
    for (const p of ptys) p.exit(0);
    await manager.shutdown();
  });
});
