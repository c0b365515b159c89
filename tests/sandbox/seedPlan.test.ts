// The seed plan's rules (server/sandbox/seedPlan.ts) on small made-up specs, so they hold whatever
// examples openapi.yaml has later: which example wins for an id, stand-ins for ids only mentioned,
// parents before children, error examples left out, the bandwidth from the statistics example,
// and the guards (a folder cycle, a clash with the second tenant, too many bytes).
import { describe, expect, it } from "vitest";
import type { OpenApiDocument } from "../../server/spec.js";
import { seedPlanFromSpec } from "../../server/sandbox/seedPlan.js";
import { MAX_SEED_BYTES, SECOND_TENANT_PLAN, sandboxTenants } from "../../server/sandbox/tenants.js";

const file = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `${id}.txt`,
  size: 10,
  url: `https://x/api/v1/files/${id}/download`,
  mimeType: "text/plain",
  folderId: null,
  description: null,
  tags: [],
  sha256: "0".repeat(64),
  createdAt: "2026-05-01T00:00:00.000Z",
  updatedAt: "2026-05-01T00:00:00.000Z",
  ...extra,
});

/** A spec with one operation per entry: `[method, path, responses, extra]`. */
function spec(ops: [string, string, Record<string, unknown>, Record<string, unknown>?][], components: Record<string, unknown> = {}): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  ops.forEach(([method, path, responses, extra], i) => {
    paths[path] ??= {};
    paths[path][method] = { operationId: `op${i}`, responses, ...extra };
  });
  return { openapi: "3.1.0", info: { title: "t", version: "1" }, paths, components } as OpenApiDocument;
}
const json = (value: unknown) => ({ content: { "application/json": { examples: { a: { value } } } } });

describe("seed plan rules", () => {
  it("a GET example wins over a POST one, which wins over a PATCH one (the state after a change)", () => {
    const plan = seedPlanFromSpec(
      spec([
        ["patch", "/p", { 200: json({ file: file("file_A", { name: "after.txt", updatedAt: "2026-06-01T00:00:00.000Z" }) }) }],
        ["post", "/u", { 201: json({ file: file("file_A", { name: "posted.txt" }) }) }],
        ["get", "/g", { 200: json({ files: [file("file_A", { name: "listed.txt" })] }) }],
      ]),
    );
    expect(plan.files.map((f) => [f.id, f.name, f.source])).toEqual([["file_A", "listed.txt", "op2 200 a"]]);
  });

  it("keeps timestamps; an updatedAt before createdAt is taken as createdAt", () => {
    const plan = seedPlanFromSpec(
      spec([["get", "/g", { 200: json([file("file_A", { updatedAt: "2026-07-01T00:00:00.000Z" }), file("file_B", { updatedAt: "2020-01-01T00:00:00.000Z" })]) }]]),
    );
    expect(plan.files.find((f) => f.id === "file_A")?.updatedAt).toBe("2026-07-01T00:00:00.000Z");
    expect(plan.files.find((f) => f.id === "file_B")?.updatedAt).toBe("2026-05-01T00:00:00.000Z");
  });

  it("ids only mentioned (code samples, request bodies, parameters, a file's folder) become stand-ins, older than the examples", () => {
    const plan = seedPlanFromSpec(
      spec(
        [
          ["get", "/g", { 200: json({ files: [file("file_A", { folderId: "fld_Parent" })] }) }, { "x-codeSamples": [{ lang: "Shell", source: "curl https://x/api/v1/files/file_Sample" }] }],
          ["post", "/f", { 201: json({}) }, { requestBody: { content: { "application/json": { example: { parentId: "fld_Other" } } } } }],
        ],
        { parameters: { Id: { name: "id", in: "path", example: "file_Param" } } },
      ),
    );
    const sample = plan.files.find((f) => f.id === "file_Sample")!;
    expect(sample).toMatchObject({ name: "file_A.txt", size: 10, mimeType: "text/plain", folderId: null, source: "stand-in for file_Sample" });
    expect(sample.createdAt < "2026-05-01T00:00:00.000Z").toBe(true);
    expect(plan.files.map((f) => f.id).sort()).toEqual(["file_A", "file_Param", "file_Sample"]);
    expect(plan.folders.map((f) => [f.id, f.name])).toEqual(
      expect.arrayContaining([
        ["fld_Parent", "Sample folder"],
        ["fld_Other", "Sample folder"],
      ]),
    );
    // Oldest first, as createFile will be called.
    expect(plan.files.map((f) => f.createdAt)).toEqual([...plan.files.map((f) => f.createdAt)].sort());
  });

  it("error examples are not read: an id there may be meant not to exist", () => {
    const plan = seedPlanFromSpec(spec([["get", "/g", { 200: json({ ok: true }), 404: json({ error: { message: "file_Missing not found" }, file: file("file_Gone") }) }]]));
    expect(plan.files).toEqual([]);
  });

  it("folders come after their parents; a cycle is refused", () => {
    const folder = (id: string, parentId: string | null) => ({ id, name: id, parentId, createdAt: "2026-01-02T00:00:00.000Z" });
    const plan = seedPlanFromSpec(spec([["get", "/g", { 200: json([folder("fld_C", "fld_B"), folder("fld_B", "fld_A"), folder("fld_A", null)]) }]]));
    expect(plan.folders.map((f) => f.id)).toEqual(["fld_A", "fld_B", "fld_C"]);
    expect(() => seedPlanFromSpec(spec([["get", "/g", { 200: json([folder("fld_X", "fld_Y"), folder("fld_Y", "fld_X")]) }]]))).toThrow(/cycle/);
  });

  it("the bandwidth comes from the statistics example; none without one", () => {
    const stats = { stats: { totalFiles: 9, totalSize: 90, totalFolders: 1, storageUsed: "90 B", bandwidthUsed: "1.0 KB", bandwidthUsedBytes: 1024 } };
    expect(seedPlanFromSpec(spec([["get", "/s", { 200: json(stats) }]]))).toMatchObject({ bandwidthBytes: 1024, statsExample: { totalFiles: 9, totalSize: 90, totalFolders: 1 } });
    expect(seedPlanFromSpec(spec([["get", "/s", { 200: json({}) }]])).bandwidthBytes).toBe(0);
  });

  it("refuses a spec that uses the second tenant's ids, or more bytes than the sandbox seeds", () => {
    const clash = seedPlanFromSpec(spec([["get", "/g", { 200: json(file(SECOND_TENANT_PLAN.files[0]!.id)) }]]));
    expect(() => sandboxTenants(clash)).toThrow(/an id of the sandbox's second tenant/);
    const huge = seedPlanFromSpec(spec([["get", "/g", { 200: json(file("file_Huge", { size: MAX_SEED_BYTES })) }]]));
    expect(() => sandboxTenants(huge)).toThrow(/the sandbox seeds at most/);
  });
});
