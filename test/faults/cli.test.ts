/**
 * Bad input to the built command line (`node bin/axiom.js`): a state directory that cannot hold
 * transcripts, an MCP root that is missing or a file. Each gets one line on stderr naming the fix,
 * never a stack trace and never a hang; no process is left.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitNoProcesses } from '../helpers/procs.js';
import { agent, BIN, BUILT, TAG_VAR, tempDir } from './helpers.js';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI to its end; SIGKILL it (and fail) past `ms`. Waits until none of its processes is left. */
async function axiom(args: string[], ms = 20_000, stdin = ''): Promise<Run> {
  const tag = randomUUID();
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, [TAG_VAR]: tag },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.on('error', () => {});
  child.stdin.end(stdin);
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('exit', (c, s) => resolve([c, s])),
  );
  clearTimeout(timer);
  await waitNoProcesses(TAG_VAR, tag, 8000);
  if (signal === 'SIGKILL')
    throw new Error(`axiom ${args.join(' ')} hung (killed after ${ms} ms): ${stderr}`);
  return { code, signal, stdout, stderr };
}

const dirs: Array<{ remove(): void }> = [];
afterAll(() => {
  for (const d of dirs) d.remove();
});

function scratch(): string {
  const d = tempDir('axiom-fault-cli-');
  dirs.push(d);
  return d.path;
}

