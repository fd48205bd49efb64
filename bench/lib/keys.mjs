/**
 * Keystrokes while agents stream, shared by the fan-in, scale and real-work benchmarks: the typing
 * loop, the key target for a tmux pane, and the latencies from each key's send to where it shows
 * (axiom's prompt box, or the echo of `cat` in a tmux pane).
 */
import { mono, sleep } from './common.mjs';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

/**
 * Type letters every ~100–150 ms until `stop()` says so; round r types the alphabet rotated by r
 * (so every prefix is distinct), then Ctrl+U clears the box. Returns [{ t, text, round }] per key.
 */
export async function typeWhile(run, stop, target) {
  const sent = [];
  for (let r = 0; !stop(); r++) {
    const word = ALPHABET.slice(r % 26) + ALPHABET.slice(0, r % 26);
    for (let i = 0; i < word.length && !stop(); i++) {
      const t = await run.type(word[i], target).catch(() => undefined);
      if (t === undefined) return sent;
      sent.push({ t, text: word.slice(0, i + 1), round: r });
      await sleep(100 + Math.random() * 50);
    }
    await run.key('C-u', target).catch(() => undefined);
    await sleep(150);
  }
  return sent;
}

/** When each typed prefix first showed in the prompt box: Map(word → time). */
export function typedWords(marks) {
  const shown = new Map();
  for (const m of marks) {
    const word = /❯ ([a-z]+)$/.exec(m.text.replace(/\x1b\[[\d;]*m/g, ''))?.[1];
    if (word && !shown.has(word)) shown.set(word, m.t);
  }
  return shown;
}

/** A key target for typeWhile: send-keys into one pane of a tmux server, timed at the send. */
export const paneKeys = (tmux, pane) => ({
  type: async (s) => {
    const ts = mono();
    await tmux.run('send-keys', '-t', pane, '-l', s);
    return ts;
  },
  key: (k) => tmux.run('send-keys', '-t', pane, k),
});

/** Each key's latency to the prompt box showing what was typed up to it (NaN: never shown). */
export function promptLatencies(sent, marks) {
  const shown = typedWords(marks);
  return sent.map((k) => (shown.get(k.text) ?? Number.NaN) - k.t);
}

/**
 * Each key's latency to its echo (NaN: never echoed): the k-th letter sent is echoed when the
 * running count of echoed letters reaches k. `counts`: [{ t, n }] from watchPane's counts().
 */
export function echoLatencies(sent, counts) {
  let seen = 0;
  let j = 0;
  return sent.map((k, idx) => {
    while (seen < idx + 1 && j < counts.length) seen += counts[j++].n;
    return seen >= idx + 1 ? counts[j - 1].t - k.t : Number.NaN;
  });
}

/** A run's key figures: the latencies measured, and how many keys never showed. */
export const keyStats = (lat) => ({
  keys: lat.filter(Number.isFinite),
  missed: lat.filter((x) => !Number.isFinite(x)).length,
});
