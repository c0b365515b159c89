/**
 * POST /api/v1/files/upload: what is stored (size, hash, name, type, tags, description, folder),
 * the size limit, refused forms and aborted uploads leaving nothing behind, and concurrency.
 */
import { randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bearer,
  blobFiles,
  createFolder,
  expectConforms,
  expectError,
  listAll,
  multipart,
  sha256,
  stats,
  upload,
  uploadOk,
  uploadRaw,
  waitFor,
  type ApiFile,
} from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

const MiB = 1024 * 1024;
let srv: TestServer;

beforeAll(async () => {
  srv = await startServer({ maxUploadBytes: MiB });
});
afterAll(() => srv?.close());

/** Rows, stored blobs and temp files of the server right now. */
async function footprint(s: TestServer = srv) {
  const files = await listAll(s.baseUrl, s.keys.full);
  const { blobs, temp } = await s.blobFiles();
  const st = await stats(s.baseUrl, s.keys.full);
  return { ids: files.map((f) => f.id).sort(), blobs: blobs.length, temp: temp.length, totalFiles: st.totalFiles, totalSize: st.totalSize };
}

/** Asserts a refused upload left no row, no blob and no temp file. */
async function expectNothingStored(before: Awaited<ReturnType<typeof footprint>>, s: TestServer = srv) {
  const after = await footprint(s);
  expect(after.temp, "temp files left").toBe(0);
  expect(after).toEqual(before);
}

