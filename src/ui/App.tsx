import { Box, useStdout } from 'ink';
import { type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { useRawInput } from '../compat/ink-input.js';
import type { Engine } from '../engine/engine.js';
import type { SessionSnapshot, SpawnOptions } from '../engine/types.js';
import { TERMINAL_STATUSES } from '../engine/types.js';
import { type ColorLevel, detectColorLevel } from './ansi.js';
import { EventLine, HintBar, Message, type Notice, PromptBox } from './components/Bars.js';
import { HelpView, helpLineCount } from './components/HelpView.js';
import { Pane } from './components/Pane.js';
import * as ed from './editor.js';
import { promptSummary, timingText } from './format.js';
import { activeModes, type CommandId, keyLabel, primaryKey, resolveCommand } from './keymap.js';
import { type InputItem, KeyDecoder, type KeyPress, normalizePaste } from './keys.js';
import { computeLayout, type Layout, MAX_PROMPT_ROWS, paneRows } from './layout.js';
import { BodyOverlayContext } from './overlay.js';
import { type EventLevel, makeEvent, useEngineView } from './use-engine.js';
import { type NotifySettings, useNotify } from './use-notify.js';
import { stringWidth } from './width.js';

export const QUIT_WINDOW_MS = 1000;
export const KILL_WINDOW_MS = 2000;
const NOTICE_MS = 3000;

export interface AppProps {
  engine: Engine;
  /** Options for every session the UI spawns (cwd, agent, agentArgs, env). */
  spawnDefaults?: SpawnOptions;
  /** Sessions to start on mount. */
  initial?: { prompt: string; parallel: number };
  /** Fixed size (tests). Without it, the terminal's size is used (see `fullscreen`). */
  size?: { cols: number; rows: number };
  /** Called once when the user quits (Ctrl+C twice). The caller shuts the engine down and unmounts. */
  onQuit?: () => void;
  /** Repaint the whole terminal (Ctrl+L); runTui passes its frame writer's repaint. */
  onRepaint?: () => void;
  /** Suspend to the shell (Ctrl+Z); runTui passes its suspend (terminal given back, SIGSTOP). */
  onSuspend?: () => void;
  /** Color support for pane contents (default: detected from the environment). */
  colorLevel?: ColorLevel;
  /** Bell, desktop notifications and the terminal title (runTui passes them; none without). */
  notify?: NotifySettings;
}

interface UiState {
  editor: ed.EditorState;
  focusId?: string;
  zoom: boolean;
  scrolls: Record<string, number>;
  passthrough: boolean;
  help: boolean;
  helpScroll: number;
  notice?: Notice & { until: number };
  quitArmedAt?: number;
  killArmed?: { id: string; at: number };
  quitting: boolean;
}

const initialUi = (): UiState => ({
  editor: ed.emptyEditor(),
  zoom: false,
  scrolls: {},
  passthrough: false,
  help: false,
  helpScroll: 0,
  quitting: false,
});

const isLive = (s: SessionSnapshot | undefined): boolean => !!s && !TERMINAL_STATUSES.has(s.status);

function resolveFocus(
  sessions: readonly SessionSnapshot[],
  focusId: string | undefined,
): SessionSnapshot | undefined {
  return sessions.find((s) => s.id === focusId) ?? sessions[0];
}

function useTerminalSize(fixed: AppProps['size']): { cols: number; rows: number } {
  const { stdout } = useStdout();
  const read = useCallback(() => ({ cols: stdout.columns || 80, rows: stdout.rows || 24 }), [stdout]);
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, fixed, read]);
  return fixed ?? size;
}

/** The prompt label and wrap width for the prompt box. */
function promptPrefix(focused: SessionSnapshot | undefined): string {
  return focused ? `#${focused.n}` : 'new';
}

