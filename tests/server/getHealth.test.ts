import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, expectError, json } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(() => srv?.close());

describe("getHealth", () => {
  it("answers 200 without a key, with the spec's version and a request id", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/health`);
    const body = await json<{ success: boolean; status: string; version: string }>(res);
    expect(body).toEqual({ success: true, status: "ok", version: "1.0.0" });
    expect(res.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{20}$/);
    expect(res.headers.get("cache-control")).toContain("no-store");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("does not care about a key, even a revoked or malformed one", async () => {
    for (const headers of [bearer(srv.revokedKey), bearer("ak_short"), { "X-API-Key": "nope" }]) {
      const res = await fetch(`${srv.baseUrl}/api/v1/health`, { headers });
      expect(res.status).toBe(200);
      await res.body?.cancel();
    }
  });

  it("echoes a safe caller request id and replaces an unsafe one", async () => {
    const ok = await fetch(`${srv.baseUrl}/api/v1/health`, { headers: { "X-Request-Id": "trace-123.abc" } });
    expect(ok.headers.get("x-request-id")).toBe("trace-123.abc");
    await ok.body?.cancel();
    const unsafe = await fetch(`${srv.baseUrl}/api/v1/health`, { headers: { "X-Request-Id": "a b<script>" } });
    expect(unsafe.headers.get("x-request-id")).toMatch(/^req_/);
    await unsafe.body?.cancel();
  });

  it("400 bad_request for an unknown query parameter", async () => {
    await expectError(await fetch(`${srv.baseUrl}/api/v1/health?verbose=1`), 400, "bad_request");
  });

  it("405 method_not_allowed with Allow for POST", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/health`, { method: "POST" });
    await expectError(res, 405, "method_not_allowed");
    expect(res.headers.get("allow")).toMatch(/GET/);
  });

  it("500 server_error in the envelope once the database is gone", async () => {
    const broken = await startServer();
    try {
      await broken.storage.metadata.close();
      const res = await fetch(`${broken.baseUrl}/api/v1/health`);
      await expectError(res, 500, "server_error", "GET");
    } finally {
      await broken.close();
    }
  });
});
