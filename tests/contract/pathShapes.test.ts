/**
 * `path_shapes` catches the class it hunts: the variant generator covers every transform family
 * for every operation, raw requests reach the target byte for byte (fetch would resolve dot
 * segments), and a lax router in front of the reference server — other spellings of a spec path
 * sent on with a full key, skipping the guards — makes the check fail with reproducible curl
 * lines, while the fixtures other checks need survive the DELETE variants.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenApiOracle } from "../support/openapi-oracle.js";
import { send, toCurl } from "./exchange.js";
import { startFaultProxy } from "./faultProxy.js";
import { deterministicVariants, mixArbitrary, pathModel, render, type TransformKind } from "./pathVariants.js";
import { runConformance, type Report } from "./runner.js";
import { referenceTarget, type Target } from "./target.js";

const FAMILIES: TransformKind[] = ["case", "case-all", "double-slash", "trailing-slash", "encode-letter", "encode-slash", "dot-segment", "segment-param"];

describe("path-shape variants", () => {
  it("spell /api/v1/files every way the check promises", () => {
    const paths = deterministicVariants(pathModel("/api/v1/files")).map((v) => v.path);
    for (const expected of [
      "/API/v1/files",
      "/Api/v1/files",
      "/api/V1/files",
      "/api/v1/Files",
      "/api/v1/FILES",
      "/API/V1/FILES",
      "//api/v1/files",
      "/api//v1/files",
      "/api/v1//files",
      "/api/v1/files/",
      "/api/v1/%66iles",
      "/%61pi/v1/files",
      "/api%2Fv1/files",
      "/api/v1%2ffiles",
      "/api/./v1/files",
      "/api/v1/./files",
      "/api/v1/x/../files",
      "/api/v1/%2e/files",
      "/api/v1/x/%2e%2e/files",
      "/api/v1/files;x=1",
      "/api;/v1/files",
    ]) {
      expect(paths).toContain(expected);
    }
    expect(paths).not.toContain("/api/v1/files");
    expect(new Set(paths).size).toBe(paths.length);
  });

  it("cover every family for every operation, and never touch a path parameter", async () => {
    const oracle = await OpenApiOracle.load();
    for (const op of oracle.operations()) {
      const model = pathModel(op.path);
      const variants = deterministicVariants(model);
      expect(new Set(variants.map((v) => v.family)), op.path).toEqual(new Set(FAMILIES));
      for (const v of variants) {
        expect(v.path, op.path).not.toBe(op.path);
        for (const param of op.path.match(/\{[^}]+\}/g) ?? []) expect(v.path).toContain(param);
      }
    }
    const model = pathModel("/api/v1/files/{id}/download");
    fc.assert(
      fc.property(mixArbitrary(model), (transforms) => {
        const path = render(model, transforms);
        return path.startsWith("/") && path.includes("{id}") && !path.includes("{ID}");
      }),
      { seed: 42 },
    );
  });
});

describe("raw requests", () => {
  let echo: Server;
  let base = "";
  beforeAll(async () => {
    echo = createServer((req, res) => {
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.end(req.url);
    });
    await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    echo.closeAllConnections();
    await new Promise<void>((resolve) => echo.close(() => resolve()));
  });

  it("keep the request-target byte for byte (fetch resolves dot segments)", async () => {
    const path = "//api;/v1/x/../%2e/./%66iles%2F";
    const raw = await send(base, { method: "GET", path, query: { a: "1" }, raw: true });
    expect(raw.text).toBe(`${path}?a=1`);
    const fetched = await send(base, { method: "GET", path });
    expect(fetched.text).not.toBe(path);
    expect(toCurl(base, { method: "GET", path, raw: true })).toMatch(/^curl --path-as-is -i -X GET '.*\/x\/\.\.\/%2e\/\.\/%66iles%2F'$/);
  });
});

describe("a lax router in front of the reference server", () => {
  let server: Target;
  let report: Report;
  beforeAll(async () => {
    server = await referenceTarget();
    const oracle = await OpenApiOracle.load();
    const templates = [...new Set(oracle.operations().map((op) => op.path))];
    const proxy = await startFaultProxy(server.baseUrl, { kind: "lax-routes", templates, key: server.keys.main });
    try {
      report = await runConformance({ ...server, name: "lax router (case, slashes)", baseUrl: proxy.baseUrl }, { runs: 5, seed: 42, only: ["path_shapes"], cleanUp: false });
    } finally {
      await proxy.close();
    }
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it("fails path_shapes for missing keys and missing scopes, naming the variant", () => {
    const failures = report.failures.filter((f) => f.check === "path_shapes");
    const messages = failures.map((f) => `${f.operationId}: ${f.message}`).join("\n");
    expect(report.results.find((r) => r.check === "path_shapes")?.failed).toBeGreaterThan(0);
    // The reference server refuses a keyless request on any route it reaches, so these are the router's.
    expect(messages).toMatch(/^deleteFile: no key: case variant \/API\/v1\/files\/file_\w+ answered 200 .* DELETE \/api\/v1\/files\/\{id\} answers 401/m);
    expect(messages).toMatch(/^getUserStats: key without scope \(only files:\w+, needs user:read\): case variant \/API\/v1\/user\/stats answered 200/m);
    expect(messages).toMatch(/^downloadFile: no key: double-slash variant \/\/api\/v1\/files\/file_\w+\/download answered 200/m);
    expect(messages).toMatch(/^createFolder: key without scope .*: trailing-slash variant \/api\/v1\/folders\/ answered 201/m);
    expect(messages).toMatch(/mix .* \(shrunk; seed -?\d+, path/);
    const deleteFailure = failures.find((f) => f.operationId === "deleteFile" && f.message.startsWith("no key: case variant"));
    expect(deleteFailure?.curl).toMatch(/^curl --path-as-is -i -X DELETE 'http:\/\/127\.0\.0\.1:\d+\/API\/v1\/files\/file_\w+'$/);
  });

  it("judges percent-encoded and dot-segment variants as refusals when the router does not take them", () => {
    const failures = report.failures.filter((f) => f.check === "path_shapes" && !f.message.includes(" mix "));
    expect(failures.filter((f) => /: (encode-letter|encode-slash|dot-segment|segment-param) variant/.test(f.message))).toEqual([]);
  });

  it("aims DELETE variants at throwaway resources: the fixtures survive", async () => {
    expect(report.fixtures.files.length).toBeGreaterThan(0);
    for (const id of report.fixtures.files) {
      const res = await fetch(`${server.baseUrl}/api/v1/files/${id}`, { headers: { Authorization: `Bearer ${server.keys.main}` } });
      expect(res.status, id).toBe(200);
    }
    for (const id of report.fixtures.folders) {
      const res = await fetch(`${server.baseUrl}/api/v1/files?folderId=${id}`, { headers: { Authorization: `Bearer ${server.keys.main}` } });
      expect(res.status, id).toBe(200);
    }
  });
});
