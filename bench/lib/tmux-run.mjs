/**
 * Drive a program in a detached session of a private tmux server, as a person would: fixed
 * size, keys through `send-keys`, and what the program writes to its terminal watched through
 * `pipe-pane` (bench/lib/marker-watch.mjs) with monotonic timestamps.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { alive, benchTmp, childrenOf, LIB, mono, shq, sleep, Tmux, until } from './common.mjs';

let seq = 0;

/**
 * Watch what the program in pane `target` writes: the first appearance of each distinct match
 * of `watch` (a regex source), and optionally every occurrence of `count`.
 */
export async function watchPane(tmux, target, watch, count) {
  const k = ++seq;
  const outFile = join(benchTmp(), `marks-${process.pid}-${k}.txt`);
  const countFile = join(benchTmp(), `counts-${process.pid}-${k}.txt`);
  rmSync(outFile, { force: true });
  rmSync(countFile, { force: true });
  const counting = count ? ` ${shq(countFile)} ${shq(count)}` : '';
  await tmux.run(
    'pipe-pane',
    '-t',
    target,
    `exec node ${shq(join(LIB, 'marker-watch.mjs'))} ${shq(outFile)} ${shq(watch)}${counting}`,
  );
  await until(
    () => existsSync(outFile) && (!count || existsSync(countFile)),
    'the pipe-pane watcher',
    10000,
    10,
  );
  const lines = (f) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean) : []);
  return {
    /** Matches seen so far: [{ t, text }] in order. */
    marks: () =>
      lines(outFile).map((l) => {
        const i = l.indexOf(' ');
        return { t: Number(l.slice(0, i)), text: JSON.parse(l.slice(i + 1)) };
      }),
    /** Chunks holding `count` occurrences: [{ t, n, bytes }] (bytes: stream bytes up to then). */
    counts: () =>
      lines(countFile).map((l) => {
        const [t, n, bytes] = l.split(' ').map(Number);
        return { t, n, bytes };
      }),
    dispose() {
      rmSync(outFile, { force: true });
      rmSync(countFile, { force: true });
    },
  };
}

/**
 * Start `command` (a shell command line, or a function of the `tmux -L socket` prefix that
 * returns one) in a new tmux server and session. When `watch` is given, the pane's output
 * stream is watched from its first byte (see watchPane).
 */
export async function startInTmux({ cols, rows, command, watch, count, env = {}, cwd }) {
  const tmux = new Tmux(`axiom-bench-${process.pid}-${++seq}`);
  const name = 'bench';
  // The program waits for the watcher to be in place before it starts.
  const gate = watch ? `${tmux.cmd} wait-for gate; ` : '';
  const cmd = typeof command === 'function' ? command(tmux.cmd) : command;
  await tmux.newSession(name, cols, rows, `${gate}exec ${cmd}`, env, cwd);
  let watcher;
  let gateAt;
  if (watch) {
    watcher = await watchPane(tmux, name, watch, count);
    gateAt = mono();
    await tmux.signal('gate');
  }
  const pid = await tmux.panePid(name);
  const serverPid = await tmux.serverPid();
  return {
    tmux,
    name,
    pid,
    serverPid,
    /** When the gate was opened (monotonic ms; undefined without `watch`): the program's start. */
    gateAt,
    marks: () => watcher?.marks() ?? [],
    counts: () => watcher?.counts() ?? [],
    /** Wait for a mark whose text satisfies `pred` (seen at or after `since`); returns it. */
    async waitMark(pred, what, ms = 180000, since = 0) {
      return until(() => this.marks().find((m) => m.t >= since && pred(m.text)), what, ms, 10);
    },
    capture: () => tmux.capture(name),
    /** Type literal text. Returns the monotonic time just before the send. */
    async type(text, target = name) {
      const t = mono();
      await tmux.run('send-keys', '-t', target, '-l', text);
      return t;
    },
    /** Press a named key (Enter, Escape, C-u ...). */
    async key(k, target = name) {
      const t = mono();
      await tmux.run('send-keys', '-t', target, k);
      return t;
    },
    /** Close the session (the program gets SIGHUP), wait for it to exit, stop the server. */
    async stop(graceMs = 8000) {
      const tree = descendants(pid);
      await tmux.killSession(name);
      const end = Date.now() + graceMs;
      while (alive(pid) && Date.now() < end) await sleep(50);
      for (const p of [pid, ...tree]) {
        if (alive(p)) {
          try {
            process.kill(p, 'SIGKILL');
          } catch {}
        }
      }
      tmux.kill();
      watcher?.dispose();
    },
  };
}

/** All descendants of a process, breadth-first. */
export function descendants(pid) {
  const out = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift();
    for (const c of childrenOf(p)) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}
