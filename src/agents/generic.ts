/**
 * Any command line as an agent (bash, another agent CLI...). State comes from output idleness:
 * a turn is RUNNING from submit until the output has been quiet for `idleMs`.
 */
import type { AgentProfile, LaunchContext, LaunchSpec, ScreenState } from './profile.js';
import { DEFAULT_DIALOG_KEYS, splitCommandLine, typeAndSubmit } from './profile.js';

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
    // Dialogs found by the general rule: arrows and Enter, or the keys their hints name.
    dialogKeys: DEFAULT_DIALOG_KEYS,
    detect(lines: string[]): ScreenState {
      return lines.some((l) => l.trim() !== '') ? 'idle' : 'starting';
    },
    // Any row on the live screen can still be redrawn (an agent may draw a bullet and fill its
    // row in later): during a turn only rows that scrolled off are final; once the agent is idle,
    // the rows above its cursor are.
    stableRows: (_lines, cursorRow, busy) => (busy ? 0 : cursorRow),
    // A banner is not readiness: wait for the output to pause (an ssh login, a slow CLI).
    readyQuietMs: 400,
    // No way to empty an unknown agent's input line: the engine checks the typed text echoed on
    // the cursor's line, types it again only when nothing at all arrived, and else reports failure.
    input: {
      read: (lines, cursorRow) => (lines[cursorRow] ?? '').trimEnd(),
      holds(lines, cursorRow, text) {
        // The line ends with the text's end (a long text wraps over rows: its last 40 characters).
        const line = (lines[cursorRow] ?? '').replace(/\s+/g, '');
        const end = text.slice(-400).split('\n').pop() ?? '';
        const tail = end.replace(/\s+/g, '').slice(-Math.min(40, Math.max(1, line.length)));
        return line.endsWith(tail);
      },
    },
  };
}
