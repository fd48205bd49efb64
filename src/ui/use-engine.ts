import { useCallback, useEffect, useRef, useState } from 'react';
import type { Engine } from '../engine/engine.js';
import { listen } from '../engine/listen.js';
import {
  type Answer,
  type Direction,
  type FileEvent,
  PERSON,
  type SessionSnapshot,
  type SessionStatus,
} from '../engine/types.js';
import { displayPath, formatDuration, promptSummary } from './format.js';

/** At most this many UI updates per second from engine events (output bursts are coalesced). */
export const MAX_FPS = 30;
export const FRAME_MS = Math.ceil(1000 / MAX_FPS);
const EVENT_LOG_LIMIT = 50;

export type EventLevel = 'info' | 'file' | 'attention' | 'error';

export interface UiEvent {
  id: number;
  at: number;
  level: EventLevel;
  text: string;
  sessionId?: string;
}

export interface EngineView {
  sessions: SessionSnapshot[];
  /** Per-session screen version: bumped when its screen changed. */
  versions: Readonly<Record<string, number>>;
  /** Newest last. */
  events: UiEvent[];
  /** The MCP clients attached to the engine (`axiom mcp --attach`), by name. */
  clients: readonly string[];
}

let nextEventId = 1;

export function makeEvent(level: EventLevel, text: string, sessionId?: string, at = Date.now()): UiEvent {
  return { id: nextEventId++, at, level, text, sessionId };
}

/** "#2: claude-code answered the permission dialog: 1 "Yes"" for the event line. */
export function answerEventText(n: number | string, a: Answer): string {
  const label = a.option.label.length > 40 ? `${a.option.label.slice(0, 39)}…` : a.option.label;
  return `#${n}: ${a.by === 'person' ? 'you' : a.by} answered the ${a.dialog} dialog: ${a.option.id} "${label}"`;
}

/** The event line's words for a change of who steers a session. */
function controlEvent(s: SessionSnapshot): UiEvent | undefined {
  if (s.held) return makeEvent('info', `#${s.n} held by you: clients cannot steer it`, s.id);
  if (s.owner !== undefined && s.takenOver)
    return makeEvent('info', `#${s.n} taken over from ${s.owner}`, s.id);
  if (s.owner !== undefined) return makeEvent('info', `#${s.n} steered by ${s.owner}`, s.id);
  return makeEvent('info', `#${s.n} is yours`, s.id);
}

function statusEvent(s: SessionSnapshot, previous: SessionStatus): UiEvent | undefined {
  const who = `#${s.n}`;
  switch (s.status) {
    case 'WAITING':
      return makeEvent('attention', `${who} is WAITING${s.reason ? `: ${s.reason}` : ' for you'}`, s.id);
    case 'FAILED':
      return makeEvent('error', `${who} FAILED${s.reason ? `: ${s.reason}` : ''}`, s.id);
    case 'EXITED':
      return makeEvent(
        'info',
        `${who} exited${s.signal ? ` (signal ${s.signal})` : s.exitCode != null ? ` (code ${s.exitCode})` : ''}`,
        s.id,
      );
    case 'COMPLETED': {
      const last = s.turnDurations[s.turnDurations.length - 1];
      return makeEvent(
        'info',
        `${who} completed${last !== undefined ? ` in ${formatDuration(last)}` : ''}`,
        s.id,
      );
    }
    case 'INTERRUPTED':
      return makeEvent('info', `${who} interrupted`, s.id);
    case 'RUNNING':
      return previous === 'WAITING' ? makeEvent('info', `${who} resumed`, s.id) : undefined;
    default:
      return undefined;
  }
}

/**
 * Subscribes to the engine and exposes a render-ready view. Every engine event only marks
 * something dirty; a single flush (leading edge, then at most one per FRAME_MS) turns the
 * dirty marks into one state update. No timer runs while nothing happens.
 */
