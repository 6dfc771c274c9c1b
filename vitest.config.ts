import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // src/generated/ is build output: made before any project runs.
    globalSetup: ['./test/setup/build-generated.ts'],
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'node',
          include: ['test/node/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      // Runs inside workerd on D1; configured in its own file with the Workers pool plugin.
      'vitest.worker.config.ts',
    ],
  },
});
