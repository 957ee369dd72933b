import { defineConfig } from 'vitest/config';

// The browser test drives the built page (dist/) in headless Chromium; one file, generous time for shader compiles.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
});
