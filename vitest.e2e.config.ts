// The browser tests: a demo store served by the real Node server and driven by
// Debian's chromium (apt-get install chromium) through playwright-core. Not
// part of `npm test`, which must need nothing beyond `npm ci`; run with
// `npm run test:e2e`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'e2e',
    include: ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    // Building the demo store and starting a browser on a busy 2-core machine.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
