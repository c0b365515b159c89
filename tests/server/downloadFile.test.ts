/**
 * GET and HEAD /api/v1/files/{id}/download: entity headers, ranges, conditional requests, and the
 * bandwidth counter growing by exactly the body bytes sent.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, expectConforms, expectError, parseDisposition, settledBandwidth, stats, uploadOk, type ApiFile } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

let srv: TestServer;
let file: ApiFile;
const data = randomBytes(10_000);

beforeAll(async () => {
  srv = await startServer();
  file = await uploadOk(srv.baseUrl, srv.keys.full, { data, name: "photo.jpg", type: "image/jpeg" });
});
afterAll(() => srv?.close());

const get = (headers: Record<string, string> = {}, method = "GET", f: ApiFile = file) =>
  fetch(`${srv.baseUrl}/api/v1/files/${f.id}/download`, { method, headers: { ...bearer(srv.keys.full), ...headers } });

describe("a full download", () => {
  it("sends the exact bytes with every entity header", async () => {
    const res = await get();
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(200);
    await expectConforms("GET", res, undefined);
    expect(body.equals(data)).toBe(true);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
    expect(res.headers.get("content-length")).toBe(String(data.length));
    expect(res.headers.get("etag")).toBe(`"${file.sha256}"`);
    expect(res.headers.get("last-modified")).toBe(new Date(file.createdAt).toUTCString());
    expect(res.headers.get("accept-ranges")).toBe("bytes");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toBe("sandbox");
    expect(res.headers.get("cache-control")).toMatch(/\bprivate\b/);
    expect(res.headers.get("cache-control")).not.toMatch(/\bpublic\b/);
    expect(parseDisposition(res.headers.get("content-disposition") ?? "")).toEqual({ type: "attachment", filename: "photo.jpg" });
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    expect(res.headers.get("ratelimit-remaining")).toMatch(/^\d+$/);
  });

  it("serves HTML as an attachment in a sandbox, never inline", async () => {
    const html = await uploadOk(srv.baseUrl, srv.keys.full, { data: "<script>alert(1)</script>", name: "x.html", type: "text/html" });
    const res = await get({}, "GET", html);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(res.headers.get("content-security-policy")).toBe("sandbox");
    await res.body?.cancel();
  });
});

describe("HEAD", () => {
  it("answers the same headers and no body", async () => {
    const res = await get({}, "HEAD");
    expect(res.status).toBe(200);
    await expectConforms("HEAD", res, undefined);
    expect((await res.arrayBuffer()).byteLength).toBe(0);
    expect(res.headers.get("content-length")).toBe(String(data.length));
    expect(res.headers.get("etag")).toBe(`"${file.sha256}"`);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
    expect(res.headers.get("accept-ranges")).toBe("bytes");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment;/);
  });

  it("404 for an unknown id (no body)", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/files/file_Missing000000000000/download`, { method: "HEAD", headers: bearer(srv.keys.full) });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-disposition")).toBeNull();
    expect(res.headers.get("etag")).toBeNull();
  });
});

describe("ranges", () => {
  it("bytes=0-4 → 206 with Content-Range and exactly those bytes", async () => {
    const res = await get({ Range: "bytes=0-4" });
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(206);
    await expectConforms("GET", res, undefined);
    expect(res.headers.get("content-range")).toBe(`bytes 0-4/${data.length}`);
    expect(res.headers.get("content-length")).toBe("5");
    expect(body.equals(data.subarray(0, 5))).toBe(true);
  });

  it("a suffix range bytes=-3 → the last three bytes", async () => {
    const res = await get({ Range: "bytes=-3" });
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(206);
    expect(res.headers.get("content-range")).toBe(`bytes ${data.length - 3}-${data.length - 1}/${data.length}`);
    expect(body.equals(data.subarray(data.length - 3))).toBe(true);
  });

  it("an open range bytes=9990- → the tail", async () => {
    const res = await get({ Range: "bytes=9990-" });
    const body = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(206);
    expect(body.equals(data.subarray(9990))).toBe(true);
  });

  it("a range past the end (bytes=999999-) → 416 envelope with Content-Range: bytes */size", async () => {
    const res = await get({ Range: "bytes=999999-" });
    const body = await expectError(res, 416, "range_not_satisfiable", "GET");
    expect(res.headers.get("content-range")).toBe(`bytes */${data.length}`);
    expect(body.error.message).toContain(String(data.length));
    expect(res.headers.get("content-disposition")).toBeNull();
  });

  it("HEAD honours ranges too: 206 with Content-Range, 416 past the end", async () => {
    const partial = await get({ Range: "bytes=0-4" }, "HEAD");
    expect(partial.status).toBe(206);
    expect(partial.headers.get("content-range")).toBe(`bytes 0-4/${data.length}`);
    expect(partial.headers.get("content-length")).toBe("5");
    expect((await partial.arrayBuffer()).byteLength).toBe(0);
    const outside = await get({ Range: "bytes=999999-" }, "HEAD");
    expect(outside.status).toBe(416);
    expect(outside.headers.get("content-range")).toBe(`bytes */${data.length}`);
    expect((await outside.arrayBuffer()).byteLength).toBe(0);
  });

  it("several ranges, or one that cannot be parsed, get the whole file", async () => {
    for (const range of ["bytes=0-1,5-6", "bytes=abc", "items=0-4"]) {
      const res = await get({ Range: range });
      const body = Buffer.from(await res.arrayBuffer());
      expect(res.status, range).toBe(200);
      expect(body.equals(data), range).toBe(true);
    }
  });

  it("If-Range with the current ETag honours the range; with another ETag sends everything", async () => {
    const same = await get({ Range: "bytes=0-4", "If-Range": `"${file.sha256}"` });
    expect(same.status).toBe(206);
    await same.body?.cancel();
    const stale = await get({ Range: "bytes=0-4", "If-Range": `"${"0".repeat(64)}"` });
    expect(stale.status).toBe(200);
    expect(Buffer.from(await stale.arrayBuffer()).equals(data)).toBe(true);
  });
});

