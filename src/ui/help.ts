/** The help overlay's text, generated from the keymap (pure; HelpView draws it). */
import { helpRows } from './keymap.js';
import { stringWidth } from './width.js';

export interface HelpLine {
  kind: 'title' | 'group' | 'row' | 'blank';
  keys?: string;
  text: string;
}

function wrapWords(text: string, width: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (cur && stringWidth(cur) + 1 + stringWidth(word) > width) {
      out.push(cur);
      cur = word;
    } else {
      cur = cur ? `${cur} ${word}` : word;
    }
  }
  if (cur) out.push(cur);
  return out.length > 0 ? out : [''];
}

/** The help overlay's lines for a given inner width, generated from the keymap. */
export function helpLines(width: number): HelpLine[] {
  const groups = helpRows();
  const keyW = Math.min(
    Math.max(...groups.flatMap((g) => g.rows.map((r) => stringWidth(r.keys)))),
    Math.max(12, Math.min(36, Math.floor(width * 0.42))),
  );
  const descW = Math.max(10, width - keyW - 4);
  const lines: HelpLine[] = [{ kind: 'title', text: 'axiom — keys' }];
  for (const g of groups) {
    lines.push({ kind: 'blank', text: '' }, { kind: 'group', text: g.group });
    for (const r of g.rows) {
      const keyLines = wrapWords(r.keys, keyW);
      const descLines = wrapWords(r.description, descW);
      const n = Math.max(keyLines.length, descLines.length);
      for (let i = 0; i < n; i++) {
        lines.push({ kind: 'row', keys: keyLines[i] ?? '', text: descLines[i] ?? '' });
      }
    }
  }
  return lines.map((l) => (l.kind === 'row' ? { ...l, keys: (l.keys ?? '').padEnd(keyW) } : l));
}

/** Lines of the help overlay drawn in a box `width` wide (border and padding take 4 columns). */
export const helpLineCount = (width: number) => helpLines(Math.max(1, width - 4)).length;
