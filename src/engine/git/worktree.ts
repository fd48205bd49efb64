/**
 * A git worktree per session: create it from what the user sees (HEAD plus uncommitted tracked
 * edits), summarize and print its changes against that base, bring them into the user's tree as
 * uncommitted changes, and remove it only when it holds nothing. Real `git` via execFile.
 *
 * Layout: `<repo>/.axiom/worktrees/<run>-<n>` on branch `axiom/<run>-<n>`. Inside the repository
 * so that claude's folder trust covers it; `.axiom/` goes into `.git/info/exclude` (never into a
 * tracked .gitignore), so none of it shows in the user's `git status`.
 */
import { randomUUID } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { DiffSummary } from '../types.js';
import { GitError, type GitOptions, git } from './git.js';

export { GitError, type GitOptions } from './git.js';

/** The folder (under the repository root) that holds axiom's worktrees. */
export const AXIOM_DIR = '.axiom';

export type { DiffSummary };

/** `+12 −3, 2 files` (a real minus sign, like a diffstat on the web). */
export function formatDiffSummary(d: DiffSummary | undefined): string {
  if (!d) return 'no diff yet';
  if (d.files === 0) return 'no changes';
  return `+${d.added} \u2212${d.deleted}, ${d.files} file${d.files === 1 ? '' : 's'}`;
}

/** Per-repository queue: worktree add/remove and ref updates must not race on git's locks. */
const queues = new Map<string, Promise<unknown>>();
function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = queues.get(key) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  const tail = next.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return next;
}

/** The top of the work tree holding `cwd`; a GitError (one line) when there is none. */
export async function repoRoot(cwd: string, o: GitOptions = {}): Promise<string> {
  const { stdout } = await git(['rev-parse', '--show-toplevel'], cwd, o);
  const root = stdout.trim();
  if (!root) throw new GitError(`not a git work tree: ${cwd} (run axiom inside one, or use --no-worktree)`);
  return root;
}

/** Is `cwd` inside a git work tree? (false when git is missing too). */
export async function insideWorkTree(cwd: string, o: GitOptions = {}): Promise<boolean> {
  try {
    const { stdout } = await git(['rev-parse', '--is-inside-work-tree'], cwd, o);
    return stdout.trim() === 'true';
  } catch {
    return false;
  }
}

async function commonDir(root: string, o: GitOptions): Promise<string> {
  const { stdout } = await git(['rev-parse', '--git-common-dir'], root, o);
  const dir = stdout.trim();
  return isAbsolute(dir) ? dir : resolve(root, dir);
}

/** Add `.axiom/` to the repository's `info/exclude` once (a private, untracked ignore list). */
export async function excludeAxiomDir(root: string, o: GitOptions = {}): Promise<void> {
  const info = join(await commonDir(root, o), 'info');
  const file = join(info, 'exclude');
  const line = `/${AXIOM_DIR}/`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (text.split('\n').some((l) => l.trim() === line)) return;
  try {
    mkdirSync(info, { recursive: true });
    const sep = text === '' || text.endsWith('\n') ? '' : '\n';
    writeFileSync(file, `${text}${sep}# axiom's session worktrees\n${line}\n`);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOSPC') throw new GitError(`disk full writing ${file}: free some space and try again`);
    throw new GitError(`cannot write ${file}: ${err.code ?? err.message}`);
  }
}

/**
 * The commit a session starts from: HEAD plus the uncommitted edits of tracked files
 * (`git stash create`, which touches neither the tree, the index nor the stash list), or HEAD
 * when there are none. A detached HEAD is fine: the worktree starts from that commit.
 */
export async function baseCommit(root: string, o: GitOptions = {}): Promise<string> {
  const head = (await git(['rev-parse', '--verify', 'HEAD^{commit}'], root, o)).stdout.trim();
  const lock = (
    await git(['rev-parse', '--path-format=absolute', '--git-path', 'index.lock'], root, o)
  ).stdout.trim();
  // `git stash create` fails without a word while another git holds the index.
  if (existsSync(lock))
    throw new GitError(
      `git is locked (${lock}): another git command is running; wait for it, or delete the lock file if none is`,
    );
  const stash = (
    await git(['stash', 'create', 'axiom: the tree a session started from'], root, o)
  ).stdout.trim();
  return stash || head;
}

