/**
 * No orphans when axiom dies, however it dies. Killed with SIGKILL, axiom runs no cleanup: the
 * kernel closes its PTY masters and sends SIGHUP to each agent's foreground group (claude exits
 * on it within a second, measured), but anything an agent started in a session of its own
 * (`setsid`, a daemon) or that ignores SIGHUP (`nohup`) lives on, measured: forever.
 *
 * So each engine starts one tiny watchdog: a separate node process in its own session whose
 * stdin is a pipe from axiom. Axiom tells it each agent's process group as it starts; the pipe
 * closes when axiom exits for any reason (the kernel closes it on SIGKILL too), and the
 * watchdog then SIGTERMs those groups and every process carrying the run's tag in its
 * environment (inherited by every descendant, even one that left the agent's session), SIGKILLs
 * what is left a second later, and exits.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';

/** The environment variable marking every process of one engine's agents. */
export const RUN_TAG_VAR = 'AXIOM_RUN_TAG';

// Plain JavaScript run with `node -e`: no file to find at run time (dist or sources).
const SCRIPT = `
const fs = require('fs');
const [, tagVar, tag] = process.argv;
const needle = Buffer.from('\\0' + tagVar + '=' + tag + '\\0');
const groups = new Set();
let buf = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
  buf += d;
  let i;
  while ((i = buf.indexOf('\\n')) >= 0) {
    const m = /^([+-])(\\d+)$/.exec(buf.slice(0, i));
    buf = buf.slice(i + 1);
    if (m) m[1] === '+' ? groups.add(Number(m[2])) : groups.delete(Number(m[2]));
  }
});
function tagged() {
  const out = [];
  let names = [];
  try { names = fs.readdirSync('/proc'); } catch {}
  for (const n of names) {
    if (!/^\\d+$/.test(n) || Number(n) === process.pid) continue;
    try {
      if (Buffer.concat([Buffer.from([0]), fs.readFileSync('/proc/' + n + '/environ')]).includes(needle)) out.push(Number(n));
    } catch {}
  }
  return out;
}
function hit(sig) {
  let n = 0;
  for (const g of groups) { try { process.kill(-g, sig); n++; } catch {} }
  for (const p of tagged()) { try { process.kill(p, sig); n++; } catch {} }
  return n;
}
let done = false;
function finish() {
  if (done) return;
  done = true;
  if (hit('SIGTERM') === 0) process.exit(0);
  setTimeout(() => { hit('SIGKILL'); setTimeout(() => { hit('SIGKILL'); process.exit(0); }, 300); }, 1000);
}
process.stdin.on('end', finish);
process.stdin.on('close', finish);
process.stdin.on('error', finish);
for (const s of ['SIGHUP', 'SIGINT', 'SIGTERM']) process.on(s, () => {});
`;

export class Watchdog {
  private readonly child: ChildProcess;
  private readonly pipe: Socket;
  private closed = false;

  /** Start the watchdog for processes carrying `RUN_TAG_VAR=tag`. Throws if node cannot start. */
  constructor(readonly tag: string) {
    this.child = spawn(process.execPath, ['-e', SCRIPT, RUN_TAG_VAR, tag], {
      // Its own session: the terminal's hangup or Ctrl+C does not reach it.
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
      env: { PATH: process.env.PATH ?? '' },
    });
    this.pipe = this.child.stdin as Socket;
    // Gone early (cannot start): nothing to tell it any more.
    this.pipe.on('error', () => {
      this.closed = true;
    });
    this.child.on('error', () => {
      this.closed = true;
    });
    // Neither keeps axiom running: the pipe closes when axiom exits, whenever that is.
    this.child.unref();
    this.pipe.unref();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** An agent started as the leader of process group `pid`. */
  watch(pid: number): void {
    if (!this.closed) this.pipe.write(`+${pid}\n`);
  }

  /** That agent has exited (its group is not signalled at the end). */
  unwatch(pid: number): void {
    if (!this.closed) this.pipe.write(`-${pid}\n`);
  }

  /** Axiom is done: the watchdog sweeps whatever is left of the agents, then exits. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pipe.end();
  }
}

/**
 * The engine's side: one tag for every agent it starts, and the watchdog told about each agent's
 * process group as its snapshot shows it start and end. The watchdog starts with the first agent.
 */
export class AgentGuard {
  readonly tag = randomUUID();
  private dog: Watchdog | undefined;
  private readonly watched = new Map<string, number>();

  constructor(
    private enabled: boolean,
    private readonly warn: (message: string) => void,
  ) {}

  /** A session's latest snapshot. */
  see(s: { id: string; pid?: number; endedAt?: number }): void {
    const known = this.watched.get(s.id);
    if (s.pid !== undefined && known === undefined && s.endedAt === undefined) {
      if (this.enabled && !this.dog) {
        try {
          this.dog = new Watchdog(this.tag);
        } catch (e) {
          this.enabled = false;
          this.warn(`no watchdog (${(e as Error).message}): agents may outlive a killed axiom`);
        }
      }
      this.watched.set(s.id, s.pid);
      this.dog?.watch(s.pid);
    } else if (known !== undefined && known >= 0 && s.endedAt !== undefined) {
      this.dog?.unwatch(known);
      this.watched.set(s.id, -1);
    }
  }

  /** The watchdog process, once started (tests). */
  get watchdogPid(): number | undefined {
    return this.dog?.pid;
  }

  close(): void {
    this.dog?.close();
  }
}