export function useEngineView(
  engine: Engine,
  opts: {
    /** Screen output is drawn without React (the overlay, see overlay.ts): do not re-render for it. */
    ignoreOutput?: boolean;
  } = {},
): {
  view: EngineView;
  /** Mark a session's screen as changed (e.g. after a resize) and schedule a redraw. */
  touch: (id: string) => void;
  /** Add an event to the log (UI-originated: errors, notices). */
  log: (ev: UiEvent) => void;
} {
  const [view, setView] = useState<EngineView>(() => ({
    sessions: engine.list(),
    versions: {},
    events: [],
    clients: engine.clients(),
  }));
  const api = useRef<{ touch: (id: string) => void; log: (ev: UiEvent) => void }>({
    touch: () => {},
    log: () => {},
  });

  const ignoreOutput = opts.ignoreOutput === true;
  useEffect(() => {
    const dirtyScreens = new Set<string>();
    const pendingEvents: UiEvent[] = [];
    let listDirty = false;
    let clientsDirty = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastFlush = 0;
    let disposed = false;

    const flush = () => {
      timer = undefined;
      if (disposed) return;
      lastFlush = Date.now();
      const screens = [...dirtyScreens];
      const events = pendingEvents.splice(0);
      const refreshList = listDirty;
      const refreshClients = clientsDirty;
      dirtyScreens.clear();
      listDirty = false;
      clientsDirty = false;
      if (screens.length === 0 && events.length === 0 && !refreshList && !refreshClients) return;
      setView((prev) => {
        let versions = prev.versions;
        if (screens.length > 0) {
          const next: Record<string, number> = { ...prev.versions };
          for (const id of screens) next[id] = (next[id] ?? 0) + 1;
          versions = next;
        }
        return {
          sessions: refreshList ? engine.list() : prev.sessions,
          versions,
          events: events.length > 0 ? [...prev.events, ...events].slice(-EVENT_LOG_LIMIT) : prev.events,
          clients: refreshClients ? engine.clients() : prev.clients,
        };
      });
    };

    const schedule = () => {
      if (timer !== undefined || disposed) return;
      const wait = lastFlush + FRAME_MS - Date.now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    };

    // Session list and status changes are rare and matter at once: flush now (this also
    // carries any pending screen updates). Screen output is what gets throttled.
    const urgent = () => {
      if (disposed) return;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      flush();
    };

    const onOutput = (id: string) => {
      if (ignoreOutput) return;
      dirtyScreens.add(id);
      schedule();
    };
    const onAdded = (s: SessionSnapshot) => {
      listDirty = true;
      dirtyScreens.add(s.id);
      urgent();
    };
    const onStatus = (s: SessionSnapshot, previous: SessionStatus) => {
      listDirty = true;
      const ev = statusEvent(s, previous);
      if (ev) pendingEvents.push(ev);
      urgent();
    };
    const onFile = (id: string, ev: FileEvent) => {
      listDirty = true;
      const s = engine.get(id);
      const path = s ? displayPath(ev.path, s.cwd) : ev.path;
      pendingEvents.push(makeEvent('file', `#${s?.n ?? id} wrote ${path}`, id, ev.at));
      urgent();
    };
    const onAnswered = (id: string, a: Answer) => {
      listDirty = true;
      pendingEvents.push(makeEvent('info', answerEventText(engine.get(id)?.n ?? id, a), id, a.at));
      urgent();
    };
    const onExit = () => {
      listDirty = true;
      urgent();
    };
    const onRemoved = () => {
      listDirty = true;
      urgent();
    };
    // Who steers a session changed (owner, held, taken over): pane titles show it.
    const onControl = (s: SessionSnapshot) => {
      listDirty = true;
      const ev = controlEvent(s);
      if (ev) pendingEvents.push(ev);
      urgent();
    };
    // Directions from attached clients are news; the person's own are logged where they are sent.
    const onDirection = (id: string, d: Direction) => {
      if (d.from === PERSON) return;
      const n = engine.get(id)?.n ?? id;
      pendingEvents.push(makeEvent('info', `#${n} ← ${d.from}: ${promptSummary(d.text, 6)}`, id, d.time));
      urgent();
    };
    const onClients = (names: string[]) => {
      clientsDirty = true;
      pendingEvents.push(
        makeEvent('info', names.length ? `MCP attached: ${names.join(', ')}` : 'no MCP client attached'),
      );
      urgent();
    };
    const onWarning = (message: string) => {
      pendingEvents.push(makeEvent('error', message));
      urgent();
    };

    api.current = {
      touch: (id) => {
        dirtyScreens.add(id);
        schedule();
      },
      log: (ev) => {
        pendingEvents.push(ev);
        urgent();
      },
    };

    const unlisten = listen(engine, {
      output: onOutput,
      'session-added': onAdded,
      status: onStatus,
      'file-written': onFile,
      answered: onAnswered,
      exit: onExit,
      'session-removed': onRemoved,
      // A worktree made, its diff summary refreshed, kept or removed: pane titles show it.
      worktree: onRemoved,
      warning: onWarning,
      control: onControl,
      direction: onDirection,
      clients: onClients,
    });
    // Sessions may have been added between the first render and this effect.
    listDirty = true;
    schedule();
    return () => {
      disposed = true;
      if (timer !== undefined) clearTimeout(timer);
      unlisten();
    };
  }, [engine, ignoreOutput]);

  // Stable identities: components put these in effect dependencies.
  const touch = useCallback((id: string) => api.current.touch(id), []);
  const log = useCallback((ev: UiEvent) => api.current.log(ev), []);
  return { view, touch, log };
}
