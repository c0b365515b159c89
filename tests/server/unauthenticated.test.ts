/**
 * Requests without a valid key cost the server almost nothing: they are refused before any body
 * is read or parsed, and limited per client address (RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE).
 * The health check is never limited, with or without a key.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, expectError } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

let srv: TestServer;

beforeAll(async () => {
  srv = await startServer({ rateLimitUnauthenticatedPerMinute: 5, rateLimitPerMinute: 3 });
});
afterAll(() => srv?.close());

const flood = "[".repeat(100_000);

describe("authentication before the body", () => {
  it("a keyless 100 kB `[[[…` JSON body gets 401, not a parse error (it is never parsed)", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/folders`, { method: "POST", headers: { "Content-Type": "application/json" }, body: flood });
    await expectError(res, 401, "unauthorized");
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer /);
  });

  it("a read-only key posting a malformed body gets 403, not 400", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/folders`, {
      method: "POST",
      headers: { ...bearer(srv.keys.readOnly), "Content-Type": "application/json" },
      body: flood,
    });
    await expectError(res, 403, "forbidden");
  });
});

describe("RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE=5 (per client address)", () => {
  it("counts keyless and invalid-key requests alike, then answers 429 with Retry-After; valid keys are unaffected", async () => {
    // The two requests above already spent 1 (keyless); a 403 had a valid key and does not count.
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const headers: Record<string, string> = i % 2 === 0 ? {} : bearer(`ak_${"x".repeat(32)}`);
      const res = await fetch(`${srv.baseUrl}/api/v1/files`, { headers });
      statuses.push(res.status);
      if (res.status === 429) {
        await expectError(res, 429, "rate_limited");
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      } else await res.body?.cancel();
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    const ok = await fetch(`${srv.baseUrl}/api/v1/files`, { headers: bearer(srv.keys.full) });
    expect(ok.status).toBe(200);
  });

  it("a flood of 100 kB keyless bodies is cut off with 429 too", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/folders`, { method: "POST", headers: { "Content-Type": "application/json" }, body: flood });
    await expectError(res, 429, "rate_limited");
  });
});

describe("the health check is never rate limited", () => {
  it("answers 200 without a key after the keyless budget is spent", async () => {
    for (let i = 0; i < 10; i++) expect((await fetch(`${srv.baseUrl}/api/v1/health`)).status).toBe(200);
  });

  it("answers 200 with a key whose budget is spent (it used to answer 429), and sends no RateLimit headers", async () => {
    const key = await srv.issueKey();
    for (let i = 0; i < 3; i++) await (await fetch(`${srv.baseUrl}/api/v1/files`, { headers: bearer(key) })).body?.cancel();
    expect((await fetch(`${srv.baseUrl}/api/v1/files`, { headers: bearer(key) })).status).toBe(429);
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${srv.baseUrl}/api/v1/health`, { headers: bearer(key) });
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit-limit")).toBeNull();
    }
  });
});
