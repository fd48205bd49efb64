/**
 * The effect runner: the one place where the UI's commands act on the world (the engine, the
 * caller's quit / repaint / suspend). `dispatch` (commands.ts) decides; this only carries out,
 * in order. Engine errors become lines in the event log, never exceptions out of a key press.
 */
import type { Engine } from '../engine/engine.js';
import type { SessionSnapshot, SpawnOptions } from '../engine/types.js';
import { diffLoaded } from './review-commands.js';
import { withNotice } from './step.js';
import { type Effect, focusSpawned, type UiState } from './ui-state.js';
import { makeEvent, type UiEvent } from './use-engine.js';

export interface EffectContext {
  engine: Engine;
  /** Options for every session the UI spawns (cwd, agent, agentArgs, env). */
  spawnDefaults: SpawnOptions;
  /** Inner sizes of the panes the next `count` sessions will get, in order (undefined: unknown). */
  plannedSizes: (count: number) => ({ cols: number; rows: number } | undefined)[];
  /** The session's terminal now has this size (the resize pass need not send it again). */
  sized: (id: string, cols: number, rows: number) => void;
  /** Mark a session's screen changed. */
  touch: (id: string) => void;
  log: (ev: UiEvent) => void;
  /** Apply a pure reducer (from commands.ts) to the UI state: how effect results come back. */
  update: (fn: (s: UiState) => UiState) => void;
  onQuit?: () => void;
  onRepaint?: () => void;
  onSuspend?: () => void;
}

export function runEffects(effects: readonly Effect[], ctx: EffectContext): void {
  for (const e of effects) runEffect(e, ctx);
}

export function runEffect(e: Effect, ctx: EffectContext): void {
  const { engine, log } = ctx;
  const failed = (id: string, n: number) => (err: unknown) =>
    log(makeEvent('error', `#${n}: ${errorText(err)}`, id));
  switch (e.kind) {
    case 'spawn':
      spawnSessions(ctx, e.prompt, e.count);
      return;
    case 'send':
      engine.send(e.id, e.text).catch(failed(e.id, e.n));
      return;
    case 'interrupt':
      engine.interrupt(e.id).catch(failed(e.id, e.n));
      return;
    case 'kill':
      engine.kill(e.id).catch(failed(e.id, e.n));
      return;
    case 'remove':
      try {
        engine.remove(e.id);
      } catch (err) {
        failed(e.id, e.n)(err);
      }
      return;
    case 'write':
      engine.write(e.id, e.data);
      return;
    case 'hold':
    case 'hand':
      try {
        if (e.kind === 'hold') engine.hold(e.id, e.held);
        else engine.handTo(e.id, e.to);
      } catch (err) {
        failed(e.id, e.n)(err);
      }
      return;
    case 'resize': {
      ctx.sized(e.id, e.cols, e.rows);
      const fresh = engine.get(e.id);
      if (!fresh || (fresh.cols === e.cols && fresh.rows === e.rows)) return;
      try {
        engine.resize(e.id, e.cols, e.rows);
        ctx.touch(e.id);
      } catch {
        // The session went away between render and effect; nothing to resize.
      }
      return;
    }
    case 'log':
      log(makeEvent(e.level, e.text, e.sessionId));
      return;
    case 'quit':
      ctx.onQuit?.();
      return;
    case 'repaint':
      ctx.onRepaint?.();
      return;
    case 'suspend':
      ctx.onSuspend?.();
      return;
    case 'load-diff':
      engine.diff(e.id).then(
        (text) => ctx.update((s) => diffLoaded(s, e.id, text)),
        (err: unknown) => ctx.update((s) => diffLoaded(s, e.id, new Error(errorText(err)))),
      );
      return;
    case 'apply':
      engine.apply(e.id).then(
        (res) => {
          const text = res.ok
            ? `applied #${e.n} to your tree: ${res.files.join(', ') || 'no changes'}`
            : `#${e.n} not applied: ${res.message}`;
          log(makeEvent(res.ok ? 'info' : 'error', text, e.id));
          ctx.update((s) => withNotice(s, Date.now(), text, res.ok ? 'info' : 'error'));
        },
        failed(e.id, e.n),
      );
      return;
    default:
      unreachable(e);
  }
}

/** Start `count` sessions, each at the size its pane will have, and focus the first. */
function spawnSessions(ctx: EffectContext, prompt: string | undefined, count: number): void {
  const sizes = ctx.plannedSizes(count);
  const out: SessionSnapshot[] = [];
  for (let i = 0; i < count; i++) {
    const size = sizes[i];
    const opts: SpawnOptions = { ...ctx.spawnDefaults };
    if (prompt) opts.prompt = prompt;
    if (size) {
      opts.cols = size.cols;
      opts.rows = size.rows;
    }
    try {
      const s = ctx.engine.spawn(opts);
      out.push(s);
      if (size) ctx.sized(s.id, size.cols, size.rows);
    } catch (err) {
      ctx.log(makeEvent('error', `could not start a session: ${errorText(err)}`));
    }
  }
  const first = out[0];
  if (first) ctx.update((s) => focusSpawned(s, first.id));
}

function unreachable(e: never): never {
  throw new Error(`unknown effect: ${JSON.stringify(e)}`);
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
