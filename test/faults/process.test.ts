/**
 * Process-level faults for the built CLI: SIGINT, SIGTERM and SIGHUP to `axiom spawn --headless`
 * and to `axiom mcp`, an uncaught exception and an unhandled rejection inside axiom (injected with
 * a preload), and stdout closing under `axiom spawn --headless | head`. Every case: every session
 * is killed, every transcript is flushed (sha256 of what the agents wrote), no process is left.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { emitted, onlcr } from '../fixtures/fault-data.mjs';
import { waitNoProcesses } from '../helpers/procs.js';
import { agent, BIN, BUILT, sha256, TAG_VAR, tempDir } from './helpers.js';

const PRELOAD = pathToFileURL(fileURLToPath(new URL('../fixtures/crash-preload.mjs', import.meta.url))).href;
const LINES = 300;
const WANT = sha256(onlcr(emitted('lines', LINES)));

interface Run {
  proc: ChildProcessWithoutNullStreams;
  tag: string;
  state: string;
  out: () => string;
  err: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const dirs: Array<{ remove(): void }> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

function run(args: string[], env: Record<string, string> = {}): Run {
  const d = tempDir('axiom-fault-cli-');
  dirs.push(d);
  const tag = randomUUID();
  const state = join(d.path, 'state');
  const proc = spawn(process.execPath, ['--import', PRELOAD, BIN, ...args], {
    cwd: d.path,
    env: { ...process.env, AXIOM_STATE_DIR: state, [TAG_VAR]: tag, ...env },
  });
  let out = '';
  let err = '';
  proc.stdout.on('data', (b: Buffer) => {
    out += b.toString();
  });
  proc.stderr.on('data', (b: Buffer) => {
    err += b.toString();
  });
  proc.stdin.on('error', () => {});
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { proc, tag, state, out: () => out, err: () => err, exit };
}

async function until(pred: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every raw transcript of the run, by session number. */
function transcripts(r: Run): Map<number, string> {
  const runs = join(r.state, 'runs');
  const [only] = readdirSync(runs);
  const dir = join(runs, only as string);
  const out = new Map<number, string>();
  for (const f of readdirSync(dir)) {
    const m = /^(\d+)\.raw$/.exec(f);
    if (m) out.set(Number(m[1]), sha256(readFileSync(join(dir, f))));
  }
  return out;
}

/** Headless spawn of two fault agents that write LINES lines and wait; resolves once both did. */
async function headless(env?: Record<string, string>): Promise<Run> {
  const r = run(['spawn', '--headless', '-p', '2', '--agent', agent(`emit lines ${LINES} wait`), 'go'], env);
  await until(() => /^\[1\] <<END>>$/m.test(r.out()) && /^\[2\] <<END>>$/m.test(r.out()), 'both agents done');
  return r;
}

/** `axiom mcp` with two fault agents that wrote LINES lines; resolves once both did. */
async function mcp(env?: Record<string, string>): Promise<Run> {
  const r = run(['mcp', '--agent', agent(`emit lines ${LINES} wait`)], env);
  const send = (m: object) => r.proc.stdin.write(`${JSON.stringify(m)}\n`);
  send({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'f', version: '1' } },
  });
  send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  send({
    jsonrpc: '2.0',
    id: 2,
    method: 'tools/call',
    params: { name: 'axiom_spawn', arguments: { prompt: 'go', spawnCount: 2, parallel: true } },
  });
  for (let i = 3; ; i++) {
    const before = r.out().length;
    send({ jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'axiom_status', arguments: {} } });
    await until(() => r.out().length > before && r.out().endsWith('\n'), 'a status answer');
    const last = JSON.parse(r.out().trim().split('\n').at(-1) as string) as {
      result?: { structuredContent?: { tasks: Array<{ lastLine: string }> } };
    };
    const tasks = last.result?.structuredContent?.tasks ?? [];
    if (tasks.length === 2 && tasks.every((t) => t.lastLine === '<<END>>')) return r;
    await new Promise((res) => setTimeout(res, 50));
  }
}

async function expectCleanEnd(r: Run): Promise<void> {
  await waitNoProcesses(TAG_VAR, r.tag, 8000);
  expect(transcripts(r)).toEqual(
    new Map([
      [1, WANT],
      [2, WANT],
    ]),
  );
}

describe.skipIf(!BUILT)('signals and crashes kill every session and flush transcripts', () => {
  it.each([
    ['SIGINT', { code: 130, signal: null }],
    ['SIGTERM', { code: 143, signal: null }],
    ['SIGHUP', { code: null, signal: 'SIGHUP' }],
  ] as const)('%s to `axiom spawn --headless`', async (sig, want) => {
    const r = await headless();
    r.proc.kill(sig);
    expect(await r.exit).toEqual(want);
    await expectCleanEnd(r);
    expect(r.err()).not.toMatch(/fatal/);
  });

  it.each([
    ['SIGINT', { code: 130, signal: null }],
    ['SIGTERM', { code: 143, signal: null }],
    ['SIGHUP', { code: null, signal: 'SIGHUP' }],
  ] as const)('%s to `axiom mcp`', async (sig, want) => {
    const r = await mcp();
    r.proc.kill(sig);
    expect(await r.exit).toEqual(want);
    await expectCleanEnd(r);
    expect(r.err()).not.toMatch(/fatal/);
  });

  it.each([
    ['an uncaught exception', {}, /axiom: fatal: Error: injected fault/],
    ['an unhandled rejection', { AXIOM_CRASH: 'reject' }, /axiom: fatal: Error: injected rejection/],
  ] as const)(
    '%s in `axiom spawn --headless`: exit 1 with the error, sessions killed',
    async (_what, env, msg) => {
      const r = await headless(env);
      r.proc.kill('SIGUSR2');
      expect(await r.exit).toEqual({ code: 1, signal: null });
      expect(r.err()).toMatch(msg);
      await expectCleanEnd(r);
    },
  );

  it('an uncaught exception in `axiom mcp`: exit 1 with the error, sessions killed', async () => {
    const r = await mcp();
    r.proc.kill('SIGUSR2');
    expect(await r.exit).toEqual({ code: 1, signal: null });
    expect(r.err()).toMatch(/axiom: fatal: Error: injected fault/);
    await expectCleanEnd(r);
  });

  it('stdout closed under `axiom spawn --headless | head`: a one-line note, sessions killed', async () => {
    const r = run(['spawn', '--headless', '-p', '2', '--agent', agent('stream 2'), 'go']);
    await until(() => r.out().includes('fault 0000010'), 'output');
    r.proc.stdout.destroy();
    expect(await r.exit).toEqual({ code: 141, signal: null });
    expect(r.err()).toMatch(/^axiom: output closed \(EPIPE\); stopping every session$/m);
    expect(r.err()).not.toMatch(/fatal|at .*\.js/);
    await waitNoProcesses(TAG_VAR, r.tag, 8000);
  });

  it('a prompt with control characters is refused with the reason; nothing is left', async () => {
    const r = run(['spawn', '--headless', '--agent', agent('input'), 'bad\x1b[2Jprompt']);
    expect(await r.exit).toEqual({ code: 1, signal: null });
    expect(r.out()).toMatch(/\[1\] ● FAILED .*initial prompt contains control character 0x1b at offset 3/);
    await waitNoProcesses(TAG_VAR, r.tag, 8000);
  });
});
