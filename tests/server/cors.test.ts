/** CORS (CORS_ORIGINS): preflights, allowed and exposed headers, unlisted origins, and no CORS at all. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, expectError } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

const ORIGIN = "http://app.example";
const list = (h: string | null) => (h ?? "").split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);

describe("with CORS_ORIGINS=http://app.example", () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer({ corsOrigins: [ORIGIN] });
  });
  afterAll(() => srv?.close());

  const preflight = (origin: string, method = "GET", headers = "authorization,x-api-key") =>
    fetch(`${srv.baseUrl}/api/v1/files`, {
      method: "OPTIONS",
      headers: { Origin: origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": headers },
    });

  it("answers a preflight from that origin with 204 and the allowed methods and headers", async () => {
    const res = await preflight(ORIGIN);
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    const allowed = list(res.headers.get("access-control-allow-headers"));
    for (const h of ["authorization", "x-api-key", "content-type", "range", "if-none-match"]) expect(allowed).toContain(h);
    const methods = list(res.headers.get("access-control-allow-methods"));
    for (const m of ["get", "head", "post", "patch", "delete"]) expect(methods).toContain(m);
    expect(list(res.headers.get("vary"))).toContain("origin");
    expect(Number(res.headers.get("access-control-max-age"))).toBeGreaterThan(0);
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  it("preflights work on every API path, without a key", async () => {
    for (const path of ["/api/v1/files/upload", "/api/v1/files/file_abc", "/api/v1/files/file_abc/download", "/api/v1/folders", "/api/v1/user/stats"]) {
      const res = await fetch(`${srv.baseUrl}${path}`, { method: "OPTIONS", headers: { Origin: ORIGIN, "Access-Control-Request-Method": "POST" } });
      expect(res.status, path).toBe(204);
      expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    }
  });

  it("exposes X-Request-Id, Content-Disposition, ETag and RateLimit-* on actual answers", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/files`, { headers: { ...bearer(srv.keys.full), Origin: ORIGIN } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    const exposed = list(res.headers.get("access-control-expose-headers"));
    for (const h of ["x-request-id", "content-disposition", "etag", "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", "retry-after", "content-range"]) {
      expect(exposed).toContain(h);
    }
    await res.body?.cancel();
  });

  it("error answers carry CORS headers too, so a browser can read the envelope", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/files`, { headers: { Origin: ORIGIN } });
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    await expectError(res, 401, "unauthorized", "GET");
  });

  it("gives an origin that is not listed no Access-Control-Allow-Origin", async () => {
    const pre = await preflight("http://evil.example");
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    await pre.body?.cancel();
    const res = await fetch(`${srv.baseUrl}/api/v1/files`, { headers: { ...bearer(srv.keys.full), Origin: "http://evil.example" } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    await res.body?.cancel();
    const lookalike = await preflight("http://app.example.evil.com");
    expect(lookalike.headers.get("access-control-allow-origin")).toBeNull();
    await lookalike.body?.cancel();
  });
});

describe("with CORS_ORIGINS=*", () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer({ corsOrigins: ["*"] });
  });
  afterAll(() => srv?.close());

  it("allows any origin", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/files`, {
      method: "OPTIONS",
      headers: { Origin: "http://anything.example", "Access-Control-Request-Method": "GET" },
    });
    expect(res.status).toBe(204);
    expect(["*", "http://anything.example"]).toContain(res.headers.get("access-control-allow-origin"));
  });
});

describe("without CORS_ORIGINS", () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer();
  });
  afterAll(() => srv?.close());

  it("OPTIONS is just a method the API does not have: 405 envelope with Allow", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/files`, {
      method: "OPTIONS",
      headers: { Origin: ORIGIN, "Access-Control-Request-Method": "GET" },
    });
    await expectError(res, 405, "method_not_allowed");
    expect(list(res.headers.get("allow"))).toContain("get");
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("actual answers carry no CORS headers", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/files`, { headers: { ...bearer(srv.keys.full), Origin: ORIGIN } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("access-control-expose-headers")).toBeNull();
    await res.body?.cancel();
  });
});
