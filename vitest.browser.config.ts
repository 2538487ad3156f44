import { defineConfig } from 'vitest/config';

/**
 * `npm run test:browser`: diagrams in headless Chromium (needs /usr/bin/chromium): Mermaid
 * drawing the library's diagrams, the build-time SVG renderer (src/cli/mermaid-svg.ts, which
 * loads the compiled dist/mermaid/, so the script builds first), and the notebooks as
 * nbconvert's HTML shows them (needs Debian's jupyter-nbconvert).
 */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
