/**
 * Per-key rate limits (RATE_LIMIT_PER_MINUTE): draft-6 RateLimit-* headers on every counted
 * answer, 429 rate_limited with Retry-After, one budget per key, on every operation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, expectError } from "../support/http.js";
import { SECURED_OPERATIONS, type OpTarget } from "../support/operations.js";
import { startServer, type TestServer } from "../support/server.js";

let srv: TestServer;
let target: OpTarget;

beforeAll(async () => {
  srv = await startServer({ rateLimitPerMinute: 3 });
  // Fixtures straight into storage, so that no key's budget is spent on them.
  const folder = await srv.storage.metadata.createFolder(srv.users.main, { name: "F" });
  target = { fileId: "file_DoesNotExist000000", folderId: folder.id };
});
afterAll(() => srv?.close());

const listFiles = (key: string) => fetch(`${srv.baseUrl}/api/v1/files?limit=10`, { headers: bearer(key) });

describe("RATE_LIMIT_PER_MINUTE=3", () => {
  it("counts down in RateLimit-Remaining, then answers the 4th request with 429", async () => {
    const key = await srv.issueKey();
    for (const remaining of [2, 1, 0]) {
      const res = await listFiles(key);
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit-limit")).toBe("3");
      expect(res.headers.get("ratelimit-remaining")).toBe(String(remaining));
      const reset = Number(res.headers.get("ratelimit-reset"));
      expect(reset).toBeGreaterThanOrEqual(0);
      expect(reset).toBeLessThanOrEqual(60);
      await res.body?.cancel();
    }
    const res = await listFiles(key);
    const body = await expectError(res, 429, "rate_limited", "GET");
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(body.error.message).toContain(String(retryAfter));
    expect(res.headers.get("ratelimit-limit")).toBe("3");
    expect(res.headers.get("ratelimit-remaining")).toBe("0");
    expect(res.headers.get("ratelimit-reset")).toMatch(/^\d+$/);
  });

  it("gives a second key of the same user its own budget", async () => {
    const first = await srv.issueKey();
    const second = await srv.issueKey();
    for (let i = 0; i < 3; i++) await (await listFiles(first)).body?.cancel();
    expect((await listFiles(first)).status).toBe(429);
    const res = await listFiles(second);
    expect(res.status).toBe(200);
    expect(res.headers.get("ratelimit-remaining")).toBe("2");
    await res.body?.cancel();
  });

  it("does not count or limit requests without a valid key (they get 401), nor the health check", async () => {
    for (let i = 0; i < 5; i++) {
      await expectError(await fetch(`${srv.baseUrl}/api/v1/files`), 401, "unauthorized", "GET");
      const health = await fetch(`${srv.baseUrl}/api/v1/health`);
      expect(health.status).toBe(200);
      await health.body?.cancel();
    }
  });

  it("a refused request (403) still spends the key's budget, so probing is limited too", async () => {
    const key = await srv.issueKey(["user:read"]);
    for (let i = 0; i < 3; i++) expect((await listFiles(key)).status).toBe(403);
    expect((await listFiles(key)).status).toBe(429);
  });

  for (const op of SECURED_OPERATIONS) {
    it(`${op.operationId} answers 429 with Retry-After once the key's budget is spent`, async () => {
      const key = await srv.issueKey();
      for (let i = 0; i < 3; i++) {
        const stats = await fetch(`${srv.baseUrl}/api/v1/user/stats`, { headers: bearer(key) });
        expect(stats.status).toBe(200);
        await stats.body?.cancel();
      }
      const res = await op.send(srv.baseUrl, bearer(key), target);
      expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
      if (op.method === "HEAD") expect(res.status).toBe(429);
      else await expectError(res, 429, "rate_limited", op.method);
    });
  }
});

describe("default limit", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s?.close());

  it("RateLimit-Limit and RateLimit-Remaining are on normal authenticated answers, JSON and downloads alike", async () => {
    const list = await fetch(`${s.baseUrl}/api/v1/files`, { headers: bearer(s.keys.full) });
    expect(list.headers.get("ratelimit-limit")).toBe(String(s.config.rateLimitPerMinute));
    expect(Number(list.headers.get("ratelimit-remaining"))).toBe(s.config.rateLimitPerMinute - 1);
    await list.body?.cancel();
    const stats = await fetch(`${s.baseUrl}/api/v1/user/stats`, { headers: { "X-API-Key": s.keys.full } });
    expect(Number(stats.headers.get("ratelimit-remaining"))).toBe(s.config.rateLimitPerMinute - 2);
    await stats.body?.cancel();
  });
});
