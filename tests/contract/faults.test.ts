/**
 * The suite catches broken implementations: the reference server behind a fault-injecting proxy
 * (wrong status, missing field, leaked tenant, 500) must make the named check fail, with a
 * message that says what is wrong and a curl command that reproduces it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultProxy, type Fault } from "./faultProxy.js";
import { runConformance } from "./runner.js";
import type { CheckName } from "./session.js";
import { referenceTarget, type Target } from "./target.js";

let server: Target;
beforeAll(async () => {
  server = await referenceTarget();
}, 60_000);
afterAll(async () => {
  await server?.close();
});

async function runBehind(fault: Fault, only: CheckName[]) {
  const proxy = await startFaultProxy(server.baseUrl, fault);
  try {
    return await runConformance({ ...server, name: `faulty proxy (${fault.kind})`, baseUrl: proxy.baseUrl }, { runs: 5, seed: 42, only });
  } finally {
    await proxy.close();
  }
}

describe("the suite fails a broken implementation", () => {
  it("an undeclared status (upload answers 200 instead of 201) fails status_code_conformance", async () => {
    const report = await runBehind({ kind: "wrong-status", operation: { method: "POST", path: /^\/api\/v1\/files\/upload$/ }, status: 200 }, ["positive_data_acceptance"]);
    const failure = report.failures.find((f) => f.check === "status_code_conformance" && f.operationId === "uploadFile");
    expect(failure?.message).toMatch(/200/);
    expect(failure?.curl).toMatch(/^(printf .* \| )?curl .*\/api\/v1\/files\/upload/s);
  }, 120_000);

  it("a missing field (listFiles without pagination) fails response_schema_conformance", async () => {
    const report = await runBehind({ kind: "missing-field", operation: { method: "GET", path: /^\/api\/v1\/files$/ }, field: "pagination" }, ["positive_data_acceptance"]);
    const failure = report.failures.find((f) => f.check === "response_schema_conformance" && f.operationId === "listFiles");
    expect(failure?.message).toMatch(/pagination/);
  }, 120_000);

  it("a leaked tenant (the second key acts as the first) fails tenant_isolation", async () => {
    const report = await runBehind({ kind: "leak-tenant", from: server.keys.second ?? "", to: server.keys.main }, ["tenant_isolation"]);
    const failures = report.failures.filter((f) => f.check === "tenant_isolation");
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.map((f) => f.message).join("\n")).toMatch(/another tenant's id answered 200/);
  }, 120_000);

  it("a 500 (listFolders fails) fails not_a_server_error", async () => {
    const report = await runBehind({ kind: "server-error", operation: { method: "GET", path: /^\/api\/v1\/folders$/ } }, ["positive_data_acceptance"]);
    const failure = report.failures.find((f) => f.check === "not_a_server_error" && f.operationId === "listFolders");
    expect(failure?.message).toMatch(/answered 500/);
    expect(report.failures.find((f) => f.check === "positive_data_acceptance" && f.operationId === "listFolders")).toBeDefined();
  }, 120_000);

  it("the same proxy without a fault passes those checks (the failures above are the faults')", async () => {
    const proxy = await startFaultProxy(server.baseUrl, { kind: "wrong-status", operation: { method: "NONE", path: /^$/ }, status: 200 });
    try {
      const report = await runConformance(
        { ...server, name: "transparent proxy", baseUrl: proxy.baseUrl },
        { runs: 5, seed: 42, only: ["positive_data_acceptance", "tenant_isolation"] },
      );
      expect(report.failures).toEqual([]);
    } finally {
      await proxy.close();
    }
  }, 120_000);
});
