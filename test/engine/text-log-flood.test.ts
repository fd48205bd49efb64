/**
 * The plain-text log keeps every line of a flood of short lines. A PTY read can carry tens of
 * thousands of lines, more than the scrollback holds: lines must be committed before the
 * terminal trims them, not only on the batch timer. (Before the fix, `seq 1 300000` left ~25%
 * of its lines in the log, silently.)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { genericProfile } from '../../src/agents/generic.js';
import { SessionManager } from '../../src/engine/session-manager.js';
import { until } from '../helpers/until.js';

let m: SessionManager | undefined;
let dir: string | undefined;
afterEach(async () => {
  await m?.shutdown();
  if (dir) rmSync(dir, { recursive: true, force: true });
  m = undefined;
  dir = undefined;
});

it('a flood of short lines reaches the text log and the .txt transcript whole, in order', async () => {
  dir = mkdtempSync(join(tmpdir(), 'axiom-flood-'));
  const N = 300_000;
  m = new SessionManager({
    stateDir: dir,
    hooks: false,
    scrollback: 1000,
    profileFor: (a) => genericProfile(a, 400),
  });
  const s = m.spawn({ agent: `sh -c "seq 1 ${N}; echo DONE-MARK; exec sleep 60"`, cols: 80, rows: 24 });
  const session = m.session(s.id);
  await until(
    m,
    () => session?.screen.plainLines().some((l) => l.includes('DONE-MARK')) ?? false,
    'the end',
    60_000,
  );
  const txt = (m.get(s.id)?.transcriptPath ?? '').replace(/\.raw$/, '.txt');
  await m.shutdown();
  const lines = readFileSync(txt, 'utf8').split('\n');
  const numbers = lines.filter((l) => /^\d+$/.test(l)).map(Number);
  expect(numbers.length).toBe(N);
  expect(numbers.every((n, i) => n === i + 1)).toBe(true);
});
