/**
 * The first frame, drawn before React and Ink load.
 *
 * `axiom spawn` starts its agents before the UI's modules load (early-spawn.ts), but loading
 * React and Ink, yoga's WebAssembly and the first full Ink render took most of the start
 * (BENCHMARKS.md, start): the agent's first output waited for all of it. Here the pane bodies are
 * drawn on their own, at the places the layout gives them, as soon as an agent shows something:
 * the same rows the overlay (overlay.ts) later splices into Ink's frames, so every cell drawn now
 * is the cell of the full frame; borders, titles and bars come with Ink's first frame, which
 * clears and redraws the whole screen in one synchronized update (frame-writer.ts).
 *
 * run.tsx loads the UI once this frame is shown (or after `waitMs`): compiling the UI blocks the
 * thread, so loading it first would hold this frame back. Keys typed meanwhile wait in the
 * terminal (raw mode, no echo) for the UI to read them.
 */
import type { Engine } from '../engine/engine.js';
import type { ProcessHost } from '../engine/process-host.js';
import { type ColorLevel, clipLine, spansToAnsi, spansWidth } from './ansi.js';
import { BSU, ESU } from './frame-writer.js';
import type { PaneRect } from './layout.js';
import { ENTER_SCREEN, LEAVE_SCREEN } from './screen-codes.js';

/** Draw at most this often while the UI loads (the UI's own frame slot). */
const FRAME_MS = 16;

export interface FirstFrameOptions {
  engine: Engine;
  /** The early sessions and where their bodies go. */
  panes: { id: string; rect: PaneRect }[];
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  colorLevel: ColorLevel;
  host?: ProcessHost;
  /** Load the UI after this long even when no agent has shown anything yet. */
  waitMs: number;
}

export interface FirstFrame {
  /** Resolves once a frame with output is on the terminal, or after waitMs. */
  readonly shown: Promise<void>;
  /**
   * Stop drawing: the UI takes the terminal over, already in the alternate screen; or, with
   * `leave` (the UI could not load), give the terminal back as it was.
   */
  stop(leave?: boolean): void;
}

/** The rows of one pane body as ANSI, padded to its width, at its place on the screen. */
export function bodyText(engine: Engine, id: string, rect: PaneRect, colorLevel: ColorLevel): string {
  let screen: ReturnType<Engine['screen']> = [];
  try {
    screen = engine.screen(id, 0);
  } catch {
    // The session is gone: nothing to draw.
  }
  let out = '';
  for (let y = 0; y < rect.innerRows; y++) {
    const spans = clipLine(screen[y] ?? [], rect.innerCols);
    const used = Math.min(spansWidth(spans), rect.innerCols);
    out += `\x1b[${rect.y + 2 + y};${rect.x + 2}H${spansToAnsi(spans, colorLevel, true)}\x1b[0m`;
    out += ' '.repeat(rect.innerCols - used);
  }
  return out;
}

export function startFirstFrame(o: FirstFrameOptions): FirstFrame {
  const { engine, stdin, stdout } = o;
  const ids = new Set(o.panes.map((p) => p.id));
  const dirty = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let resolveShown: () => void = () => {};
  const shown = new Promise<void>((resolve) => {
    resolveShown = resolve;
  });
  const write = (s: string) => {
    try {
      stdout.write(s);
    } catch {
      // The terminal went away: the lifecycle handles it.
    }
  };
  const setRaw = (on: boolean) => {
    try {
      if (stdin.isTTY && typeof stdin.setRawMode === 'function') stdin.setRawMode(on);
    } catch {
      // Not a terminal any more.
    }
  };

  let lastDraw = Number.NEGATIVE_INFINITY;
  const draw = () => {
    timer = undefined;
    if (stopped || dirty.size === 0) return;
    let body = '';
    for (const p of o.panes) if (dirty.has(p.id)) body += bodyText(engine, p.id, p.rect, o.colorLevel);
    dirty.clear();
    lastDraw = Date.now();
    write(BSU + body + ESU);
    resolveShown();
  };
  // The first output is drawn at once, later changes at most once per FRAME_MS.
  const onOutput = (id: string) => {
    if (stopped || !ids.has(id)) return;
    dirty.add(id);
    timer ??= setTimeout(draw, Math.max(0, lastDraw + FRAME_MS - Date.now()));
  };
  const wait = setTimeout(resolveShown, o.waitMs);

  write(ENTER_SCREEN);
  setRaw(true);
  const restore = () => {
    write(LEAVE_SCREEN);
    setRaw(false);
  };
  // Until the UI registers its own restore: leave the screen as it was on any way out.
  const unregister = o.host?.onRestore(restore);
  engine.on('output', onOutput);

  return {
    shown,
    stop(leave = false) {
      if (stopped) return;
      stopped = true;
      if (timer) clearTimeout(timer);
      clearTimeout(wait);
      engine.off('output', onOutput);
      unregister?.();
      if (leave) restore();
      resolveShown();
    },
  };
}