export function App({
  engine,
  spawnDefaults = {},
  initial,
  size: fixedSize,
  onQuit,
  onRepaint,
  onSuspend,
  colorLevel: colorLevelProp,
  notify: notifySettings,
}: AppProps) {
  const colorLevel = useMemo(() => colorLevelProp ?? detectColorLevel(), [colorLevelProp]);
  const overlay = useContext(BodyOverlayContext);
  const { view, touch, log } = useEngineView(engine, { ignoreOutput: overlay !== undefined });
  const { cols, rows } = useTerminalSize(fixedSize);

  // UI state lives in a ref (the key handler reads and writes it synchronously, several keys may
  // arrive in one chunk) and a counter triggers renders.
  const ui = useRef<UiState>(initialUi());
  const [, setRender] = useState(0);
  const update = useCallback((fn: (s: UiState) => UiState) => {
    ui.current = fn(ui.current);
    setRender((n) => n + 1);
  }, []);
  const st = ui.current;

  const sessions = view.sessions;
  const focused = resolveFocus(sessions, st.focusId);
  const focusIndex = focused ? sessions.indexOf(focused) : -1;
  useNotify(engine, focused?.id, notifySettings);

  // ---- layout ----
  const label = promptPrefix(focused);
  const prefixW = stringWidth(`${label}❯ `);
  const wrapped = useMemo(
    () => ed.wrapText(st.editor.text, st.editor.cursor, Math.max(1, cols - prefixW)),
    [st.editor.text, st.editor.cursor, cols, prefixW],
  );
  const promptRows = Math.max(1, Math.min(MAX_PROMPT_ROWS, wrapped.lines.length));
  const layoutFor = useCallback(
    (count: number, zoomIndex: number | undefined): Layout =>
      computeLayout({ count, cols, rows, promptRows, zoomIndex }),
    [cols, rows, promptRows],
  );
  const layout = layoutFor(sessions.length, st.zoom && focusIndex >= 0 ? focusIndex : undefined);
  const layoutRef = useRef(layout);
  layoutRef.current = layout;

  // ---- resize the agents' terminals to their panes ----
  const sentSizes = useRef(new Map<string, string>());
  const resizeKey = layout.ok
    ? layout.panes.map((p) => `${sessions[p.index]?.id}:${p.innerCols}x${p.innerRows}`).join(',')
    : '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: resizeKey captures exactly what matters (ids and inner sizes)
  useEffect(() => {
    if (!layout.ok) return;
    for (const p of layout.panes) {
      const s = sessions[p.index];
      if (!s || TERMINAL_STATUSES.has(s.status)) continue;
      const key = `${p.innerCols}x${p.innerRows}`;
      if (sentSizes.current.get(s.id) === key) continue;
      sentSizes.current.set(s.id, key);
      const fresh = engine.get(s.id);
      if (!fresh || (fresh.cols === p.innerCols && fresh.rows === p.innerRows)) continue;
      try {
        engine.resize(s.id, p.innerCols, p.innerRows);
        touch(s.id);
      } catch {
        // The session went away between render and effect; nothing to resize.
      }
    }
  }, [resizeKey, engine]);

  // ---- clock: one tick per second, only while a turn is running ----
  const ticking = sessions.some((s) => s.status === 'RUNNING' || s.status === 'WAITING');
  useEffect(() => {
    if (!ticking) return;
    const t = setInterval(() => setRender((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, [ticking]);

  // ---- transient notice expiry ----
  const noticeUntil = st.notice?.until;
  useEffect(() => {
    if (noticeUntil === undefined) return;
    const t = setTimeout(
      () => {
        update((s) => (s.notice && s.notice.until <= Date.now() ? { ...s, notice: undefined } : s));
      },
      Math.max(0, noticeUntil - Date.now()),
    );
    return () => clearTimeout(t);
  }, [noticeUntil, update]);

  const notify = useCallback(
    (text: string, level: EventLevel = 'info', ms = NOTICE_MS) => {
      update((s) => ({ ...s, notice: { text, level, until: Date.now() + ms } }));
    },
    [update],
  );

  // ---- actions ----
  const spawnSession = useCallback(
    (prompt: string | undefined, count = 1): SessionSnapshot[] => {
      const existing = engine.list().length;
      const zoom = ui.current.zoom;
      const out: SessionSnapshot[] = [];
      const planned = layoutFor(existing + count, zoom && count === 1 ? existing : undefined);
      for (let i = 0; i < count; i++) {
        const rect = planned.ok ? planned.panes.find((p) => p.index === existing + i) : undefined;
        const opts: SpawnOptions = { ...spawnDefaults };
        if (prompt) opts.prompt = prompt;
        if (rect) {
          opts.cols = rect.innerCols;
          opts.rows = rect.innerRows;
        }
        try {
          const s = engine.spawn(opts);
          out.push(s);
          if (rect) sentSizes.current.set(s.id, `${rect.innerCols}x${rect.innerRows}`);
        } catch (err) {
          log(makeEvent('error', `could not start a session: ${errorText(err)}`));
        }
      }
      const first = out[0];
      if (first) update((s) => ({ ...s, focusId: first.id, passthrough: false }));
      return out;
    },
    [engine, spawnDefaults, layoutFor, log, update],
  );

  // Initial sessions, once.
  const started = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: spawn the initial sessions exactly once, on mount
  useEffect(() => {
    if (started.current || !initial || initial.parallel < 1) return;
    started.current = true;
    spawnSession(initial.prompt, Math.floor(initial.parallel));
  }, []);

  const quit = useCallback(() => {
    if (ui.current.quitting) return;
    update((s) => ({ ...s, quitting: true, passthrough: false, help: false }));
    onQuit?.();
  }, [onQuit, update]);

  const runCommand = (cmd: CommandId, key: KeyPress) => {
    const s = ui.current;
    const list = engine.list();
    const f = resolveFocus(list, s.focusId);
    const setEditor = (fn: (e: ed.EditorState) => ed.EditorState) =>
      update((x) => ({ ...x, editor: fn(x.editor) }));
    const scrollBy = (delta: number | 'top' | 'bottom') => {
      if (!f) return;
      let max = 0;
      try {
        max = engine.scrollbackLength(f.id);
      } catch {
        return;
      }
      update((x) => {
        const cur = x.scrolls[f.id] ?? 0;
        const next = delta === 'top' ? max : delta === 'bottom' ? 0 : Math.max(0, Math.min(max, cur + delta));
        return { ...x, scrolls: { ...x.scrolls, [f.id]: next } };
      });
    };
    const page = () => {
      const l = layoutRef.current;
      const p = l.ok ? l.panes.find((r) => list[r.index]?.id === f?.id) : undefined;
      return Math.max(1, (p?.innerRows ?? 10) - 1);
    };
    const cycle = (dir: 1 | -1) => {
      if (list.length === 0) return;
      const i = f ? list.findIndex((x) => x.id === f.id) : -1;
      const next = list[(i + dir + list.length) % list.length];
      if (next) update((x) => ({ ...x, focusId: next.id, killArmed: undefined }));
    };

    switch (cmd) {
      case 'submit': {
        const text = s.editor.text.replace(/\s+$/, '');
        if (text.trim() === '') return;
        if (list.length === 0) {
          update((x) => ({ ...x, editor: ed.commit(x.editor) }));
          spawnSession(text);
          return;
        }
        if (!f) return;
        if (!isLive(f)) {
          notify(`#${f.n} has ended: ${primaryKey('spawn')} starts a new session with this prompt`, 'error');
          return;
        }
        update((x) => ({ ...x, editor: ed.commit(x.editor), scrolls: { ...x.scrolls, [f.id]: 0 } }));
        const redirect = f.status === 'RUNNING';
        log(
          makeEvent(
            'info',
            `${redirect ? `interrupted #${f.n}, new direction` : `sent to #${f.n}`}: ${promptSummary(text, 6)}`,
            f.id,
          ),
        );
        engine
          .send(f.id, text)
          .catch((err: unknown) => log(makeEvent('error', `#${f.n}: ${errorText(err)}`, f.id)));
        return;
      }
      case 'newline':
        setEditor((e) => ed.insert(e, '\n'));
        return;
      case 'interrupt':
        if (!f) return;
        if (!isLive(f)) {
          notify(`#${f.n} is not running`);
          return;
        }
        engine
          .interrupt(f.id)
          .catch((err: unknown) => log(makeEvent('error', `#${f.n}: ${errorText(err)}`, f.id)));
        return;
      case 'focus-next':
        cycle(1);
        return;
      case 'focus-prev':
        cycle(-1);
        return;
      case 'focus-number': {
        const d = Number(key.name.slice(-1));
        const target = list.find((x) => x.n === d) ?? list[d - 1];
        if (target) update((x) => ({ ...x, focusId: target.id, killArmed: undefined }));
        return;
      }
      case 'spawn': {
        const text = s.editor.text.replace(/\s+$/, '');
        if (text.trim() !== '') update((x) => ({ ...x, editor: ed.commit(x.editor) }));
        spawnSession(text.trim() === '' ? undefined : text);
        return;
      }
      case 'kill': {
        if (!f) return;
        if (!isLive(f)) {
          try {
            engine.remove(f.id);
          } catch (err) {
            log(makeEvent('error', `#${f.n}: ${errorText(err)}`, f.id));
          }
          return;
        }
        const armed = s.killArmed;
        if (armed && armed.id === f.id && Date.now() - armed.at <= KILL_WINDOW_MS) {
          update((x) => ({ ...x, killArmed: undefined, notice: undefined }));
          log(makeEvent('info', `killing #${f.n}`, f.id));
          engine
            .kill(f.id)
            .catch((err: unknown) => log(makeEvent('error', `#${f.n}: ${errorText(err)}`, f.id)));
          return;
        }
        update((x) => ({ ...x, killArmed: { id: f.id, at: Date.now() } }));
        notify(`press ${keyLabel(key.name)} again to kill #${f.n}`, 'attention', KILL_WINDOW_MS);
        return;
      }
      case 'zoom':
        if (list.length > 0) update((x) => ({ ...x, zoom: !x.zoom }));
        return;
      case 'scroll-page-up':
        scrollBy(page());
        return;
      case 'scroll-page-down':
        scrollBy(-page());
        return;
      case 'scroll-line-up':
        scrollBy(1);
        return;
      case 'scroll-line-down':
        scrollBy(-1);
        return;
      case 'scroll-top':
        scrollBy('top');
        return;
      case 'scroll-bottom':
        scrollBy('bottom');
        return;
      case 'passthrough':
        if (s.passthrough) {
          update((x) => ({ ...x, passthrough: false }));
          return;
        }
        if (!f || !isLive(f)) {
          notify('passthrough needs a running session', 'error');
          return;
        }
        update((x) => ({ ...x, passthrough: true, scrolls: { ...x.scrolls, [f.id]: 0 } }));
        return;
      case 'answer':
        if (f && isLive(f)) engine.write(f.id, key.raw);
        return;
      case 'help':
        update((x) => ({ ...x, help: true, helpScroll: 0 }));
        return;
      case 'help-close':
        update((x) => ({ ...x, help: false }));
        return;
      case 'help-scroll-up':
      case 'help-scroll-down': {
        const l = layoutRef.current;
        const area = l.ok ? l.paneArea : { width: cols, height: rows };
        const max = Math.max(0, helpLineCount(area.width) - (area.height - 2));
        const step = key.name === 'pageup' || key.name === 'pagedown' || key.name === 'space' ? 10 : 1;
        const dir = cmd === 'help-scroll-up' ? -step : step;
        update((x) => ({ ...x, helpScroll: Math.max(0, Math.min(max, x.helpScroll + dir)) }));
        return;
      }
      case 'clear-or-quit': {
        if (s.editor.text !== '') {
          update((x) => ({ ...x, editor: ed.clear(x.editor), quitArmedAt: undefined }));
          return;
        }
        const now = Date.now();
        if (s.quitArmedAt !== undefined && now - s.quitArmedAt <= QUIT_WINDOW_MS) {
          quit();
          return;
        }
        update((x) => ({ ...x, quitArmedAt: now }));
        notify(`press ${keyLabel(key.name)} again to quit (stops all sessions)`, 'attention', QUIT_WINDOW_MS);
        return;
      }
      case 'redraw':
        onRepaint?.();
        return;
      case 'suspend':
        onSuspend?.();
        return;
      case 'cursor-left':
        setEditor(ed.left);
        return;
      case 'cursor-right':
        setEditor(ed.right);
        return;
      case 'word-left':
        setEditor(ed.wordLeft);
        return;
      case 'word-right':
        setEditor(ed.wordRight);
        return;
      case 'line-start':
        setEditor(ed.home);
        return;
      case 'line-end':
        setEditor(ed.end);
        return;
      case 'backspace':
        setEditor(ed.backspace);
        return;
      case 'delete':
        setEditor(ed.del);
        return;
      case 'delete-word':
        setEditor(ed.deleteWordBack);
        return;
      case 'kill-to-end':
        setEditor(ed.killToEnd);
        return;
      case 'kill-to-start':
        setEditor(ed.killToStart);
        return;
      case 'history-prev':
        setEditor(ed.up);
        return;
      case 'history-next':
        setEditor(ed.down);
        return;
    }
  };

  const handleItem = (item: InputItem) => {
    const s = ui.current;
    if (s.quitting) return;
    // Focus reports (CSI I / CSI O) are for use-notify: never typed, never sent to an agent.
    if (item.kind === 'key' && (item.key.name === 'focus-in' || item.key.name === 'focus-out')) return;
    const list = engine.list();
    const f = resolveFocus(list, s.focusId);
    if (s.passthrough) {
      if (item.kind === 'key' && resolveCommand(item.key.name, ['passthrough']) === 'passthrough') {
        update((x) => ({ ...x, passthrough: false }));
        return;
      }
      if (!f || !isLive(f)) {
        update((x) => ({ ...x, passthrough: false }));
        notify('passthrough ended: the session is gone', 'error');
        return;
      }
      engine.write(f.id, item.kind === 'key' ? item.key.raw : item.raw);
      return;
    }
    if (item.kind === 'paste') {
      if (s.help) return;
      update((x) => ({
        ...x,
        editor: ed.insert(x.editor, normalizePaste(item.text)),
        quitArmedAt: undefined,
      }));
      return;
    }
    const key = item.key;
    const modes = activeModes({
      help: s.help,
      passthrough: false,
      promptEmpty: s.editor.text === '',
      focusedWaiting: f?.status === 'WAITING',
    });
    const cmd = resolveCommand(key.name, modes);
    if (cmd) {
      runCommand(cmd, key);
      return;
    }
    if (key.text !== undefined && !s.help) {
      update((x) => ({ ...x, editor: ed.insert(x.editor, key.text ?? ''), quitArmedAt: undefined }));
    }
  };

  // ---- keyboard: raw events from Ink's input parser ----
  const { setRawMode, events: inputEvents, isRawModeSupported } = useRawInput();
  const handlerRef = useRef<(event: string) => void>(() => {});
  const decoder = useRef(new KeyDecoder());
  handlerRef.current = (event: string) => {
    // Passthrough fast path: a run of plain characters (typed fast or pasted without bracketed
    // paste) goes to the PTY in one write, unless it holds the toggle key.
    const s = ui.current;
    if (s.passthrough && !decoder.current.inPaste && event.length > 1 && !event.startsWith('\x1b')) {
      const toggle = event.indexOf('\x1d');
      const f = resolveFocus(engine.list(), s.focusId);
      if (toggle === -1 && f && isLive(f)) {
        engine.write(f.id, event);
        return;
      }
    }
    for (const item of decoder.current.feed(event)) handleItem(item);
  };
  const logRef = useRef(log);
  logRef.current = log;
  // Subscribed once: re-running this would toggle raw mode and reset Ink's key parser (losing a
  // pending lone Esc), so everything it calls goes through refs.
  useEffect(() => {
    if (isRawModeSupported) setRawMode(true);
    const onInput = (event: string) => {
      try {
        handlerRef.current(event);
      } catch (err) {
        logRef.current(makeEvent('error', `key handling failed: ${errorText(err)}`));
      }
    };
    inputEvents.on('input', onInput);
    return () => {
      inputEvents.off('input', onInput);
      if (isRawModeSupported) setRawMode(false);
    };
  }, [inputEvents, setRawMode, isRawModeSupported]);

  // ---- render ----
  const now = Date.now();
  if (st.quitting) {
    const live = sessions.filter((s) => isLive(s)).length;
    return (
      <Message
        width={cols}
        height={rows}
        lines={[live > 0 ? `quitting: stopping ${live} session${live === 1 ? '' : 's'}…` : 'quitting…']}
        color="yellow"
      />
    );
  }
  if (!layout.ok) {
    return (
      <Message
        width={cols}
        height={rows}
        color="yellow"
        lines={tooSmallLines(layout.need, cols, sessions.length > 1 && !st.zoom)}
      />
    );
  }

  const modes = activeModes({
    help: st.help,
    passthrough: st.passthrough,
    promptEmpty: st.editor.text === '',
    focusedWaiting: focused?.status === 'WAITING',
  });
  const hintMode = modes[0] ?? 'normal';
  const placeholder = !focused
    ? 'type a prompt and press Enter to start a session (F1: help)'
    : focused.status === 'WAITING'
      ? `#${focused.n} is waiting: answer with 1-9 / ↑↓ / Enter, or type a prompt`
      : !isLive(focused)
        ? `#${focused.n} has ended: ${primaryKey('spawn')} starts a new session`
        : focused.status === 'RUNNING'
          ? `Enter interrupts #${focused.n} and redirects it · ${primaryKey('spawn')} starts another session`
          : `prompt for #${focused.n} · ${primaryKey('spawn')} starts another session · F1 help`;

  const { paneArea } = layout;
  let paneContent: ReactNode;
  if (st.help) {
    paneContent = <HelpView width={paneArea.width} height={paneArea.height} scroll={st.helpScroll} />;
  } else if (sessions.length === 0) {
    paneContent = (
      <Message
        width={paneArea.width}
        height={paneArea.height}
        lines={[
          'axiom: several Claude Code sessions side by side',
          '',
          'Type a prompt below and press Enter to start a session.',
          `${primaryKey('spawn')} starts more; each gets its own pane. F1 lists every key.`,
        ]}
      />
    );
  } else {
    paneContent = paneRows(layout.panes).map((row) => (
      <Box
        key={`row-${row[0]?.y ?? 0}`}
        flexDirection="row"
        width={paneArea.width}
        height={row[0]?.height ?? 0}
        flexShrink={0}
      >
        {row.map((p) => {
          const s = sessions[p.index];
          if (!s) return null;
          return (
            <Pane
              key={s.id}
              engine={engine}
              session={s}
              rect={p}
              focused={s.id === focused?.id}
              passthrough={st.passthrough}
              version={view.versions[s.id] ?? 0}
              scroll={st.scrolls[s.id] ?? 0}
              timing={timingText(s, now)}
              colorLevel={colorLevel}
              slot={p.index}
            />
          );
        })}
      </Box>
    ));
  }

  return (
    <Box flexDirection="column" width={cols} height={rows} flexShrink={0}>
      <Box flexDirection="column" width={paneArea.width} height={paneArea.height} flexShrink={0}>
        {paneContent}
      </Box>
      <EventLine width={cols} events={view.events} notice={st.notice} />
      <PromptBox
        width={cols}
        rows={promptRows}
        label={label}
        labelColor={focused?.status === 'WAITING' ? 'yellow' : 'cyanBright'}
        lines={wrapped.lines}
        cursorRow={wrapped.cursorRow}
        cursorCol={wrapped.cursorCol}
        empty={st.editor.text === ''}
        placeholder={placeholder}
        active={!st.passthrough && !st.help}
      />
      <HintBar width={cols} mode={hintMode} target={focused ? `#${focused.n}` : undefined} />
    </Box>
  );
}

/** The "terminal too small" message, in lines that fit the width when they can. */
export function tooSmallLines(
  need: { cols: number; rows: number },
  cols: number,
  canZoom: boolean,
): string[] {
  const size = `${need.cols}×${need.rows}`;
  const one = `terminal too small (need ≥ ${size})`;
  const lines = stringWidth(one) <= cols ? [one] : ['terminal too small', `need ≥ ${size}`];
  lines.push(canZoom ? `enlarge it, or ${primaryKey('zoom')} zooms one pane` : 'enlarge it');
  lines.push(`${keyLabel('ctrl+c')} twice quits`);
  return lines;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
