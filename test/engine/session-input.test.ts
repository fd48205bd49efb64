/**
 * The input side alone: a fake host (terminal writes recorded, a screen given by the test) and
 * a real TurnTracker on a manual clock; no PTY, no emulator.
 */
import { describe, expect, it, vi } from 'vitest';
import { claudeHookEvents } from '../../src/agents/claude.js';
import type { AgentProfile, ScreenState } from '../../src/agents/profile.js';
import { typeAndSubmit } from '../../src/agents/profile.js';
import { SessionInput } from '../../src/engine/session-input.js';
import { type TurnHost, TurnTracker } from '../../src/engine/turns.js';

function make() {
  const writes: string[] = [];
  const warnings: string[] = [];
  const profile: AgentProfile = {
    name: 'test',
    usesHooks: true,
    hookEvents: claudeHookEvents,
    idleMs: 1000,
    launch: () => ({ file: 'x', args: [], env: {}, promptInArgs: false }),
    submitSteps: (t) => typeAndSubmit(t, 0, false),
    interruptSequence: () => '\x1b',
    detect: (): ScreenState => 'idle',
    stableRows: () => 0,
  };
  let input: SessionInput | undefined;
  const host: TurnHost = {
    cwd: () => '/w',
    exited: () => false,
    lines: () => [],
    cursorRow: () => 0,
    commitStable: () => {},
    parsePending: () => false,
    paused: () => false,
    lastOutputAt: () => undefined,
    atInput: () => true,
    typeInitialPrompt: () => {},
    status: () => {},
    output: () => {},
    file: () => {},
    wake: () => input?.wake(),
  };
  const turns = new TurnTracker(profile, { log: undefined, read: () => {}, fallBack: () => {} }, host, '');
  input = new SessionInput({
    n: 1,
    profile,
    timings: { interruptWaitMs: 200, readyWaitMs: 50 },
    turns,
    exited: () => false,
    write: (d) => writes.push(d),
    screen: () => ({ lines: [], cursorRow: 0 }),
    warning: (m) => warnings.push(m),
    output: () => {},
  });
  return { input, turns, writes, warnings };
}

describe('session input', () => {
  it('refuses control characters and empty prompts before anything is written', async () => {
    const { input, writes } = make();
    await expect(input.send('a\x07b')).rejects.toThrow(/control character 0x07 at offset 1/);
    await expect(input.send('   ')).rejects.toThrow('empty prompt');
    expect(writes).toEqual([]);
  });

  it('a send to an agent that never gets ready fails with the reason, recorded as sendError', async () => {
    const { input, writes, warnings } = make();
    await expect(input.send('hi')).rejects.toThrow('#1 did not become ready in 50 ms');
    expect(input.sendError).toBe('#1 did not become ready in 50 ms');
    expect(warnings).toEqual(['#1 did not become ready in 50 ms']);
    expect(writes).toEqual([]);
  });

  it('an interrupt at idle is pressed once; a second one soon after is dropped (no double Esc)', async () => {
    vi.useFakeTimers();
    try {
      const { input, turns, writes } = make();
      turns.launched({ runsItself: false }, 10);
      await vi.advanceTimersByTimeAsync(10);
      expect(turns.currentStatus).toBe('COMPLETED');
      await input.interrupt();
      await input.interrupt();
      expect(writes).toEqual(['\x1b']);
      await vi.advanceTimersByTimeAsync(1500);
      await input.interrupt();
      expect(writes).toEqual(['\x1b', '\x1b']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a condition is checked again on every wake: true once it holds, false when the time runs out', async () => {
    const { input } = make();
    let ok = false;
    const held = input.waitFor(() => ok, 10_000);
    input.wake();
    ok = true;
    input.wake();
    expect(await held).toBe(true);
    expect(await input.waitFor(() => false, 5)).toBe(false);
  });
});
