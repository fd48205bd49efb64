#!/usr/bin/env node
// V8 grows the heap by up to 4× the live set after a major GC when allocation is fast (a flood of
// output), and keeps it: 8 panes × 20 MiB left ~370 MiB resident around a ~105 MB live set. A
// fixed 2× (tmux-like memory at no measured CPU cost; see BENCHMARKS.md, "Memory") is set before
// anything else loads. It only changes how far the heap grows between collections.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--heap-growing-percent=100');
const { main } = await import('../dist/cli/main.js');
await main();