describe("conditional requests", () => {
  it("If-None-Match with the ETag → 304 with no body", async () => {
    const res = await get({ "If-None-Match": `"${file.sha256}"` });
    expect(res.status).toBe(304);
    await expectConforms("GET", res, undefined);
    expect((await res.arrayBuffer()).byteLength).toBe(0);
    expect(res.headers.get("etag")).toBe(`"${file.sha256}"`);
  });

  it("If-None-Match listing the ETag among others, or *, → 304", async () => {
    for (const value of [`"abc", "${file.sha256}"`, "*"]) {
      const res = await get({ "If-None-Match": value });
      expect(res.status, value).toBe(304);
      await res.body?.cancel();
    }
  });

  it("a different ETag → 200 with the bytes", async () => {
    const res = await get({ "If-None-Match": `"${"f".repeat(64)}"` });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(data)).toBe(true);
  });

  it("authentication and existence come before the precondition", async () => {
    const noKey = await fetch(`${srv.baseUrl}/api/v1/files/${file.id}/download`, { headers: { "If-None-Match": `"${file.sha256}"` } });
    await expectError(noKey, 401, "unauthorized", "GET");
    const other = await fetch(`${srv.baseUrl}/api/v1/files/${file.id}/download`, {
      headers: { ...bearer(srv.keys.otherTenant), "If-None-Match": `"${file.sha256}"` },
    });
    await expectError(other, 404, "not_found", "GET");
  });
});

describe("bandwidthUsedBytes counts exactly the body bytes sent", () => {
  let s: TestServer;
  let f: ApiFile;
  const content = randomBytes(50_000);
  beforeAll(async () => {
    s = await startServer();
    f = await uploadOk(s.baseUrl, s.keys.full, { data: content, name: "meter.bin" });
  });
  afterAll(() => s?.close());

  const dl = async (headers: Record<string, string> = {}, method = "GET") => {
    const res = await fetch(f.url, { method, headers: { ...bearer(s.keys.full), ...headers } });
    const bytes = (await res.arrayBuffer()).byteLength;
    return { status: res.status, bytes };
  };

  it("starts at 0 and the strings agree", async () => {
    const st = await stats(s.baseUrl, s.keys.full);
    expect(st.bandwidthUsedBytes).toBe(0);
    expect(st.bandwidthUsed).toBe("0 B");
  });

  it("a full download adds the file size", async () => {
    expect(await dl()).toEqual({ status: 200, bytes: content.length });
    expect(await settledBandwidth(s.baseUrl, s.keys.full, content.length)).toBe(content.length);
  });

  it("a ranged download adds the range length", async () => {
    const before = (await stats(s.baseUrl, s.keys.full)).bandwidthUsedBytes;
    expect(await dl({ Range: "bytes=100-1099" })).toEqual({ status: 206, bytes: 1000 });
    expect(await settledBandwidth(s.baseUrl, s.keys.full, before + 1000)).toBe(before + 1000);
  });

  it("HEAD, 304 and 416 add nothing", async () => {
    const before = (await stats(s.baseUrl, s.keys.full)).bandwidthUsedBytes;
    expect((await dl({}, "HEAD")).status).toBe(200);
    expect((await dl({ "If-None-Match": `"${f.sha256}"` })).status).toBe(304);
    expect((await dl({ Range: "bytes=999999-" })).status).toBe(416);
    // A marker download of known size: the counter must move by exactly that much.
    expect(await dl({ Range: "bytes=0-9" })).toEqual({ status: 206, bytes: 10 });
    expect(await settledBandwidth(s.baseUrl, s.keys.full, before + 10)).toBe(before + 10);
  });

  it("another tenant's counter does not move", async () => {
    const other = await stats(s.baseUrl, s.keys.otherTenant);
    expect(other.bandwidthUsedBytes).toBe(0);
  });
});

describe("a file whose bytes vanished from the blob store", () => {
  // An integrity failure (a row without its blob): the server's fault, so a logged 500 in the
  // envelope — not a 404 that would tell the owner the file does not exist, not a hang, not HTML.
  it("answers 500 server_error in the envelope", async () => {
    const lost = await uploadOk(srv.baseUrl, srv.keys.full, { data: "gone", name: "lost.txt" });
    const record = await srv.storage.metadata.getFile(srv.users.main, lost.id);
    await srv.storage.blobs.delete(record.blobKey);
    expect(await srv.storage.blobs.stat(record.blobKey)).toBeUndefined();
    const res = await fetch(lost.url, { headers: bearer(srv.keys.full), signal: AbortSignal.timeout(5000) });
    await expectError(res, 500, "server_error", "GET");
  });
});
