import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claudeProfile } from '../../src/agents/claude.js';
import { genericProfile } from '../../src/agents/generic.js';
import { DEFAULT_INSTALL_HINT, launchProblem, planLaunch } from '../../src/engine/launch-plan.js';
import { SESSION_TAG_VAR } from '../../src/engine/proc.js';

describe('launch plan', () => {
  it('claude: its session id and prompt on the command line, nested-session and outer-terminal variables gone', () => {
    const plan = planLaunch(
      claudeProfile('claude'),
      { prompt: 'hi', agentArgs: ['--model', 'x'], agentSessionId: '11111111-2222-3333-4444-555555555555' },
      { PATH: '/bin', TMUX: 't', TERM: 'screen', CLAUDECODE: '1', COLORTERM: '24bit', KEEP: 'y' },
      'tag-1',
    );
    expect(plan.command).toEqual([
      'claude',
      '--session-id',
      '11111111-2222-3333-4444-555555555555',
      '--model',
      'x',
      'hi',
    ]);
    expect(plan.spec.agentSessionId).toBe('11111111-2222-3333-4444-555555555555');
    expect(plan.typedPrompt).toBeUndefined();
    expect(plan.env).toEqual({
      PATH: '/bin',
      TERM: 'xterm-256color',
      COLORTERM: '24bit',
      KEEP: 'y',
      CLAUDE_CODE_DISABLE_ALTERNATE_SCREEN: '1',
      [SESSION_TAG_VAR]: 'tag-1',
    });
  });

  it('a generic agent gets its prompt typed once ready, and truecolor by default', () => {
    const plan = planLaunch(genericProfile('bash --norc'), { prompt: 'ls', agentArgs: [] }, {}, 't');
    expect(plan.command).toEqual(['bash', '--norc']);
    expect(plan.typedPrompt).toBe('ls');
    expect(plan.env.COLORTERM).toBe('truecolor');
    expect(
      planLaunch(genericProfile('bash'), { prompt: '', agentArgs: [] }, {}, 't').typedPrompt,
    ).toBeUndefined();
  });

  it('a missing executable names the profile own fix', () => {
    const dir = mkdtempSync(join(tmpdir(), 'axiom-launch-'));
    const claude = launchProblem(dir, 'no-such-agent-7c1', '/nonexistent', claudeProfile().installHint);
    expect(claude).toEqual({
      ok: false,
      reason:
        'command not found on PATH: no-such-agent-7c1; install Claude Code (npm install -g @anthropic-ai/claude-code), set AXIOM_CLAUDE_BIN, or use --agent',
    });
    const generic = launchProblem(dir, 'no-such-agent-7c1', '/nonexistent', genericProfile('x').installHint);
    expect(generic.ok === false && generic.reason.endsWith(`; ${DEFAULT_INSTALL_HINT}`)).toBe(true);
    expect(launchProblem(dir, '/bin/sh', undefined)).toEqual({ ok: true, path: '/bin/sh' });
  });

  it('a working directory that is missing or a file says so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'axiom-launch-'));
    const file = join(dir, 'f');
    writeFileSync(file, '');
    expect(launchProblem(join(dir, 'gone'), 'sh', '/bin')).toEqual({
      ok: false,
      reason: `working directory does not exist: ${join(dir, 'gone')} (create it or pass --cwd)`,
    });
    expect(launchProblem(file, 'sh', '/bin')).toEqual({
      ok: false,
      reason: `working directory is not a directory: ${file}`,
    });
  });
});
