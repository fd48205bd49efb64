/**
 * What Claude Code (2.1.332) draws, read off its screen: the dialogs that wait for a person, by
 * name, and the input box. Fixtures captured from the real CLI are in test/fixtures/claude-screens.
 */

import { dialogText, parseChoices, parseHints } from './dialog.js';
import type { InputBox } from './profile.js';
import type { Waiting } from './waiting.js';

const RULE = /^\s*─{8,}\s*$/;
/** The prompt glyph claude draws in its input box and before each echoed prompt (then a no-break space). */
const PROMPT = /^❯[\s\u00a0]/;

export interface Known {
  name: string;
  kind: Waiting['kind'];
  /** Where the dialog starts (its title line), searched bottom-up. */
  title: RegExp;
  /** Whether Esc cancels it (the trust dialog's Esc leaves claude: it must be answered). */
  cancellable: boolean;
  /** Its last line is the key hints ("Esc to cancel"): until that is drawn, it is half drawn. */
  hints: boolean;
  /**
   * A line only this dialog draws, for a screen too short to show its title (a narrow pane wraps
   * the trust dialog into more rows than it has): the dialog is then read from the screen's top.
   */
  mark?: RegExp;
}

/** Dialogs drawn in place of the input box, bottom-up (exported for the tests' reference reading). */
export const DIALOGS: readonly Known[] = [
  {
    name: 'trust',
    kind: 'permission',
    title: /Accessing workspace:|Quick safety check|Do you trust the files in this folder/,
    cancellable: false,
    hints: true,
    mark: /^\s*(?:❯\s*)?(?:\d\.\s*)?Yes, I trust this folder\s*$/,
  },
  {
    name: 'auto-mode',
    kind: 'permission',
    title: /Auto mode can't check actions/,
    cancellable: true,
    hints: true,
  },
  {
    name: 'plan',
    kind: 'permission',
    title: /Exit plan mode\?|Would you like to proceed\?|Ready to code\?/,
    cancellable: true,
    // Its choices end it (no hints line on 2.1.332's screen).
    hints: false,
  },
  {
    name: 'permission',
    kind: 'permission',
    title:
      /^\s*(Create file|Edit file|Overwrite file|Bash command|Read file|Fetch|Tool use)\s*$|Do you want to (make this edit|create|proceed|allow|run|overwrite|delete)/,
    cancellable: true,
    hints: true,
  },
  {
    name: 'question',
    kind: 'question',
    title: /^\s*[☐☒✔]\s|^\s*←\s+[☐☒✔]/,
    cancellable: true,
    hints: true,
  },
];

/** API errors that end the turn and need a person before the next prompt can work. */
const TURN_ERRORS: Array<{ name: string; re: RegExp; fix: string }> = [
  {
    name: 'rate-limit',
    re: /API Error:.*\(429\)|rate[ -]limit|usage limit|limit reached|Limit reached/i,
    fix: 'wait for the limit to reset, then send again',
  },
  {
    name: 'login',
    re: /API Error:.*\(401\)|Invalid API key|OAuth token (has )?expired|Please run \/login|authentication_error/i,
    fix: 'log in again (/login) or fix the API key, then send again',
  },
];

/** Dialog titles are searched in the bottom rows only. */
const TITLE_ROWS = 40;

/**
 * Which dialogs' titles a line matches (bit i: DIALOGS[i]), kept by the line's text. The engine
 * asks for claude's state after every batch of output, and a spinner repaint changes a row or
 * two: the other rows are the same strings (the screen's row cache), so their five title tests
 * are looked up, not run again. Bounded: emptied when full.
 */
const titleMemo = new Map<string, number>();
const TITLE_MEMO_MAX = 1024;
/** titleBits: bit MARK_BIT + i says the line is DIALOGS[i]'s mark. */
const MARK_BIT = 16;

function titleBits(line: string): number {
  let bits = titleMemo.get(line);
  if (bits === undefined) {
    bits = 0;
    for (let i = 0; i < DIALOGS.length; i++) {
      const d = DIALOGS[i] as Known;
      if (d.title.test(line)) bits |= 1 << i;
      if (d.mark?.test(line)) bits |= 1 << (MARK_BIT + i);
    }
    if (titleMemo.size >= TITLE_MEMO_MAX) titleMemo.clear();
    titleMemo.set(line, bits);
  }
  return bits;
}

/** A line of key hints is drawn in `region`, whole or wrapped onto the next row (a narrow pane). */
export function hintsDrawn(region: string[]): boolean {
  return region.some((l, i) => {
    const line = l.trim();
    if (line === '') return false;
    return parseHints(line).length > 0 || parseHints(`${line} ${(region[i + 1] ?? '').trim()}`).length > 0;
  });
}

/**
 * Where DIALOGS[k] starts on the screen: its last title line (bits: titleBits of the rows from
 * `from`), else, on a screen too short to show its title, the top of the screen when it shows the
 * dialog's mark. -1 when it is not there.
 */
export function dialogStart(lines: string[], from: number, bits: readonly number[], k: number): number {
  let at = bits.length - 1;
  while (at >= 0 && ((bits[at] as number) & (1 << k)) === 0) at--;
  if (at >= 0) return from + at;
  if (from > 0 || !bits.some((b) => b & (1 << (MARK_BIT + k)))) return -1;
  let top = 0;
  while (top < lines.length && (lines[top] as string).trim() === '') top++;
  return top;
}

