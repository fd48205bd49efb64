/**
 * Shared rig for the fault suite: a real SessionManager over real PTYs running
 * test/fixtures/fault-agent.mjs, every process tagged with an environment marker so the test can
 * prove none is left behind, and helpers that compare transcripts with what the fixture wrote.
 */
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { genericProfile } from '../../src/agents/generic.js';
import type { AgentProfile } from '../../src/agents/profile.js';
import { type ManagerOptions, SessionManager } from '../../src/engine/session-manager.js';
import { IDLE_STATUSES, type SessionSnapshot } from '../../src/engine/types.js';
import { processesWithEnv, waitNoProcesses } from '../helpers/procs.js';
import { until } from '../helpers/until.js';

export const FAULT_AGENT = fileURLToPath(new URL('../fixtures/fault-agent.mjs', import.meta.url));
export const FAKE_AGENT = fileURLToPath(new URL('../fixtures/fake-agent.mjs', import.meta.url));
export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = join(REPO, 'bin', 'axiom.js');
export const BUILT = existsSync(join(REPO, 'dist', 'cli', 'main.js'));

/** The environment variable that marks every process one test starts. */
export const TAG_VAR = 'AXIOM_FAULT_TAG';

/** A generic-agent command line running the fault agent in `mode`. */
export function agent(mode: string): string {
  return `${process.execPath} ${FAULT_AGENT} ${mode}`;
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface Rig {
  m: SessionManager;
  tag: string;
  stateDir: string;
  /** Kill everything, prove no tagged process is left, remove the temp dir. */
  close(): Promise<void>;
}

/** A manager with transcripts in a temp dir and every agent tagged. */
export function rig(
  opts: ManagerOptions & { idleMs?: number; profile?: (a: string) => AgentProfile } = {},
): Rig {
  const tag = randomUUID();
  const stateDir = mkdtempSync(join(tmpdir(), 'axiom-fault-'));
  const m = new SessionManager({
    stateDir,
    hooks: false,
    profileFor: opts.profile ?? ((a) => genericProfile(a, opts.idleMs ?? 300)),
    env: { ...process.env, [TAG_VAR]: tag },
    ...opts,
    timings: { killGraceMs: 500, ...opts.timings },
  });
  return {
    m,
    tag,
    stateDir,
    async close() {
      await m.shutdown();
      await waitNoProcesses(TAG_VAR, tag, 5000);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Live processes carrying this rig's tag. */
export function tagged(r: Rig): number[] {
  return processesWithEnv(TAG_VAR, r.tag);
}

export { until };

/** Committed output plus the live screen, as plain text. */
export function textOf(m: SessionManager, id: string): string {
  const s = m.session(id);
  return `${m.output(id, 0).text}\n${s ? s.screen.plainLines().join('\n') : ''}`;
}

/** Wait until the session's text matches `re`; returns the match. */
export async function waitText(
  m: SessionManager,
  id: string,
  re: RegExp,
  ms = 10_000,
): Promise<RegExpExecArray> {
  await until(m, () => re.test(textOf(m, id)), `${re} in #${id}`, ms);
  return re.exec(textOf(m, id)) as RegExpExecArray;
}

/** Wait until the committed text log (what `output` serves) matches `re`. */
export async function waitLog(
  m: SessionManager,
  id: string,
  re: RegExp,
  ms = 10_000,
): Promise<RegExpExecArray> {
  await until(m, () => re.test(m.output(id, 0).text), `${re} in the log of #${id}`, ms);
  return re.exec(m.output(id, 0).text) as RegExpExecArray;
}

export function waitStatus(
  m: SessionManager,
  id: string,
  pred: (s: SessionSnapshot) => boolean,
  what: string,
  ms = 10_000,
): Promise<void> {
  return until(m, () => pred(m.get(id) as SessionSnapshot), `#${id} ${what}`, ms);
}

/** Wait until the session is ready for a prompt (idle: not starting, not running). */
export function waitReady(m: SessionManager, id: string, ms = 10_000): Promise<void> {
  return waitStatus(m, id, (s) => IDLE_STATUSES.has(s.status) || s.status === 'WAITING', 'ready', ms);
}

/** Resolves once the session has exited and its transcript is flushed and closed. */
export async function ended(m: SessionManager, id: string): Promise<SessionSnapshot> {
  await m.session(id)?.ended;
  return m.get(id) as SessionSnapshot;
}

/** The raw transcript of a session (after it ended). */
export function rawTranscript(m: SessionManager, s: SessionSnapshot): Buffer {
  if (!m.runDir) throw new Error('transcripts are off');
  return readFileSync(join(m.runDir, `${s.n}.raw`));
}

/** Size and sha256 of a raw transcript, read in chunks (it may be a gigabyte). */
export function rawTranscriptStats(m: SessionManager, s: SessionSnapshot): { bytes: number; sha256: string } {
  if (!m.runDir) throw new Error('transcripts are off');
  const fd = openSync(join(m.runDir, `${s.n}.raw`), 'r');
  const h = createHash('sha256');
  const buf = Buffer.allocUnsafe(8 << 20);
  let bytes = 0;
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) {
      h.update(buf.subarray(0, n));
      bytes += n;
    }
  } finally {
    closeSync(fd);
  }
  return { bytes, sha256: h.digest('hex') };
}

/**
 * A second session that streams numbered lines the whole time: a fault elsewhere must not stop
 * it. `stillServing()` resolves once it has printed a few more lines than when called.
 */
export function canary(m: SessionManager): { id: string; stillServing(): Promise<void> } {
  const { id } = m.spawn({ agent: agent('stream 5') });
  const count = (): number => {
    const all = [...textOf(m, id).matchAll(/fault (\d{7})/g)];
    return all.length ? Number(all[all.length - 1]?.[1]) : 0;
  };
  return {
    id,
    async stillServing() {
      const from = count();
      await until(m, () => count() >= from + 5, `canary #${id} to keep streaming`);
      const s = m.get(id);
      if (s?.status === 'EXITED' || s?.status === 'FAILED') throw new Error(`canary ended: ${s.reason}`);
    },
  };
}

/** A temp dir removed by the caller. */
export function tempDir(prefix = 'axiom-fault-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
