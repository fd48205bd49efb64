/**
 * Any command line as an agent (bash, another agent CLI...). State comes from output idleness:
 * a turn is RUNNING from submit until the output has been quiet for `idleMs`.
 */
import type { AgentProfile, LaunchContext, LaunchSpec, ScreenState } from './profile.js';
import { splitCommandLine, typeAndSubmit } from './profile.js';

export function genericProfile(commandLine: string, idleMs = 1500): AgentProfile {
  const argv = splitCommandLine(commandLine);
  const file = argv[0];
  if (!file) throw new Error('empty --agent command');
  return {
    name: 'generic',
    usesHooks: false,
    idleMs,
    launch(ctx: LaunchContext): LaunchSpec {
      return { file, args: [...argv.slice(1), ...ctx.agentArgs], env: {}, promptInArgs: false };
    },
    submitSteps: (text) => typeAndSubmit(text, 50, false),
    interruptSequence: () => '\x03',
    detect(lines: string[]): ScreenState {
      return lines.some((l) => l.trim() !== '') ? 'idle' : 'starting';
    },
    stableRows: (_lines, cursorRow) => cursorRow,
  };
}
