/**
 * The UI's state and actions, for App to draw: it holds the UI state, gathers the facts a
 * command may read, routes every key through `routeInput` / `dispatch` (commands.ts) and hands
 * the effects to `runEffects` (effects.ts). Timers live here too: the once-a-second clock while
 * a turn runs, and the notice's expiry.
 */
import { useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { Engine } from '../engine/engine.js';
import type { SessionSnapshot, SpawnOptions } from '../engine/types.js';
import { type ColorLevel, detectColorLevel } from './ansi.js';
import { passthroughRun, routeInput } from './commands.js';
import type { EarlySpawn } from './early-spawn.js';
import { type EffectContext, errorText, runEffects } from './effects.js';
import type { KeyDecoder } from './keys.js';
import { placeholderText } from './messages.js';
import { BodyOverlayContext } from './overlay.js';
import { type PromptBoxProps, retype, showPromptLines } from './prompt-rows.js';
import { resolveFocus } from './step.js';
import {
  type Effect,
  expireNotice,
  type Facts,
  focusSpawned,
  initialUi,
  type Step,
  type UiState,
} from './ui-state.js';
import { type EngineView, makeEvent, useEngineView } from './use-engine.js';
import { useKeyboard } from './use-keyboard.js';
import { type NotifySettings, useNotify } from './use-notify.js';
import {
  type PaneLayout,
  paneResizes,
  plannedSizes,
  resizeKey,
  sizeKey,
  usePaneLayout,
  useTerminalSize,
} from './use-panes.js';

export interface ControllerOptions {
  engine: Engine;
  /** Options for every session the UI spawns (cwd, agent, agentArgs, env). */
  spawnDefaults?: SpawnOptions;
  /** Sessions to start on mount. */
  initial?: { prompt: string; parallel: number };
  /** Sessions started before the UI loaded (early-spawn.ts): adopted on mount. */
  spawned?: EarlySpawn;
  /** Called once on mount, when the UI listens (e.g. to resume sessions: their warnings show). */
  onStart?: () => void;
  /** Fixed size (tests). Without it, the terminal's size is used. */
  size?: { cols: number; rows: number };
  /** Called once when the user quits (Ctrl+C twice). The caller shuts the engine down and unmounts. */
  onQuit?: () => void;
  /** Repaint the whole terminal (Ctrl+L); runTui passes its frame writer's repaint. */
  onRepaint?: () => void;
  /** Suspend to the shell (Ctrl+Z); runTui passes its suspend (terminal given back, SIGSTOP). */
  onSuspend?: () => void;
  /** Bell, desktop notifications and the terminal title (runTui passes them; none without). */
  notify?: NotifySettings;
  /** Color support for pane contents and live lines (default: detected from the environment). */
  colorLevel?: ColorLevel;
}

export interface Controller extends PaneLayout {
  ui: UiState;
  /** The prompt box as drawn now. */
  prompt: PromptBoxProps;
  view: EngineView;
  focused: SessionSnapshot | undefined;
  cols: number;
  rows: number;
}

const NO_DEFAULTS: SpawnOptions = {};

export function useController(opts: ControllerOptions): Controller {
  const { engine, initial } = opts;
  const overlay = useContext(BodyOverlayContext);
  const { view, touch, log } = useEngineView(engine, { ignoreOutput: overlay !== undefined });
  const { cols, rows } = useTerminalSize(opts.size);

  // UI state lives in a ref (the key handler reads and writes it synchronously, several keys may
  // arrive in one chunk) and a counter triggers renders.
  const ui = useRef<UiState>(initialUi());
  // The state on screen and its prompt box: set by each render, and by an edit echoed without one.
  const drawn = useRef<{ ui: UiState; prompt?: PromptBoxProps }>({ ui: ui.current });
  const [, setRender] = useState(0);
  const update = useCallback(
    (fn: (s: UiState) => UiState) => {
      const prev = ui.current;
      const next = fn(prev);
      if (next === prev) return;
      ui.current = next;
      // A key that only edits the prompt and keeps its shape is echoed through the overlay: no
      // React render (the render of the whole tree is what a keystroke cost, BENCHMARKS.md).
      const shown = drawn.current;
      if (overlay && shown.prompt && shown.ui === prev && editOnly(prev, next)) {
        const prompt = retype(shown.prompt, next.editor);
        if (prompt) {
          showPromptLines(overlay, prompt);
          drawn.current = { ui: next, prompt };
          overlay.drawn();
          return;
        }
      }
      setRender((n) => n + 1);
    },
    [overlay],
  );
  const st = ui.current;

  const sessions = view.sessions;
  const focused = resolveFocus(sessions, st.focusId);
  const focusIndex = focused ? sessions.indexOf(focused) : -1;
  useNotify(engine, focused?.id, opts.notify);
  const panes = usePaneLayout({ ui: st, count: sessions.length, focused, focusIndex, cols, rows });
  const { layout, layoutFor, wrapped, promptRows, label } = panes;
  const colorLevel = useMemo(() => opts.colorLevel ?? detectColorLevel(), [opts.colorLevel]);
  const prompt: PromptBoxProps = {
    width: cols,
    rows: promptRows,
    label,
    labelColor: focused?.status === 'WAITING' ? 'yellow' : 'cyanBright',
    lines: wrapped.lines,
    cursorRow: wrapped.cursorRow,
    cursorCol: wrapped.cursorCol,
    empty: st.editor.text === '',
    placeholder: placeholderText(focused),
    active: !st.passthrough && !st.help && !st.review,
    colorLevel,
  };
  drawn.current = { ui: st, prompt };

  // ---- effects: the one way out to the engine and the caller ----
  const sentSizes = useRef(new Map<string, string>());
  const ctx: EffectContext = {
    engine,
    spawnDefaults: opts.spawnDefaults ?? NO_DEFAULTS,
    plannedSizes: (count) => plannedSizes(layoutFor, engine.list().length, count, ui.current.zoom),
    sized: (id, c, r) => sentSizes.current.set(id, sizeKey(c, r)),
    touch,
    log,
    update,
    onQuit: opts.onQuit,
    onRepaint: opts.onRepaint,
    onSuspend: opts.onSuspend,
  };
  const run = (effects: readonly Effect[]) => runEffects(effects, ctx);
  const apply = ({ state, effects }: Step) => {
    update(() => state);
    run(effects);
  };

  // ---- resize the agents' terminals to their panes ----
  const resizes = resizeKey(layout, sessions);
  // biome-ignore lint/correctness/useExhaustiveDependencies: resizes captures exactly what matters (ids and inner sizes)
  useEffect(() => {
    run(paneResizes(layout, sessions, sentSizes.current));
  }, [resizes, engine]);

  // ---- clock: one tick per second, only while a turn is running ----
  const ticking = sessions.some((s) => s.status === 'RUNNING' || s.status === 'WAITING');
  // With the overlay, the elapsed times are live lines (the pane titles): a tick redraws them and
  // renders no React tree. The compare view shows times through React: it ticks by a render.
  useEffect(() => {
    if (!ticking) return;
    const t = setInterval(() => {
      if (overlay && ui.current.review === undefined) overlay.tick();
      else setRender((n) => n + 1);
    }, 1000);
    return () => clearInterval(t);
  }, [ticking, overlay]);

  // ---- transient notice expiry ----
  const noticeUntil = st.notice?.until;
  useEffect(() => {
    if (noticeUntil === undefined) return;
    const t = setTimeout(
      () => update((s) => expireNotice(s, Date.now())),
      Math.max(0, noticeUntil - Date.now()),
    );
    return () => clearTimeout(t);
  }, [noticeUntil, update]);

  // ---- initial sessions, once ----
  const started = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: spawn the initial sessions exactly once, on mount
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    opts.onStart?.();
    if (opts.spawned) {
      for (const s of opts.spawned.sessions)
        if (s.cols !== undefined && s.rows !== undefined) ctx.sized(s.id, s.cols, s.rows);
      // The engine view listens now: what the engine said before moves to the event line.
      opts.spawned.stopWarnings();
      for (const e of [...opts.spawned.warnings, ...opts.spawned.errors]) log(makeEvent('error', e));
      const first = opts.spawned.sessions[0];
      if (first) update((s) => focusSpawned(s, first.id));
    }
    if (!initial || initial.parallel < 1) return;
    run([{ kind: 'spawn', prompt: initial.prompt, count: Math.floor(initial.parallel) }]);
  }, []);

  // ---- keyboard ----
  const layoutRef = useRef(layout);
  layoutRef.current = layout;
  const factsNow = (): Facts => {
    const list = engine.list();
    const f = resolveFocus(list, ui.current.focusId);
    let scrollback: number | undefined;
    try {
      scrollback = f ? engine.scrollbackLength(f.id) : undefined;
    } catch {
      // The session went away: nothing to scroll.
    }
    return {
      now: Date.now(),
      sessions: list,
      layout: layoutRef.current,
      size: { cols, rows },
      scrollback,
      clients: engine.clients(),
    };
  };
  const onKeys = (event: string, decoder: KeyDecoder) => {
    const fast = passthroughRun(ui.current, event, decoder.inPaste, () => engine.list());
    if (fast) {
      run([fast]);
      return;
    }
    for (const item of decoder.feed(event)) apply(routeInput(ui.current, item, factsNow()));
  };
  useKeyboard(onKeys, (err) => log(makeEvent('error', `key handling failed: ${errorText(err)}`)));

  return { ...panes, ui: st, prompt, view, focused, cols, rows };
}

/** Whether `next` differs from `prev` in the prompt's text or cursor only. */
function editOnly(prev: UiState, next: UiState): boolean {
  if (next.editor.text === prev.editor.text && next.editor.cursor === prev.editor.cursor) return false;
  for (const key of Object.keys(next) as (keyof UiState)[])
    if (key !== 'editor' && next[key] !== prev[key]) return false;
  return Object.keys(prev).length === Object.keys(next).length;
}
