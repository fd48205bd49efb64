import { defineConfig } from 'vitest/config';

// `npm run soak`: the long runs (1 GB through one session, hundreds of redirects and sessions,
// tens of thousands of MCP calls). Not part of `npm test`.
export default defineConfig({
  test: {
    include: ['test/soak/**/*.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 60_000,
    // One at a time: each soak measures memory and throughput of the whole machine.
    maxWorkers: 1,
    fileParallelism: false,
    reporters: ['default'],
  },
});
