/**
 * Read a .heapprofile (bench/lib/alloc-prof.mjs, or Chrome's sampling heap profile): bytes allocated
 * by function (self), and by the nearest caller that is axiom's own code (the bundle or src/), so
 * what a library or Node allocates on axiom's behalf is charged to the axiom function that asked.
 * Usage: node bench/lib/alloc-top.mjs FILE.heapprofile [N]   (read it before the bundle is rebuilt:
 * functions are placed by the bundle's module comments, read from the files the profile names).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [file, nArg] = process.argv.slice(2);
const top = Number(nArg ?? 25);
const { head } = JSON.parse(readFileSync(file, 'utf8'));
// The bundle is one file per chunk; esbuild marks where each module starts ("// src/engine/x.ts").
const modules = new Map();
function moduleAt(url, line) {
  if (!/\/dist\/bundle\//.test(url)) return undefined;
  if (!modules.has(url)) {
    const starts = [];
    try {
      readFileSync(fileURLToPath(url), 'utf8')
        .split('\n')
        .forEach((l, i) => {
          const m = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(l);
          if (m) starts.push([i, m[1].replace(/^node_modules\//, '')]);
        });
    } catch {}
    modules.set(url, starts);
  }
  let found;
  for (const [i, m] of modules.get(url)) if (i <= line) found = m;
  return found;
}
const short = (url) =>
  (url || '').replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(dist|src|bench|bin)\//, '$1/');
const where = (cf) => moduleAt(cf.url, cf.lineNumber) ?? short(cf.url);
const name = (cf) => `${cf.functionName || '(anon)'}  ${where(cf)}:${cf.lineNumber + 1}`;
const ours = (cf) => /^src\//.test(where(cf));
const self = new Map();
const owner = new Map();
let total = 0;
(function walk(node, nearest) {
  const here = ours(node.callFrame) ? name(node.callFrame) : nearest;
  if (node.selfSize > 0) {
    total += node.selfSize;
    const k = name(node.callFrame);
    self.set(k, (self.get(k) ?? 0) + node.selfSize);
    const o = here ?? '(no axiom caller)';
    owner.set(o, (owner.get(o) ?? 0) + node.selfSize);
  }
  for (const c of node.children) walk(c, here);
})(head, undefined);
const show = (title, m) => {
  console.log(`\n${title}`);
  for (const [k, b] of [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(
      `${((b / total) * 100).toFixed(1).padStart(5)}%  ${(b / 1048576).toFixed(1).padStart(7)} MiB  ${k}`,
    );
};
console.log(`${file}: ${(total / 1048576).toFixed(1)} MiB sampled`);
show('self (the function that allocated)', self);
show('charged to the nearest axiom function', owner);

// ALLOC_CALLERS=name: the stacks (axiom functions only, innermost first) that lead to `name`'s bytes.
const want = process.env.ALLOC_CALLERS;
if (want) {
  const stacks = new Map();
  (function walk(node, path) {
    const p = [...path, node.callFrame];
    if (node.selfSize > 0 && p.some((cf) => cf.functionName === want)) {
      const k = p
        .filter(ours)
        .slice(-5)
        .reverse()
        .map((cf) => `${cf.functionName || '(anon)'}@${where(cf).replace(/^src\//, '')}`)
        .join(' < ');
      stacks.set(k, (stacks.get(k) ?? 0) + node.selfSize);
    }
    for (const c of node.children) walk(c, p);
  })(head, []);
  show(`stacks through ${want}`, stacks);
}
