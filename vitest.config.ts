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
    // vitest's default is one worker per CPU minus one: a single worker on these 2-CPU machines.
    // Most files spend their time waiting on servers they start (PostgreSQL, Ceph, child
    // processes, Chromium), so three files at once roughly halve the run.
    maxWorkers: 3,
    // AETHER_TEST_METADATA=postgres: one PostgreSQL cluster for the run (tests/support/globalPostgres.ts);
    // AETHER_TEST_BLOBS=s3: one Ceph RADOS Gateway for the run (tests/support/globalGateway.ts).
    globalSetup: ["tests/support/globalPostgres.ts", "tests/support/globalGateway.ts"],
    // The AWS SDK warns once per process that its 2027 releases will need Node 22 (README says so).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    // Test artefacts (screenshots) go to test-artifacts/ (git-ignored); see tests/spec/docs-browser.test.ts.
  },
});
