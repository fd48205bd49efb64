/**
 * The review views' commands (keymap group Review): the focused session's diff full screen, the
 * compare view of every session, and apply after a confirmation. Pure, like commands.ts; the
 * `load-diff` and `apply` effects run in effects.ts.
 */
import type { SessionSnapshot } from '../engine/types.js';
import type { CommandId } from './keymap.js';
import { diffPage } from './review.js';
import { step, withNotice } from './step.js';
import type { Facts, Handler, Step, UiState } from './ui-state.js';

/** The diff view got its text (or an error); ignored when another view is open by then. */
export const diffLoaded = (s: UiState, id: string, text: string | Error): UiState => {
  const r = s.review;
  if (r?.kind !== 'diff' || r.id !== id) return s;
  return text instanceof Error
    ? { ...s, review: { ...r, lines: [], error: text.message } }
    : { ...s, review: { ...r, lines: diffPage(text).lines, error: undefined } };
};

const openDiff = (s: UiState, f: SessionSnapshot, now: number, from?: number, confirm = false): Step => {
  if (!f.worktree)
    return step(withNotice(s, now, `#${f.n} has no worktree (start sessions with --worktree)`, 'error'));
  return step(
    { ...s, review: { kind: 'diff', id: f.id, n: f.n, scroll: 0, confirm, from } },
    { kind: 'load-diff', id: f.id, n: f.n },
  );
};

/** Rows a page of the review views moves. */
const reviewPage = (facts: Facts): number => {
  const l = facts.layout;
  return Math.max(1, (l.ok ? l.paneArea.height : facts.size.rows) - 5);
};

const reviewMove =
  (dir: 1 | -1): Handler =>
  (s, { key, facts }) => {
    const r = s.review;
    if (!r || r.confirm) return step(s);
    if (r.kind === 'compare') {
      const max = Math.max(0, facts.sessions.length - 1);
      return step({ ...s, review: { ...r, selected: Math.max(0, Math.min(max, r.selected + dir)) } });
    }
    const page = key.name === 'pageup' || key.name === 'pagedown' || key.name === 'space';
    const by = page ? reviewPage(facts) : 1;
    const max = Math.max(0, (r.lines?.length ?? 0) - reviewPage(facts) + 1);
    return step({ ...s, review: { ...r, scroll: Math.max(0, Math.min(max, r.scroll + dir * by)) } });
  };

/** The session the review view is about. */
const reviewed = (s: UiState, facts: Facts): SessionSnapshot | undefined => {
  const r = s.review;
  if (!r) return undefined;
  return r.kind === 'diff' ? facts.sessions.find((x) => x.id === r.id) : facts.sessions[r.selected];
};

const reviewApply: Handler = (s, { facts }) => {
  const r = s.review;
  const target = reviewed(s, facts);
  if (!r || !target) return step(s);
  if (!target.worktree || target.worktree.state === 'removed' || target.worktree.state === 'failed')
    return step(withNotice(s, facts.now, `#${target.n} has no changes to apply`, 'error'));
  return step({ ...s, review: { ...r, confirm: true } });
};

const reviewConfirm: Handler = (s, { facts }) => {
  const r = s.review;
  const target = reviewed(s, facts);
  if (!r?.confirm || !target) return step(s);
  return step(
    { ...s, review: { ...r, confirm: false } },
    {
      kind: 'log',
      level: 'info',
      text: `applying #${target.n}'s changes to your tree`,
      sessionId: target.id,
    },
    { kind: 'apply', id: target.id, n: target.n },
  );
};

const reviewClose: Handler = (s) => {
  const r = s.review;
  if (!r) return step(s);
  if (r.confirm) return step({ ...s, review: { ...r, confirm: false } });
  if (r.kind === 'diff' && r.from !== undefined)
    return step({ ...s, review: { kind: 'compare', selected: r.from, confirm: false } });
  return step({ ...s, review: undefined });
};

/** The handlers of the review commands. */
export const REVIEW_HANDLERS: Record<Extract<CommandId, `review-${string}`>, Handler> = {
  'review-diff': (s, { facts, focused: f }) => (f ? openDiff(s, f, facts.now) : step(s)),
  'review-compare': (s, { facts, focused: f }) => {
    if (facts.sessions.length === 0) return step(s);
    const at = Math.max(
      0,
      facts.sessions.findIndex((x) => x.id === f?.id),
    );
    return step({ ...s, review: { kind: 'compare', selected: at, confirm: false } });
  },
  'review-close': reviewClose,
  'review-up': reviewMove(-1),
  'review-down': reviewMove(1),
  'review-open': (s, { facts }) => {
    const r = s.review;
    const target = reviewed(s, facts);
    if (r?.kind !== 'compare' || r.confirm || !target) return step(s);
    return openDiff(s, target, facts.now, r.selected);
  },
  'review-apply': reviewApply,
  'review-confirm': reviewConfirm,
};
