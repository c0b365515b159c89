// The conformance kit (tests/contract) against the sandbox, as any deployment would be checked
// (`AETHER_BASE_URL` + keys, here the sandbox's fixed keys): the sandbox's seed, extensions and
// settings must not make the reference app break its contract. Same assertions as
// tests/contract/conformance.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type RunningSandbox } from "../../server/sandbox/start.js";
import { RESERVED_CODES } from "../contract/skips.js";
import { formatReport } from "../contract/report.js";
import { runConformance, type Report } from "../contract/runner.js";
import { environmentTarget, REFERENCE_MAX_UPLOAD } from "../contract/target.js";
import { contract } from "../support/http.js";

let sandbox: RunningSandbox;
let report: Report;

beforeAll(async () => {
  sandbox = await startSandbox({ env: { SANDBOX_PORT: "0", LOG_LEVEL: "silent", MAX_UPLOAD_BYTES: String(REFERENCE_MAX_UPLOAD) } });
  const target = environmentTarget({
    AETHER_BASE_URL: sandbox.baseUrl,
    AETHER_API_KEY: sandbox.keys.full,
    AETHER_API_KEY_2: sandbox.keys.secondTenant,
    AETHER_API_KEY_READONLY: sandbox.keys.readOnly,
    AETHER_API_KEY_REVOKED: sandbox.keys.revoked,
    AETHER_MAX_UPLOAD_BYTES: String(REFERENCE_MAX_UPLOAD),
  })!;
  const started = performance.now();
  report = await runConformance(target);
  process.stdout.write(`\n${formatReport(report)}\n(sandbox conformance run: ${Math.round(performance.now() - started)} ms)\n\n`);
}, 600_000);

afterAll(async () => {
  await sandbox?.close();
});

describe("conformance of the sandbox to openapi.yaml", () => {
  it("finds no failure in any check", () => {
    expect(report.failures.map((f) => `${f.check} — ${f.operationId}: ${f.message}\n  ${f.curl}`)).toEqual([]);
    expect(report.results.filter((r) => r.failed > 0)).toEqual([]);
  });

  it("exercises every operation and reaches every error code but the reserved ones", async () => {
    const oracle = await contract();
    expect(oracle.operations().filter((o) => !report.exercised[o.operationId ?? ""]).map((o) => o.operationId)).toEqual([]);
    const codes = (oracle.derefSchema({ $ref: "urn:aethercdn:openapi:schema:ErrorCode" }) as { enum: string[] }).enum;
    expect(codes.filter((c) => !report.codesSeen.includes(c) && !(c in RESERVED_CODES))).toEqual([]);
  });

  it("runs every check that applies (the keys cover tenants, scopes and revocation)", () => {
    expect(report.results.filter((r) => r.cases === 0 && !r.skipped).map((r) => r.check)).toEqual([]);
    // Only the Prism proxy check has no case at all; path_shapes notes the scope variants no
    // read-only key can make (it holds the read operations' scope).
    expect(report.results.filter((r) => r.cases === 0).map((r) => r.check)).toEqual(["prism_proxy_violations"]);
  });
});
