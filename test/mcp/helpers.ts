import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { SendOptions } from '../../src/engine/types.js';
import { type AxiomMcpOptions, createToolContext, type ToolContext } from '../../src/mcp/context.js';
import type { RequestCtx } from '../../src/mcp/tool.js';
import { FakeEngine } from '../helpers/fake-engine.js';

/**
 * FakeEngine whose `send` can be held open (`holdSends()`, then `releaseSends()`) or made to
 * fail (`failSends`), like the real engine whose send waits for the interrupt to take effect.
 */
export class GatedFakeEngine extends FakeEngine {
  failSends: Error | undefined;
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;

  holdSends(): void {
    this.gate = new Promise((resolve) => {
      this.open = resolve;
    });
  }

  releaseSends(): void {
    this.open?.();
    this.gate = undefined;
  }

  override async send(id: string, text: string, opts?: SendOptions): Promise<void> {
    if (this.gate) {
      // Like the real engine: the interrupt lands at once, the submit after a while.
      const s = this.get(id);
      if (s?.status === 'RUNNING' && opts?.interrupt !== false) this.setStatus(id, 'INTERRUPTED');
      await this.gate;
    }
    if (this.failSends) throw this.failSends;
    return super.send(id, text, opts);
  }
}

export const ENGINE_EVENTS = ['output', 'status', 'exit', 'session-removed', 'file-written'] as const;

/** Listeners currently attached to the engine's events (for leak checks). */
export function engineListeners(engine: FakeEngine): number {
  return ENGINE_EVENTS.reduce((n, e) => n + engine.listenerCount(e), 0);
}

export interface Fixture {
  engine: GatedFakeEngine;
  ctx: ToolContext;
  root: string;
  /** A directory outside the root. */
  outside: string;
  logs: string[];
  cleanup(): Promise<void>;
}

/** A temp root (with sub/ and a file), a directory outside it, a GatedFakeEngine and a context. */
export async function fixture(opts: Partial<AxiomMcpOptions> = {}): Promise<Fixture> {
  const base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'axiom-mcp-test-')));
  const root = path.join(base, 'root');
  const outside = path.join(base, 'outside');
  await mkdir(path.join(root, 'sub', 'deep'), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(root, 'file.txt'), 'x');
  await symlink(outside, path.join(root, 'escape'));
  await symlink(path.join(root, 'sub'), path.join(root, 'alias'));
  const engine = new GatedFakeEngine();
  const logs: string[] = [];
  const ctx = createToolContext(engine, {
    root,
    maxSessions: 4,
    version: '0.0.0-test',
    spawnDefaults: { agent: 'claude', agentArgs: ['--permission-mode', 'acceptEdits'] },
    log: (l) => logs.push(l),
    settleMs: 25,
    ...opts,
  });
  return { engine, ctx, root, outside, logs, cleanup: () => rm(base, { recursive: true, force: true }) };
}

export interface ProgressRecord {
  progress: number;
  message: string;
}

/** A RequestCtx with an abort controller and (unless `progress: false`) a progress recorder. */
export function request(opts: { progress?: boolean } = {}): {
  req: RequestCtx;
  abort: AbortController;
  progress: ProgressRecord[];
} {
  const abort = new AbortController();
  const progress: ProgressRecord[] = [];
  const req: RequestCtx = { signal: abort.signal };
  if (opts.progress !== false) {
    req.progress = async (p, message) => {
      progress.push({ progress: p, message });
    };
  }
  return { req, abort, progress };
}

export const tick = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));
