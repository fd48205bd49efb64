/** `axiom config` and a malformed file, through the built command line (a child process each). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/claude-env.js';

const AXIOM = join(repoRoot(), 'bin', 'axiom.js');
const built = existsSync(join(repoRoot(), 'dist', 'cli', 'main.js'));

describe.runIf(built)('axiom config', () => {
  let root: string;
  let repo: string;
  beforeEach(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'axiom-config-cli-')));
    repo = join(root, 'repo');
    mkdirSync(join(root, 'xdg', 'axiom'), { recursive: true });
    mkdirSync(join(repo, '.git'), { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const run = (...args: string[]) => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: root, XDG_CONFIG_HOME: join(root, 'xdg') };
    const r = spawnSync(process.execPath, [AXIOM, ...args], {
      cwd: repo,
      env,
      encoding: 'utf8',
      timeout: 20000,
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it('prints the configuration in effect and where each value came from', () => {
    writeFileSync(
      join(root, 'xdg', 'axiom', 'config.json'),
      '{\n  "notify": "bell",\n  "keys": { "spawn": "ctrl+t" }\n}',
    );
    writeFileSync(join(repo, 'axiom.config.json'), '{ "scrollback": 3000 }');
    const r = run('config', '--agent', 'bash', '--', '--model', 'x');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const line = (key: string) => r.out.split('\n').find((l) => l.trimStart().startsWith(`${key} `)) ?? '';
    expect(line('agent')).toMatch(/^ {2}agent +bash +--agent$/);
    expect(line('agentArgs')).toMatch(/\["--model","x"\] +-- \(command line\)$/);
    expect(line('scrollback')).toMatch(new RegExp(`3000 +${join(repo, 'axiom.config.json')}:1$`));
    expect(line('notify')).toMatch(new RegExp(`bell +${join(root, 'xdg', 'axiom', 'config.json')}:2$`));
    expect(line('worktree')).toMatch(/auto +default$/);
    expect(line('spawn')).toMatch(new RegExp(`Ctrl\\+T +${join(root, 'xdg', 'axiom', 'config.json')}:3$`));
    expect(line('zoom')).toMatch(/Ctrl\+O +default$/);
    const json = JSON.parse(run('config', '--json').out) as { settings: { key: string; value: string }[] };
    expect(json.settings.find((s) => s.key === 'scrollback')?.value).toBe('3000');
  });

  it('a malformed file stops every command with one line naming the file, the line and the fix', () => {
    writeFileSync(join(repo, 'axiom.config.json'), '{\n  "notify": "bell"\n  "scrollback": 5\n}');
    for (const args of [['config'], ['spawn', '--headless', 'hi'], ['mcp']]) {
      const r = run(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toBe(
        `axiom: ${join(repo, 'axiom.config.json')}:2:19: missing , after the value of "notify"; add a comma between entries\n`,
      );
    }
  });

  it('a refused key binding stops axiom too', () => {
    writeFileSync(join(repo, 'axiom.config.json'), '{ "keys": { "spawn": "tab" } }');
    const r = run('spawn', '--headless', 'hi');
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `axiom: ${join(repo, 'axiom.config.json')}:1: Tab is bound to both spawn and focus-next; rebind focus-next too, or choose another key\n`,
    );
  });
});
