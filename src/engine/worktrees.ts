/**
 * The engine's side of per-session git worktrees: make one before the agent starts, keep its
 * diff summary fresh (after file events and turn ends), and when the session ends remove it if
 * it holds nothing, keep it if it holds changes. Never deletes a worktree holding changes.
 */
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ApplyResult,
  addWorktree,
  applyToTree,
  changedFiles,
  type DiffTextOptions,
  diffSummary,
  diffText,
  type GitOptions,
  inside,
  removeWorktree,
  repoRoot,
  untrackedNotice,
  worktreeLayout,
} from './git/worktree.js';
import type { DiffSummary, WorktreeInfo } from './types.js';

export interface WorktreeHost {
  /** The info of session `id` changed (front ends redraw, the manifest is rewritten). */
  changed(id: string): void;
  warn(message: string): void;
}

/** How long after a file event the diff summary is recomputed (events come in bursts). */
export const DIFF_REFRESH_MS = 300;

function sameDiff(a: DiffSummary | undefined, b: DiffSummary | undefined): boolean {
  return a?.added === b?.added && a?.deleted === b?.deleted && a?.files === b?.files;
}

export class Worktrees {
  private readonly infos = new Map<string, WorktreeInfo>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly settling = new Map<string, Promise<void>>();
  private readonly noticed = new Set<string>();

  constructor(
    private readonly runId: string,
    private readonly host: WorktreeHost,
    private readonly git: GitOptions = {},
  ) {}

  info(id: string): WorktreeInfo | undefined {
    const i = this.infos.get(id);
    return i ? { ...i, diff: i.diff ? { ...i.diff } : undefined } : undefined;
  }

  /**
   * Make session `id`'s worktree from the repository holding `cwd`. Resolves with the directory
   * the agent should run in (the same subdirectory of the worktree as `cwd` is of the repo).
   * Rejects with a one-line message naming the fix.
   */
  async create(id: string, n: number, cwd: string): Promise<string> {
    const root = await repoRoot(cwd, this.git);
    const name = `${this.runId}-${n}`;
    const layout = worktreeLayout(root, name);
    const info: WorktreeInfo = { state: 'creating', repo: root, path: layout.path, branch: layout.branch };
    this.infos.set(id, info);
    this.host.changed(id);
    try {
      if (!this.noticed.has(root)) {
        this.noticed.add(root);
        const notice = await untrackedNotice(root, this.git);
        if (notice) this.host.warn(notice);
      }
      const wt = await addWorktree(root, name, this.git);
      info.base = wt.base;
      info.state = 'ready';
      info.diff = { added: 0, deleted: 0, files: 0 };
    } catch (e) {
      info.state = 'failed';
      this.host.changed(id);
      throw e;
    }
    this.host.changed(id);
    const rel = inside(root, realpathSync(cwd)) ?? '';
    const sub = join(layout.path, rel);
    return rel && existsSync(sub) ? sub : layout.path;
  }

  /**
   * Take over the worktree of a resumed session (`axiom resume`): it exists already; from here on
   * its diff is followed and, when the session ends, it goes if empty and stays if it holds changes.
   */
  adopt(id: string, stored: Pick<WorktreeInfo, 'repo' | 'path' | 'branch' | 'base' | 'applied'>): void {
    const info: WorktreeInfo = {
      state: 'ready',
      repo: stored.repo,
      path: stored.path,
      branch: stored.branch,
      base: stored.base,
      applied: stored.applied,
    };
    this.infos.set(id, info);
    this.host.changed(id);
    void this.refresh(id).catch((e: Error) => this.host.warn(`#${id}: diff summary: ${e.message}`));
  }

  /** Recompute the diff summary soon (coalesces bursts of file events). */
  scheduleRefresh(id: string, delayMs = DIFF_REFRESH_MS): void {
    const info = this.infos.get(id);
    if (info?.state !== 'ready' || this.timers.has(id)) return;
    const t = setTimeout(() => {
      this.timers.delete(id);
      void this.refresh(id).catch((e: Error) => this.host.warn(`#${id}: diff summary: ${e.message}`));
    }, delayMs);
    t.unref?.();
    this.timers.set(id, t);
  }

  /** Recompute the diff summary now (one git run per session at a time). */
  refresh(id: string): Promise<void> {
    const prev = this.inFlight.get(id) ?? Promise.resolve();
    const next = prev
      .catch(() => undefined)
      .then(async () => {
        const info = this.infos.get(id);
        if (!info?.base || (info.state !== 'ready' && info.state !== 'kept')) return;
        const diff = await diffSummary(info.path, info.base, this.git);
        if (sameDiff(diff, info.diff)) return;
        info.diff = diff;
        this.host.changed(id);
      });
    this.inFlight.set(id, next);
    return next;
  }

  /**
   * The session ended: a final diff summary, then the worktree goes if it holds nothing and
   * stays (state 'kept') if it holds changes. Idempotent.
   */
  settle(id: string): Promise<void> {
    const existing = this.settling.get(id);
    if (existing) return existing;
    const p = (async () => {
      clearTimeout(this.timers.get(id));
      this.timers.delete(id);
      const info = this.infos.get(id);
      if (!info?.base || info.state !== 'ready') return;
      try {
        await this.refresh(id);
        if ((info.diff?.files ?? 0) > 0) {
          info.state = 'kept';
        } else {
          const r = await removeWorktree(info.repo, info, { ...this.git, base: info.base });
          info.state = r === 'removed' ? 'removed' : 'kept';
        }
      } catch (e) {
        // Unsure whether it holds changes: keep it.
        info.state = 'kept';
        this.host.warn(`#${id}: worktree ${info.path} kept: ${(e as Error).message}`);
      }
      this.host.changed(id);
    })();
    this.settling.set(id, p);
    return p;
  }

  /** Settle every worktree (quit). */
  async settleAll(): Promise<void> {
    await Promise.all([...this.infos.keys()].map((id) => this.settle(id)));
  }

  private must(id: string): WorktreeInfo & { base: string } {
    const info = this.infos.get(id);
    if (!info) throw new Error(`session #${id} has no worktree (start it with --worktree)`);
    if (!info.base || info.state === 'removed' || info.state === 'failed')
      throw new Error(
        `session #${id}'s worktree is ${info.state === 'creating' ? 'not made yet' : info.state}`,
      );
    return info as WorktreeInfo & { base: string };
  }

  /** The session's changes against its base: a patch, or a diffstat with `stat`. */
  diff(id: string, opts: DiffTextOptions = {}): Promise<string> {
    const info = this.must(id);
    return diffText(info.path, info.base, { ...this.git, ...opts });
  }

  /**
   * Bring the session's changes into the user's tree (the repository it was made from) as
   * uncommitted changes. `within`: refuse when a changed file lies outside this directory.
   */
  async apply(id: string, within?: string): Promise<ApplyResult> {
    const info = this.must(id);
    if (within) {
      const outside = (await changedFiles(info.path, info.base, this.git)).filter(
        (f) => inside(within, join(info.repo, f)) === undefined,
      );
      if (outside.length)
        return {
          ok: false,
          conflicts: outside,
          message: `changes outside ${within}: ${outside.join(', ')}; apply them from a shell (axiom apply)`,
        };
    }
    const res = await applyToTree(info.path, info.base, info.repo, this.git);
    if (res.ok) {
      info.applied = true;
      this.host.changed(id);
    }
    return res;
  }

  /** Stop timers (the engine is gone). */
  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
