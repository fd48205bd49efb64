import { readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settingsFrom } from '../../src/cli/settings.js';

describe('settingsFrom: flags over environment over a base (config file) over defaults', () => {
  it('defaults', () => {
    expect(settingsFrom({}, {})).toEqual({
      agent: 'claude',
      agentArgs: [],
      cwd: process.cwd(),
      stateDir: join(homedir(), '.axiom'),
      scrollback: 2000,
      worktree: 'auto',
      notify: 'both',
      onStatus: undefined,
      terminal: { escape: 'osc9', tmux: false },
      claudeBin: 'claude',
      claudeFullscreen: false,
      fallbacks: { inkCaches: true, xtermSyncParse: true, xtermRows: true },
    });
    expect(settingsFrom({ worktree: false }, {}, { worktree: true }).worktree).toBe(false);
    expect(settingsFrom({}, {}, { worktree: true }).worktree).toBe(true);
  });

  it('the environment fills what flags leave out; a base fills what both leave out', () => {
    const env = {
      AXIOM_STATE_DIR: '/s/env',
      AXIOM_CLAUDE_BIN: '/bin/claude-env',
      AXIOM_CLAUDE_FULLSCREEN: '1',
      AXIOM_INK_CACHE: '0',
      AXIOM_XTERM_ASYNC: '1',
      AXIOM_XTERM_ROWS: '0',
    };
    const base = { agent: 'bash', stateDir: '/s/base', claudeBin: '/bin/claude-base', scrollback: 7 };
    expect(settingsFrom({}, env, base)).toMatchObject({
      agent: 'bash',
      stateDir: '/s/env',
      scrollback: 7,
      claudeBin: '/bin/claude-env',
      claudeFullscreen: true,
      fallbacks: { inkCaches: false, xtermSyncParse: false, xtermRows: false },
    });
    expect(settingsFrom({}, {}, base)).toMatchObject({ stateDir: '/s/base', claudeBin: '/bin/claude-base' });
    expect(
      settingsFrom({ stateDir: '/s/flag', agent: 'sh', cwd: 'rel', scrollback: 9 }, env, base),
    ).toMatchObject({
      agent: 'sh',
      cwd: resolve('rel'),
      stateDir: '/s/flag',
      scrollback: 9,
    });
  });

  it('--no-transcripts wins over every state dir; empty variables count as unset', () => {
    expect(settingsFrom({ transcripts: false, stateDir: '/x' }, { AXIOM_STATE_DIR: '/y' }).stateDir).toBe(
      false,
    );
    expect(settingsFrom({}, { AXIOM_STATE_DIR: '', AXIOM_CLAUDE_BIN: '' })).toMatchObject({
      stateDir: join(homedir(), '.axiom'),
      claudeBin: 'claude',
    });
  });

  it('nothing below src/cli reads an AXIOM_* variable: they arrive as options', () => {
    const root = resolve(import.meta.dirname, '../../src');
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (
          !relative(root, p).startsWith('cli/') &&
          /process\.env(\.|\[')AXIOM_/.test(readFileSync(p, 'utf8'))
        )
          offenders.push(relative(root, p));
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});