/** Whether this machine lets the tests mount a tmpfs (root in a container usually may). */
const mountable = (() => {
  const probe = tempDir('axiom-tmpfs-probe-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe.path], { stdio: 'ignore' });
    execFileSync('umount', [probe.path], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    probe.remove();
  }
})();

const STACK = /^\s+at /m;

describe.skipIf(!BUILT)('a state directory that cannot hold transcripts', () => {
  /** Each kind of unusable state dir, with the error code the line must name. */
  function cases(): Array<[string, string, RegExp]> {
    const file = join(scratch(), 'a-file');
    writeFileSync(file, 'not a directory');
    return [
      // Node's mkdir {recursive: true} loops forever at 100% CPU here.
      ['inside /proc', '/proc/self/nope/state', /ENOENT/],
      ['a file', file, /ENOTDIR: .*a-file is not a directory/],
      ['/dev/full', '/dev/full', /ENOTDIR: \/dev\/full is not a directory/],
    ];
  }

  it('headless: one line says transcripts are off and why, the session runs, nothing hangs', async () => {
    for (const [what, dir, why] of cases()) {
      const r = await axiom([
        'spawn',
        '--headless',
        '--state-dir',
        dir,
        '--agent',
        agent('input'),
        'hello there',
      ]);
      const lines = r.stderr.split('\n').filter((l) => /transcripts off/.test(l));
      expect(lines, what).toHaveLength(1);
      expect(lines[0], what).toMatch(/^axiom: transcripts off: cannot create transcript directory: /);
      expect(lines[0], what).toMatch(why);
      expect(lines[0], what).toMatch(/; pass --state-dir <a writable directory> .*or --no-transcripts$/);
      expect(r.stderr, what).not.toMatch(STACK);
      // The session itself ran: the agent got the prompt.
      expect(r.stdout, what).toMatch(/\[1\] GOT 11 /);
    }
  }, 120_000);

  it.skipIf(!mountable)(
    'headless: a read-only state dir (a read-only tmpfs) is said the same way',
    async () => {
      const mnt = scratch();
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', mnt]);
      try {
        const r = await axiom(['spawn', '--headless', '--state-dir', mnt, '--agent', agent('input'), 'hi']);
        const lines = r.stderr.split('\n').filter((l) => /transcripts off/.test(l));
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(/cannot create transcript directory: EROFS: read-only file system/);
        expect(r.stdout).toMatch(/\[1\] GOT 2 /);
      } finally {
        execFileSync('umount', [mnt]);
      }
    },
  );
});

describe.skipIf(!BUILT)('axiom mcp --root', () => {
  it('a missing path or a file: one line naming the fix, exit 2, no stack trace', async () => {
    const dir = scratch();
    const file = join(dir, 'file.txt');
    writeFileSync(file, 'x');
    const missing = await axiom(['mcp', '--root', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe(
      `axiom mcp: --root ${join(dir, 'nope')} does not exist; create it or pass --root <an existing directory>\n`,
    );
    const notDir = await axiom(['mcp', '--root', file]);
    expect(notDir.code).toBe(2);
    expect(notDir.stderr).toBe(
      `axiom mcp: --root is not a directory: ${file}; pass --root <a directory> (sessions run inside it)\n`,
    );
  });
});

describe.skipIf(!BUILT)('axiom mcp --attach', () => {
  it('without a UI running here (or a socket a crashed UI left): one line naming the fix, exit 2', async () => {
    const state = scratch();
    const here = realpathSync(process.cwd());
    const none = await axiom(['mcp', '--attach', '--state-dir', state]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe(`axiom mcp: no axiom UI is running in ${here}; start \`axiom\` there first\n`);
    // A UI that crashed left its info file and a socket nothing listens on: removed, same answer.
    mkdirSync(join(state, 'attach'), { mode: 0o700 });
    writeFileSync(
      join(state, 'attach', 'old.json'),
      JSON.stringify({ runId: 'old', pid: 1, root: here, startedAt: 1 }),
    );
    writeFileSync(join(state, 'attach', 'old.sock'), '');
    const stale = await axiom(['mcp', '--attach', '--state-dir', state]);
    expect(stale.stderr).toBe(none.stderr);
    expect(existsSync(join(state, 'attach', 'old.json'))).toBe(false);
    const run = await axiom(['mcp', '--attach', 'nosuchrun', '--state-dir', state]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^axiom mcp: no axiom UI is running as run nosuchrun .*start `axiom` first/);
  });
});

describe.skipIf(!BUILT)('axiom spawn --headless exit codes', () => {
  const headless = (agentCmd: string, prompt: string) =>
    axiom(['spawn', '--headless', '--no-transcripts', '--agent', agentCmd, prompt]);

  it('0 when the agent does its work and exits 0 (it was 1), or finishes its turn', async () => {
    const exited = await headless(agent('input'), 'exit 0');
    expect(exited.stdout).toMatch(/\[1\] ● RUNNING → EXITED/);
    expect(exited.code).toBe(0);
    // At once, before any turn could be seen to end: still a clean exit.
    expect((await headless(agent('emit lines 3 exit0'), 'go')).code).toBe(0);
    const turn = await headless(agent('input'), 'hello');
    expect(turn.stdout).toMatch(/RUNNING → COMPLETED/);
    expect(turn.code).toBe(0);
  }, 120_000);

  it('1 when the agent exits with another code or is killed by a signal; 2 for bad usage', async () => {
    expect((await headless(agent('input'), 'exit 3')).code).toBe(1);
    const killed = await headless(agent('emit lines 3 sigkill'), 'go');
    expect(killed.stdout).toMatch(/killed by signal 9 \(SIGKILL\)/);
    expect(killed.code).toBe(1);
    expect((await axiom(['spawn', '-p', '0', 'x'])).code).toBe(2);
    expect((await axiom(['spawn', '--headless', '--bogus', 'x'])).code).toBe(2);
    expect((await axiom(['spawn', '--headless', ' '])).code).toBe(2);
  }, 120_000);

  it('claude not installed: the first line names the agent, the next names the fix; exit 1', async () => {
    process.env.AXIOM_CLAUDE_BIN = '/nonexistent/claude';
    const r = await axiom(['spawn', '--headless', '--no-transcripts', 'hi']).finally(() => {
      delete process.env.AXIOM_CLAUDE_BIN;
    });
    expect(r.stdout.split('\n')[0]).toMatch(/^\[1\] ● STARTING claude \(cwd /);
    expect(r.stdout).toMatch(/FAILED \(.*not found.*install Claude Code/);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.code).toBe(1);
  });

  it('--help lists them', async () => {
    const help = await axiom(['spawn', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes \(headless\):\n\s+0 +every session finished its turn/);
  });
});

describe.skipIf(!BUILT)('a working directory that was deleted under the shell', () => {
  /** Run `axiom args` from a directory removed just before (as `cd d; rm -r ../d; axiom`). */
  async function fromDeleted(args: string[]): Promise<Run> {
    const dir = join(scratch(), 'gone');
    mkdirSync(dir);
    const child = spawn(
      '/bin/sh',
      ['-c', 'cd "$0" && rmdir "$0" && exec "$@"', dir, process.execPath, BIN, ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('exit', (c, s) => resolve([c, s])),
    );
    clearTimeout(timer);
    return { code, signal, stdout, stderr };
  }

  it('spawn, config, mcp and the UI: one line naming the fix, exit 2, no stack trace; --version still answers', async () => {
    for (const args of [['spawn', '--headless', '--agent', 'sh', 'x'], ['config'], ['mcp'], []]) {
      const r = await fromDeleted(args);
      expect(r.stderr, args.join(' ')).toBe(
        'axiom: the current directory no longer exists; cd to one that does and run axiom again\n',
      );
      expect(r.code, args.join(' ')).toBe(2);
    }
    const v = await fromDeleted(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
