import { defineConfig } from "vitest/config";

// Slow suites set their own per-test timeouts (browser, mock server, Redocly runs); the defaults
// below cover everything else. Files run in parallel: the spec suites only read openapi.yaml and
// docs/, build into private temp dirs, and the mock binds a port picked at run time.
export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 90_000,
    teardownTimeout: 20_000,
    fileParallelism: true,
    // AETHER_TEST_METADATA=postgres: one PostgreSQL cluster for the run (tests/support/globalPostgres.ts).
    globalSetup: ["tests/support/globalPostgres.ts"],
    // Test artefacts (screenshots) go to test-artifacts/ (git-ignored); see tests/spec/docs-browser.test.ts.
  },
});
