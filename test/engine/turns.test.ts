/**
 * Turn tracking alone: a fake host (screen lines, output state) and a clock driven by hand, no
 * PTY, no screen emulator, no real time.
 */
import { describe, expect, it } from 'vitest';
import { claudeHookEvents } from '../../src/agents/claude.js';
import type { AgentProfile, ScreenState } from '../../src/agents/profile.js';
import type { Clock, Timer } from '../../src/engine/clock.js';
import { type TurnHost, type TurnText, TurnTracker } from '../../src/engine/turns.js';
import type { FileEvent, SessionStatus } from '../../src/engine/types.js';

function manualClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  let next = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    // The tracker only hands timers back to clearTimeout: a number stands in for Node's Timeout.
    setTimeout: (fn, ms) => {
      timers.set(++next, { at: now + ms, fn });
      return next as unknown as Timer;
    },
    clearTimeout: (t) => {
      timers.delete(t as unknown as number);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = end;
    },
  };
}

function profile(overrides: Partial<AgentProfile> = {}): AgentProfile {
  return {
    name: 'test',
    usesHooks: true,
    hookEvents: claudeHookEvents,
    idleMs: 1000,
    launch: () => ({ file: 'x', args: [], env: {}, promptInArgs: false }),
    submitSteps: () => [],
    interruptSequence: () => '\x1b',
    detect: (): ScreenState => 'idle',
    stableRows: () => 0,
    ...overrides,
  };
}

function make(p: AgentProfile, prompt = '') {
  const clock = manualClock();
  const statuses: SessionStatus[] = [];
  const files: FileEvent[] = [];
  const typed: string[] = [];
  let lines: string[] = [];
  const host: TurnHost = {
    cwd: () => '/w',
    exited: () => false,
    lines: () => lines,
    cursorRow: () => 0,
    commitStable: () => {},
    parsePending: () => false,
    paused: () => false,
    lastOutputAt: () => undefined,
    atInput: () => true,
    typeInitialPrompt: (t) => typed.push(t),
    status: () => statuses.push(t.currentStatus),
    output: () => {},
    file: (f) => files.push(f),
    wake: () => {},
  };
  // The screen is the text source: no log to wait for.
  const text: TurnText = { log: undefined, read: () => {}, fallBack: () => {} };
  const t = new TurnTracker(p, text, host, prompt, clock);
  const screen = (state: ScreenState, shown: string[] = []) => {
    lines = shown;
    t.onScreenState(state, shown);
  };
  return { t, clock, statuses, files, typed, screen };
}

describe('turn tracking on an injected clock', () => {
  it('a hooked agent: ready, the launch prompt runs, Stop ends the turn after the settle time', () => {
    const { t, clock, statuses, screen } = make(profile(), 'go');
    t.launched({ runsItself: true }, 3000);
    screen('idle');
    expect(t.currentStatus).toBe('RUNNING');
    // Once the agent's hooks speak, silence no longer ends the turn.
    t.onHook({ hook_event_name: 'UserPromptSubmit', prompt: 'go' });
    clock.advance(5000);
    expect(t.currentStatus).toBe('RUNNING');
    t.onHook({ hook_event_name: 'Stop' });
    clock.advance(399);
    expect(t.currentStatus).toBe('RUNNING');
    clock.advance(1);
    expect(t.currentStatus).toBe('COMPLETED');
    expect(t.snapshot().turnDurations).toEqual([5400]);
    expect(statuses).toEqual(['RUNNING', 'COMPLETED']);
  });

  it('without hooks, idleMs of silence ends a submitted turn; lastPrompt is what was typed', () => {
    const { t, clock, screen } = make(profile({ usesHooks: false, hookEvents: undefined }));
    t.launched({ runsItself: false }, 3000);
    screen('idle');
    expect(t.currentStatus).toBe('COMPLETED');
    expect(t.currentReason).toBe('ready for input');
    t.submitted('ls');
    expect(t.currentStatus).toBe('RUNNING');
    clock.advance(999);
    expect(t.currentStatus).toBe('RUNNING');
    clock.advance(1);
    expect(t.currentStatus).toBe('COMPLETED');
    expect(t.snapshot()).toMatchObject({ lastPrompt: 'ls', turnDurations: [1000] });
  });

  it('a prompt to type waits for readiness; the start fallback makes a silent agent ready', () => {
    const { t, clock, typed } = make(profile(), 'hello');
    t.launched({ runsItself: false, typed: 'hello' }, 3000);
    clock.advance(2999);
    expect(t.isReady).toBe(false);
    expect(typed).toEqual([]);
    clock.advance(1);
    expect(t.isReady).toBe(true);
    expect(typed).toEqual(['hello']);
    expect(t.currentStatus).toBe('RUNNING');
  });

  it('agent events: a permission request waits naming its subject, the drawn dialog keeps it, files are reported', () => {
    const { t, files, screen } = make(
      profile({ dialog: (l) => (l.includes('Allow?') ? dialog : undefined) }),
    );
    const dialog = {
      kind: 'permission' as const,
      name: 'permission',
      text: 'Allow?',
      options: [{ id: '1', label: 'Yes' }],
      cancellable: true,
    };
    t.launched({ runsItself: false }, 3000);
    screen('idle');
    t.onHook({ hook_event_name: 'UserPromptSubmit', prompt: 'write it' });
    expect(t.submits).toBe(1);
    t.onHook({
      hook_event_name: 'PermissionRequest',
      tool_name: 'Write',
      tool_input: { file_path: '/w/a.txt' },
    });
    expect(t.currentStatus).toBe('WAITING');
    expect(t.currentReason).toBe('permission needed for Write a.txt: answer the dialog');
    screen('permission', ['Allow?']);
    expect(t.currentWaiting).toEqual({ ...dialog, tool: 'Write', subject: 'Write a.txt' });
    expect(t.currentReason).toBe('permission needed for Write a.txt: answer the dialog');
    t.onHook({ hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: 'a.txt' } });
    expect(t.currentStatus).toBe('RUNNING');
    expect(files).toMatchObject([{ path: '/w/a.txt', tool: 'Write', at: 0 }]);
    expect(t.snapshot().lastPrompt).toBe('write it');
  });

  it('a dialog no profile knows: WAITING after the quiet time mid-turn, RUNNING again once it is gone', () => {
    const { t, clock, screen } = make(profile({ usesHooks: false, hookEvents: undefined, idleMs: 5000 }));
    t.launched({ runsItself: false }, 3000);
    screen('idle');
    t.submitted('deploy');
    clock.advance(700);
    screen('busy', ['Deploy to production?', '❯ 1. Yes', '  2. No']);
    clock.advance(2499);
    expect(t.currentStatus).toBe('RUNNING');
    clock.advance(1);
    expect(t.currentStatus).toBe('WAITING');
    expect(t.currentWaiting).toMatchObject({ name: 'unknown', kind: 'question' });
    screen('busy', ['working']);
    expect(t.currentStatus).toBe('RUNNING');
  });

  it('stop() leaves no timer to fire', () => {
    const { t, clock, statuses } = make(profile(), 'go');
    t.launched({ runsItself: true }, 3000);
    t.stop();
    clock.advance(10_000);
    expect(statuses).toEqual([]);
    expect(t.currentStatus).toBe('STARTING');
  });
});
