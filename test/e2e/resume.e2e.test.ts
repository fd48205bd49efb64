/**
 * `axiom resume` end to end, in tmux, with the real claude CLI against the fake Messages API
 * (first token 1.5 s late, like a real API): a turn completes, axiom goes away (Ctrl+C twice, or
 * kill -9), no claude is left, `axiom resume` reopens the session, and the follow-up request the
 * model gets carries the earlier turn.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ManifestSession, readManifest, turnCut } from '../../src/engine/runs.js';
import { type FakeAnthropic, startFakeAnthropic, userTextOf } from '../fixtures/fake-anthropic.js';
import { type ClaudeEnv, claudeBin, makeClaudeEnv, repoRoot } from '../helpers/claude-env.js';
import { processesWithEnv, waitNoProcesses } from '../helpers/procs.js';
import { Tmux } from '../helpers/tmux.js';

const AXIOM = join(repoRoot(), 'bin', 'axiom.js');
const built = existsSync(join(repoRoot(), 'dist', 'ui', 'run.js'));
const paneStatus = (n: number, status: string) => new RegExp(`#${n}\\s+${status}\\b`);

describe.runIf(built)('axiom resume with real claude', () => {
  let api: FakeAnthropic;
  let work: string;
  let cenv: ClaudeEnv;
  const servers: Tmux[] = [];

  beforeAll(async () => {
    api = await startFakeAnthropic({ chunkDelayMs: 80, firstTokenDelayMs: 1500 });
  });
  afterAll(async () => {
    await api.close();
  });
  afterEach(async () => {
    for (const t of servers.splice(0)) t.kill();
    await waitNoProcesses('HOME', cenv.home, 10000);
    await cenv.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  const stateDir = () => join(work, '.state');
  function axiom(args: string[], name: string): Tmux {
    const t = new Tmux(work, 160, 45);
    servers.push(t);
    t.start(
      [process.execPath, AXIOM, ...args],
      { ...cenv.env, AXIOM_CLAUDE_BIN: claudeBin(), AXIOM_STATE_DIR: stateDir() },
      work,
      join(work, `${name}.stderr`),
    );
    return t;
  }
  const runDir = () => {
    const runs = readdirSync(join(stateDir(), 'runs'));
    expect(runs).toHaveLength(1);
    return join(stateDir(), 'runs', runs[0] as string);
  };

  /** First run: one turn completes; returns the session's conversation id. */
  async function firstTurn(): Promise<{ tmux: Tmux; id: string }> {
    work = realpathSync(mkdtempSync(join(tmpdir(), 'axiom-resume-e2e-')));
    cenv = await makeClaudeEnv({ workDir: work, baseUrl: api.url, tui: 'auto' });
    const tmux = axiom(['spawn', 'remember the word pelican-42'], 'first');
    await tmux.waitFor(paneStatus(1, 'COMPLETED'), 'the first turn', 60000);
    const id = readManifest(runDir())?.sessions[0]?.agentSessionId;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    return { tmux, id: id as string };
  }

  /** `axiom resume` reopens #1; a follow-up typed into it reaches the model after the earlier turn. */
  async function resumeAndFollowUp(id: string): Promise<void> {
    const tmux = axiom(['resume'], 'resume');
    await tmux.waitFor(
      (s) => /OK: remember the word pelican-42/.test(s) && /#1/.test(s),
      'the conversation back in #1',
      60000,
    );
    // A process listed can end before its cmdline is read (claude's helpers come and go).
    const argvOf = (p: number): string[] => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
      } catch {
        return [];
      }
    };
    const cmdline = processesWithEnv('HOME', cenv.home)
      .map(argvOf)
      .find((argv) => argv.includes('--resume'));
    expect(cmdline?.[cmdline.indexOf('--resume') + 1]).toBe(id);
    tmux.type('what was the word?');
    tmux.press('Enter');
    const req = await api.waitForRequest(
      (r) => r.kind === 'main' && r.lastUserText.includes('what was the word?'),
      60000,
    );
    const users = (req.body?.messages ?? []).filter((m) => m.role === 'user').map((m) => userTextOf(m));
    expect(users.some((t) => t.includes('remember the word pelican-42'))).toBe(true);
    await tmux.waitFor(/OK: what was the word\?/, 'the answer', 60000);
    const m = readManifest(runDir());
    expect(m?.sessions.map((s) => [s.n, s.agentSessionId, s.resumed])).toEqual([[1, id, 'conversation']]);
    expect(m?.sessions[0]?.prompts.map((p) => p.text)).toEqual([
      'remember the word pelican-42',
      'what was the word?',
    ]);
    tmux.press('C-c');
    tmux.press('C-c');
    await tmux.waitGone();
  }

  it('after Ctrl+C twice: resume continues the conversation', async () => {
    const { tmux, id } = await firstTurn();
    tmux.press('C-c');
    tmux.press('C-c');
    await tmux.waitGone();
    await waitNoProcesses('HOME', cenv.home, 5000);
    await resumeAndFollowUp(id);
  }, 180_000);

  it('after kill -9 of axiom: no claude is left, and resume continues the conversation', async () => {
    const { tmux, id } = await firstTurn();
    const pid = readManifest(runDir())?.pid as number;
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain('axiom');
    process.kill(pid, 'SIGKILL');
    await waitNoProcesses('HOME', cenv.home, 8000);
    tmux.kill();
    await resumeAndFollowUp(id);
  }, 180_000);

  // Before: the session came back COMPLETED with no prompt in its title, as if its last prompt
  // had been answered (claude's log keeps no part of an answer cut by the kill).
  it('kill -9 of axiom mid-turn: the session comes back INTERRUPTED, its prompt in the title, and says so', async () => {
    work = realpathSync(mkdtempSync(join(tmpdir(), 'axiom-resume-e2e-')));
    cenv = await makeClaudeEnv({ workDir: work, baseUrl: api.url, tui: 'auto' });
    const first = axiom(['spawn', 'Analyze sorting algorithms'], 'first');
    await first.waitFor(/Sorting analysis line 3:/, 'the answer streaming', 60000);
    expect(first.capture()).toMatch(paneStatus(1, 'RUNNING'));
    const pid = readManifest(runDir())?.pid as number;
    process.kill(pid, 'SIGKILL');
    await waitNoProcesses('HOME', cenv.home, 8000);
    first.kill();
    const tmux = axiom(['resume'], 'resume');
    await tmux.waitFor(paneStatus(1, 'INTERRUPTED'), 'the cut turn back as interrupted', 60000);
    expect(tmux.capture()).toMatch(/#1\s+INTERRUPTED.*Analyze sorting algorithms/);
    expect(readFileSync(join(work, 'resume.stderr'), 'utf8')).toContain(
      'axiom: #1: its last turn ("Analyze sorting algorithms") did not finish before axiom stopped: send it again to redo it',
    );
    tmux.press('C-c');
    tmux.press('C-c');
    await tmux.waitGone();
    expect(turnCut(readManifest(runDir())?.sessions[0] as ManifestSession)).toBe(true);
  }, 180_000);

  it('a run open in one axiom cannot be resumed in another', async () => {
    const { tmux } = await firstTurn();
    const out = (() => {
      try {
        execFileSync(process.execPath, [AXIOM, 'resume', '--headless', '--prompt', 'x'], {
          cwd: work,
          env: { ...cenv.env, AXIOM_CLAUDE_BIN: claudeBin(), AXIOM_STATE_DIR: stateDir() },
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        return 'exit 0';
      } catch (e) {
        return String((e as { stderr?: string }).stderr);
      }
    })();
    expect(out).toMatch(
      /^axiom: run \S+ is already open in axiom pid \d+ \(sessions #1\): switch to it, or quit it before resuming\n$/,
    );
    tmux.press('C-c');
    tmux.press('C-c');
    await tmux.waitGone();
  }, 120_000);
});
