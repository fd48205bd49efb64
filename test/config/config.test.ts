import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { explainSettings, loadSettings } from '../../src/cli/load-settings.js';
import {
  ConfigError,
  findProjectConfig,
  loadConfig,
  parseConfig,
  userConfigPath,
} from '../../src/config/config.js';

let root: string;
let home: string;
let repo: string;
let env: Record<string, string>;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'axiom-config-'));
  home = join(root, 'home');
  repo = join(root, 'repo');
  mkdirSync(join(home, '.config', 'axiom'), { recursive: true });
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(join(repo, 'pkg', 'src'), { recursive: true });
  env = {};
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const userFile = () => join(home, '.config', 'axiom', 'config.json');
const projectFile = () => join(repo, 'axiom.config.json');

function err(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error('no error');
}

describe('config files: where', () => {
  it('user file: $XDG_CONFIG_HOME/axiom/config.json, else ~/.config/axiom/config.json', () => {
    expect(userConfigPath({}, '/h')).toBe('/h/.config/axiom/config.json');
    expect(userConfigPath({ XDG_CONFIG_HOME: '/x' }, '/h')).toBe('/x/axiom/config.json');
    expect(userConfigPath({ XDG_CONFIG_HOME: 'relative' }, '/h')).toBe('/h/.config/axiom/config.json');
  });

  it('project file: axiom.config.json here or in the nearest directory above, up to the repository root', () => {
    expect(findProjectConfig(join(repo, 'pkg', 'src'))).toBeUndefined();
    writeFileSync(projectFile(), '{}');
    expect(findProjectConfig(join(repo, 'pkg', 'src'))).toBe(projectFile());
    writeFileSync(join(repo, 'pkg', 'axiom.config.json'), '{}');
    expect(findProjectConfig(join(repo, 'pkg', 'src'))).toBe(join(repo, 'pkg', 'axiom.config.json'));
    // Not above the repository root.
    rmSync(projectFile());
    writeFileSync(join(root, 'axiom.config.json'), '{}');
    expect(findProjectConfig(repo)).toBeUndefined();
  });
});

describe('config files: precedence', () => {
  beforeEach(() => {
    writeFileSync(
      userFile(),
      `{
        // the user's defaults
        "agent": "aider --yes",
        "scrollback": 5000,
        "notify": "bell",
        "onStatus": "notify-send axiom",
        "agentArgs": ["--model", "sonnet"],
        "transcripts": false,
      }`,
    );
    writeFileSync(projectFile(), '{ "scrollback": 3000, "stateDir": "state", "worktree": false }');
  });

  it('project over user over defaults', () => {
    const { settings } = loadSettings({ cwd: join(repo, 'pkg') }, env, home);
    expect(settings).toMatchObject({
      agent: 'aider --yes',
      agentArgs: ['--model', 'sonnet'],
      scrollback: 3000,
      // The project's stateDir (relative to the file) wins over the user's transcripts: false.
      stateDir: join(repo, 'state'),
      worktree: false,
      notify: 'bell',
      onStatus: 'notify-send axiom',
      claudeBin: 'claude',
    });
  });

  it('flags and AXIOM_* variables over both files; `--` alone clears the agent args', () => {
    const flags = { cwd: repo, agent: 'bash', scrollback: 7, notify: 'none' as const, agentArgs: [] };
    const { settings } = loadSettings(flags, { AXIOM_STATE_DIR: '/s', AXIOM_CLAUDE_BIN: '/c' }, home);
    expect(settings).toMatchObject({
      agent: 'bash',
      agentArgs: [],
      scrollback: 7,
      stateDir: '/s',
      notify: 'none',
      claudeBin: '/c',
    });
    expect(loadSettings({ cwd: repo, transcripts: false }, env, home).settings.stateDir).toBe(false);
  });

  it('without files: the defaults', () => {
    rmSync(userFile());
    rmSync(projectFile());
    const { settings } = loadSettings({ cwd: repo }, env, home);
    expect(settings).toMatchObject({
      agent: 'claude',
      agentArgs: [],
      scrollback: 2000,
      stateDir: join(homedir(), '.axiom'),
      worktree: 'auto',
      notify: 'both',
    });
  });

  it('axiom config names where each value came from', () => {
    const flags = { cwd: repo, notify: 'desktop' as const, scrollback: 9 };
    const loaded = loadSettings(flags, { AXIOM_CLAUDE_BIN: '/c' }, home);
    const sources = (flag: string) => (flag === 'scrollback' ? 'env' : 'cli');
    const rows = explainSettings(loaded, flags, sources, { AXIOM_CLAUDE_BIN: '/c' });
    expect(Object.fromEntries(rows.map((r) => [r.key, `${r.value} ← ${r.source}`]))).toEqual({
      agent: `aider --yes ← ${userFile()}:3`,
      agentArgs: `["--model","sonnet"] ← ${userFile()}:7`,
      scrollback: '9 ← AXIOM_SCROLLBACK',
      stateDir: `${join(repo, 'state')} ← ${projectFile()}:1`,
      worktree: `false ← ${projectFile()}:1`,
      notify: 'desktop ← --notify',
      onStatus: `notify-send axiom ← ${userFile()}:6`,
      claudeBin: '/c ← AXIOM_CLAUDE_BIN',
    });
  });
});

