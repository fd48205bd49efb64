/**
 * Shared helpers for the benchmarks: statistics, machine description, A/B alternation,
 * process accounting from /proc, a private tmux server, and small process utilities.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The axiom binary driven in tmux; AXIOM_BENCH_BIN points at another build (A/B of two builds). */
export const AXIOM = process.env.AXIOM_BENCH_BIN || join(ROOT, 'bin', 'axiom.js');

/**
 * AXIOM_BENCH_BINS="label=/path/to/bin.js,…": more axiom builds measured as subjects of their own
 * in the same rounds (an A/B of two builds, or of a switch set by a small wrapper script).
 */
export function extraBuilds(...names) {
  return ['AXIOM_BENCH_BINS', ...names].flatMap((name) =>
    (process.env[name] ?? '')
      .split(',')
      .filter(Boolean)
      .map((s) => {
        const i = s.indexOf('=');
        if (i < 1) throw new Error(`${name}: "${s}" is not label=path`);
        return { label: s.slice(0, i), bin: s.slice(i + 1) };
      }),
  );
}
export const LIB = join(ROOT, 'bench', 'lib');

export function benchTmp() {
  const d = join(tmpdir(), 'axiom-bench');
  mkdirSync(d, { recursive: true });
  return d;
}

/** Monotonic milliseconds, comparable across processes on Linux (CLOCK_MONOTONIC). */
export const mono = () => Number(process.hrtime.bigint()) / 1e6;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- statistics ----

export function sorted(xs) {
  return [...xs].sort((a, b) => a - b);
}
export function median(xs) {
  const s = sorted(xs);
  if (s.length === 0) return Number.NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
/** Nearest-rank percentile. */
export function percentile(xs, p) {
  const s = sorted(xs);
  if (s.length === 0) return Number.NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
export const min = (xs) => (xs.length ? Math.min(...xs) : Number.NaN);
export const max = (xs) => (xs.length ? Math.max(...xs) : Number.NaN);

/** { median, min, max, n, values } of a sample. */
export function summary(values) {
  return { median: median(values), min: min(values), max: max(values), n: values.length, values };
}

/**
 * Run every subject `runs` times, interleaved: round i runs all subjects, in an order rotated
 * each round (A B C, B C A, ...), so slow drifts of a noisy machine hit every subject alike.
 * `subjects` is { name: async () => number | object }. Returns { name: [results] }.
 */
export async function alternate(subjects, runs, { log = () => {}, between = () => sleep(300) } = {}) {
  const names = Object.keys(subjects);
  const out = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < runs; i++) {
    const order = names.map((_, k) => names[(k + i) % names.length]);
    for (const name of order) {
      const v = await subjects[name]();
      out[name].push(v);
      log(`  run ${i + 1}/${runs} ${name}: ${fmtValue(v)}`);
      await between();
    }
  }
  return out;
}

function fmtValue(v) {
  if (typeof v === 'number') return v.toFixed(1);
  return JSON.stringify(v);
}

// ---- machine ----

export function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? '?';
  let tmux = '?';
  try {
    tmux = execFileSync('tmux', ['-V'], { encoding: 'utf8' }).trim();
  } catch {}
  let nproc = String(cpus().length);
  try {
    nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {}
  const memKb = Number(/MemTotal:\s*(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0);
  return {
    nproc,
    model,
    memGiB: Math.round(memKb / 1024 / 1024),
    node: process.version,
    tmux,
    kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
    loadavg: loadavg()
      .map((x) => x.toFixed(2))
      .join(' '),
  };
}

// ---- /proc ----

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system) of one process, in ms. */
export function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at ") ".
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // f[0] is field 3 (state): utime is field 14, stime 15.
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
}

/** Resident set size of one process, in MiB. */
export function rssMiB(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s*(\d+)/.exec(s)?.[1] ?? 0) / 1024;
}

/** Peak resident set size (VmHWM) of one process, in MiB. */
export function hwmMiB(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s*(\d+)/.exec(s)?.[1] ?? 0) / 1024;
}

/** Direct children of a process. */
export function childrenOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

export function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// ---- a private tmux server ----

/** A tmux server on its own socket (never the user's), started lazily, killed by `kill()`. */
export class Tmux {
  constructor(name = `axiom-bench-${process.pid}`) {
    this.socket = name;
  }
  /** argv prefix for a shell command line inside panes that talks to this server. */
  get cmd() {
    return `tmux -L ${this.socket}`;
  }
  run(...args) {
    return new Promise((res, rej) => {
      execFile(
        'tmux',
        ['-L', this.socket, '-f', '/dev/null', ...args],
        { encoding: 'utf8' },
        (err, out, errOut) => {
          if (err) rej(new Error(`tmux ${args.join(' ')}: ${errOut || err.message}`));
          else res(out);
        },
      );
    });
  }
  runSync(...args) {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }
  /** New detached session of a fixed size running `command` (a shell command line). */
  async newSession(name, cols, rows, command, env = {}, cwd = undefined) {
    const e = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const c = cwd ? ['-c', cwd] : [];
    await this.run(
      'new-session',
      '-d',
      '-s',
      name,
      '-x',
      String(cols),
      '-y',
      String(rows),
      ...c,
      ...e,
      command,
    );
    // Nothing resizes a detached session, but make it explicit.
    await this.run('set-option', '-t', name, 'status', 'off').catch(() => {});
    await this.run('resize-window', '-t', name, '-x', String(cols), '-y', String(rows)).catch(() => {});
  }
  async capture(target) {
    return this.run('capture-pane', '-p', '-t', target);
  }
  async panePid(target) {
    return Number((await this.run('display-message', '-p', '-t', target, '#{pane_pid}')).trim());
  }
  async serverPid() {
    return Number((await this.run('display-message', '-p', '#{pid}')).trim());
  }
  async killSession(name) {
    await this.run('kill-session', '-t', name).catch(() => {});
  }
  /** Wait for a tmux channel (wait-for); resolves with the time it returned. */
  waitFor(channel) {
    return this.run('wait-for', channel).then(() => mono());
  }
  signal(channel) {
    return this.run('wait-for', '-S', channel);
  }
  kill() {
    try {
      execFileSync('tmux', ['-L', this.socket, 'kill-server'], { stdio: 'ignore' });
    } catch {}
  }
}

/** Poll `fn` every `every` ms until it returns a truthy value or `ms` pass (then throw `what`). */
export async function until(fn, what, ms = 30000, every = 25) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(every);
  }
}

/** Run a node script as a child and parse the last stdout line as JSON. */
export function nodeJson(args, { env = process.env, timeoutMs = 180000, execArgv = [] } = {}) {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [...execArgv, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        res(JSON.parse(last));
      } catch (e) {
        rej(new Error(`${args.join(' ')}: ${e.message}\n${err.slice(-2000)}\n${out.slice(-500)}`));
      }
    });
  });
}

/** Shell-quote one argument for a POSIX shell. */
export const shq = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

/** A generic `--agent` command line that runs `script` in sh (axiom splits it without a shell). */
export const shAgent = (script) => `sh -c ${shq(script)}`;
