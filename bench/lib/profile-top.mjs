/**
 * Summarize a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by file.
 * Usage: node bench/lib/profile-top.mjs FILE.cpuprofile [N]
 */
import { readFileSync } from 'node:fs';

const [file, nArg] = process.argv.slice(2);
const top = Number(nArg ?? 25);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = prof.timeDeltas;
for (let i = 0; i < prof.samples.length; i++) {
  const id = prof.samples[i];
  self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fnTime = new Map();
const fileTime = new Map();
for (const [id, us] of self) {
  const n = byId.get(id);
  const cf = n.callFrame;
  const short = (cf.url || '')
    .replace(/^.*node_modules\//, '')
    .replace(/^file:\/\/.*\/(dist|src|bench)\//, '$1/');
  const key = `${cf.functionName || '(anon)'}  ${short}:${cf.lineNumber + 1}`;
  fnTime.set(key, (fnTime.get(key) ?? 0) + us);
  const pkg =
    short
      .split('/')
      .slice(0, short.startsWith('@') ? 2 : 1)
      .join('/') || cf.functionName;
  fileTime.set(pkg, (fileTime.get(pkg) ?? 0) + us);
}
const show = (m) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(
      ([k, us]) =>
        `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`,
    )
    .join('\n');
console.log(
  `total sampled ${(total / 1000).toFixed(0)} ms\n\n-- by package/dir --\n${show(fileTime)}\n\n-- by function --\n${show(fnTime)}`,
);
