/**
 * The conformance kit against the reference server on PostgreSQL metadata (a throwaway cluster
 * from tests/support/postgres.ts): the same checks, the same verdict as on SQLite. Skipped with
 * the reason when PostgreSQL is not installed, failed under CI=true.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PostgresMetadataStore } from "../../server/storage/postgres/index.js";
import { POSTGRES_INSTALL_HINT, postgresInstalled, startPostgres, type PostgresCluster } from "../support/postgres.js";
import { formatReport } from "./report.js";
import { runConformance, type Report } from "./runner.js";
import { referenceTarget, type Target } from "./target.js";

const inCI = process.env.CI === "true";

if (!postgresInstalled()) {
  describe("conformance on PostgreSQL", () => {
    if (inCI) it("PostgreSQL 15 is installed (CI=true)", () => expect.fail(`missing: ${POSTGRES_INSTALL_HINT}`));
    else it.skip(`skipped: PostgreSQL 15 is missing — install it with \`${POSTGRES_INSTALL_HINT}\``, () => {});
  });
} else {
  let cluster: PostgresCluster;
  let target: Target;
  let report: Report;

  beforeAll(async () => {
    cluster = await startPostgres();
    const metadata = await PostgresMetadataStore.open(await cluster.createDatabase("conformance"));
    target = await referenceTarget({}, { metadata });
    report = await runConformance(target, { runs: 15 });
    process.stdout.write(`\n${formatReport(report)}\n\n`);
  }, 600_000);

  afterAll(async () => {
    await target?.close();
    await cluster?.close();
  });

  describe("conformance on PostgreSQL", () => {
    it("finds no failure in any check", () => {
      expect(report.failures.map((f) => `${f.check} — ${f.operationId}: ${f.message}\n  ${f.curl}`)).toEqual([]);
      expect(report.results.filter((r) => r.failed > 0)).toEqual([]);
      expect(report.requests).toBeGreaterThan(500);
    });
  });
}
