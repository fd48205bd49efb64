/** The last test or command a session ran, from the command records of its agent's log. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCheckCommand, parseClaudeRecord } from '../../src/agents/claude-log.js';
import type { TextRecord } from '../../src/agents/profile.js';
import { LastCheckTracker } from '../../src/engine/last-check.js';
import { repoRoot } from '../helpers/claude-env.js';

/**
 * claude 2.1.332 against the fake API (context records left out): "run the tests" → Bash `ls`,
 * then `python3 -m unittest -q test_fib` exits 1; "fix it" → Write fib.py, the same test passes.
 */
const BASH_LOG = readFileSync(join(repoRoot(), 'test', 'fixtures', 'claude-2.1.332-bash.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map(parseClaudeRecord);

const TEST = 'python3 -m unittest -q test_fib';

describe("claude's Bash calls in its log", () => {
  it('gives each command when it starts and its result when it ends, paired by the call id', () => {
    const commands = BASH_LOG.flatMap((r) => r.commands ?? []);
    expect(commands.map(({ command, check, ok }) => ({ command, check, ok }))).toEqual([
      { command: 'ls', check: false, ok: undefined },
      { command: undefined, check: undefined, ok: true },
      { command: TEST, check: true, ok: undefined },
      { command: undefined, check: undefined, ok: false }, // "Exit code 1", is_error
      { command: undefined, check: undefined, ok: true }, // the Write's result
      { command: TEST, check: true, ok: undefined },
      { command: undefined, check: undefined, ok: true },
    ]);
    expect(commands[1]?.callId).toBe(commands[0]?.callId);
    expect(commands[3]?.callId).toBe(commands[2]?.callId);
    expect(commands[6]?.callId).toBe(commands[5]?.callId);
  });

  it('tells test runs, builds and linters from other commands', () => {
    for (const c of [
      'npm test',
      'npm run build',
      'pytest -q',
      'go test ./...',
      'cargo clippy',
      'make',
      'npx tsc --noEmit',
    ])
      expect(isCheckCommand(c), c).toBe(true);
    for (const c of ['ls', 'cat test_fib.py', 'python3 fib.py', 'test -f x', '[ -d build ]', 'git status'])
      expect(isCheckCommand(c), c).toBe(false);
  });
});

describe('LastCheckTracker', () => {
  it('follows the real log: the failing test, then the passing one', () => {
    const t = new LastCheckTracker();
    const seen: Array<string | undefined> = [];
    BASH_LOG.forEach((r, i) => {
      if (t.take([r], 1000 + i)) seen.push(`${t.last?.command} ${t.last?.ok ? 'passed' : 'failed'}`);
    });
    expect(seen).toEqual(['ls passed', `${TEST} failed`, `${TEST} passed`]);
    expect(t.last).toMatchObject({ command: TEST, ok: true, check: true });
  });

  it('a plain command after a test does not hide the test; a result without its start is ignored', () => {
    const t = new LastCheckTracker();
    const rec = (commands: TextRecord['commands']): TextRecord => ({ lines: [], commands });
    expect(t.take([rec([{ callId: 'x', ok: false }])], 1)).toBe(false);
    expect(t.last).toBeUndefined();
    t.take([rec([{ callId: 'a', command: 'npm test', check: true }]), rec([{ callId: 'a', ok: false }])], 2);
    expect(
      t.take(
        [
          rec([
            { callId: 'b', command: 'ls', check: false },
            { callId: 'b', ok: true },
          ]),
        ],
        3,
      ),
    ).toBe(false);
    expect(t.last).toEqual({ command: 'npm test', ok: false, at: 2, check: true });
    // A started command without a result yet changes nothing.
    expect(t.take([rec([{ callId: 'c', command: 'npm test', check: true }])], 4)).toBe(false);
    expect(t.take([rec([{ callId: 'c', ok: true }])], 5)).toBe(true);
    expect(t.last).toEqual({ command: 'npm test', ok: true, at: 5, check: true });
  });
});
