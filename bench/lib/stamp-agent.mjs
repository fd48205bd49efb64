/**
 * A fake agent that timestamps its input: prints READY, puts its terminal in raw mode, and for
 * every chunk read from it appends "<monotonic ms> <json chunk>" to the file named by argv[2].
 * Echoes a short acknowledgement so a screen-watching front end sees it answer.
 */
import { appendFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
writeFileSync(file, '');
if (process.stdin.isTTY) process.stdin.setRawMode(true);
process.stdout.write('READY\r\n');
process.stdin.on('data', (d) => {
  const t = Number(process.hrtime.bigint()) / 1e6;
  appendFileSync(file, `${t.toFixed(3)} ${JSON.stringify(d.toString('utf8'))}\n`);
  if (d.includes(3)) process.exit(0); // Ctrl+C
  if (d.includes(13)) process.stdout.write('ok\r\n');
});
