/**
 * The error envelope, for every kind of failure that is not tied to one operation's logic:
 * routing (404, 405), body syntax (400, 415), parameters (400) and unexpected failures (500).
 * Each answer is checked against openapi.yaml too when the operation exists.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, blobFiles, expectError, rawRequest, uploadOk } from "../support/http.js";
import { SECURED_OPERATIONS, type OpTarget } from "../support/operations.js";
import { startServer, type TestServer } from "../support/server.js";

let srv: TestServer;
let fileId: string;

beforeAll(async () => {
  srv = await startServer();
  fileId = (await uploadOk(srv.baseUrl, srv.keys.full, { data: "hello", name: "hello.txt" })).id;
});
afterAll(() => srv?.close());

const auth = () => bearer(srv.keys.full);

describe("404 for unknown routes", () => {
  for (const path of ["/api/v1/nope", "/api/v2/files", "/api/v1/files/file_abc/thumbnail", "/nope", "/api"]) {
    it(`GET ${path} → not_found envelope`, async () => {
      const body = await expectError(await fetch(`${srv.baseUrl}${path}`, { headers: auth() }), 404, "not_found");
      expect(body.error.message).not.toMatch(/<|>/);
    });
  }

  it("is the same without a key (routing does not depend on auth)", async () => {
    await expectError(await fetch(`${srv.baseUrl}/api/v1/nope`), 404, "not_found");
  });
});

describe("405 for a known path with the wrong method", () => {
  const cases: Array<[string, string, string[]]> = [
    ["PUT", "/api/v1/files", ["GET"]],
    ["DELETE", "/api/v1/files", ["GET"]],
    ["GET", "/api/v1/files/upload", ["POST"]],
    ["PUT", "/api/v1/files/file_abc", ["GET", "PATCH", "DELETE"]],
    ["POST", "/api/v1/files/file_abc/download", ["GET", "HEAD"]],
    ["PATCH", "/api/v1/folders", ["GET", "POST"]],
    ["GET", "/api/v1/folders/fld_abc", ["DELETE"]],
    ["POST", "/api/v1/user/stats", ["GET"]],
    ["DELETE", "/api/v1/health", ["GET"]],
  ];
  for (const [method, path, allowed] of cases) {
    it(`${method} ${path} → 405 with Allow: ${allowed.join(", ")}`, async () => {
      for (const headers of [auth(), {}]) {
        const res = await fetch(`${srv.baseUrl}${path}`, { method, headers });
        const body = await expectError(res, 405, "method_not_allowed");
        const allow = (res.headers.get("allow") ?? "").split(",").map((m) => m.trim()).filter(Boolean);
        for (const m of allowed) expect(allow).toContain(m);
        expect(allow).not.toContain(method);
        expect(body.error.message).toContain(method);
      }
    });
  }
});

describe("400 for malformed bodies and parameters", () => {
  it("malformed JSON on PATCH /files/{id}", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/files/${fileId}`, {
      method: "PATCH",
      headers: { ...auth(), "Content-Type": "application/json" },
      body: '{"name": "x.txt",',
    });
    const body = await expectError(res, 400, "bad_request", "PATCH");
    expect(body.error.message).toMatch(/JSON/);
  });

  it("malformed JSON on POST /folders", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/folders`, {
      method: "POST",
      headers: { ...auth(), "Content-Type": "application/json" },
      body: "{name: Photos}",
    });
    await expectError(res, 400, "bad_request", "POST");
  });

  it("a JSON body over the parser limit is a 400, not an HTML 413", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/files/${fileId}`, {
      method: "PATCH",
      headers: { ...auth(), "Content-Type": "application/json" },
      body: JSON.stringify({ description: "x".repeat(200 * 1024) }),
    });
    await expectError(res, 400, "bad_request", "PATCH");
  });

  it("body that breaks the schema: empty patch, unknown field, invalid name, wrong type", async () => {
    for (const patch of [{}, { colour: "red" }, { name: "." }, { name: "a/b" }, { name: "" }, { tags: "a,b" }, { folderId: "nope" }, { description: "x".repeat(1001) }]) {
      const res = await fetch(`${srv.baseUrl}/api/v1/files/${fileId}`, {
        method: "PATCH",
        headers: { ...auth(), "Content-Type": "application/json" },
        body: JSON.stringify(patch),
      });
      await expectError(res, 400, "bad_request", "PATCH");
    }
  });

  it("a JSON body that is not an object", async () => {
    for (const text of ["[]", '"name"', "null", "42"]) {
      const res = await fetch(`${srv.baseUrl}/api/v1/folders`, {
        method: "POST",
        headers: { ...auth(), "Content-Type": "application/json" },
        body: text,
      });
      await expectError(res, 400, "bad_request", "POST");
    }
  });

  it("missing body on PATCH with a JSON content type", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/files/${fileId}`, { method: "PATCH", headers: { ...auth(), "Content-Type": "application/json" } });
    await expectError(res, 400, "bad_request", "PATCH");
  });

  it("unknown query parameters", async () => {
    for (const path of ["/api/v1/files?sort=name", "/api/v1/folders?limit=5", "/api/v1/user/stats?x=1", `/api/v1/files/${fileId}?expand=1`]) {
      const body = await expectError(await fetch(`${srv.baseUrl}${path}`, { headers: auth() }), 400, "bad_request", "GET");
      expect(body.error.message.length).toBeLessThan(500);
    }
  });

  for (const query of ["limit=0", "limit=101", "limit=abc", "limit=1.5", "limit=", "offset=-1", "offset=x", "folderId=notafolder"]) {
    it(`listFiles ?${query} → 400`, async () => {
      await expectError(await fetch(`${srv.baseUrl}/api/v1/files?${query}`, { headers: auth() }), 400, "bad_request", "GET");
    });
  }

  it("ids that do not match the id pattern", async () => {
    await expectError(await fetch(`${srv.baseUrl}/api/v1/files/not-an-id`, { headers: auth() }), 400, "bad_request", "GET");
    await expectError(await fetch(`${srv.baseUrl}/api/v1/files/fld_abc`, { headers: auth() }), 400, "bad_request", "GET");
    await expectError(await fetch(`${srv.baseUrl}/api/v1/files/file_${"a".repeat(60)}/download`, { headers: auth() }), 400, "bad_request", "GET");
    await expectError(await fetch(`${srv.baseUrl}/api/v1/folders/file_abc`, { method: "DELETE", headers: auth() }), 400, "bad_request", "DELETE");
    await expectError(await fetch(`${srv.baseUrl}/api/v1/files/file_a.b`, { method: "DELETE", headers: auth() }), 400, "bad_request", "DELETE");
    const patch = await fetch(`${srv.baseUrl}/api/v1/files/fld_abc`, {
      method: "PATCH",
      headers: { ...auth(), "Content-Type": "application/json" },
      body: JSON.stringify({ name: "x.txt" }),
    });
    await expectError(patch, 400, "bad_request", "PATCH");
    const head = await fetch(`${srv.baseUrl}/api/v1/files/nope/download`, { method: "HEAD", headers: auth() });
    expect(head.status).toBe(400);
    expect(head.headers.get("x-request-id")).toBeTruthy();
  });

  it("a path that is not valid percent-encoding", async () => {
    for (const path of ["/api/v1/files/file_%E0%A4%A", "/api/v1/files/%ZZ/download"]) {
      const res = await rawRequest(`${srv.baseUrl}${path}`, { headers: auth() });
      expect(res.status, path).toBe(400);
      expect(String(res.headers["content-type"])).toMatch(/^application\/json/);
      const body = JSON.parse(res.body.toString()) as { error: { code: string; requestId: string } };
      expect(body.error.code).toBe("bad_request");
      expect(res.headers["x-request-id"]).toBe(body.error.requestId);
    }
  });
});

describe("415 for a body of the wrong media type", () => {
  it("PATCH /files/{id} with text/plain", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/files/${fileId}`, {
      method: "PATCH",
      headers: { ...auth(), "Content-Type": "text/plain" },
      body: '{"name":"x.txt"}',
    });
    await expectError(res, 415, "unsupported_media_type", "PATCH");
  });

  it("PATCH /files/{id} with a form body", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/files/${fileId}`, {
      method: "PATCH",
      headers: auth(),
      body: new URLSearchParams({ name: "x.txt" }),
    });
    await expectError(res, 415, "unsupported_media_type", "PATCH");
  });

  it("POST /folders with text/plain", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/folders`, {
      method: "POST",
      headers: { ...auth(), "Content-Type": "text/plain" },
      body: "Photos",
    });
    await expectError(res, 415, "unsupported_media_type", "POST");
  });

  it("POST /files/upload with JSON instead of multipart", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/files/upload`, {
      method: "POST",
      headers: { ...auth(), "Content-Type": "application/json" },
      body: JSON.stringify({ file: "aGVsbG8=" }),
    });
    await expectError(res, 415, "unsupported_media_type", "POST");
  });

  it("POST /files/upload with a raw octet-stream body", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/files/upload`, {
      method: "POST",
      headers: { ...auth(), "Content-Type": "application/octet-stream" },
      body: "hello",
    });
    await expectError(res, 415, "unsupported_media_type", "POST");
  });
});

describe("every answer carries X-Request-Id and JSON answers are not cached", () => {
  it("success and error alike", async () => {
    for (const [path, headers] of [["/api/v1/files", auth()], ["/api/v1/files", {}], ["/api/v1/nope", auth()]] as const) {
      const res = await fetch(`${srv.baseUrl}${path}`, { headers });
      expect(res.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{20}$/);
      expect(res.headers.get("cache-control")).toContain("no-store");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      await res.body?.cancel();
    }
  });
});

describe("500 server_error: an unexpected failure discloses nothing", () => {
  let broken: TestServer;
  let target: OpTarget;

  beforeAll(async () => {
    broken = await startServer();
    const file = await uploadOk(broken.baseUrl, broken.keys.full, { data: "x", name: "x.txt" });
    target = { fileId: file.id, folderId: "fld_DoesNotExist0000000" };
    await broken.storage.metadata.close(); // every database access now throws
  });
  afterAll(() => broken?.close());

  for (const op of SECURED_OPERATIONS) {
    it(`${op.operationId} answers the envelope with a generic message`, async () => {
      const res = await op.send(broken.baseUrl, bearer(broken.keys.full), target);
      if (op.method === "HEAD") {
        expect(res.status).toBe(500);
        expect(res.headers.get("x-request-id")).toBeTruthy();
        return;
      }
      const body = await expectError(res, 500, "server_error", op.method);
      expect(body.error.message).toBe("Internal server error");
    });
  }
});

describe("500 after the upload was streamed", () => {
  let flaky: TestServer;
  beforeAll(async () => {
    flaky = await startServer();
    // The row insert fails with an internal error whose text must not reach the client.
    Object.assign(flaky.storage.metadata, {
      createFile: async () => {
        throw new Error("SQLITE_FULL at /work/main/server/storage/sqlite/x.ts:12:3");
      },
    });
  });
  afterAll(() => flaky?.close());

  it("answers 500 and discards the stored blob", async () => {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(64 * 1024).fill(7)]), "big.bin");
    const res = await fetch(`${flaky.baseUrl}/api/v1/files/upload`, { method: "POST", headers: bearer(flaky.keys.full), body: form });
    const body = await expectError(res, 500, "server_error", "POST");
    expect(body.error.message).toBe("Internal server error");
    const left = await flaky.blobFiles();
    expect(left.all).toEqual([]);
  });
});
