/**
 * The suite against Prism: the mock as `npm run mock` runs it (what frontend teams run), for the checks that make sense on
 * a stateless mock (skips and their reasons are in skips.ts), and the reference server behind
 * `prism proxy --errors`, whose `sl-violations` header must never appear on the positive and
 * stateful scenarios.
 */
import { afterAll, describe, expect, it } from "vitest";
import { startPrism, type PrismProcess } from "../support/prism.js";
import { formatReport } from "./report.js";
import { runConformance } from "./runner.js";
import { referenceTarget } from "./target.js";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function failuresOf(report: Awaited<ReturnType<typeof runConformance>>): string[] {
  return report.failures.map((f) => `${f.check} — ${f.operationId}: ${f.message}\n  ${f.curl}`);
}

describe("the Prism mock as a target", () => {
  it("conforms on every check that applies to a mock", async () => {
    // As frontend teams run it: `npm run mock` (Prism behind the script's key check).
    const prism: PrismProcess = await startPrism({ script: true });
    cleanups.push(() => prism.close());
    const report = await runConformance({
      name: `Prism mock (${prism.baseUrl})`,
      kind: "mock",
      baseUrl: prism.baseUrl,
      keys: { main: "ak_mockMockMockMockMockMockMockMock00", limited: {} },
      stateful: false,
      close: async () => undefined,
    }, { runs: Number(process.env.CONFORMANCE_RUNS) || 10 });
    process.stdout.write(`\n${formatReport(report)}\n\n`);
    expect(failuresOf(report)).toEqual([]);
    expect(report.results.find((r) => r.check === "positive_data_acceptance")?.passed).toBeGreaterThan(0);
    expect(report.results.find((r) => r.check === "ensure_resource_availability")?.skipped).toMatch(/stateless/);
    // Missing and malformed keys are answered 401 on every secured operation.
    expect(report.results.find((r) => r.check === "ignored_auth")?.passed).toBeGreaterThanOrEqual(5 * 10);
  }, 300_000);
});

describe("the reference server behind prism proxy --errors", () => {
  it("shows no sl-violations on the positive and stateful scenarios", async () => {
    const server = await referenceTarget();
    cleanups.push(() => server.close());
    const prism = await startPrism({ proxy: server.baseUrl });
    cleanups.push(() => prism.close());
    const report = await runConformance(
      { ...server, name: `reference server via prism proxy (${prism.baseUrl})`, kind: "proxy", baseUrl: prism.baseUrl },
      {
        runs: Number(process.env.CONFORMANCE_RUNS) || 10,
        only: ["positive_data_acceptance", "ensure_resource_availability", "use_after_free", "tenant_isolation", "conflict_on_non_empty_folder"],
      },
    );
    process.stdout.write(`\n${formatReport(report)}\n\n`);
    expect(failuresOf(report)).toEqual([]);
    expect(report.results.find((r) => r.check === "prism_proxy_violations")?.cases).toBeGreaterThan(50);
  }, 300_000);
});
