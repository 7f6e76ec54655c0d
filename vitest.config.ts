import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'bench/src/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/specs/**/*.spec.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Browser flows share two cores; run spec files one at a time.
          fileParallelism: false,
        },
      },
      // Pictures for people to look at, not tests: only when asked for (LATCH_SCREENSHOTS=<dir>).
      ...(process.env.LATCH_SCREENSHOTS
        ? [
            {
              test: {
                name: 'screenshots',
                include: ['e2e/screenshots/**/*.spec.ts'],
                environment: 'node',
                testTimeout: 120_000,
                hookTimeout: 120_000,
                fileParallelism: false,
              },
            },
          ]
        : []),
    ],
  },
});
