/**
 * 5. Latency.
 *  (a) Enter in the prompt box → first byte at the agent's PTY: axiom's UI in tmux driving a
 *      timestamping agent (bench/lib/stamp-agent.mjs), against tmux send-keys straight to the same
 *      agent in a tmux pane (the key path without axiom); plus the engine alone (SessionManager.send
 *      → first byte).
 *  (b) The real claude CLI against the fake Messages API: SessionManager.send on a RUNNING session
 *      (interrupt + redirect) → the API sees its stream closed, and → it receives the new direction.
 *      Reference: the same done by hand on claude alone in tmux (Esc, then type the text and Enter).
 *  (c) axiom_spawn round trip over MCP stdio (StdioClientTransport against `axiom mcp`), against a
 *      ping round trip on the same connection (the protocol floor).
 */
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { SessionManager } from '../dist/engine/session-manager.js';
import { startAxiom, waitScreen } from './lib/axiom-ui.mjs';
import { claudeSetup } from './lib/claude-rig.mjs';
import { AXIOM, alternate, benchTmp, LIB, mono, percentile, shq, sleep, until } from './lib/common.mjs';
import { field, mmm, ratio, table } from './lib/report.mjs';
import { startInTmux } from './lib/tmux-run.mjs';

export const name = 'latency';
export const title = '5. Latency: Enter → PTY, interrupt/redirect of real claude, MCP spawn round trip';

const STAMP = join(LIB, 'stamp-agent.mjs');
const KEYS = 8;

function stamps(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const i = l.indexOf(' ');
      return { t: Number(l.slice(0, i)), text: JSON.parse(l.slice(i + 1)) };
    });
}

const firstStamp = (file, pred, since) => stamps(file).find((s) => s.t >= since && pred(s.text));

// ---- (a) ----

async function enterAxiom() {
  const file = join(benchTmp(), `stamps-${process.pid}-${Date.now()}.txt`);
  const run = await startAxiom({
    sessions: 1,
    cols: 120,
    rows: 40,
    watch: 'NEVER-MATCHES',
    script: () => `exec node ${shq(STAMP)} ${shq(file)}`,
  });
  const out = [];
  try {
    await waitScreen(run, (s) => /COMPLETED/.test(s), 'the first turn to complete', 30000);
    for (let k = 0; k < KEYS; k++) {
      const word = `hello${k}x`;
      await run.type(word);
      await sleep(300);
      const t0 = await run.key('Enter');
      const s = await until(
        () => firstStamp(file, (x) => x.includes(word), t0),
        `"${word}" at the agent`,
        10000,
        5,
      );
      out.push(s.t - t0);
      // The generic profile ends the turn after 1.5 s of quiet; send the next one at idle.
      await waitScreen(run, (sc) => / RUNNING /.test(sc), 'the turn to start', 20000);
      await waitScreen(run, (sc) => / COMPLETED /.test(sc), 'the turn to complete', 20000);
      await sleep(200);
    }
  } finally {
    await run.stop();
    rmSync(file, { force: true });
  }
  return { p50: percentile(out, 50), all: out };
}

async function enterTmux() {
  const file = join(benchTmp(), `stamps-${process.pid}-${Date.now()}.txt`);
  const run = await startInTmux({ cols: 120, rows: 40, command: `node ${shq(STAMP)} ${shq(file)}` });
  const out = [];
  try {
    await until(() => existsSync(file), 'the stamping agent', 10000);
    await sleep(500);
    for (let k = 0; k < KEYS; k++) {
      const t0 = await run.key('Enter');
      const s = await until(
        () => firstStamp(file, (x) => x.includes('\r'), t0),
        'Enter at the agent',
        10000,
        5,
      );
      out.push(s.t - t0);
      await sleep(300);
    }
  } finally {
    await run.stop();
    rmSync(file, { force: true });
  }
  return { p50: percentile(out, 50), all: out };
}