describe('config files: bad input names the file, the line and the fix', () => {
  it.each([
    ['{\n  "scrolback": 10\n}', '2:3: unknown setting "scrolback"; did you mean "scrollback"?'],
    ['{ "notify": "loud" }', '1:13: "notify" must be one of "both", "bell", "desktop", "none"'],
    ['{\n\n "scrollback": 0 }', '3:16: "scrollback" must be a whole number from 1 to 1000000, e.g. 5000'],
    ['{ "agentArgs": "--x" }', '1:16: "agentArgs" must be a list of strings, e.g. ["--model", "sonnet"]'],
    ['{ "worktree": "yes" }', '1:15: "worktree" must be true, false or "auto"'],
    ['{ "agent": "" }', '1:12: "agent" must be a command line, e.g. "claude" in double quotes'],
    ['[]', '1:1: the settings must be an object: { "notify": "bell", ... }'],
    [
      '{ "keys": { "spawn": 5 } }',
      '1:22: keys.spawn must be a key name or a list: "ctrl+t" or ["f2", "ctrl+t"]',
    ],
    [
      '{ "notify": "bell"\n  "x": 1 }',
      '1:19: missing , after the value of "notify"; add a comma between entries',
    ],
  ])('%j', (text, message) => {
    expect(err(() => parseConfig('/p/axiom.config.json', text))).toBe(`/p/axiom.config.json:${message}`);
  });

  it('a file that cannot be read stops axiom too, naming it', () => {
    mkdirSync(projectFile());
    expect(err(() => loadConfig({ cwd: repo, env, home }))).toBe(
      `${projectFile()}: cannot read it (it is a directory); fix its permissions or remove it`,
    );
  });

  it('keys from both files, user first (the project wins a command both set)', () => {
    writeFileSync(userFile(), '{ "keys": { "spawn": "ctrl+t", "zoom": "f2" } }');
    writeFileSync(projectFile(), '{\n "keys": { "spawn": ["ctrl+g"] } }');
    expect(loadConfig({ cwd: repo, env, home }).keys).toEqual([
      { command: 'spawn', keys: ['ctrl+t'], where: `${userFile()}:1` },
      { command: 'zoom', keys: ['f2'], where: `${userFile()}:1` },
      { command: 'spawn', keys: ['ctrl+g'], where: `${projectFile()}:2` },
    ]);
    const { keymap } = loadSettings({ cwd: repo }, env, home);
    expect(keymap.find((c) => c.id === 'spawn')?.bindings[0]?.keys).toEqual(['ctrl+g']);
    expect(keymap.find((c) => c.id === 'zoom')?.bindings[0]?.keys).toEqual(['f2']);
  });
});

describe('config files: the review commands find runs where the files put them', () => {
  it('stateDirOf: --state-dir, then AXIOM_STATE_DIR, then the files, then ~/.axiom; a bad file is a usage error', async () => {
    const { stateDirOf, UserError } = await import('../../src/cli/commands/stored.js');
    writeFileSync(projectFile(), '{ "stateDir": "/runs/here" }');
    expect(stateDirOf(undefined, {}, repo)).toBe('/runs/here');
    expect(stateDirOf(undefined, { AXIOM_STATE_DIR: '/env' }, repo)).toBe('/env');
    expect(stateDirOf('/flag', {}, repo)).toBe('/flag');
    writeFileSync(projectFile(), '{ "stateDir": 5 }');
    expect(() => stateDirOf(undefined, {}, repo)).toThrow(UserError);
    rmSync(projectFile());
    expect(stateDirOf(undefined, { XDG_CONFIG_HOME: join(root, 'none') }, repo)).toBe(
      join(homedir(), '.axiom'),
    );
  });
});
