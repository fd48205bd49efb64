/**
 * Process helpers: find an executable on PATH, and find/kill every process that belongs to an
 * agent (its process group, its session, and its descendants, read from /proc on Linux).
 */
import { accessSync, constants, readdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

export type Resolved = { ok: true; path: string } | { ok: false; reason: string };

/** Resolve `file` the way execvp would, reporting why it cannot run. */
export function resolveExecutable(file: string, pathEnv: string | undefined, cwd: string): Resolved {
  const check = (p: string): Resolved | undefined => {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(p);
    } catch {
      return undefined;
    }
    if (st.isDirectory()) return { ok: false, reason: `${p} is a directory, not a program` };
    try {
      accessSync(p, constants.X_OK);
    } catch {
      return { ok: false, reason: `${p} is not executable (chmod +x it)` };
    }
    return { ok: true, path: p };
  };
  if (file.includes('/')) {
    const p = isAbsolute(file) ? file : resolve(cwd, file);
    return check(p) ?? { ok: false, reason: `${p} not found` };
  }
  let firstProblem: Resolved | undefined;
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (!dir) continue;
    const r = check(join(dir, file));
    if (r?.ok) return r;
    firstProblem ??= r;
  }
  return firstProblem ?? { ok: false, reason: `command not found on PATH: ${file}` };
}

interface ProcInfo {
  pid: number;
  ppid: number;
  pgrp: number;
  session: number;
}

function readProcs(): ProcInfo[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: ProcInfo[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid pgrp session ... — comm may contain spaces and parens.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (rest[0] === 'Z') continue;
      out.push({ pid: Number(name), ppid: Number(rest[1]), pgrp: Number(rest[2]), session: Number(rest[3]) });
    } catch {
      // Gone while we looked.
    }
  }
  return out;
}

/** The environment variable that marks every process an agent session started (see agentProcesses). */
export const SESSION_TAG_VAR = 'AXIOM_SESSION_TAG';

const NUL = Buffer.from([0]);

/** Whether process `pid` was started with `SESSION_TAG_VAR=tag` in its environment. */
function hasTag(pid: number, needle: Buffer): boolean {
  try {
    // Entries are NUL-terminated; the needle is "\0NAME=value\0", so lead with a NUL too.
    return Buffer.concat([NUL, readFileSync(`/proc/${pid}/environ`)]).includes(needle);
  } catch {
    return false;
  }
}

/**
 * Every live process that belongs to the agent whose PTY child is `pid` (itself included): its
 * process group, its session, their descendants, and, when `tag` is given, every process whose
 * environment carries the session's tag (children that started their own session and were
 * reparented away, i.e. daemons, still inherit it).
 */
export function agentProcesses(pid: number, tag?: string): number[] {
  const procs = readProcs();
  const members = new Set<number>();
  const needle = tag ? Buffer.from(`\0${SESSION_TAG_VAR}=${tag}\0`) : undefined;
  for (const p of procs) {
    if (p.pid === pid || p.pgrp === pid || p.session === pid) members.add(p.pid);
    else if (needle && p.pid !== process.pid && hasTag(p.pid, needle)) members.add(p.pid);
  }
  // Descendants that started their own group or session.
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) {
      if (!members.has(p.pid) && members.has(p.ppid)) {
        members.add(p.pid);
        grew = true;
      }
    }
  }
  return [...members];
}

/** Signal the agent's group and every process found for it. Never throws. */
export function signalAgent(pid: number, signal: NodeJS.Signals, tag?: string): number[] {
  const pids = agentProcesses(pid, tag);
  try {
    process.kill(-pid, signal);
  } catch {
    // The group may be gone already.
  }
  for (const p of pids) killQuietly(p, signal);
  return pids;
}

export function killQuietly(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Gone already.
  }
}

/** True if `pid` is a live process (a zombie, already dead but not reaped, is not). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
