/**
 * No orphans after kill -9 of axiom. Measured before the watchdog (same agent, same kill): the
 * agent's own shell died of the hangup, and its `setsid` and `nohup` children lived on for good.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readManifest } from '../../src/engine/runs.js';
import { repoRoot } from '../helpers/claude-env.js';
import { processesWithEnv, waitNoProcesses } from '../helpers/procs.js';
import { Tmux } from '../helpers/tmux.js';

const AXIOM = join(repoRoot(), 'bin', 'axiom.js');
const built = existsSync(join(repoRoot(), 'dist', 'ui', 'run.js'));

describe.runIf(built)('the watchdog', () => {
  let work: string;
  let tmux: Tmux | undefined;
  afterEach(async () => {
    tmux?.kill();
    for (const p of processesWithEnv('AXIOM_TEST_HOME', work)) process.kill(p, 'SIGKILL');
    rmSync(work, { recursive: true, force: true });
  });

  it('kill -9 of axiom: the agents and what they left in sessions of their own go, then the watchdog', async () => {
    work = realpathSync(mkdtempSync(join(tmpdir(), 'axiom-watchdog-')));
    const state = join(work, '.state');
    tmux = new Tmux(work, 120, 30);
    tmux.start(
      [
        process.execPath,
        AXIOM,
        '--agent',
        'bash --norc --noprofile',
        'spawn',
        '--parallel',
        '2',
        'setsid sleep 301 & nohup sleep 302 >/dev/null 2>&1 & echo STARTED-$((6*7))',
      ],
      {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: work,
        AXIOM_TEST_HOME: work,
        AXIOM_STATE_DIR: state,
        TERM: 'xterm-256color',
      },
      work,
      join(work, 'axiom.stderr'),
    );
    // Two shells, each with its two sleeps. A forked child runs as sh until it execs sleep: wait
    // for the sleep itself (CI on Node 22 read the list in between: no sleeper yet).
    const cmdline = (p: number) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ');
      } catch {
        return '';
      }
    };
    const sleeperNow = () =>
      processesWithEnv('AXIOM_TEST_HOME', work).find((p) => cmdline(p).startsWith('sleep 301'));
    await tmux.waitFor(
      () => processesWithEnv('AXIOM_TEST_HOME', work).length >= 7 && sleeperNow() !== undefined,
      'two shells and four sleeps',
      30000,
    );
    const sleeper = sleeperNow() as number;
    const tag = /AXIOM_RUN_TAG=([^\0]+)/.exec(readFileSync(`/proc/${sleeper}/environ`, 'utf8'))?.[1];
    expect(tag).toMatch(/^[0-9a-f-]{36}$/);
    const watchdogs = () =>
      readdirSync('/proc')
        .filter((p) => /^\d+$/.test(p))
        .filter((p) => {
          try {
            return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(tag as string);
          } catch {
            return false;
          }
        });
    expect(watchdogs()).toHaveLength(1);
    const runs = readdirSync(join(state, 'runs'));
    const pid = readManifest(join(state, 'runs', runs[0] as string))?.pid as number;
    process.kill(pid, 'SIGKILL');
    await waitNoProcesses('AXIOM_TEST_HOME', work, 5000);
    const end = Date.now() + 5000;
    while (watchdogs().length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(watchdogs()).toEqual([]);
  }, 60_000);
});
