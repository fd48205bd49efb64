/**
 * Raw keyboard input from Ink's input parser, read through src/compat/ink-input.ts (each event
 * is one escape sequence or one run of plain characters), with the key decoder that turns
 * events into keys and pastes.
 */
import { useEffect, useRef } from 'react';
import { useRawInput } from '../compat/ink-input.js';
import { KeyDecoder } from './keys.js';

/**
 * Calls `onEvent` for every input event, with the decoder to feed it to; errors thrown by the
 * handler go to `onError`. Subscribes once: re-subscribing would toggle raw mode and reset Ink's
 * key parser (losing a pending lone Esc), so the latest handlers are read through a ref.
 */
export function useKeyboard(
  onEvent: (event: string, decoder: KeyDecoder) => void,
  onError: (err: unknown) => void,
): void {
  const { setRawMode, events: inputEvents, isRawModeSupported } = useRawInput();
  const handlers = useRef({ onEvent, onError });
  handlers.current = { onEvent, onError };
  const decoder = useRef<KeyDecoder | undefined>(undefined);
  useEffect(() => {
    if (isRawModeSupported) setRawMode(true);
    const onInput = (event: string) => {
      try {
        decoder.current ??= new KeyDecoder();
        handlers.current.onEvent(event, decoder.current);
      } catch (err) {
        handlers.current.onError(err);
      }
    };
    inputEvents.on('input', onInput);
    return () => {
      inputEvents.off('input', onInput);
      if (isRawModeSupported) setRawMode(false);
    };
  }, [inputEvents, setRawMode, isRawModeSupported]);
}
