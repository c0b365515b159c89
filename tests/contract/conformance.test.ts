/**
 * The conformance suite as a test: against the target the environment names (AETHER_BASE_URL +
 * keys), else the reference server in-process. `npm run conformance` runs this file alone and
 * prints the report table (also written to `CONFORMANCE_REPORT`, as JSON when the name ends in
 * `.json`, else as text). It never imports server/: only HTTP crosses.
 */
import { writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatReport } from "./report.js";
import { RESERVED_CODES } from "./reserved.js";
import { runConformance, type Report } from "./runner.js";
import { environmentTarget, referenceTarget, type Target } from "./target.js";

let target: Target;
let report: Report;

beforeAll(async () => {
  target = environmentTarget() ?? (await referenceTarget());
  report = await runConformance(target);
  process.stdout.write(`\n${formatReport(report)}\n\n`);
  const file = process.env.CONFORMANCE_REPORT?.trim();
  if (file) await writeFile(file, file.endsWith(".json") ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
}, 600_000);

afterAll(async () => {
  await target?.close();
});

describe(`conformance to openapi.yaml`, () => {
  it("finds no failure in any check", () => {
    expect(report.failures.map((f) => `${f.check} — ${f.operationId}: ${f.message}\n  ${f.curl}`)).toEqual([]);
    expect(report.results.filter((r) => r.failed > 0)).toEqual([]);
  });

  it("sends at least 1,000 generated requests at the default size", () => {
    if (process.env.CONFORMANCE_RUNS) return;
    expect(report.requests).toBeGreaterThanOrEqual(1000);
  });

  it("exercises every operation of the spec", async () => {
    const { OpenApiOracle } = await import("../support/openapi-oracle.js");
    const oracle = await OpenApiOracle.load();
    const missing = oracle.operations().map((o) => o.operationId).filter((id) => !id || !(report.exercised[id] ?? 0));
    expect(missing).toEqual([]);
  });

  it("reaches every error code of the spec, except the reserved ones", async () => {
    const { OpenApiOracle } = await import("../support/openapi-oracle.js");
    const oracle = await OpenApiOracle.load();
    const codes = (oracle.derefSchema({ $ref: "urn:aethercdn:openapi:schema:ErrorCode" }) as { enum?: string[] } | undefined)?.enum;
    const enumCodes = codes ?? [];
    expect(enumCodes.length).toBeGreaterThan(0);
    const unreached = enumCodes.filter((c) => !report.codesSeen.includes(c) && !(c in RESERVED_CODES));
    expect(unreached).toEqual([]);
    for (const code of Object.keys(RESERVED_CODES)) expect(enumCodes).toContain(code);
  });

  it("ran every check that applies to this target", () => {
    const idle = report.results.filter((r) => r.cases === 0 && !r.skipped).map((r) => r.check);
    expect(idle).toEqual([]);
  });
});
