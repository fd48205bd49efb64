/**
 * Whether sessions get their own git worktree: --worktree / --no-worktree, else on when more
 * than one session starts on one prompt inside a git work tree. `--worktree` outside a
 * repository is an error naming the fix (before anything starts).
 */
import { insideWorkTree, repoRoot } from '../engine/git/worktree.js';

export type WorktreeChoice = { ok: true; on: boolean } | { ok: false; message: string };

export async function chooseWorktree(
  setting: boolean | 'auto',
  parallel: number,
  cwd: string,
): Promise<WorktreeChoice> {
  if (setting === false) return { ok: true, on: false };
  if (setting === 'auto') return { ok: true, on: parallel > 1 && (await insideWorkTree(cwd)) };
  try {
    await repoRoot(cwd);
    return { ok: true, on: true };
  } catch (e) {
    return { ok: false, message: `--worktree: ${(e as Error).message}` };
  }
}
