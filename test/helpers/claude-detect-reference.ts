/**
 * claude's dialog and state reading as it was before it kept dialog-title matches by line and
 * stopped trimming every row (src/agents/claude-screen.ts, claude.ts): the reference of
 * test/agents/claude-detect-memo.test.ts.
 */
import {
  claudeInputBox,
  DIALOGS,
  hintsDrawn,
  inputBoxRows,
  turnError,
} from '../../src/agents/claude-screen.js';
import { dialogText, parseChoices, regionFrom } from '../../src/agents/dialog.js';
import type { ScreenState } from '../../src/agents/profile.js';
import type { Waiting } from '../../src/engine/types.js';

export function referenceClaudeDialog(lines: string[]): Waiting | undefined {
  for (const d of DIALOGS) {
    let region = regionFrom(lines, d.title, 40);
    // A screen too short for the dialog's title: its mark anywhere on it, the dialog from the top.
    if (!region && d.mark && lines.length <= 40 && lines.some((l) => d.mark?.test(l))) {
      const top = lines.findIndex((l) => l.trim() !== '');
      region = lines.slice(top);
    }
    if (!region) continue;
    if (inputBoxRows(region)) continue;
    if (d.hints && !hintsDrawn(region)) return undefined;
    const text = dialogText(region);
    return { kind: d.kind, name: d.name, text, ...parseChoices(region), cancellable: d.cancellable };
  }
  return turnError(lines);
}

const BUSY = /esc to interrupt|ctrl\+c to interrupt/i;
const INTERRUPTED = /Interrupted\s*·|Interrupted by user/;
const INPUT_BOX = /^\s*[>❯]\s/;
const RULE = /^\s*─{8,}/;
const LIVE_SPINNER = /^\s*[✻✽✶✳✢·]\s+\S+…/;

function findLast(lines: string[], pred: (l: string) => boolean): number {
  for (let i = lines.length - 1; i >= 0; i--) if (pred(lines[i] as string)) return i;
  return -1;
}

export function referenceDetectClaude(lines: string[]): ScreenState {
  if (referenceClaudeDialog(lines)) return 'permission';
  const drawn = lines.filter((l) => l.trim() !== '').slice(-8);
  if (BUSY.test(drawn.join('\n')) || drawn.some((l) => LIVE_SPINNER.test(l))) return 'busy';
  const hasInput = lines.some((l) => INPUT_BOX.test(l)) || lines.some((l) => RULE.test(l));
  if (!hasInput) return 'starting';
  const lastMarker = findLast(lines, (l) => INTERRUPTED.test(l));
  const lastPrompt = findLast(lines, (l) => /^\s*[>❯]\s\S/.test(l));
  if (lastMarker >= 0 && lastMarker > lastPrompt) return 'interrupted';
  if (claudeInputBox.holds(lines, 0, '') === false) return 'interrupted';
  return 'idle';
}
