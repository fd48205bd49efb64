/**
 * Deterministic colored text for the throughput benchmarks: lines of words in 256-color and
 * truecolor SGR, bold/underline runs and unicode box-drawing characters, CRLF-free (the PTY's
 * ONLCR turns \n into \r\n, as for any `cat`). Files are cached in the bench temp dir by size.
 */
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchTmp } from './common.mjs';

const WORDS = [
  'axiom',
  'session',
  'render',
  'buffer',
  'stream',
  'token',
  'agent',
  'claude',
  'parser',
  'frame',
  'pane',
  'cursor',
  'scroll',
  'commit',
  'flush',
  'batch',
  'kernel',
  'socket',
  'tmux',
  'xterm',
  'λ',
  'Ω',
  'δ',
  '→',
  '✓',
  '✗',
  '…',
  'naïve',
  'café',
  'über',
];
const BOX = ['─', '│', '┌', '┐', '└', '┘', '├', '┤', '┬', '┴', '┼', '━', '┃', '╭', '╮', '╰', '╯', '═', '║'];

/** Small seeded PRNG (mulberry32): the same file on every machine. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeBlock(seed, targetBytes) {
  const r = rng(seed);
  const pick = (arr) => arr[Math.floor(r() * arr.length)];
  const parts = [];
  let bytes = 0;
  let n = 0;
  while (bytes < targetBytes) {
    n++;
    let line = `\x1b[38;5;${Math.floor(r() * 256)}m${pick(BOX)}${pick(BOX)}\x1b[0m ${String(n).padStart(6)} `;
    const words = 4 + Math.floor(r() * 14);
    for (let i = 0; i < words; i++) {
      const k = r();
      const w = pick(WORDS);
      if (k < 0.35) line += `\x1b[38;5;${Math.floor(r() * 256)}m${w}\x1b[0m `;
      else if (k < 0.55)
        line += `\x1b[38;2;${Math.floor(r() * 256)};${Math.floor(r() * 256)};${Math.floor(r() * 256)}m${w}\x1b[39m `;
      else if (k < 0.65) line += `\x1b[1m${w}\x1b[22m `;
      else if (k < 0.72) line += `\x1b[4;48;5;${Math.floor(r() * 256)}m${w}\x1b[0m `;
      else if (k < 0.8) line += `${pick(BOX).repeat(2 + Math.floor(r() * 8))} `;
      else line += `${w} `;
    }
    // A long line now and then (wraps in an 80-120 column pane).
    if (r() < 0.05) line += `\x1b[2m${'━'.repeat(60 + Math.floor(r() * 80))}\x1b[0m`;
    line += '\n';
    parts.push(line);
    bytes += Buffer.byteLength(line);
  }
  return parts.join('');
}

/** Path of a generated file of about `mb` MiB (created once). */
export function dataFile(mb) {
  const dir = benchTmp();
  const file = join(dir, `colored-${mb}mb.txt`);
  const want = mb * 1024 * 1024;
  if (existsSync(file) && statSync(file).size >= want) return file;
  mkdirSync(dir, { recursive: true });
  // 1 MiB blocks with distinct seeds, so no repetition a compressor or cache could exploit.
  const blocks = [];
  let size = 0;
  for (let i = 0; size < want; i++) {
    const b = Buffer.from(makeBlock(1000 + i, 1024 * 1024));
    blocks.push(b);
    size += b.length;
  }
  const tmp = `${file}.tmp${process.pid}`;
  writeFileSync(tmp, Buffer.concat(blocks));
  renameSync(tmp, file);
  return file;
}
