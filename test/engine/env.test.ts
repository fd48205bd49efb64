import { describe, expect, it } from 'vitest';
import { claudeProfile } from '../../src/agents/claude.js';
import { SessionManager } from '../../src/engine/session-manager.js';
import { fakePtyFactory } from '../helpers/fake-pty.js';

describe('agent environment', () => {
  it('hides the terminal axiom runs in (tmux, screen) and pins claude to its classic renderer', async () => {
    const f = fakePtyFactory();
    const m = new SessionManager({
      ptyFactory: f.factory,
      stateDir: false,
      hooks: false,
      env: {
        PATH: process.env.PATH,
        TMUX: '/tmp/tmux-0/default,1,0',
        TMUX_PANE: '%1',
        TERM: 'screen',
        TERM_PROGRAM: 'tmux',
        CLAUDECODE: '1',
        KEEP_ME: 'yes',
      },
      profileFor: () => claudeProfile('/bin/sh'),
      signal: () => [],
    });
    m.spawn({ prompt: 'hi' });
    const env = f.ptys[0]!.opts.env;
    expect(env.TMUX).toBeUndefined();
    expect(env.TMUX_PANE).toBeUndefined();
    expect(env.TERM_PROGRAM).toBeUndefined();
    expect(env.CLAUDECODE).toBeUndefined();
    expect(env.TERM).toBe('xterm-256color');
    expect(env.CLAUDE_CODE_DISABLE_ALTERNATE_SCREEN).toBe('1');
    expect(env.KEEP_ME).toBe('yes');
  });
});