async function enterEngine() {
  const file = join(benchTmp(), `stamps-${process.pid}-${Date.now()}.txt`);
  const state = mkdtempSync(join(benchTmp(), 'state-'));
  const m = new SessionManager({ stateDir: state, hooks: false });
  const out = [];
  try {
    const s = m.spawn({ agent: `node ${STAMP} ${file}`, cols: 118, rows: 35 });
    const idle = () => ['WAITING', 'COMPLETED'].includes(m.get(s.id)?.status ?? '');
    await until(idle, 'the agent to be ready', 10000);
    for (let k = 0; k < KEYS; k++) {
      const word = `hello${k}x`;
      const t0 = mono();
      const sent = m.send(s.id, word);
      const st = await until(
        () => firstStamp(file, (x) => x.includes(word), t0),
        'the text at the agent',
        10000,
        2,
      );
      out.push(st.t - t0);
      await sent;
      await until(idle, 'the turn to complete', 10000);
    }
  } finally {
    await m.shutdown();
    rmSync(state, { recursive: true, force: true });
    rmSync(file, { force: true });
  }
  return { p50: percentile(out, 50), all: out };
}

// ---- (b) ----

const PROMPT = 'Analyze all possible sorting algorithms in detail';
const startClaude = () => claudeSetup({ chunkDelayMs: 60 }, 'axiom-bench-claude-');

async function redirectEngine() {
  const rig = await startClaude();
  const m = new SessionManager({
    env: rig.env,
    stateDir: join(rig.work, '.axiom-state'),
    claude: { bin: rig.claudeBin },
  });
  try {
    const s = m.spawn({ prompt: PROMPT, cwd: rig.work, cols: 118, rows: 35 });
    const first = await rig.api.waitForRequest(
      (r) => r.kind === 'main' && /sorting algorithms/.test(r.lastUserText),
      60000,
    );
    await until(
      () => /analysis line 5\b/.test(m.session(s.id).screen.plainLines().join('\n')),
      'streaming',
      60000,
    );
    const t0 = Date.now();
    const sent = m.send(s.id, 'Stop. Just say hello instead');
    const closed = await rig.api.waitForClose((r) => r.id === first.id, 15000);
    const next = await rig.api.waitForRequest(
      (r) => r.kind === 'main' && /say hello/.test(r.lastUserText),
      15000,
    );
    await sent;
    return { interrupt: closed.endedAt - t0, redirect: next.startedAt - t0 };
  } finally {
    await m.shutdown();
    await rig.cleanup();
  }
}

/** Through the UI: the new direction typed in the prompt box of a running session, then Enter. */
async function redirectUi() {
  const rig = await startClaude();
  const run = await startInTmux({
    cols: 120,
    rows: 40,
    env: rig.env,
    cwd: rig.work,
    command: `node ${shq(AXIOM)} spawn ${shq(PROMPT)}`,
  });
  try {
    const first = await rig.api.waitForRequest(
      (r) => r.kind === 'main' && /sorting algorithms/.test(r.lastUserText),
      60000,
    );
    await until(async () => /analysis line 5\b/.test(await run.capture()), 'streaming', 60000, 50);
    await run.type('Stop. Just say hello instead');
    await sleep(300);
    const t0 = Date.now();
    await run.key('Enter');
    const closed = await rig.api.waitForClose((r) => r.id === first.id, 15000);
    const next = await rig.api.waitForRequest(
      (r) => r.kind === 'main' && /say hello/.test(r.lastUserText),
      15000,
    );
    return { interrupt: closed.endedAt - t0, redirect: next.startedAt - t0 };
  } finally {
    await run.stop(20000);
    await rig.cleanup();
  }
}

