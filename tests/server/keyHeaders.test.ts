/**
 * Which header carries the key: `Authorization` only when it is a Bearer credential (a proxy's
 * `Basic …` must not hide a valid `X-API-Key`); two different valid keys are ambiguous → 400.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

let srv: TestServer;

beforeAll(async () => {
  srv = await startServer();
});
afterAll(() => srv?.close());

const list = (headers: Record<string, string>) => fetch(`${srv.baseUrl}/api/v1/files`, { headers });
const bogus = `ak_${"Z".repeat(32)}`;

describe("Authorization and X-API-Key together", () => {
  it.each([
    ["Basic (added by a proxy) + a valid X-API-Key", () => ({ Authorization: "Basic dXNlcjpwYXNz", "X-API-Key": srv.keys.full })],
    ["Digest + a valid X-API-Key", () => ({ Authorization: 'Digest username="u"', "X-API-Key": srv.keys.full })],
    ["the same key in both", () => ({ Authorization: `Bearer ${srv.keys.full}`, "X-API-Key": srv.keys.full })],
    ["an invalid Bearer + a valid X-API-Key", () => ({ Authorization: `Bearer ${bogus}`, "X-API-Key": srv.keys.full })],
    ["a valid Bearer + an invalid X-API-Key", () => ({ Authorization: `Bearer ${srv.keys.full}`, "X-API-Key": bogus })],
  ])("%s → 200", async (_label, headers) => {
    const res = await list(headers());
    expect(res.status).toBe(200);
  });

  it("two different valid keys → 400 bad_request (whose request is it?)", async () => {
    const res = await list({ Authorization: `Bearer ${srv.keys.full}`, "X-API-Key": srv.keys.otherTenant });
    const body = await expectError(res, 400, "bad_request");
    expect(body.error.message).toMatch(/two different API keys/);
  });

  it("Basic alone is no key: 401 with WWW-Authenticate", async () => {
    const res = await list({ Authorization: "Basic dXNlcjpwYXNz" });
    await expectError(res, 401, "unauthorized");
  });
});
