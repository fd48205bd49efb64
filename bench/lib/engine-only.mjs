/**
 * Axiom's engine alone (SessionManager + headless xterm, no UI): one session runs a command,
 * time from spawn to the marker on the session's screen.
 * Usage: node engine-only.mjs COLS ROWS MARKER AGENT_COMMAND_LINE
 * Env AXIOM_BENCH_STATE_DIR: transcript dir (default: transcripts on in a temp dir).
 * Prints {"ms", "bytes", "outputs"} as JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionManager } from '../../dist/engine/session-manager.js';

const [cols, rows, marker, agent] = process.argv.slice(2);
const stateDir = mkdtempSync(join(tmpdir(), 'axiom-bench-state-'));
const m = new SessionManager({ stateDir, hooks: false });
let outputs = 0;
const t0 = process.hrtime.bigint();
const s = m.spawn({ agent, cols: Number(cols), rows: Number(rows), cwd: process.cwd() });
const session = m.session(s.id);
await new Promise((resolve) => {
  const check = () => {
    outputs++;
    const lines = session.screen.plainLines();
    if (lines.some((l) => l.includes(marker))) {
      m.off('output', check);
      resolve();
    }
  };
  m.on('output', check);
});
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
const bytes = m.get(s.id)?.bytesReceived ?? 0;
await m.shutdown();
rmSync(stateDir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ ms, bytes, outputs })}\n`);
process.exit(0);