/** The same by hand on claude alone in tmux: Esc; once the stream is closed, type and press Enter. */
async function redirectTmux() {
  const rig = await startClaude();
  const env = { ...rig.env, CLAUDE_CODE_DISABLE_ALTERNATE_SCREEN: '1' };
  const run = await startInTmux({
    cols: 120,
    rows: 37,
    env,
    cwd: rig.work,
    command: `${shq(rig.claudeBin)} ${shq(PROMPT)}`,
  });
  try {
    const first = await rig.api.waitForRequest(
      (r) => r.kind === 'main' && /sorting algorithms/.test(r.lastUserText),
      60000,
    );
    await until(async () => /analysis line 5\b/.test(await run.capture()), 'streaming', 60000, 50);
    const t0 = Date.now();
    await run.key('Escape');
    const closed = await rig.api.waitForClose((r) => r.id === first.id, 15000);
    await run.type('Stop. Just say hello instead');
    await sleep(200); // as axiom does: claude takes text + Enter in one write as a paste
    await run.key('Enter');
    const next = await rig.api.waitForRequest(
      (r) => r.kind === 'main' && /say hello/.test(r.lastUserText),
      15000,
    );
    return { interrupt: closed.endedAt - t0, redirect: next.startedAt - t0 };
  } finally {
    await run.stop();
    await rig.cleanup();
  }
}

// ---- (c) ----

async function mcpRoundTrips() {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'axiom-bench-mcp-')));
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [AXIOM, 'mcp', '--root', root, '--max-sessions', '64', '--agent', 'bash --norc --noprofile'],
    env: { ...process.env, AXIOM_STATE_DIR: join(root, '.state') },
    stderr: 'pipe',
    cwd: root,
  });
  const client = new Client({ name: 'axiom-bench', version: '1.0.0' });
  await client.connect(transport);
  const spawn = [];
  const list = [];
  try {
    // Warm up (module loading, JIT, the client's output-schema validators): not measured. No
    // tools/list inside the loop: the SDK client rebuilds its validators after every listing.
    await client.listTools();
    for (let i = 0; i < 3; i++) await client.ping();
    await client.callTool({ name: 'axiom_spawn', arguments: { prompt: 'echo warm', parallel: true } });
    for (let i = 0; i < 20; i++) {
      await sleep(50);
      let t = mono();
      await client.ping();
      list.push(mono() - t);
      t = mono();
      const r = await client.callTool({
        name: 'axiom_spawn',
        arguments: { prompt: `echo ${i}`, parallel: true },
      });
      spawn.push(mono() - t);
      if (r.isError) throw new Error(`axiom_spawn failed: ${JSON.stringify(r.content)}`);
    }
  } finally {
    await client.close().catch(() => {});
    rmSync(root, { recursive: true, force: true });
  }
  return { spawn: percentile(spawn, 50), list: percentile(list, 50), spawnAll: spawn, listAll: list };
}

export async function run({ runs, log, only }) {
  const parts = only ?? ['enter', 'claude', 'mcp'];
  const raw = {};
  if (parts.includes('enter')) {
    log('(a) Enter → first byte at the PTY');
    raw.enter = await alternate({ axiom: enterAxiom, tmux: enterTmux, engine: enterEngine }, runs, {
      log: (s) => log(s.replace(/"all":\[[^\]]*\]/, '"all":[…]')),
    });
  }
  if (parts.includes('claude')) {
    log('(b) interrupt/redirect of real claude');
    raw.claude = await alternate({ ui: redirectUi, engine: redirectEngine, tmux: redirectTmux }, runs, {
      log,
    });
  }
  if (parts.includes('mcp')) {
    log('(c) MCP axiom_spawn round trip');
    raw.mcp = await alternate({ mcp: mcpRoundTrips }, runs, {
      log: (s) => log(s.replace(/"(spawn|list)All":\[[^\]]*\]/g, '"$1All":[…]')),
    });
  }
  return { name, title, raw, text: report(raw, { runs }) };
}

