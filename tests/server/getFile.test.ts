/** GET /api/v1/files/{id}: one file's metadata. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, expectConforms, expectError, uploadOk, type ApiFile } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

let srv: TestServer;
let file: ApiFile;

beforeAll(async () => {
  srv = await startServer();
  file = await uploadOk(srv.baseUrl, srv.keys.full, { data: "hello", name: "hello.txt", type: "text/plain", description: "greeting", tags: "a,b" });
});
afterAll(() => srv?.close());

describe("getFile", () => {
  it("returns the file exactly as the upload answered it", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/files/${file.id}`, { headers: bearer(srv.keys.full) });
    const text = await res.text();
    expect(res.status).toBe(200);
    await expectConforms("GET", res, text);
    expect(JSON.parse(text)).toEqual({ success: true, file });
    expect(res.headers.get("cache-control")).toContain("no-store");
  });

  it("works with X-API-Key and a read-only key", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/files/${file.id}`, { headers: { "X-API-Key": srv.keys.readOnly } });
    expect(((await res.json()) as { file: ApiFile }).file.id).toBe(file.id);
  });

  it("404 not_found for an unknown id", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/files/file_DoesNotExist000000`, { headers: bearer(srv.keys.full) });
    const body = await expectError(res, 404, "not_found", "GET");
    expect(body.error.message).toBe("File not found");
  });

  it("400 bad_request for an id that is not a file id", async () => {
    await expectError(await fetch(`${srv.baseUrl}/api/v1/files/file_with-dash`, { headers: bearer(srv.keys.full) }), 400, "bad_request", "GET");
  });
});
