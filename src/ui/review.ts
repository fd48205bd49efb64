/**
 * What the review views show, as pure data: a session's patch as classified lines with its file
 * list (DiffView), and one row per session of the run (CompareView). No React, Ink or engine.
 */
import { formatDiffSummary } from '../engine/git/worktree.js';
import type { LastCheck, SessionSnapshot } from '../engine/types.js';
import { formatDuration, sessionTimes } from './format.js';
import { truncate } from './width.js';

export type DiffLineKind = 'file' | 'meta' | 'hunk' | 'add' | 'del' | 'context';

export interface DiffLine {
  kind: DiffLineKind;
  text: string;
}

export interface DiffPage {
  /** The files the patch touches, in order. */
  files: string[];
  /** The files list, then the patch, one entry per line (tabs expanded, no control characters). */
  lines: DiffLine[];
}

/** Strip escapes and control characters (the view colors by kind); tabs become spaces. */
function clean(line: string): string {
  return line
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    .replace(/\t/g, '    ')
    .replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '');
}

/** Classify a `git diff` patch for display, with its files listed first. */
export function diffPage(patch: string): DiffPage {
  const files: string[] = [];
  const body: DiffLine[] = [];
  let inHeader = false;
  for (const raw of patch.replace(/\n$/, '').split('\n')) {
    const text = clean(raw);
    const file = /^diff --git a\/(.*) b\/(.*)$/.exec(text);
    if (file) {
      files.push(file[2] ?? file[1] ?? text);
      if (body.length) body.push({ kind: 'context', text: '' });
      body.push({ kind: 'file', text: `▶ ${file[2] ?? text}` });
      inHeader = true;
      continue;
    }
    if (text.startsWith('@@')) {
      inHeader = false;
      body.push({ kind: 'hunk', text });
    } else if (inHeader) body.push({ kind: 'meta', text });
    else if (text.startsWith('+')) body.push({ kind: 'add', text });
    else if (text.startsWith('-')) body.push({ kind: 'del', text });
    else body.push({ kind: 'context', text });
  }
  if (patch.trim() === '') return { files, lines: [{ kind: 'meta', text: 'no changes' }] };
  const head: DiffLine[] = [
    { kind: 'meta', text: `${files.length} file${files.length === 1 ? '' : 's'} changed:` },
    ...files.map((f): DiffLine => ({ kind: 'meta', text: `  ${f}` })),
    { kind: 'context', text: '' },
  ];
  return { files, lines: [...head, ...body] };
}

export interface CompareRow {
  id: string;
  n: number;
  status: SessionSnapshot['status'];
  time: string;
  files: string;
  diff: string;
  branch: string;
  applied: string;
  /** The last test (or command) and its outcome, as "✓ npm test"; "–" when unknown. */
  check: string;
  /** Whether that check passed (undefined: unknown). */
  checkOk?: boolean;
}

/** Cells a command gets in the compare view's check column. */
const CHECK_CHARS = 32;

export const COMPARE_COLUMNS: ReadonlyArray<{
  key: keyof Omit<CompareRow, 'id' | 'status' | 'checkOk'> | 'status';
  title: string;
}> = [
  { key: 'n', title: '#' },
  { key: 'status', title: 'status' },
  { key: 'time', title: 'time' },
  { key: 'files', title: 'files' },
  { key: 'diff', title: '+/−' },
  { key: 'check', title: 'last test' },
  { key: 'applied', title: 'applied' },
  { key: 'branch', title: 'branch' },
];

/** One row per session: status, time, files changed, +/−, last test, applied, branch. */
export function compareRows(sessions: readonly SessionSnapshot[], now: number): CompareRow[] {
  return sessions.map((s) => {
    const wt = s.worktree;
    const d = wt?.diff;
    return {
      id: s.id,
      n: s.n,
      status: s.status,
      time: formatDuration(sessionTimes(s, now).total),
      files: d ? String(d.files) : String(new Set(s.filesWritten.map((f) => f.path)).size),
      diff: wt ? (d && d.files > 0 ? `+${d.added} \u2212${d.deleted}` : formatDiffSummary(d)) : 'no worktree',
      branch: wt ? `${wt.branch}${wt.state === 'removed' ? ' (removed)' : ''}` : '',
      applied: wt?.applied ? 'yes' : wt ? 'no' : '',
      check: checkText(s.lastCheck),
      checkOk: s.lastCheck?.ok,
    };
  });
}

/** "✓ npm test" or "✗ npm test" (the command on one line, cut to fit); "–" when unknown. */
export function checkText(c: LastCheck | undefined): string {
  if (!c) return '–';
  return `${c.ok ? '✓' : '✗'} ${truncate(c.command.replace(/\s+/g, ' ').trim(), CHECK_CHARS)}`;
}
