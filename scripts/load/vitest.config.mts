// The load suite (`npm test` runs it after `next build`): tests that start the built server
// themselves and send it traffic over HTTP. Kept out of the unit run, which comes before the build.
import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = path.resolve(import.meta.dirname, '../..');

export default defineConfig({
  root,
  resolve: {
    alias: {
      '@': root,
      'server-only': path.resolve(root, 'lib/testing/empty.ts'),
    },
  },
  test: {
    include: ['scripts/load/**/*.test.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
