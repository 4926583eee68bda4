import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    pool: "forks",
    globalSetup: ["test/global-setup.ts"],
    // Test files share their worker's loaded modules instead of importing the whole graph again
    // per file (seconds per file on a slow machine). Files must leave no global state behind.
    isolate: false,
  },
});
