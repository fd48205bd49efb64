/**
 * Reading dialogs off a screen: the choices a dialog offers, its key hints, and the general rule
 * that catches a dialog no profile knows by name. Pure functions over plain screen lines.
 */
import type { Waiting, WaitingOption } from './waiting.js';

/** A numbered choice: "❯ 1. Yes", "  2. No". */
const NUMBERED = /^\s*(?:[❯>›]\s*)?(\d{1,2})[.)]\s+(\S.*)$/;
/** The selected line of a choice list: "❯ No, exit" (claude's cursor glyph). */
const SELECTED = /^(\s*)❯\s*(\S.*)$/;
/** Key hints: "Enter to confirm · Esc to cancel", "Enter to stay in auto mode · shift+Tab to leave …". */
const HINT_PART = /^\s*((?:shift\+|ctrl\+|alt\+)?(?:Enter|Esc|Tab|Space|[↑↓←→/]+|[a-z]))\s+to\s+(.+?)\s*$/i;
/** A line made of a hint or several, separated by " · ". */
export function parseHints(line: string): WaitingOption[] {
  const parts = line.split(' · ');
  const out: WaitingOption[] = [];
  for (const p of parts) {
    const m = HINT_PART.exec(p);
    if (!m) return [];
    out.push({ id: m[1] as string, label: m[2] as string });
  }
  return out;
}

/** Whether a line is nothing but a rule (─ or ╌) or blank. */
const isRule = (l: string): boolean => /^\s*[─╌━]{8,}\s*$/.test(l);

/**
 * The choices in `lines` (a dialog's region): numbered ones ("❯ 1. Yes") with the digit as id, or
 * an unnumbered list around the "❯" line with its 1-based position as id. Wrapped label lines are
 * joined. Falls back to the key hints ("Enter to confirm · Esc to cancel") when there is no list.
 */
export function parseOptions(lines: string[]): WaitingOption[] {
  return parseChoices(lines).options;
}

/** The choices in `lines` (see parseOptions) and the id of the one the cursor ("❯") is on, if shown. */
export function parseChoices(lines: string[]): { options: WaitingOption[]; selected?: string } {
  const numbered: WaitingOption[] = [];
  let labelCol = -1;
  let picked: string | undefined;
  for (const line of lines) {
    const m = NUMBERED.exec(line);
    if (m) {
      numbered.push({ id: m[1] as string, label: (m[2] as string).trim() });
      if (/^\s*❯/.test(line)) picked = m[1] as string;
      labelCol = line.indexOf(m[2] as string);
      continue;
    }
    const last = numbered[numbered.length - 1];
    const indent = line.length - line.trimStart().length;
    if (last && line.trim() && !isRule(line) && indent >= labelCol && labelCol > 0)
      last.label = `${last.label} ${line.trim()}`;
    else if (last && (line.trim() === '' || isRule(line) || indent < labelCol)) labelCol = -1;
  }
  if (numbered.length >= 2)
    return picked === undefined ? { options: numbered } : { options: numbered, selected: picked };
  // Unnumbered: the selected line and its neighbours at the same indent.
  const sel = lines.findIndex((l) => SELECTED.test(l));
  if (sel >= 0) {
    const col = (lines[sel] as string).indexOf(
      (SELECTED.exec(lines[sel] as string) as RegExpExecArray)[2] as string,
    );
    const at = (l: string | undefined): boolean =>
      l !== undefined && l.trim() !== '' && l.length - l.trimStart().length === col && !isRule(l);
    let a = sel;
    while (at(lines[a - 1])) a--;
    let b = sel;
    while (at(lines[b + 1])) b++;
    if (b > a) {
      const labels = [
        ...lines.slice(a, sel).map((l) => l.trim()),
        (SELECTED.exec(lines[sel] as string) as RegExpExecArray)[2]?.trim() ?? '',
        ...lines.slice(sel + 1, b + 1).map((l) => l.trim()),
      ];
      return {
        options: labels.map((label, i) => ({ id: String(i + 1), label })),
        selected: String(sel - a + 1),
      };
    }
  }
  for (let i = lines.length - 1; i >= 0; i--) {
    const hints = parseHints((lines[i] as string).trim());
    if (hints.length) return { options: hints };
  }
  return { options: [] };
}

/** The text of a dialog region: its non-blank lines above the first choice, without rules. */
export function dialogText(lines: string[]): string {
  const out: string[] = [];
  for (const line of lines) {
    if (NUMBERED.test(line) || SELECTED.test(line) || parseHints(line.trim()).length) break;
    if (line.trim() && !isRule(line)) out.push(line.trim());
  }
  return out.join('\n');
}

/** Lines from the last one matching `re` (searched in the bottom `within` rows) to the end. */
export function regionFrom(lines: string[], re: RegExp, within = lines.length): string[] | undefined {
  for (let i = lines.length - 1; i >= Math.max(0, lines.length - within); i--)
    if (re.test(lines[i] as string)) return lines.slice(i);
  return undefined;
}

/** Choice list or key hint in the bottom of a screen: "❯ 1.", "Enter to …", "Esc to …", "(y/n)". */
const OFFERS_CHOICE =
  /^\s*❯\s*1[.)]\s|(?:^|\s·\s|^\s*)(?:Enter|Esc) to \w|\((?:y\/n|Y\/n|y\/N)\)|\[(?:y\/n|Y\/n|y\/N)\]/;

/**
 * The general rule, for dialogs no profile knows: the bottom of the screen offers choices ("❯ 1.")
 * or says what Enter/Esc do, or asks (y/n). The engine applies it only after the agent has been
 * quiet for a while in the middle of a turn: a busy agent redraws, a waiting one does not.
 */
export function generalDialog(lines: string[], within = 15): Waiting | undefined {
  let end = lines.length;
  while (end > 0 && (lines[end - 1] ?? '').trim() === '') end--;
  const bottom = lines.slice(Math.max(0, end - within), end);
  const hit = bottom.findIndex((l) => OFFERS_CHOICE.test(l));
  if (hit < 0) return undefined;
  // The dialog starts after the last rule (or blank line) above the first choice, at most 3 lines up.
  let start = hit;
  while (
    start > Math.max(0, hit - 3) &&
    !isRule(bottom[start - 1] as string) &&
    (bottom[start - 1] as string).trim() !== ''
  )
    start--;
  const region = bottom.slice(start);
  const text = dialogText(region) || (bottom[hit] as string).trim();
  return { kind: 'question', name: 'unknown', text, ...parseChoices(region), cancellable: true };
}
