#!/usr/bin/env node
// V8 grows the heap by up to 4× the live set after a major GC when allocation is fast (a flood of
// output), and keeps it. A fixed 2× (BENCHMARKS.md, "What the profiles showed", item 8, has the
// figures) is set before anything else loads. It only changes how far the heap grows between
// collections.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--heap-growing-percent=100');
const { main } = await import('../dist/cli/main.js');
await main();
