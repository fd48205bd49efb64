/** Listeners with arbitrary parameters (each emitter types its own events). */
// biome-ignore lint/suspicious/noExplicitAny: Node's emitters (process, streams) declare listeners as (...args: any[]) => void; nothing narrower is assignable both ways
type AnyListener = (...args: any[]) => void;

/** Anything with on/off: an EventEmitter, `process`, the Engine. */
export interface Emitter {
  on(event: string, listener: AnyListener): unknown;
  off(event: string, listener: AnyListener): unknown;
}

/**
 * Add every listener of `handlers` (event → listener) to `emitter`; the returned function
 * removes exactly those, so the lists of on() and off() calls cannot drift apart.
 */
export function listen(emitter: Emitter, handlers: Record<string, AnyListener>): () => void {
  const entries = Object.entries(handlers);
  for (const [event, listener] of entries) emitter.on(event, listener);
  return () => {
    for (const [event, listener] of entries) emitter.off(event, listener);
  };
}
