/**
 * The engine and `axiom spawn --headless` driving the real claude CLI against the fake Messages API.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { SessionManager } from '../../src/engine/session-manager.js';
import type { SessionSnapshot } from '../../src/engine/types.js';
import { type FakeAnthropic, startFakeAnthropic } from '../fixtures/fake-anthropic.js';
import { type ClaudeEnv, claudeBin, makeClaudeEnv, repoRoot } from '../helpers/claude-env.js';
import { waitNoProcesses } from '../helpers/procs.js';
import { until } from '../helpers/until.js';

const AXIOM = join(repoRoot(), 'bin', 'axiom.js');
const built = existsSync(join(repoRoot(), 'dist', 'cli', 'main.js'));

/** Engine wait with the sessions' state in the error. */
function untilWithState(m: SessionManager, pred: () => boolean, what: string, ms = 30000): Promise<void> {
  return until(
    m,
    pred,
    what,
    ms,
    () => `sessions: ${JSON.stringify(m.list().map((s) => [s.status, s.reason, s.lastLine]))}`,
  );
}

describe('real claude through axiom', () => {
  let api: FakeAnthropic;
  let work: string;
  let cenv: ClaudeEnv;
  let manager: SessionManager | undefined;

  beforeAll(async () => {
    api = await startFakeAnthropic({ chunkDelayMs: 60 });
  });
  afterAll(async () => {
    await api.close();
  });

  async function setup(baseUrl = api.url): Promise<Record<string, string>> {
    work = realpathSync(mkdtempSync(join(tmpdir(), 'axiom-e2e-work-')));
    // 'auto': axiom itself must pin claude's classic renderer.
    cenv = await makeClaudeEnv({ workDir: work, baseUrl, tui: 'auto' });
    return { ...cenv.env, AXIOM_CLAUDE_BIN: claudeBin(), AXIOM_STATE_DIR: join(work, '.axiom-state') };
  }

  afterEach(async () => {
    await manager?.shutdown();
    manager = undefined;
    await waitNoProcesses('HOME', cenv.home);
    await cenv.cleanup();
  });

  it.runIf(built)('headless spawn writes hello.py, reports the file and COMPLETED, exits 0', async () => {
    const env = await setup();
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
      (resolve) => {
        execFile(
          process.execPath,
          [
            AXIOM,
            'spawn',
            'Write hello.py that counts to 10 slowly',
            '--',
            '--permission-mode',
            'acceptEdits',
          ],
          { cwd: work, env, timeout: 60000 },
          (err, stdout, stderr) =>
            resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      },
    );
    expect(stderr).toMatch(/transcripts in /);
    expect(stdout).toMatch(/\[1\] ● STARTING → RUNNING/);
    expect(stdout).toContain(`[1] ✎ Write ${join(work, 'hello.py')}`);
    expect(stdout).toMatch(/\[1\] ● RUNNING → COMPLETED in \d+\.\ds/);
    expect(stdout).toContain('[1] ● Write(hello.py)');
    expect(code).toBe(0);
    expect(readFileSync(join(work, 'hello.py'), 'utf8')).toMatch(/time\.sleep/);
    // The transcript on disk holds the session's bytes and its plain text.
    const runs = join(work, '.axiom-state', 'runs');
    expect(existsSync(runs)).toBe(true);
  });

  it('redirect during a long answer cuts it and the API receives the new direction', async () => {
    const env = await setup();
    manager = new SessionManager({ env, stateDir: join(work, '.axiom-state'), claude: { bin: claudeBin() } });
    const m = manager;
    const s = m.spawn({
      prompt: 'Analyze all possible sorting algorithms in detail',
      cwd: work,
      agentArgs: ['--permission-mode', 'acceptEdits'],
      cols: 100,
      rows: 30,
    });
    const first = await api.waitForRequest(
      (r) => r.kind === 'main' && r.cwd === work && /sorting algorithms/.test(r.lastUserText),
      30000,
    );
    await until(
      m,
      () => /Sorting analysis line 5\b/.test(m.session(s.id)!.screen.plainLines().join('\n')),
      'streaming',
    );
    expect(m.get(s.id)?.status).toBe('RUNNING');
    const t0 = Date.now();
    await m.send(s.id, 'Stop analyzing! Just implement quicksort.py');
    const closed = await api.waitForClose((r) => r.id === first.id, 5000);
    expect(closed.closedByClient).toBe(true);
    const next = await api.waitForRequest(
      (r) => r.kind === 'main' && r.cwd === work && /quicksort/.test(r.lastUserText),
      15000,
    );
    expect(next.startedAt - t0).toBeLessThan(15000);
    await untilWithState(m, () => m.get(s.id)?.status === 'COMPLETED', 'the redirected turn to complete');
    const snap = m.get(s.id) as SessionSnapshot;
    expect(snap.filesWritten.map((f) => f.path)).toEqual([join(work, 'quicksort.py')]);
    expect(readFileSync(join(work, 'quicksort.py'), 'utf8')).toMatch(/def quicksort/);
    expect(first.replyText).not.toMatch(/line 400/);
    const text = m.output(s.id, 0).text;
    expect(text).toMatch(/Interrupted/);
    expect(text).toMatch(/Stop analyzing! Just implement quicksort\.py/);
    // No spinner frames or input box in the plain-text output.
    expect(text).not.toMatch(/esc to interrupt/);
  });

  it('three parallel sessions stream at once; interrupting one leaves the others running', async () => {
    // Its own API at the default pace (9 s per answer, not 3.6): three claudes starting at once on
    // two cores started up to 3.5 s apart on Node 24 in a CI run, and one answer was over before
    // the last one showed line 3.
    const api = await startFakeAnthropic({ chunkDelayMs: 150 });
    onTestFinished(() => api.close());
    const env = await setup(api.url);
    manager = new SessionManager({ env, stateDir: join(work, '.axiom-state'), claude: { bin: claudeBin() } });
    const m = manager;
    const ids = [1, 2, 3].map(
      () =>
        m.spawn({
          prompt: 'Implement fibonacci in Python, JavaScript, and Go',
          cwd: work,
          cols: 80,
          rows: 24,
        }).id,
    );
    const streaming = (id: string, n: number) =>
      new RegExp(`fib line ${n}\\b`).test(
        m.session(id)!.screen.plainLines().join('\n') + m.output(id, 0).text,
      );
    await untilWithState(m, () => ids.every((id) => streaming(id, 3)), 'all three streaming', 40000);
    const open = api.requests.filter((r) => r.kind === 'main' && r.cwd === work && r.endedAt === undefined);
    expect(open.length).toBe(3);
    const [a, b, c] = ids as [string, string, string];
    await m.interrupt(b);
    expect(m.get(b)?.status).toBe('INTERRUPTED');
    expect(m.get(a)?.status).toBe('RUNNING');
    expect(m.get(c)?.status).toBe('RUNNING');
    await until(
      m,
      () => m.get(a)?.status === 'COMPLETED' && m.get(c)?.status === 'COMPLETED',
      'the other two to finish',
      60000,
    );
    expect(m.get(b)?.status).toBe('INTERRUPTED');
    expect(api.requests.filter((r) => r.kind === 'main' && r.cwd === work && r.closedByClient)).toHaveLength(
      1,
    );
  });
});
