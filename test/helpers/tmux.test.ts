/**
 * The tmux test helper's kill: a server already gone says nothing (tests that kill in a finally
 * printed 'no server running on …' into every run's output), other complaints of tmux still show.
 * The helper runs in a child node (bundled with esbuild) because tmux writes to the process's own
 * stderr, below what a spy on process.stderr sees.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
let helper: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'axiom-tmux-helper-'));
  helper = join(dir, 'tmux.mjs');
  buildSync({
    entryPoints: [join(__dirname, 'tmux.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: helper,
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run `body` (with `t`, a Tmux in `dir`) in a child node; its stderr and exit status. */
function run(body: string, env: NodeJS.ProcessEnv = process.env): { stderr: string; status: number | null } {
  const script = `const { Tmux } = await import(${JSON.stringify(pathToFileURL(helper).href)});
const t = new Tmux(${JSON.stringify(dir)});
${body}`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env,
    timeout: 20_000,
  });
  return { stderr: r.stderr, status: r.status };
}

describe('Tmux.kill', () => {
  it('is quiet for a server that never ran', () => {
    expect(run('t.kill();')).toEqual({ stderr: '', status: 0 });
  });

  it('closes a running server, and is quiet when called again', () => {
    const r =
      run(`t.start(['sleep', '30'], {}, ${JSON.stringify(dir)}, ${JSON.stringify(join(dir, 'err.txt'))});
console.error(t.capture() === '' ? 'not running' : 'running');
t.kill();
console.error(t.capture() === '' ? 'gone' : 'still there');
t.kill();`);
    expect(r).toEqual({ stderr: 'running\ngone\n', status: 0 });
  });

  it('is quiet when a call reaches a server that is still exiting', () => {
    // CI (c47827c) saw this: capture-pane right after kill-server connected to the server while it
    // exited, and tmux said 'server exited unexpectedly'. A fake tmux says it every time here.
    const bin = join(dir, 'bin-exiting');
    mkdirSync(bin);
    writeFileSync(join(bin, 'tmux'), '#!/bin/sh\necho "server exited unexpectedly" >&2\nexit 1\n', {
      mode: 0o755,
    });
    const r = run("console.error(t.capture() === '' ? 'gone' : 'still there'); t.kill();", {
      ...process.env,
      PATH: `${bin}:${process.env.PATH ?? ''}`,
    });
    expect(r).toEqual({ stderr: 'gone\n', status: 0 });
  });

  it('still shows any other complaint of tmux', () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'tmux'), '#!/bin/sh\necho "tmux: something else went wrong" >&2\nexit 1\n', {
      mode: 0o755,
    });
    const r = run('t.kill();', { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` });
    expect(r).toEqual({ stderr: 'tmux: something else went wrong\n', status: 0 });
  });
});