describe("a stored file", () => {
  it("answers 201 with the spec's File, its bytes, hash and download url", async () => {
    const data = randomBytes(3000);
    const res = await upload(srv.baseUrl, srv.keys.full, { data, name: "photo.jpg", type: "image/jpeg", description: "My photo", tags: "holiday, beach" });
    const text = await res.text();
    expect(res.status, text).toBe(201);
    await expectConforms("POST", res, text);
    const { file } = JSON.parse(text) as { file: ApiFile };
    expect(file).toMatchObject({
      name: "photo.jpg",
      size: 3000,
      mimeType: "image/jpeg",
      folderId: null,
      description: "My photo",
      tags: ["holiday", "beach"],
      sha256: sha256(data),
    });
    expect(file.id).toMatch(/^file_[A-Za-z0-9]+$/);
    expect(file.url).toBe(`${srv.baseUrl}/api/v1/files/${file.id}/download`);
    expect(Math.abs(Date.parse(file.createdAt) - Date.now())).toBeLessThan(60_000);
    expect(file.updatedAt).toBe(file.createdAt);
    expect(res.headers.get("ratelimit-limit")).toBeTruthy();

    const download = await fetch(file.url, { headers: bearer(srv.keys.full) });
    expect(Buffer.from(await download.arrayBuffer()).equals(data)).toBe(true);
  });

  it("accepts a 0-byte file", async () => {
    const file = await uploadOk(srv.baseUrl, srv.keys.full, { data: new Uint8Array(0), name: "empty.txt", type: "text/plain" });
    expect(file.size).toBe(0);
    expect(file.sha256).toBe(sha256(""));
    const res = await fetch(file.url, { headers: bearer(srv.keys.full) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBe("0");
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  it("stores the description up to 1000 characters and without one gives null", async () => {
    const long = "é".repeat(1000);
    expect((await uploadOk(srv.baseUrl, srv.keys.full, { description: long })).description).toBe(long);
    expect((await uploadOk(srv.baseUrl, srv.keys.full, {})).description).toBeNull();
  });

  it("puts the file in the caller's folder", async () => {
    const folder = await createFolder(srv.baseUrl, srv.keys.full, "Uploads");
    const file = await uploadOk(srv.baseUrl, srv.keys.full, { folderId: folder.id });
    expect(file.folderId).toBe(folder.id);
  });
});

describe("tags", () => {
  const cases: Array<[string | undefined, string[]]> = [
    [" a, b,a,,", ["a", "b"]],
    [undefined, []],
    ["", []],
    [" , ,", []],
    ["holiday,beach", ["holiday", "beach"]],
    ["海, 😀 ,海", ["海", "😀"]],
    ["Beach,beach", ["Beach", "beach"]],
  ];
  for (const [raw, expected] of cases) {
    it(`${JSON.stringify(raw)} → ${JSON.stringify(expected)}`, async () => {
      const file = await uploadOk(srv.baseUrl, srv.keys.full, raw === undefined ? {} : { tags: raw });
      expect(file.tags).toEqual(expected);
    });
  }

  it("a tag over 50 characters or more than 50 tags → 400, nothing stored", async () => {
    for (const tags of ["ok," + "x".repeat(51), Array.from({ length: 51 }, (_, i) => `t${i}`).join(",")]) {
      const before = await footprint();
      await expectError(await upload(srv.baseUrl, srv.keys.full, { tags }), 400, "bad_request", "POST");
      await expectNothingStored(before);
    }
  });
});

describe("mimeType", () => {
  it("comes from the part's Content-Type, parameters dropped and lower-cased", async () => {
    const file = await uploadOk(srv.baseUrl, srv.keys.full, { name: "data.bin", type: "Text/Plain; charset=utf-8" });
    expect(file.mimeType).toBe("text/plain");
    const png = await uploadOk(srv.baseUrl, srv.keys.full, { name: "no-extension", type: "image/png" });
    expect(png.mimeType).toBe("image/png");
  });

  it("else from the extension (a generic part type counts as none)", async () => {
    const jpg = await uploadOk(srv.baseUrl, srv.keys.full, { name: "photo.JPG", type: "application/octet-stream" });
    expect(jpg.mimeType).toBe("image/jpeg");
    const pdf = await uploadOk(srv.baseUrl, srv.keys.full, { name: "report.pdf", type: "" });
    expect(pdf.mimeType).toBe("application/pdf");
  });

  it("else application/octet-stream", async () => {
    const odd = await uploadOk(srv.baseUrl, srv.keys.full, { name: "x.unknownext", type: "" });
    expect(odd.mimeType).toBe("application/octet-stream");
    const bare = await uploadOk(srv.baseUrl, srv.keys.full, { name: "README", type: "application/octet-stream" });
    expect(bare.mimeType).toBe("application/octet-stream");
  });

  // busboy gives a part without a Content-Type header the RFC 7578 default `text/plain`, so "no
  // type" and "text/plain" look alike: the extension wins when it names a type, else text/plain.
  it("a part with no Content-Type header at all is typed from its extension, else text/plain", async () => {
    const pdf = await uploadRaw(srv.baseUrl, srv.keys.full, [{ name: "file", filename: "report.pdf", data: "%PDF-1.7" }]);
    expect(pdf.status).toBe(201);
    expect(((await pdf.json()) as { file: ApiFile }).file.mimeType).toBe("application/pdf");
    const bare = await uploadRaw(srv.baseUrl, srv.keys.full, [{ name: "file", filename: "README", data: "hi" }]);
    expect(((await bare.json()) as { file: ApiFile }).file.mimeType).toBe("text/plain");
  });

  it("the download is served with the stored type", async () => {
    const file = await uploadOk(srv.baseUrl, srv.keys.full, { name: "a.csv", type: "" });
    expect(file.mimeType).toBe("text/csv");
    const res = await fetch(file.url, { headers: bearer(srv.keys.full) });
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    await res.body?.cancel();
  });
});

describe("the size limit (MAX_UPLOAD_BYTES = 1 MiB here)", () => {
  it("accepts exactly MAX_UPLOAD_BYTES", async () => {
    const data = randomBytes(MiB);
    const file = await uploadOk(srv.baseUrl, srv.keys.full, { data, name: "exact.bin" });
    expect(file.size).toBe(MiB);
    expect(file.sha256).toBe(sha256(data));
  });

  it("refuses one byte more with 413 payload_too_large, leaving no row, blob or temp file", async () => {
    const before = await footprint();
    const res = await upload(srv.baseUrl, srv.keys.full, { data: randomBytes(MiB + 1), name: "over.bin" });
    const body = await expectError(res, 413, "payload_too_large", "POST");
    expect(body.error.message).toContain(String(MiB));
    await expectNothingStored(before);
  });

  it("refuses a declared Content-Length far over the limit before reading the body", async () => {
    const before = await footprint();
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${srv.baseUrl}/api/v1/files/upload`, {
        method: "POST",
        headers: { ...bearer(srv.keys.full), "Content-Type": "multipart/form-data; boundary=xyz", "Content-Length": 50 * MiB },
      });
      req.on("response", (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on("error", reject);
      req.write("--xyz\r\n"); // headers and a few bytes only; the answer must not wait for the rest
      setTimeout(() => req.destroy(), 5000).unref();
    });
    expect(status).toBe(413);
    expect((JSON.parse(body) as { error: { code: string } }).error.code).toBe("payload_too_large");
    await expectNothingStored(before);
  });
});

describe("refused forms store nothing", () => {
  it("a text field named file instead of a file part → 400", async () => {
    const before = await footprint();
    const form = new FormData();
    form.append("file", "just text");
    form.append("description", "no file");
    const res = await fetch(`${srv.baseUrl}/api/v1/files/upload`, { method: "POST", headers: bearer(srv.keys.full), body: form });
    await expectError(res, 400, "bad_request", "POST");
    await expectNothingStored(before);
  });

  it("a file part under another field name → 400", async () => {
    const before = await footprint();
    const form = new FormData();
    form.append("upload", new Blob([randomBytes(2048)]), "x.bin");
    const res = await fetch(`${srv.baseUrl}/api/v1/files/upload`, { method: "POST", headers: bearer(srv.keys.full), body: form });
    await expectError(res, 400, "bad_request", "POST");
    await expectNothingStored(before);
  });

  it("no file at all → 400", async () => {
    const before = await footprint();
    const res = await uploadRaw(srv.baseUrl, srv.keys.full, [{ name: "description", data: "only this" }]);
    await expectError(res, 400, "bad_request", "POST");
    await expectNothingStored(before);
  });

  it("two file parts → 400", async () => {
    const before = await footprint();
    const res = await uploadRaw(srv.baseUrl, srv.keys.full, [
      { name: "file", filename: "a.txt", contentType: "text/plain", data: "a" },
      { name: "file", filename: "b.txt", contentType: "text/plain", data: "b" },
    ]);
    await expectError(res, 400, "bad_request", "POST");
    await expectNothingStored(before);
  });

  it("a description over 1000 characters → 400", async () => {
    const before = await footprint();
    const res = await upload(srv.baseUrl, srv.keys.full, { description: "x".repeat(1001), data: randomBytes(4096) });
    await expectError(res, 400, "bad_request", "POST");
    await expectNothingStored(before);
  });

  it("an unknown form field → 400", async () => {
    const before = await footprint();
    const res = await uploadRaw(srv.baseUrl, srv.keys.full, [
      { name: "colour", data: "red" },
      { name: "file", filename: "a.txt", contentType: "text/plain", data: "a" },
    ]);
    await expectError(res, 400, "bad_request", "POST");
    await expectNothingStored(before);
  });

  it("a malformed folderId → 400, an unknown one → 404", async () => {
    const before = await footprint();
    await expectError(await upload(srv.baseUrl, srv.keys.full, { folderId: "nope" }), 400, "bad_request", "POST");
    await expectNothingStored(before);
    await expectError(await upload(srv.baseUrl, srv.keys.full, { folderId: "fld_DoesNotExist0000000" }), 404, "not_found", "POST");
    await expectNothingStored(before);
  });

  it("a multipart body that is cut short → 400", async () => {
    const before = await footprint();
    const { body, contentType } = multipart([{ name: "file", filename: "a.txt", contentType: "text/plain", data: "hello world" }]);
    const res = await fetch(`${srv.baseUrl}/api/v1/files/upload`, {
      method: "POST",
      headers: { ...bearer(srv.keys.full), "Content-Type": contentType },
      body: body.subarray(0, body.length - 20),
    });
    await expectError(res, 400, "bad_request", "POST");
    await expectNothingStored(before);
  });

  it("a multipart Content-Type without a boundary → 400", async () => {
    const before = await footprint();
    const res = await fetch(`${srv.baseUrl}/api/v1/files/upload`, {
      method: "POST",
      headers: { ...bearer(srv.keys.full), "Content-Type": "multipart/form-data" },
      body: "hello",
    });
    await expectError(res, 400, "bad_request", "POST");
    await expectNothingStored(before);
  });
});

describe("a client that aborts mid-upload", () => {
  it("leaves no temp file, no blob and no row", async () => {
    // On S3 an upload leaves a trace (a multipart upload) only once its first 8 MiB part is sent:
    // that needs a server accepting more than this file's 1 MiB limit.
    const s3 = srv.blobBackend === "s3";
    const target = s3 ? await startServer({ maxUploadBytes: 64 * MiB }) : srv;
    try {
      const before = await footprint(target);
      const data = randomBytes(s3 ? 24 * MiB : 768 * 1024);
      const { body, contentType } = multipart([{ name: "file", filename: "aborted.bin", contentType: "application/octet-stream", data }]);
      const req = httpRequest(`${target.baseUrl}/api/v1/files/upload`, {
        method: "POST",
        headers: { ...bearer(target.keys.full), "Content-Type": contentType, "Content-Length": body.length },
      });
      req.on("error", () => undefined);
      req.write(body.subarray(0, body.length / 2));
      // Wait until the server is really streaming into a temp file (or a multipart upload), then cut the connection.
      expect(await waitFor(async () => (await target.blobFiles()).temp.length > 0, 5000)).toBe(true);
      req.destroy();
      const clean = await waitFor(async () => {
        const { temp, blobs } = await target.blobFiles();
        return temp.length === 0 && blobs.length === before.blobs;
      }, 2000);
      expect(clean, "temp file or blob left after the abort").toBe(true);
      await expectNothingStored(before, target);
      // The server is still fine.
      expect((await uploadOk(target.baseUrl, target.keys.full, { name: "after.txt" })).name).toBe("after.txt");
    } finally {
      if (target !== srv) await target.close();
    }
  });
});

describe("50 concurrent uploads", () => {
  it("store every file intact, and the stats add up", { timeout: 60_000 }, async () => {
    // 50 uploads, then 50 downloads, at once from one key: above the default per-key caps (tested in downloadLimits.test.ts).
    const s = await startServer({ maxDownloadsPerKey: 50, maxUploadsPerKey: 50 });
    try {
      const contents = Array.from({ length: 50 }, (_, i) => randomBytes(1 + ((i * 7919) % 200_000)));
      const stored = await Promise.all(contents.map((data, i) => uploadOk(s.baseUrl, s.keys.full, { data, name: `c${i}.bin` })));
      expect(new Set(stored.map((f) => f.id)).size).toBe(50);
      const listed = await listAll(s.baseUrl, s.keys.full);
      expect(listed).toHaveLength(50);
      for (const [i, file] of stored.entries()) {
        expect(file.sha256).toBe(sha256(contents[i]!));
        expect(file.size).toBe(contents[i]!.length);
      }
      const downloads = await Promise.all(
        stored.map(async (f) => Buffer.from(await (await fetch(f.url, { headers: bearer(s.keys.full) })).arrayBuffer())),
      );
      for (const [i, bytes] of downloads.entries()) expect(sha256(bytes), stored[i]!.name).toBe(sha256(contents[i]!));
      const st = await stats(s.baseUrl, s.keys.full);
      expect(st.totalFiles).toBe(50);
      expect(st.totalSize).toBe(listed.reduce((sum, f) => sum + f.size, 0));
      expect(st.totalSize).toBe(contents.reduce((sum, c) => sum + c.length, 0));
      const { blobs, temp } = await s.blobFiles();
      expect(blobs).toHaveLength(50);
      expect(temp).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
