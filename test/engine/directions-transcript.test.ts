/**
 * Issue 14 §2: the transcript records who sent each direction once an attached client is
 * involved. Before, only the event line and the run manifest did; the `.txt` had no mark.
 * A real SessionManager over fake PTYs, transcripts in a temp dir.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { genericProfile } from '../../src/agents/generic.js';
import { SessionManager } from '../../src/engine/session-manager.js';
import { fakePtyFactory } from '../helpers/fake-pty.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

it("a client's session marks each direction with who sent it in the .txt; the person's own do not", async () => {
  dir = mkdtempSync(join(tmpdir(), 'axiom-directions-'));
  const f = fakePtyFactory();
  const m = new SessionManager({
    ptyFactory: f.factory,
    stateDir: dir,
    hooks: false,
    profileFor: (agent) => genericProfile(agent, 50),
    signal: (pid) => {
      setImmediate(() => f.ptys.find((p) => p.pid === pid)?.exit(0, 15));
      return [];
    },
    timings: { batchMs: 5 },
  });
  const theirs = m.spawn({ agent: 'cat', prompt: 'a', owner: 'orchestrator' });
  const mine = m.spawn({ agent: 'cat', prompt: 'b' });
  const quiet = (p: Promise<void>) => void p.catch(() => undefined);
  quiet(m.send(theirs.id, 'use the\nnew API', { from: 'orchestrator' }));
  quiet(m.send(theirs.id, 'no, the old one'));
  m.write(theirs.id, 'typed\r');
  quiet(m.send(mine.id, 'just mine'));
  const txt = (id: string) => (m.get(id)?.transcriptPath ?? '').replace(/\.raw$/, '.txt');
  const paths = [txt(theirs.id), txt(mine.id)];
  const done = m.shutdown();
  for (const p of f.ptys) p.exit(0, 15);
  await done;
  const lines = readFileSync(paths[0] as string, 'utf8').split('\n');
  expect(lines.filter((l) => l.startsWith('» '))).toEqual([
    '» orchestrator: use the new API',
    '» person: no, the old one',
    '» person: typed',
  ]);
  expect(readFileSync(paths[1] as string, 'utf8')).not.toContain('» ');
});
