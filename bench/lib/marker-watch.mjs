/**
 * Reads a byte stream on stdin (tmux pipe-pane gives it what a pane's program writes to its
 * terminal) and appends "<monotonic ms> <match>" to OUTFILE the first time each distinct match
 * of REGEX appears. Usage: node marker-watch.mjs OUTFILE REGEX
 * The monotonic clock (process.hrtime) is the same in every process, so the bench can compare.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

const [outFile, pattern, countFile, countPattern] = process.argv.slice(2);
const re = new RegExp(pattern, 'g');
const countRe = countPattern ? new RegExp(countPattern, 'g') : undefined;
let bytes = 0;
if (countFile) writeFileSync(countFile, '');
const seen = new Set();
const dec = new StringDecoder('utf8');
let tail = '';
writeFileSync(outFile, '');
process.stdin.on('data', (buf) => {
  const t = Number(process.hrtime.bigint()) / 1e6;
  bytes += buf.length;
  const fresh = dec.write(buf);
  const text = tail + fresh;
  let lines = '';
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (!seen.has(m[0])) {
      seen.add(m[0]);
      lines += `${t.toFixed(3)} ${JSON.stringify(m[0])}\n`;
    }
    if (m[0] === '') re.lastIndex++;
  }
  if (lines) appendFileSync(outFile, lines);
  if (countRe) {
    // Counted in the new text only (a sequence split across chunks is rare and only undercounts).
    const n = fresh.match(countRe)?.length ?? 0;
    if (n > 0) appendFileSync(countFile, `${t.toFixed(3)} ${n} ${bytes}\n`);
  }
  tail = text.slice(-512);
});
process.stdin.on('end', () => process.exit(0));
