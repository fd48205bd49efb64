/**
 * Running `git`: execFile (never a shell), a clean environment, and every failure turned into a
 * one-line GitError that names the fix (not a repository, locked index, branch exists, full
 * disk, git missing, no commits yet).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface GitOptions {
  /** The git executable (default 'git'; tests point it elsewhere). */
  bin?: string;
}

export interface RunOptions extends GitOptions {
  /** Extra environment (e.g. GIT_INDEX_FILE). */
  env?: Record<string, string>;
  /** Data for git's stdin. */
  input?: string | Buffer;
  /** Exit codes that are not failures (e.g. 1 for `git diff --exit-code`). */
  okCodes?: number[];
}

export class GitError extends Error {
  constructor(
    message: string,
    /** git's own stderr, for callers that parse it (apply conflicts). */
    readonly stderr = '',
  ) {
    super(message);
    this.name = 'GitError';
  }
}

/** Variables a parent git (a hook, a wrapper) may have set that would point git elsewhere. */
const INHERITED = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_PREFIX'];

function gitEnv(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of INHERITED) delete env[k];
  // Messages in English (they are parsed), no pager, never a credential prompt.
  return { ...env, LC_ALL: 'C', LANGUAGE: 'C', GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', ...extra };
}

/** The one-line message for a failed git command (exported for tests of the mapping). */
export function explainGitFailure(args: readonly string[], cwd: string, stderr: string): string {
  const cmd = `git ${args[0] ?? ''}`.trim();
  if (/not a git repository/i.test(stderr))
    return `not a git repository: ${cwd} (run \`git init\` there, or use --no-worktree)`;
  const lock = /Unable to create '([^']*\.lock)': File exists/i.exec(stderr);
  if (lock)
    return `git is locked (${lock[1]}): another git command is running; wait for it, or delete the lock file if none is`;
  const branch = /a branch named '([^']+)' already exists/i.exec(stderr);
  if (branch)
    return `branch ${branch[1]} already exists: delete it (git branch -D ${branch[1]}) or run \`axiom clean\``;
  if (/No space left on device|ENOSPC/i.test(stderr))
    return `disk full while running ${cmd}: free some space and try again`;
  if (
    /unknown revision|ambiguous argument 'HEAD'|Needed a single revision|does not have any commits/i.test(
      stderr,
    )
  )
    return `the repository has no commits yet: make a first commit, or use --no-worktree`;
  const line = stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '');
  return `${cmd} failed: ${line ?? 'no message'}`;
}

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Run git in `cwd`. Rejects with a GitError (one line) unless the exit code is 0 or in okCodes. */
export function git(args: readonly string[], cwd: string, opts: RunOptions = {}): Promise<GitResult> {
  const bin = opts.bin ?? 'git';
  return new Promise((resolve, reject) => {
    const child = execFile(
      bin,
      args,
      { cwd, env: gitEnv(opts.env), maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: string | number }) | null;
        if (e && typeof e.code === 'string') {
          // A missing cwd also fails as ENOENT: tell the two apart.
          if (e.code === 'ENOENT' && !existsSync(cwd))
            return reject(new GitError(`directory does not exist: ${cwd}`));
          if (e.code === 'ENOENT')
            return reject(
              new GitError(`git is not installed (or not on PATH): install git, or use --no-worktree`),
            );
          if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
            return reject(new GitError(`git ${args[0]} printed more than 256 MiB; the diff is too large`));
          if (e.code === 'ENOSPC') return reject(new GitError(explainGitFailure(args, cwd, 'ENOSPC')));
          return reject(new GitError(`git ${args[0]} could not run: ${e.message.split('\n')[0]}`));
        }
        const code = e ? Number(e.code ?? 1) : 0;
        if (code !== 0 && !(opts.okCodes ?? []).includes(code))
          return reject(new GitError(explainGitFailure(args, cwd, stderr), stderr));
        resolve({ stdout, stderr, code });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
    // A child that cannot start emits 'error' on stdin writes too; the callback reports it.
    child.stdin?.on('error', () => undefined);
  });
}
