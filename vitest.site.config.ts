import { defineConfig } from 'vitest/config';

/** `npm run test:site`: the built documentation site in headless Chromium (run `npm run site:build` first). */
export default defineConfig({
  test: {
    include: ['test/site-browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
