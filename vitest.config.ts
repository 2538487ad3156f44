import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Browser tests need Chromium: `npm run test:browser` (vitest.browser.config.ts).
    exclude: [...configDefaults.exclude, 'test/browser/**', 'test/site-browser/**'],
    testTimeout: 30_000,
    // test/site-pages.test.ts generates the whole site in beforeAll: allow for a busy machine.
    hookTimeout: 120_000,
  },
});
