import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['./test/support/msw.ts'],
    reporters: ['default', './test/support/closing-line-reporter.ts'],
    // The artefact tests spawn Node 18 and Node 20 child processes; give them room on a 2-core machine.
    testTimeout: 30_000,
  },
});
