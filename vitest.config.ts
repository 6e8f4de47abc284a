import { defineConfig } from 'vitest/config';

// Three projects: `unit` is pure and fast; `kernel` compares the simulator with the real
// Linux kernel (root + network namespaces); `e2e` builds the site and drives Chromium.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/golden/**/*.test.ts'] } },
      { test: { name: 'kernel', include: ['test/kernel/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 300_000 } },
      { test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 600_000 } },
    ],
  },
});
