/**
 * Reference: raw node-pty draining a command's output with no processing at all (the Node
 * limit). Usage: node raw-pty.mjs COLS ROWS MARKER -- command args...
 * Prints {"ms": spawn→marker seen, "bytes": n} as JSON, then kills the command.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pty = require('node-pty');
const [cols, rows, marker, sep, file, ...args] = process.argv.slice(2);
if (sep !== '--' || !file) throw new Error('usage: raw-pty.mjs COLS ROWS MARKER -- command args...');
const needle = Buffer.from(marker);
const t0 = process.hrtime.bigint();
const p = pty.spawn(file, args, {
  name: 'xterm-256color',
  cols: Number(cols),
  rows: Number(rows),
  cwd: process.cwd(),
  env: process.env,
  encoding: null,
});
let bytes = 0;
let tail = Buffer.alloc(0);
let done = false;
p.onData((d) => {
  bytes += d.length;
  if (done) return;
  const look = Buffer.concat([tail, d.subarray(Math.max(0, d.length - 256))]);
  if (look.indexOf(needle) >= 0) {
    done = true;
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    process.stdout.write(`${JSON.stringify({ ms, bytes })}\n`);
    p.kill('SIGKILL');
    process.exit(0);
  }
  tail = look.subarray(Math.max(0, look.length - needle.length));
});
// node-pty can drop the last few KB when the child exits: commands should stay alive after the marker.
p.onExit(() => {
  if (!done) setTimeout(() => process.exit(1), 2000);
});
