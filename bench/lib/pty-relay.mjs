/**
 * Reference for the real-work benchmark: a node process that runs N commands in PTYs (node-pty)
 * and writes every byte they print to its own stdout, with no parsing, no screen and no files:
 * the least a Node program that shows N agents in one terminal does (the picture is garbled, the
 * cost is the floor). Usage: node pty-relay.mjs N COLS ROWS -- command args...
 * Ends the commands on SIGTERM/SIGINT/SIGHUP.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pty = require('node-pty');
const [n, cols, rows, sep, file, ...args] = process.argv.slice(2);
if (sep !== '--' || !file) throw new Error('usage: pty-relay.mjs N COLS ROWS -- command args...');
const procs = Array.from({ length: Number(n) }, () => {
  const p = pty.spawn(file, args, {
    name: 'xterm-256color',
    cols: Number(cols),
    rows: Number(rows),
    cwd: process.cwd(),
    env: process.env,
    encoding: null,
  });
  p.onData((d) => process.stdout.write(d));
  return p;
});
const end = () => {
  for (const p of procs) p.kill();
  process.exit(0);
};
for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(s, end);
