/**
 * `axiom resume` in-process: each problem is one line naming the run or the session, and the
 * sessions that can come back still do (a real `sh` agent, restarted: it keeps no conversation).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MANIFEST_VERSION, type ManifestSession, manifestPath, readManifest } from '../../src/engine/runs.js';
import { type CliResult, runCli } from '../helpers/cli.js';

let dir: string;
let stateDir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'axiom-resume-cli-'));
  stateDir = join(dir, 'state');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** `axiom ...args` in this process, on this test's state dir and folder. */
const axiom = (...args: string[]): Promise<CliResult> =>
  runCli([...args, '--state-dir', stateDir, '--cwd', dir]);

const sh = (n: number, over: Partial<ManifestSession> = {}): ManifestSession => ({
  n,
  agent: 'generic',
  agentCommand: 'sh',
  agentArgs: [],
  command: ['/bin/sh'],
  cwd: dir,
  applied: false,
  prompts: [{ at: 1, text: 'true' }],
  status: 'COMPLETED',
  startedAt: 1,
  turnDurations: [10],
  ...over,
});

function store(runId: string, body: unknown): string {
  const d = join(stateDir, 'runs', runId);
  mkdirSync(d, { recursive: true });
  writeFileSync(manifestPath(d), typeof body === 'string' ? body : JSON.stringify(body));
  return d;
}
const run = (runId: string, sessions: ManifestSession[]) => ({
  version: MANIFEST_VERSION,
  runId,
  cwd: dir,
  startedAt: 1,
  updatedAt: 1,
  pid: 999_999_999,
  sessions,
});

describe('axiom resume', () => {
  it('refuses in one line: no run, a corrupt manifest, one from a newer axiom, headless without a follow-up', async () => {
    expect(await axiom('resume', '--headless', '--prompt', 'x')).toEqual({
      out: '',
      err: `axiom: no axiom run started here (${dir}) to resume; give RUN (axiom runs --all lists every run)\n`,
      code: 1,
    });
    const bad = store('r-bad', '{"version": 1, "sess');
    let r = await axiom('resume', 'r-bad', '--headless', '--prompt', 'x');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      new RegExp(
        `^axiom: run r-bad: corrupt manifest ${manifestPath(bad)} \\(.+\\): this run cannot be resumed; delete ${bad} or fix the file\\n$`,
      ),
    );
    // The latest run here is unreadable: said, not skipped in silence.
    r = await axiom('resume', '--headless', '--prompt', 'x');
    expect(r.err).toMatch(/^axiom: run r-bad: corrupt manifest .*\n$/);
    const newer = store('r-new', { ...run('r-new', [sh(1)]), version: MANIFEST_VERSION + 1 });
    r = await axiom('resume', 'r-new', '--headless', '--prompt', 'x');
    expect(r.err).toBe(
      `axiom: run r-new: ${manifestPath(newer)} is manifest version ${MANIFEST_VERSION + 1}, newer than this axiom reads (${MANIFEST_VERSION}): upgrade axiom to resume it\n`,
    );
    store('r1', run('r1', [sh(1)]));
    r = await axiom('resume', 'r1', '--headless');
    expect(r).toMatchObject({
      code: 2,
      err: 'axiom: headless resume needs a follow-up: axiom resume --headless --prompt "…"\n',
    });
    expect(await axiom('resume', 'r2', '--headless', '--prompt', 'x')).toMatchObject({
      code: 1,
      err: `axiom: no run r2 in ${stateDir} (axiom runs lists them)\n`,
    });
  });

  it('a session whose cwd is gone is named; the others resume; one killed on purpose stays ended', async () => {
    const gone = join(dir, 'gone');
    const d = store('r1', run('r1', [sh(1), sh(2, { cwd: gone }), sh(3, { killedOnPurpose: true })]));
    const r = await axiom('resume', '--headless', '--prompt', 'echo resumed-$((40+2))');
    expect(r.err).toContain(
      `axiom: session r1:2 not resumed: its cwd ${gone} no longer exists; restore it and run axiom resume r1 again\n`,
    );
    expect(r.err).toContain('axiom: #3 stays ended: it was killed on purpose\n');
    expect(r.err).toContain(
      'axiom: #1 restarted: no conversation to resume (generic keeps none axiom knows)\n',
    );
    expect(r.out).toMatch(/^\[1\] resumed-42$/m);
    expect(r.code).toBe(0);
    const m = readManifest(d);
    expect(m?.sessions.map((s) => [s.n, s.resumed ?? null])).toEqual([
      [1, 'restarted'],
      [2, null],
      [3, null],
    ]);
    expect(m?.sessions[0]?.prompts.map((p) => p.text)).toEqual(['true', 'echo resumed-$((40+2))']);
    // Listed: resumable again (its axiom is gone), #3 marked.
    const listed = await axiom('runs');
    expect(listed.out).toMatch(/^r1 .*, resumable: axiom resume r1$/m);
    expect(listed.out).toContain('(killed on purpose: not resumed)');
  }, 30_000);
});
