import { memo } from 'react';
import { formatDiffSummary } from '../../engine/git/worktree.js';
import type { SessionSnapshot } from '../../engine/types.js';
import { compareRows } from '../review.js';
import type { Review } from '../ui-state.js';
import { CompareView } from './CompareView.js';
import { DiffView } from './DiffView.js';

/** The open review view: a session's diff, or every session compared. */
export const ReviewView = memo(function ReviewView({
  review,
  sessions,
  width,
  height,
}: {
  review: Review;
  sessions: readonly SessionSnapshot[];
  width: number;
  height: number;
}) {
  if (review.kind === 'compare') {
    const target = sessions[review.selected];
    const footer =
      review.confirm && target
        ? `apply #${target.n}'s changes to your working tree? y: apply · n/Esc: cancel`
        : '↑↓ select · Enter: diff · a: apply · Esc: close';
    return (
      <CompareView
        width={width}
        height={height}
        rows={compareRows(sessions, Date.now())}
        selected={review.selected}
        footer={footer}
      />
    );
  }
  const s = sessions.find((x) => x.id === review.id);
  const wt = s?.worktree;
  const title = `#${review.n} diff${wt ? ` · ${wt.branch} · ${formatDiffSummary(wt.diff)}${wt.applied ? ' · applied' : ''}` : ''}`;
  const lines = review.error
    ? [{ kind: 'del' as const, text: review.error }]
    : (review.lines ?? [{ kind: 'meta' as const, text: 'reading the diff…' }]);
  const footer = review.confirm
    ? `apply #${review.n}'s changes to your working tree? y: apply · n/Esc: cancel`
    : `↑↓ PgUp PgDn: scroll · a: apply · Tab: compare · Esc: ${review.from === undefined ? 'close' : 'back'}`;
  return (
    <DiffView
      width={width}
      height={height}
      title={title}
      lines={lines}
      scroll={review.scroll}
      footer={footer}
    />
  );
});
