import { defineConfig } from 'vitest/config';

/** `npm run test:browser`: renders diagrams in headless Chromium (needs /usr/bin/chromium). */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