/** One line when the user's tree has untracked files (they are not carried into worktrees). */
export async function untrackedNotice(root: string, o: GitOptions = {}): Promise<string | undefined> {
  const { stdout } = await git(['ls-files', '--others', '--exclude-standard', '-z'], root, o);
  const n = stdout.split('\0').filter((f) => f !== '' && !f.startsWith(`${AXIOM_DIR}/`)).length;
  if (n === 0) return undefined;
  return `${n} untracked file${n === 1 ? ' is' : 's are'} not carried into the worktrees (git add them to include them)`;
}

export interface NewWorktree {
  path: string;
  branch: string;
  base: string;
}

/** Where the worktree of `<name>` lives and which branch it has. */
export function worktreeLayout(root: string, name: string): { path: string; branch: string } {
  return { path: join(root, AXIOM_DIR, 'worktrees', name), branch: `axiom/${name}` };
}

/**
 * Create `<root>/.axiom/worktrees/<name>` on a new branch `axiom/<name>` at `base` (default:
 * baseCommit). Refuses, with the fix, when the branch or the folder already exists.
 */
export async function addWorktree(
  root: string,
  name: string,
  opts: GitOptions & { base?: string } = {},
): Promise<NewWorktree> {
  const { path, branch } = worktreeLayout(root, name);
  return serialized(root, async () => {
    await excludeAxiomDir(root, opts);
    const base = opts.base ?? (await baseCommit(root, opts));
    const exists = await git(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], root, {
      ...opts,
      okCodes: [1],
    });
    if (exists.code === 0)
      throw new GitError(
        `branch ${branch} already exists: delete it (git branch -D ${branch}) or run \`axiom clean\``,
      );
    if (existsSync(path))
      throw new GitError(`${path} already exists: remove it, or run \`axiom clean --force\``);
    await git(['worktree', 'add', '--quiet', '-b', branch, path, base], root, opts);
    return { path, branch, base };
  });
}

/**
 * Stage everything in the worktree (committed, uncommitted, untracked new files) into a private
 * copy of its index, so diffs see the whole tree without touching the agent's own index.
 */
