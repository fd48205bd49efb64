/**
 * Where a running UI's attach socket lives: `<state dir>/attach/<run>.sock` (directory 0700,
 * socket 0600) with `<run>.json` beside it saying which directory the UI serves. `axiom mcp
 * --attach` finds the UI running in its directory (or the run it names) from these.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What `<run>.json` says. */
export interface AttachInfo {
  runId: string;
  pid: number;
  /** The directory the UI serves (its sessions' root). */
  root: string;
  startedAt: number;
}

/** Unix socket paths are limited to ~107 bytes (sun_path). */
export const MAX_SOCKET_PATH = 100;

export function attachDir(stateDir: string): string {
  return join(stateDir, 'attach');
}

export function socketPathOf(stateDir: string, runId: string): string {
  return join(attachDir(stateDir), `${runId}.sock`);
}

export function infoPathOf(stateDir: string, runId: string): string {
  return join(attachDir(stateDir), `${runId}.json`);
}

const myUid = (): number => process.getuid?.() ?? -1;

/**
 * Create the attach directory owner-only (0700), or make an existing one so. Throws with the fix
 * when it belongs to someone else or is not a directory.
 */
export function ensureAttachDir(stateDir: string): string {
  const dir = attachDir(stateDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  if (!st.isDirectory()) throw new Error(`${dir} is not a directory; remove it`);
  if (st.uid !== myUid()) throw new Error(`${dir} belongs to uid ${st.uid}, not to you; remove it`);
  if ((st.mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
  return dir;
}

/** The UIs that left an info file in `stateDir`, newest first (live or not: connecting tells). */
export function listAttachInfos(stateDir: string): AttachInfo[] {
  const dir = attachDir(stateDir);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const out: AttachInfo[] = [];
  for (const n of names) {
    try {
      const v = JSON.parse(readFileSync(join(dir, n), 'utf8')) as Partial<AttachInfo>;
      if (typeof v.runId === 'string' && typeof v.root === 'string' && typeof v.pid === 'number')
        out.push({ runId: v.runId, root: v.root, pid: v.pid, startedAt: Number(v.startedAt) || 0 });
    } catch {
      // A half-written or foreign file: not a UI we can attach to.
    }
  }
  return out.sort((a, b) => b.startedAt - a.startedAt);
}

/** Whether the socket file exists and belongs to this user (a socket file someone else made is not ours). */
export function socketOwnedByMe(path: string): boolean {
  try {
    const st = statSync(path);
    return st.isSocket() && st.uid === myUid();
  } catch {
    return false;
  }
}

/** The socket of the UI to attach to, or the one line saying why there is none (naming the fix). */
export type FoundUi = { ok: true; socket: string; info?: AttachInfo } | { ok: false; message: string };

/**
 * The UI serving `dir` (its root is `dir` or holds it; the newest live one), or the run named.
 * Sockets whose UI died (nothing accepts on them) are removed on the way.
 */
export async function findUi(
  stateDir: string,
  dir: string,
  run: string | undefined,
  isLive: (socket: string) => Promise<boolean>,
): Promise<FoundUi> {
  if (run !== undefined) {
    const socket = socketPathOf(stateDir, run);
    if (socketOwnedByMe(socket) && (await isLive(socket))) return { ok: true, socket };
    return {
      ok: false,
      message: `no axiom UI is running as run ${run} (no live socket in ${attachDir(stateDir)}); start \`axiom\` first, or leave out the run to attach to the one in ${dir}`,
    };
  }
  const inside = (root: string): boolean =>
    dir === root || dir.startsWith(root.endsWith('/') ? root : `${root}/`);
  const candidates = listAttachInfos(stateDir)
    .filter((i) => inside(i.root))
    .sort((a, b) => b.root.length - a.root.length || b.startedAt - a.startedAt);
  for (const info of candidates) {
    const socket = socketPathOf(stateDir, info.runId);
    if (socketOwnedByMe(socket) && (await isLive(socket))) return { ok: true, socket, info };
    // Left by a UI that crashed.
    rmSync(socket, { force: true });
    rmSync(infoPathOf(stateDir, info.runId), { force: true });
  }
  return { ok: false, message: `no axiom UI is running in ${dir}; start \`axiom\` there first` };
}
