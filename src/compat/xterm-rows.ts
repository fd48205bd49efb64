/**
 * Which rows xterm's parser changed, so that a screen re-reads only those (engine/row-cache.ts),
 * reached through internals of the pinned @xterm/headless 6.0.0. For its renderer, xterm's
 * `InputHandler` marks the rows each operation touches in `_dirtyRowTracker` (rows relative to the
 * buffer's top line, `ybase`, at the time of the mark; a [start, end] range per parse), and after
 * each scroll `CoreTerminal` marks the whole scroll region through `InputHandler.markRangeDirty`,
 * because a renderer keyed by screen row must repaint every row that moved. A reader keyed by
 * buffer line needs the marks, but a scroll only as "one line scrolled": the two are told apart
 * here. `onRequestRefreshRows(undefined)` (a buffer switch) says "everything".
 *
 * If a future xterm changes these, this returns false and the screen re-reads every row (correct,
 * slower); test/compat/pinned.test.tsx fails loudly when the pinned version no longer takes it.
 */
import type xtermHeadless from '@xterm/headless';

type Term = InstanceType<typeof xtermHeadless.Terminal>;

/** What a row watcher is told, synchronously, while xterm parses. */
export interface RowWatcher {
  /** Rows y1..y2 of the active buffer (relative to its ybase now) may have changed. */
  marked(y1: number, y2: number): void;
  /** The active buffer scrolled by one line (its scroll region moved up; see rowState). */
  scrolled(): void;
  /** Anything may have changed (the active buffer switched). */
  all(): void;
}

/** The active buffer's position, read through the same internals (one object, refilled on each read). */
export interface RowState {
  /** The active buffer object (another one after a switch or a reset). */
  buffer: object;
  /** Its top line's index (rows above it are scrollback). */
  ybase: number;
  scrollTop: number;
  scrollBottom: number;
}

interface Tracker {
  markDirty(y: number): void;
  markRangeDirty(y1: number, y2: number): void;
  markAllDirty(): void;
}
interface Core {
  _inputHandler?: {
    _dirtyRowTracker?: Tracker;
    markRangeDirty?: (y1: number, y2: number) => void;
    onRequestRefreshRows?: (cb: (e: { start: number; end: number } | undefined) => void) => unknown;
  };
  buffer?: { ybase: number; scrollTop: number; scrollBottom: number };
}

const coreOf = (term: Term): Core | undefined => (term as unknown as { _core?: Core })._core;

/**
 * Tell `w` about the rows `term`'s parser changes, from now on. Returns a reader of the active
 * buffer's position, or undefined (nothing installed) when this xterm does not have the internals.
 */
export function watchXtermRows(term: Term, w: RowWatcher): (() => RowState) | undefined {
  const core = coreOf(term);
  const ih = core?._inputHandler;
  const tracker = ih?._dirtyRowTracker;
  const scrollMark = ih?.markRangeDirty;
  if (
    !core ||
    !ih ||
    !tracker ||
    typeof tracker.markDirty !== 'function' ||
    typeof tracker.markRangeDirty !== 'function' ||
    typeof tracker.markAllDirty !== 'function' ||
    typeof scrollMark !== 'function' ||
    typeof ih.onRequestRefreshRows !== 'function' ||
    typeof core.buffer?.ybase !== 'number' ||
    typeof core.buffer.scrollBottom !== 'number'
  )
    return undefined;
  const markDirty = tracker.markDirty;
  const markRangeDirty = tracker.markRangeDirty;
  const markAllDirty = tracker.markAllDirty;
  let scrolling = false;
  tracker.markDirty = function (y) {
    if (!scrolling) w.marked(y, y);
    markDirty.call(this, y);
  };
  tracker.markRangeDirty = function (y1, y2) {
    if (!scrolling) w.marked(Math.min(y1, y2), Math.max(y1, y2));
    markRangeDirty.call(this, y1, y2);
  };
  tracker.markAllDirty = function () {
    w.all();
    markAllDirty.call(this);
  };
  // Only CoreTerminal's scroll listener calls this one (InputHandler's own marks go to the tracker).
  ih.markRangeDirty = function (y1, y2) {
    scrolling = true;
    try {
      scrollMark.call(this, y1, y2);
    } finally {
      scrolling = false;
    }
    w.scrolled();
  };
  ih.onRequestRefreshRows((e) => {
    if (!e) w.all();
  });
  // One object, filled on each call: this runs on every mark, which is several times per parse.
  const state: RowState = { buffer: core.buffer, ybase: 0, scrollTop: 0, scrollBottom: 0 };
  return () => {
    const b = core.buffer as NonNullable<Core['buffer']>;
    state.buffer = b;
    state.ybase = b.ybase;
    state.scrollTop = b.scrollTop;
    state.scrollBottom = b.scrollBottom;
    return state;
  };
}
