import type { AgentProfile } from '../../src/agents/profile.js';
import { type ManagerOptions, SessionManager } from '../../src/engine/session-manager.js';
import { type FakePty, fakePtyFactory } from './fake-pty.js';

/** The engine's timings in unit tests on fake timers. */
export const FAKE_TIMINGS = {
  batchMs: 16,
  interruptWaitMs: 2000,
  readyWaitMs: 5000,
  killGraceMs: 1000,
  startFallbackMs: 3000,
};

/**
 * A SessionManager over fake PTYs running `profile`: no state dir, no hook server, no signal
 * sent, FAKE_TIMINGS; `over` changes any option. `ptys` fills as sessions spawn.
 */
export function fakeManager(
  profile: AgentProfile,
  over: Partial<ManagerOptions> = {},
): { manager: SessionManager; ptys: FakePty[] } {
  const f = fakePtyFactory();
  const manager = new SessionManager({
    ptyFactory: f.factory,
    stateDir: false,
    hooks: false,
    profileFor: () => profile,
    signal: () => [],
    timings: FAKE_TIMINGS,
    ...over,
  });
  return { manager, ptys: f.ptys };
}
