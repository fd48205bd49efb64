/**
 * Wires notify.ts to the UI: engine status changes and the terminal's focus reports in, bell /
 * desktop notification / title bytes out through the terminal writer (`write`). No decisions
 * here (they are in notify.ts), no processes.
 */
import { useEffect, useRef } from 'react';
import { useRawInput } from '../compat/ink-input.js';
import type { Engine } from '../engine/engine.js';
import { listen } from '../engine/listen.js';
import type { SessionSnapshot, SessionStatus } from '../engine/types.js';
import {
  decide,
  type FocusState,
  type NotifyMode,
  notificationBytes,
  type TerminalInfo,
  titleSequence,
  titleText,
  WAITING_SETTLE_MS,
  waitingSettled,
} from './notify.js';

/** Focus reports (sent after CSI ?1004h): the terminal gained / lost focus. */
export const FOCUS_IN = '\x1b[I';
export const FOCUS_OUT = '\x1b[O';

export interface NotifySettings {
  mode: NotifyMode;
  terminal: TerminalInfo;
  /** Writes escape sequences to the terminal, between frames (runTui passes its frame writer's). */
  write: (bytes: string) => void;
}

export function useNotify(engine: Engine, focusedId: string | undefined, settings?: NotifySettings): void {
  const focus = useRef<FocusState>({ focusedId, terminalFocused: true });
  focus.current.focusedId = focusedId;
  const { events: inputEvents } = useRawInput();

  useEffect(() => {
    if (!settings) return;
    const onInput = (event: string) => {
      if (event === FOCUS_IN) focus.current.terminalFocused = true;
      else if (event === FOCUS_OUT) focus.current.terminalFocused = false;
    };
    inputEvents.on('input', onInput);
    return () => {
      inputEvents.off('input', onInput);
    };
  }, [inputEvents, settings]);

  useEffect(() => {
    if (!settings) return;
    const { mode, terminal, write } = settings;
    let title: string | undefined;
    const updateTitle = () => {
      const next = titleText(engine.list());
      if (next === title) return;
      title = next;
      write(titleSequence(next));
    };
    const tell = (s: SessionSnapshot, previous: SessionStatus) => {
      const n = decide(s, previous, focus.current);
      if (n) write(notificationBytes(n, mode, terminal));
    };
    // WAITING sessions whose notification waits for the reason to say what for (see waitingSettled).
    const pending = new Map<string, { previous: SessionStatus; timer: ReturnType<typeof setTimeout> }>();
    const settle = (id: string, force: boolean) => {
      const p = pending.get(id);
      if (!p) return;
      const fresh = engine.get(id);
      if (fresh && fresh.status === 'WAITING' && !force && !waitingSettled(fresh)) return;
      clearTimeout(p.timer);
      pending.delete(id);
      if (fresh?.status === 'WAITING') tell(fresh, p.previous);
    };
    const onStatus = (s: SessionSnapshot, previous: SessionStatus) => {
      updateTitle();
      if (mode === 'none') return;
      if (pending.has(s.id)) settle(s.id, false);
      if (s.status !== 'WAITING' || waitingSettled(s)) {
        tell(s, previous);
        return;
      }
      const timer = setTimeout(() => settle(s.id, true), WAITING_SETTLE_MS);
      pending.set(s.id, { previous, timer });
    };
    // A reason refined within WAITING changes no status; the engine reports it as new output.
    const onOutput = (id: string) => {
      if (pending.has(id)) settle(id, false);
    };
    const unlisten = listen(engine, {
      status: onStatus,
      output: onOutput,
      'session-added': updateTitle,
      'session-removed': updateTitle,
    });
    updateTitle();
    return () => {
      unlisten();
      for (const p of pending.values()) clearTimeout(p.timer);
    };
  }, [engine, settings]);
}