async function withWholeTreeIndex<T>(
  wt: string,
  o: GitOptions,
  fn: (env: Record<string, string>) => Promise<T>,
): Promise<T> {
  const indexPath = (
    await git(['rev-parse', '--path-format=absolute', '--git-path', 'index'], wt, o)
  ).stdout.trim();
  const tmp = join(tmpdir(), `axiom-index-${randomUUID()}`);
  try {
    // Starting from the real index keeps its stat cache: only changed files are hashed again.
    // The copy keeps the index's mtime too: git re-reads ("racy") entries whose mtime is not older
    // than the index file, and a copy made a second later would trust a same-size edit made in
    // the checkout's second as unchanged.
    if (existsSync(indexPath)) {
      copyFileSync(indexPath, tmp);
      const { atime, mtime } = statSync(indexPath);
      utimesSync(tmp, atime, mtime);
    }
    const env = { GIT_INDEX_FILE: tmp };
    await git(['add', '--all', '--', '.'], wt, { ...o, env });
    return await fn(env);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Lines added/deleted and files changed in the worktree against `base`. */
export async function diffSummary(wt: string, base: string, o: GitOptions = {}): Promise<DiffSummary> {
  return withWholeTreeIndex(wt, o, async (env) => {
    const { stdout } = await git(['diff', '--cached', '--numstat', '--no-renames', base], wt, { ...o, env });
    const sum: DiffSummary = { added: 0, deleted: 0, files: 0 };
    for (const line of stdout.split('\n')) {
      const m = /^(\d+|-)\t(\d+|-)\t/.exec(line);
      if (!m) continue;
      sum.files++;
      if (m[1] !== '-') sum.added += Number(m[1]);
      if (m[2] !== '-') sum.deleted += Number(m[2]);
    }
    return sum;
  });
}

export interface DiffTextOptions extends GitOptions {
  /** A diffstat instead of the patch. */
  stat?: boolean;
  /** ANSI colors (for a terminal). */
  color?: boolean;
}

/** The worktree's changes against `base` as a patch (binary-safe: it can be applied) or a diffstat. */
export async function diffText(wt: string, base: string, o: DiffTextOptions = {}): Promise<string> {
  return withWholeTreeIndex(wt, o, async (env) => {
    const args = ['diff', '--cached', '--no-renames', o.color ? '--color=always' : '--no-color'];
    args.push(...(o.stat ? ['--stat=120'] : ['--binary']), base);
    return (await git(args, wt, { ...o, env })).stdout;
  });
}

/** Files changed in the worktree against `base` (repository-relative paths). */
export async function changedFiles(wt: string, base: string, o: GitOptions = {}): Promise<string[]> {
  return withWholeTreeIndex(wt, o, async (env) => {
    const { stdout } = await git(['diff', '--cached', '--no-renames', '--name-only', '-z', base], wt, {
      ...o,
      env,
    });
    return stdout.split('\0').filter((f) => f !== '');
  });
}

export type ApplyResult = { ok: true; files: string[] } | { ok: false; conflicts: string[]; message: string };

/** Files named in `git apply`'s complaints. */
export function conflictFiles(stderr: string): string[] {
  const files = new Set<string>();
  for (const line of stderr.split('\n')) {
    const m =
      /^error: patch failed: (.+):\d+$/.exec(line) ??
      /^error: (.+?): (?:patch does not apply|already exists in working directory|does not exist in index|No such file or directory|wrong type)$/.exec(
        line,
      );
    if (m?.[1]) files.add(m[1]);
  }
  return [...files];
}

/**
 * Bring the worktree's changes into the user's tree `target` as uncommitted changes (working
 * tree only: the user's index and their own edits elsewhere stay as they are). All or nothing:
 * `git apply --check` first; on a conflict the files are listed and nothing changes.
 *
 * Not `--3way`: in git it implies `--index`, which refuses any file the user has edited but not
 * staged ("does not match index") and would stage the result.
 */
export async function applyToTree(
  wt: string,
  base: string,
  target: string,
  o: GitOptions = {},
): Promise<ApplyResult> {
  const patch = await diffText(wt, base, o);
  const files = await changedFiles(wt, base, o);
  if (patch.trim() === '') return { ok: true, files: [] };
  return serialized(target, async () => {
    const check = await git(['apply', '--check', '--whitespace=nowarn', '-'], target, {
      ...o,
      input: patch,
      okCodes: [1],
    });
    if (check.code !== 0) {
      const conflicts = conflictFiles(check.stderr);
      const list = conflicts.length ? conflicts.join(', ') : check.stderr.trim().split('\n')[0];
      return { ok: false, conflicts, message: `conflicts with your tree in ${list}; nothing was changed` };
    }
    await git(['apply', '--whitespace=nowarn', '-'], target, { ...o, input: patch });
    return { ok: true, files };
  });
}

export interface RemoveOptions extends GitOptions {
  /** Remove even when the worktree holds changes. */
  force?: boolean;
  /** Its base commit (to tell whether it holds changes). */
  base: string;
}

/**
 * Remove a worktree and its branch, but only when it holds no changes against its base (or with
 * `force`). Returns what happened; a worktree already gone just has its branch deleted.
 */
export async function removeWorktree(
  root: string,
  wt: { path: string; branch: string },
  o: RemoveOptions,
): Promise<'removed' | 'kept'> {
  if (existsSync(wt.path) && !o.force) {
    const d = await diffSummary(wt.path, o.base, o);
    if (d.files > 0) return 'kept';
  }
  return serialized(root, async (): Promise<'removed'> => {
    if (existsSync(wt.path)) {
      // --force: ignored build output would otherwise block it; the diff above found no changes.
      await git(['worktree', 'remove', '--force', '--force', wt.path], root, o);
    }
    await git(['worktree', 'prune'], root, o);
    await git(['branch', '-D', '--quiet', wt.branch], root, { ...o, okCodes: [1] });
    return 'removed';
  });
}

/** `path` relative to `root`, or undefined when it is outside. */
export function inside(root: string, path: string): string | undefined {
  const rel = relative(root, path);
  if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel;
}