/** The named dialog (or turn-ending API error) on claude's screen, if any. */
export function claudeDialog(lines: string[]): Waiting | undefined {
  const from = Math.max(0, lines.length - TITLE_ROWS);
  const bits: number[] = [];
  let any = 0;
  for (let i = from; i < lines.length; i++) {
    const b = titleBits(lines[i] as string);
    bits.push(b);
    any |= b;
  }
  for (let k = 0; k < DIALOGS.length; k++) {
    if ((any & ((1 << k) | (1 << (MARK_BIT + k)))) === 0) continue;
    const d = DIALOGS[k] as Known;
    // From the last line with its title (as regionFrom(lines, d.title, TITLE_ROWS) finds it), or
    // the screen's top when its title went off a short screen, to the end.
    const start = dialogStart(lines, from, bits, k);
    if (start < 0) continue;
    const region = lines.slice(start);
    // A dialog is live only if no input box was drawn below it (the box replaces the dialog).
    if (inputBoxRows(region)) continue;
    // Claude draws a dialog in one frame, but the frame can come in over several PTY reads, and
    // a read of the screen between two of them sees it half drawn (its title, not yet its
    // choices). A dialog that ends with its key hints ("Esc to cancel") is not reported until that
    // line is drawn, so WAITING comes with the whole text and every option. (Should a version
    // drop the hints, the dialog is still found once the screen is quiet: Turns' quiet dialog.)
    if (d.hints && !hintsDrawn(region)) return undefined;
    // Permission dialogs: the title line is "Create file"; the question is "Do you want to ...".
    const text = dialogText(region);
    return { kind: d.kind, name: d.name, text, ...parseChoices(region), cancellable: d.cancellable };
  }
  return turnError(lines);
}

/** An API error in the last answer, above an idle input box: "API Error: … (429) …". */
export function turnError(lines: string[]): Waiting | undefined {
  const box = inputBoxRows(lines);
  if (!box) return undefined;
  // The last answer: between the last echoed prompt above the box and the box.
  let i = box.top - 1;
  const block: string[] = [];
  while (i >= 0 && !PROMPT.test(lines[i] as string)) block.unshift(lines[i--] as string);
  if (i < 0) return undefined;
  const text = block.join('\n');
  for (const e of TURN_ERRORS) {
    if (!e.re.test(text)) continue;
    const msg = block
      .map((l) => l.trim())
      .filter((l) => l && !/^[✻✽✶✳✢·*+]\s/.test(l))
      .join(' ')
      .replace(/^●\s*/, '');
    return {
      kind: 'question',
      name: e.name,
      text: `${msg} (${e.fix})`,
      options: [],
      cancellable: false,
    };
  }
  return undefined;
}

/** The input box: the rows between the two lowest rules, the first starting with ❯. */
export function inputBoxRows(lines: string[]): { top: number; rows: string[] } | undefined {
  const rules: number[] = [];
  for (let i = lines.length - 1; i >= 0 && rules.length < 2; i--)
    if (RULE.test(lines[i] as string)) rules.push(i);
  const [bottom, top] = rules;
  if (bottom === undefined || top === undefined) return undefined;
  const rows = lines.slice(top + 1, bottom);
  if (rows.length === 0 || !PROMPT.test(rows[0] as string)) return undefined;
  // Continuation rows are indented by two columns; anything else is not an input box.
  if (!rows.slice(1).every((r) => r === '' || /^ {2}/.test(r))) return undefined;
  return { top, rows };
}

/** The text in claude's input box (rows joined without their wrap), or undefined when none is drawn. */
export function claudeInputText(lines: string[]): string | undefined {
  const box = inputBoxRows(lines);
  if (!box) return undefined;
  return box.rows
    .map((r, i) => (i === 0 ? r.replace(PROMPT, '') : r.slice(2)))
    .join('\n')
    .replace(/[\s\u00a0]+$/, '');
}

/**
 * Compare ignoring whitespace (claude wraps long lines at word boundaries and indents
 * continuations, and draws a pasted tab as spaces) in Unicode's composed form: claude's box
 * shows e + U+0301 as é (measured on 2.1.332), and sends it so.
 */
const squash = (s: string): string => s.replace(/[\s\u00a0]+/g, '').normalize('NFC');

/** Hints claude shows in an empty box (dimmed; the plain text cannot tell them from typed text). */
const HINTS_IN_EMPTY_BOX = [
  /^Resend your message to try again$/,
  /^Try "[^"]*"$/,
  /^Press up to edit queued messages$/,
];

/** A pasted-text placeholder claude shows instead of a long paste. */
const PLACEHOLDER = /^\[Pasted text #\d+(?: \+(\d+) lines?)?\]$/;

/** The profile's view of the input box: emptied with Ctrl+E Ctrl+U per row (see claudeClearInput). */
export const claudeInputBox: InputBox = {
  // Ctrl+E (end of the row) then Ctrl+U (delete to the row's start; at a row's start it joins the
  // row to the one above): one pair per row. Measured on 2.1.332. Never Ctrl+C (a second one
  // within ~800 ms exits claude).
  clear: '\x05\x15'.repeat(24),
  holds(lines, _cursorRow, text) {
    const shown = claudeInputText(lines);
    if (shown === undefined) return undefined;
    if (text === '') return shown.trim() === '' || HINTS_IN_EMPTY_BOX.some((h) => h.test(shown.trim()));
    const p = PLACEHOLDER.exec(shown.trim());
    if (p) return text.split('\n').length - 1 === Number(p[1] ?? 0) && text.length > 0;
    return squash(shown) === squash(text);
  },
  read: (lines) => claudeInputText(lines),
};

/** "Enter to confirm · Esc to cancel" and the like, re-exported for the profile's tests. */
export { parseHints };
