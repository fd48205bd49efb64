/**
 * Wires notify.ts to the UI: engine status changes and the terminal's focus reports in, bell /
 * desktop notification / title bytes out through the terminal writer (`write`). No decisions
 * here (they are in notify.ts), no processes.
 */
import { useStdin } from 'ink';
import { useEffect, useRef } from 'react';
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
  const { internal_eventEmitter: inputEvents } = useStdin();

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
    const onStatus = (s: SessionSnapshot, previous: SessionStatus) => {
      updateTitle();
      if (mode === 'none') return;
      const n = decide(s, previous, focus.current);
      if (n) write(notificationBytes(n, mode, terminal));
    };
    const unlisten = listen(engine, {
      status: onStatus,
      'session-added': updateTitle,
      'session-removed': updateTitle,
    });
    updateTitle();
    return unlisten;
  }, [engine, settings]);
}