/** The markdown for measured results (also re-rendered from bench/results by `run.mjs --report`). */
export function report(raw, { runs }) {
  const text = [];
  if (raw.enter) {
    const r = raw.enter;
    const p50 = (k) => field(r[k], 'p50');
    const all = (k) => r[k].flatMap((x) => x.all);
    text.push(
      '**(a) Enter → first byte at the agent’s PTY.** A timestamping agent records when input arrives. ' +
        `${KEYS} presses per round (each at idle, after a typed word), ${runs} rounds; per-round medians, then their median (min–max).`,
      '',
      table(
        ['subject', 'ms: median of round p50s (min–max)', '× tmux', 'p95 of all presses'],
        [
          [
            'axiom UI in tmux: Enter → the prompt text at the agent',
            mmm(p50('axiom'), 1),
            ratio(p50('axiom'), p50('tmux')),
            percentile(all('axiom'), 95).toFixed(1),
          ],
          [
            'axiom engine: SessionManager.send → the text at the agent',
            mmm(p50('engine'), 1),
            ratio(p50('engine'), p50('tmux')),
            percentile(all('engine'), 95).toFixed(1),
          ],
          [
            'tmux send-keys Enter → the agent (reference path)',
            mmm(p50('tmux'), 1),
            '1',
            percentile(all('tmux'), 95).toFixed(1),
          ],
        ],
      ),
      '',
    );
  }
  if (raw.claude) {
    const r = raw.claude;
    text.push(
      '**(b) Interrupt and redirect a running claude turn** (claude 2.1.332, fake Messages API streaming ~1 line per 60 ms). ' +
        'axiom UI: the text typed in the prompt box, then Enter (timed from Enter); axiom engine: `SessionManager.send(id, text)` on the RUNNING session ' +
        '(both: Esc, wait until claude shows it stopped, type, ~200 ms, Enter). ' +
        'Reference: claude alone in tmux, Esc, then once the stream is closed, the same text, 200 ms, Enter.',
      '',
      table(
        [
          'subject',
          'send → stream closed ms',
          '× reference',
          'target',
          'send → new direction received ms',
          '× reference',
          'target',
        ],
        [
          [
            'axiom UI in tmux: Enter in the prompt box',
            mmm(field(r.ui, 'interrupt'), 0),
            ratio(field(r.ui, 'interrupt'), field(r.tmux, 'interrupt')),
            '< 300',
            mmm(field(r.ui, 'redirect'), 0),
            ratio(field(r.ui, 'redirect'), field(r.tmux, 'redirect')),
            '< 1000',
          ],
          [
            'axiom engine',
            mmm(field(r.engine, 'interrupt'), 0),
            ratio(field(r.engine, 'interrupt'), field(r.tmux, 'interrupt')),
            '< 300',
            mmm(field(r.engine, 'redirect'), 0),
            ratio(field(r.engine, 'redirect'), field(r.tmux, 'redirect')),
            '< 1000',
          ],
          [
            'claude alone in tmux (by hand)',
            mmm(field(r.tmux, 'interrupt'), 0),
            '1',
            '',
            mmm(field(r.tmux, 'redirect'), 0),
            '1',
            '',
          ],
        ],
      ),
      '',
    );
  }
  if (raw.mcp) {
    const r = raw.mcp;
    const sp = field(r.mcp, 'spawn');
    const li = field(r.mcp, 'list');
    text.push(
      '**(c) `axiom_spawn` round trip over MCP stdio** (`@modelcontextprotocol/client` StdioClientTransport → `node bin/axiom.js mcp --agent "bash"`), ' +
        `after a warm-up spawn, 20 spawns per round (parallel: true, each a new session, 50 ms apart), ${runs} rounds; reference: MCP ping round trips interleaved on the same connection.`,
      '',
      table(
        ['call', 'p50 ms: median of rounds (min–max)', '× ping', 'target'],
        [
          ['axiom_spawn', mmm(sp, 1), ratio(sp, li), '< 20 ms'],
          ['ping (protocol floor)', mmm(li, 1), '1', ''],
        ],
      ),
    );
  }
  return text.join('\n');
}
