// aethercdn/client (Node entry, from source) against the real reference server in-process: every
// helper, both auth headers, errors (AetherApiError with status/code/requestId; AetherNetworkError
// with its cause), aborts, the 429 retry (and its absence for uploads), ranges, downloads to disk,
// pagination and every upload source, with progress.
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AetherApiError,
  AetherNetworkError,
  createAetherClient,
  type AetherFile,
  type AetherNodeClient,
  type TransferProgress,
} from "../../client/node.js";
import * as browserEntry from "../../client/index.js";
import { contract } from "../support/http.js";
import { freePort } from "../support/processes.js";
import { startServer, type TestServer } from "../support/server.js";

let srv: TestServer;
let aether: AetherNodeClient;
let work: string;

beforeAll(async () => {
  srv = await startServer();
  aether = createAetherClient({ baseUrl: srv.baseUrl, apiKey: srv.keys.full });
  work = await mkdtemp(join(tmpdir(), "aether-client-"));
});
afterAll(async () => {
  await srv?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest("hex");

function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) globalThis.crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Runs `fn`, expecting it to reject; returns the rejection. */
async function failure(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected a rejection");
}

async function apiError(fn: () => Promise<unknown>): Promise<AetherApiError> {
  const err = await failure(fn);
  expect(err).toBeInstanceOf(AetherApiError);
  return err as AetherApiError;
}

/** Checks an AetherApiError against what the server said. */
function expectApiError(err: AetherApiError, status: number, code: string) {
  expect(err.name).toBe("AetherApiError");
  expect(err.status).toBe(status);
  expect(err.code).toBe(code);
  expect(err.message.length).toBeGreaterThan(0);
  expect(err.requestId).toMatch(/\S/);
  expect(err.response.headers.get("x-request-id")).toBe(err.requestId);
}

/** A fetch that records every request it forwards. */
function recordingFetch() {
  const seen: Request[] = [];
  const impl = async (req: Request) => {
    seen.push(req);
    return fetch(req);
  };
  return { seen, impl };
}

describe("the openapi-fetch face", () => {
  it("GET /api/v1/files with a typed query answers { data, response } that conforms to the spec", async () => {
    await aether.uploadFile({ file: new Blob(["raw"]), name: "raw.txt" });
    const { data, error, response } = await aether.GET("/api/v1/files", { params: { query: { limit: 10 } } });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data?.success).toBe(true);
    expect(data!.files.length).toBeGreaterThan(0);
    expect(data!.pagination.limit).toBe(10);
    const violations = (await contract()).checkResponse({ method: "GET", path: "/api/v1/files", status: 200, headers: response.headers, body: data });
    expect(violations).toEqual([]);
  });

  it("an error answer comes back as { error } with the envelope, not thrown", async () => {
    const { data, error, response } = await aether.GET("/api/v1/files/{id}", { params: { path: { id: "file_DoesNotExist000000" } } });
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    expect(error?.error.code).toBe("not_found");
  });
});

describe("auth headers", () => {
  it("Authorization: Bearer by default, X-API-Key on request; both work", async () => {
    for (const authHeader of [undefined, "bearer", "x-api-key"] as const) {
      const rec = recordingFetch();
      const client = createAetherClient({ baseUrl: `${srv.baseUrl}/`, apiKey: srv.keys.full, fetch: rec.impl, ...(authHeader && { authHeader }) });
      const stats = await client.getUserStats();
      expect(typeof stats.totalFiles).toBe("number");
      const file = await client.uploadFile({ file: new Blob(["auth"]), name: `auth-${authHeader ?? "default"}.txt` });
      await client.deleteFile(file.id);
      expect(rec.seen.length).toBe(3);
      for (const req of rec.seen) {
        if (authHeader === "x-api-key") {
          expect(req.headers.get("x-api-key")).toBe(srv.keys.full);
          expect(req.headers.get("authorization")).toBeNull();
        } else {
          expect(req.headers.get("authorization")).toBe(`Bearer ${srv.keys.full}`);
          expect(req.headers.get("x-api-key")).toBeNull();
        }
      }
    }
  });
});

describe("helpers", () => {
  it("uploadFile (Blob/File) → getFile → updateFile → listFiles → downloadFile → deleteFile", async () => {
    const bytes = randomBytes(100_000);
    const folder = await aether.createFolder({ name: "Lifecycle" });
    const progress: TransferProgress[] = [];
    const file = await aether.uploadFile({
      file: new File([bytes], "photo.png", { type: "image/png" }),
      folderId: folder.id,
      description: "A photo",
      tags: ["holiday", "2026"],
      onProgress: (p) => progress.push(p),
    });
    expect(file).toMatchObject({ name: "photo.png", size: bytes.length, mimeType: "image/png", folderId: folder.id, description: "A photo" });
    expect([...file.tags].sort()).toEqual(["2026", "holiday"]);
    expect(file.sha256).toBe(sha256(bytes));
    expect(progress.at(-1)).toEqual({ loaded: bytes.length, total: bytes.length });
    expect(progress.every((p, i) => i === 0 || p.loaded >= progress[i - 1]!.loaded)).toBe(true);

    expect(await aether.getFile(file.id)).toEqual(file);

    const updated = await aether.updateFile(file.id, { name: "renamed.png", description: "Renamed", tags: ["x"], folderId: null });
    expect(updated).toMatchObject({ id: file.id, name: "renamed.png", description: "Renamed", tags: ["x"], folderId: null });

    const page = await aether.listFiles({ limit: 100 });
    expect(page.files.map((f) => f.id)).toContain(file.id);
    expect(page.pagination.total).toBeGreaterThanOrEqual(1);
    expect(page.pagination.limit).toBe(100);

    const down = await aether.downloadFile(file.id);
    expect(down.status).toBe(200);
    expect(down.name).toBe("renamed.png");
    expect(down.size).toBe(bytes.length);
    expect(down.totalSize).toBe(bytes.length);
    expect(down.type).toMatch(/^image\/png/);
    expect(down.etag).toBe(`"${file.sha256}"`);
    expect(sha256(await readAll(down.body))).toBe(file.sha256);

    await aether.deleteFile(file.id);
    expectApiError(await apiError(() => aether.getFile(file.id)), 404, "not_found");
    await aether.deleteFolder(folder.id);
  });

  it("listFolders, createFolder (nested), deleteFolder", async () => {
    const parent = await aether.createFolder({ name: "Parent" });
    const child = await aether.createFolder({ name: "Child", parentId: parent.id });
    expect(child.parentId).toBe(parent.id);
    const folders = await aether.listFolders();
    expect(folders.map((f) => f.id)).toEqual(expect.arrayContaining([parent.id, child.id]));
    expect(folders.find((f) => f.id === child.id)).toEqual(child);
    // Not empty: conflict.
    expectApiError(await apiError(() => aether.deleteFolder(parent.id)), 409, "conflict");
    await aether.deleteFolder(child.id);
    await aether.deleteFolder(parent.id);
    expect((await aether.listFolders()).map((f) => f.id)).not.toContain(parent.id);
  });

  it("getUserStats counts files and folders", async () => {
    const before = await aether.getUserStats();
    const f = await aether.uploadFile({ file: new Blob(["12345"]), name: "five.txt" });
    const folder = await aether.createFolder({ name: "Counted" });
    const after = await aether.getUserStats();
    expect(after.totalFiles).toBe(before.totalFiles + 1);
    expect(after.totalSize).toBe(before.totalSize + 5);
    expect(after.totalFolders).toBe(before.totalFolders + 1);
    expect(typeof after.storageUsed).toBe("string");
    await aether.deleteFile(f.id);
    await aether.deleteFolder(folder.id);
  });

  it("iterateFiles walks every page (pageSize 2, 7 files), and only the folder's when asked", async () => {
    const folder = await aether.createFolder({ name: "Paged" });
    const rec = recordingFetch();
    const client = createAetherClient({ baseUrl: srv.baseUrl, apiKey: srv.keys.full, fetch: rec.impl });
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await aether.uploadFile({ file: new Blob([`page ${i}`]), name: `p${i}.txt`, folderId: folder.id })).id);
    rec.seen.length = 0;
    const seen: AetherFile[] = [];
    for await (const f of client.iterateFiles({ folderId: folder.id, pageSize: 2 })) seen.push(f);
    expect(seen.map((f) => f.id).sort()).toEqual([...ids].sort());
    expect(new Set(seen.map((f) => f.id)).size).toBe(7);
    // 4 pages (2+2+2+1), each with limit=2 and the folder filter, each after the previous page's cursor.
    expect(rec.seen.length).toBe(4);
    const cursors = new Set<string>();
    for (const [i, req] of rec.seen.entries()) {
      const url = new URL(req.url);
      expect(url.pathname).toBe("/api/v1/files");
      expect(url.searchParams.get("limit")).toBe("2");
      expect(url.searchParams.get("offset")).toBeNull();
      expect(url.searchParams.get("folderId")).toBe(folder.id);
      const cursor = url.searchParams.get("cursor");
      if (i === 0) expect(cursor).toBeNull();
      else cursors.add(cursor ?? "");
    }
    expect(cursors.size).toBe(3);
    // Newest first, as the server orders them.
    expect(seen.map((f) => f.id)).toEqual([...ids].reverse());

    // Without a folder: every file of the account, including these 7.
    const all: string[] = [];
    for await (const f of aether.iterateFiles({ pageSize: 3 })) all.push(f.id);
    expect(all).toEqual(expect.arrayContaining(ids));
    expect(new Set(all).size).toBe(all.length);
    for (const id of ids) await aether.deleteFile(id);
    await aether.deleteFolder(folder.id);
  });

  it("iterateFiles on an empty folder yields nothing after one request", async () => {
    const folder = await aether.createFolder({ name: "Empty" });
    const rec = recordingFetch();
    const client = createAetherClient({ baseUrl: srv.baseUrl, apiKey: srv.keys.full, fetch: rec.impl });
    const seen: AetherFile[] = [];
    for await (const f of client.iterateFiles({ folderId: folder.id })) seen.push(f);
    expect(seen).toEqual([]);
    expect(rec.seen.length).toBe(1);
    await aether.deleteFolder(folder.id);
  });
});

describe("upload sources (Node)", () => {
  const bytes = randomBytes(300_000);
  const digest = sha256(bytes);

  async function check(file: AetherFile, name: string) {
    expect(file.size).toBe(bytes.length);
    expect(file.sha256).toBe(digest);
    expect(file.name).toBe(name);
    const down = await aether.downloadFile(file.id);
    expect(sha256(await readAll(down.body))).toBe(digest);
    await aether.deleteFile(file.id);
  }

  it("a Blob, with progress reaching the full size", async () => {
    const progress: TransferProgress[] = [];
    const file = await aether.uploadFile({ file: new Blob([bytes]), name: "blob.bin", onProgress: (p) => progress.push(p) });
    expect(progress.at(-1)).toEqual({ loaded: bytes.length, total: bytes.length });
    await check(file, "blob.bin");
  });

  it("a web ReadableStream (total unknown), with progress reaching the full size", async () => {
    let offset = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(offset, offset + 10_000));
        offset += 10_000;
      },
    });
    const progress: TransferProgress[] = [];
    const file = await aether.uploadFile({ file: stream, name: "web.bin", onProgress: (p) => progress.push(p) });
    expect(progress.at(-1)).toEqual({ loaded: bytes.length, total: undefined });
    await check(file, "web.bin");
  });

  it("a Node Readable, with progress reaching the full size", async () => {
    const chunks = Array.from({ length: Math.ceil(bytes.length / 7000) }, (_, i) => Buffer.from(bytes.subarray(i * 7000, (i + 1) * 7000)));
    const progress: TransferProgress[] = [];
    const file = await aether.uploadFile({ file: Readable.from(chunks), name: "node.bin", onProgress: (p) => progress.push(p) });
    expect(progress.at(-1)?.loaded).toBe(bytes.length);
    await check(file, "node.bin");
  });

  it("a path (name from the path, type from the extension), with progress reaching the full size", async () => {
    const path = join(work, "from-disk.pdf");
    await writeFile(path, bytes);
    const progress: TransferProgress[] = [];
    const file = await aether.uploadFile({ file: path, tags: ["disk"], onProgress: (p) => progress.push(p) });
    expect(progress.at(-1)?.loaded).toBe(bytes.length);
    expect(file.tags).toEqual(["disk"]);
    expect(file.mimeType).toBe("application/pdf");
    await check(file, "from-disk.pdf");
  });

  it("a path with an explicit name", async () => {
    const path = join(work, "ignored-name.bin");
    await writeFile(path, bytes);
    await check(await aether.uploadFile({ file: path, name: "chosen.bin" }), "chosen.bin");
  });

  it("the browser entry sends a Blob as a Blob (not a stream: browsers stream only over HTTP/2), progress once at the end", async () => {
    const seen: Request[] = [];
    const web = browserEntry.createAetherClient({
      baseUrl: srv.baseUrl,
      apiKey: srv.keys.full,
      fetch: async (req) => {
        seen.push(req);
        return fetch(req);
      },
    });
    const progress: TransferProgress[] = [];
    const file = await web.uploadFile({ file: new File([bytes], "web-entry.bin"), description: "d", tags: ["t"], onProgress: (p) => progress.push(p) });
    expect(progress).toEqual([{ loaded: bytes.length, total: bytes.length }]);
    expect(file).toMatchObject({ description: "d", tags: ["t"] });
    expect(seen).toHaveLength(1);
    await check(file, "web-entry.bin");
  });

  it("a missing path rejects before any request", async () => {
    const rec = recordingFetch();
    const client = createAetherClient({ baseUrl: srv.baseUrl, apiKey: srv.keys.full, fetch: rec.impl });
    const err = await failure(() => client.uploadFile({ file: join(work, "nope.bin") }));
    expect((err as NodeJS.ErrnoException).code).toBe("ENOENT");
    expect((err as Error).message).toContain("nope.bin");
    const dirErr = await failure(() => client.uploadFile({ file: work }));
    expect((dirErr as NodeJS.ErrnoException).code).toBe("EISDIR");
    expect(rec.seen.length).toBe(0);
  });

  it("a non-ASCII, quote-bearing name survives the round trip (multipart and Content-Disposition)", async () => {
    const name = 'Ünïcödé "quoted" 名前.txt';
    const file = await aether.uploadFile({ file: new Blob(["hi"]), name });
    expect(file.name).toBe(name);
    const down = await aether.downloadFile(file.id);
    expect(down.name).toBe(name);
    await down.body.cancel();
    await aether.deleteFile(file.id);
  });
});

describe("downloads", () => {
  const bytes = randomBytes(256 * 1024 + 17);
  let file: AetherFile;
  beforeAll(async () => {
    file = await aether.uploadFile({ file: new Blob([bytes], { type: "application/octet-stream" }), name: "range.bin" });
  });

  it("a byte range: 206, the bytes, size and totalSize", async () => {
    const down = await aether.downloadFile(file.id, { range: { start: 1000, end: 1999 } });
    expect(down.status).toBe(206);
    expect(down.size).toBe(1000);
    expect(down.totalSize).toBe(bytes.length);
    expect(Buffer.compare(await readAll(down.body), Buffer.from(bytes.subarray(1000, 2000)))).toBe(0);
  });

  it("an open range and a suffix range", async () => {
    const open = await aether.downloadFile(file.id, { range: { start: bytes.length - 10 } });
    expect(open.status).toBe(206);
    expect(open.size).toBe(10);
    expect(open.totalSize).toBe(bytes.length);
    expect(Buffer.compare(await readAll(open.body), Buffer.from(bytes.subarray(bytes.length - 10)))).toBe(0);
    const suffix = await aether.downloadFile(file.id, { range: { suffix: 5 } });
    expect(suffix.status).toBe(206);
    expect(suffix.size).toBe(5);
    expect(Buffer.compare(await readAll(suffix.body), Buffer.from(bytes.subarray(bytes.length - 5)))).toBe(0);
  });

  it("an unsatisfiable range → AetherApiError 416 range_not_satisfiable", async () => {
    const err = await apiError(() => aether.downloadFile(file.id, { range: { start: bytes.length + 10 } }));
    expectApiError(err, 416, "range_not_satisfiable");
  });

  it("onProgress follows the stream as it is read, up to the full size", async () => {
    const progress: TransferProgress[] = [];
    const down = await aether.downloadFile(file.id, { onProgress: (p) => progress.push(p) });
    expect(progress).toEqual([]); // nothing read yet
    const data = await readAll(down.body);
    expect(data.length).toBe(bytes.length);
    expect(progress.at(-1)).toEqual({ loaded: bytes.length, total: bytes.length });
  });

  it("downloadFileToPath: identical bytes, metadata, no temp file left", async () => {
    const dir = await mkdtemp(join(work, "dl-"));
    const target = join(dir, "copy.bin");
    const progress: TransferProgress[] = [];
    const meta = await aether.downloadFileToPath(file.id, target, { onProgress: (p) => progress.push(p) });
    expect(meta).toMatchObject({ name: "range.bin", size: bytes.length, totalSize: bytes.length, status: 200, etag: `"${file.sha256}"` });
    expect("body" in meta).toBe(false);
    expect(Buffer.compare(await readFile(target), Buffer.from(bytes))).toBe(0);
    expect(await readdir(dir)).toEqual(["copy.bin"]);
    expect(progress.at(-1)?.loaded).toBe(bytes.length);
  });

  it("downloadFileToPath with a range writes only the range", async () => {
    const dir = await mkdtemp(join(work, "dl-"));
    const target = join(dir, "part.bin");
    const meta = await aether.downloadFileToPath(file.id, target, { range: { start: 0, end: 99 } });
    expect(meta.status).toBe(206);
    expect(Buffer.compare(await readFile(target), Buffer.from(bytes.subarray(0, 100)))).toBe(0);
    expect(await readdir(dir)).toEqual(["part.bin"]);
  });

  it("downloadFileToPath of a missing file throws 404 and writes nothing", async () => {
    const dir = await mkdtemp(join(work, "dl-"));
    const err = await apiError(() => aether.downloadFileToPath("file_DoesNotExist000000", join(dir, "x.bin")));
    expectApiError(err, 404, "not_found");
    expect(await readdir(dir)).toEqual([]);
  });

  it("downloadFileToPath aborted mid-stream leaves neither the target nor a temp file", async () => {
    const dir = await mkdtemp(join(work, "dl-"));
    const controller = new AbortController();
    const err = await failure(() =>
      aether.downloadFileToPath(file.id, join(dir, "x.bin"), {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.loaded > 0) controller.abort();
        },
      }),
    );
    expect((err as Error).name).toBe("AbortError");
    expect(await readdir(dir)).toEqual([]);
  });
});

describe("errors", () => {
  it("404 on every id-taking helper", async () => {
    const missing = "file_DoesNotExist000000";
    for (const call of [
      () => aether.getFile(missing),
      () => aether.updateFile(missing, { description: "x" }),
      () => aether.deleteFile(missing),
      () => aether.downloadFile(missing),
      () => aether.deleteFolder("fld_DoesNotExist0000000"),
    ]) {
      expectApiError(await apiError(call), 404, "not_found");
    }
  });

  it("403 forbidden with a read-only key, for writes (uploads included) and stats", async () => {
    const ro = createAetherClient({ baseUrl: srv.baseUrl, apiKey: srv.keys.readOnly, authHeader: "x-api-key" });
    expect(Array.isArray((await ro.listFiles()).files)).toBe(true);
    for (const call of [
      () => ro.uploadFile({ file: new Blob(["nope"]), name: "nope.txt" }),
      () => ro.createFolder({ name: "nope" }),
      () => ro.getUserStats(),
    ]) {
      expectApiError(await apiError(call), 403, "forbidden");
    }
  });

  it("401 unauthorized with a bad key (both headers), a revoked key, and an upload", async () => {
    for (const authHeader of ["bearer", "x-api-key"] as const) {
      const bad = createAetherClient({ baseUrl: srv.baseUrl, apiKey: "ak_ThisKeyDoesNotExist00000000000", authHeader });
      expectApiError(await apiError(() => bad.listFiles()), 401, "unauthorized");
      expectApiError(await apiError(() => bad.uploadFile({ file: new Blob(["x"]), name: "x.txt" })), 401, "unauthorized");
    }
    const revoked = createAetherClient({ baseUrl: srv.baseUrl, apiKey: srv.revokedKey });
    expectApiError(await apiError(() => revoked.getUserStats()), 401, "unauthorized");
  });

  it("400 bad_request for invalid input", async () => {
    expectApiError(await apiError(() => aether.listFiles({ limit: 500 })), 400, "bad_request");
    expectApiError(await apiError(() => aether.updateFile("file_DoesNotExist000000", {})), 400, "bad_request");
    expectApiError(await apiError(() => aether.createFolder({ name: "" })), 400, "bad_request");
  });

  it("413 payload_too_large for an upload over the limit, streamed or not, while the body is still being sent", async () => {
    const small = await startServer({ maxUploadBytes: 64 * 1024 });
    try {
      const client = createAetherClient({ baseUrl: small.baseUrl, apiKey: small.keys.full });
      const big = randomBytes(4 * 1024 * 1024);
      expectApiError(await apiError(() => client.uploadFile({ file: new Blob([big]), name: "big.bin" })), 413, "payload_too_large");
      expectApiError(await apiError(() => client.uploadFile({ file: new Blob([big]).stream(), name: "big.bin" })), 413, "payload_too_large");
      expect((await client.getUserStats()).totalFiles).toBe(0);
    } finally {
      await small.close();
    }
  });

  it("a closed port → AetherNetworkError with the fetch failure as cause (helpers, uploads, downloads)", async () => {
    const port = await freePort();
    const down = createAetherClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: srv.keys.full });
    for (const call of [() => down.listFiles(), () => down.uploadFile({ file: new Blob(["x"]) }), () => down.downloadFile("file_x")]) {
      const err = await failure(call);
      expect(err).toBeInstanceOf(AetherNetworkError);
      expect(err).not.toBeInstanceOf(AetherApiError);
      const cause = (err as AetherNetworkError).cause as Error & { cause?: { code?: string } };
      expect(cause).toBeInstanceOf(Error);
      expect(cause.cause?.code).toBe("ECONNREFUSED");
      // The message names the root cause, not only fetch's "fetch failed".
      expect((err as Error).message).toMatch(new RegExp(`^(Request|Upload|Download) failed: fetch failed: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}$`));
    }
  });
});

describe("aborts", () => {
  it("an already-aborted signal rejects with the abort, not a network error", async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await failure(() => aether.uploadFile({ file: new Blob(["x"]), signal: controller.signal }));
    expect((err as Error).name).toBe("AbortError");
    expect(err).not.toBeInstanceOf(AetherNetworkError);
    const err2 = await failure(() => aether.downloadFile("file_x", { signal: controller.signal }));
    expect((err2 as Error).name).toBe("AbortError");
  });

  it("aborting an upload mid-stream rejects with AbortError, stops reading the source, stores nothing", async () => {
    const before = (await aether.getUserStats()).totalFiles;
    const controller = new AbortController();
    let sent = 0;
    // Finite (64 MiB) so that a regression fails instead of spinning forever.
    const big = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent >= 64 * 1024 * 1024) return c.close();
        sent += 65536;
        if (sent === 1024 * 1024) controller.abort();
        c.enqueue(new Uint8Array(65536));
      },
    });
    const err = await failure(() => aether.uploadFile({ file: big, name: "aborted.bin", signal: controller.signal }));
    expect((err as Error).name).toBe("AbortError");
    const readAtAbort = sent;
    await new Promise((r) => setTimeout(r, 200));
    // Node 20's fetch drains a request body after an abort; the client must cancel the source
    // instead (an endless source would otherwise be read forever, starving the event loop).
    expect(sent).toBeLessThanOrEqual(readAtAbort + 65536);
    expect((await aether.getUserStats()).totalFiles).toBe(before);
  });

  it("aborting a download while reading errors the stream", async () => {
    const file = await aether.uploadFile({ file: new Blob([randomBytes(2 * 1024 * 1024)]), name: "big.bin" });
    const controller = new AbortController();
    const down = await aether.downloadFile(file.id, { signal: controller.signal });
    const reader = down.body.getReader();
    await reader.read();
    controller.abort();
    const err = await failure(async () => {
      for (;;) if ((await reader.read()).done) return;
    });
    expect((err as Error).name).toBe("AbortError");
    await aether.deleteFile(file.id);
  });
});

describe("429 rate_limited", () => {
  /** A fetch that answers the first `times` requests with 429 + Retry-After itself, then forwards. */
  function limitedFetch(times: number, retryAfter = "0") {
    const seen: string[] = [];
    let left = times;
    const impl = async (req: Request) => {
      seen.push(`${req.method} ${new URL(req.url).pathname}`);
      if (left-- > 0) {
        return new Response(JSON.stringify({ success: false, error: { code: "rate_limited", message: "Slow down", requestId: "req_fake" } }), {
          status: 429,
          headers: { "Content-Type": "application/json", "Retry-After": retryAfter },
        });
      }
      return fetch(req);
    };
    return { seen, impl };
  }

  it("a GET is retried after Retry-After and succeeds", async () => {
    const lf = limitedFetch(1);
    const client = createAetherClient({ baseUrl: srv.baseUrl, apiKey: srv.keys.full, fetch: lf.impl });
    const stats = await client.getUserStats();
    expect(typeof stats.totalFiles).toBe("number");
    expect(lf.seen).toEqual(["GET /api/v1/user/stats", "GET /api/v1/user/stats"]);
  });

  it("a JSON body (createFolder, updateFile) is sent again intact on retry", async () => {
    const lf = limitedFetch(2);
    const client = createAetherClient({ baseUrl: srv.baseUrl, apiKey: srv.keys.full, fetch: lf.impl });
    const folder = await client.createFolder({ name: "Retried" });
    expect(folder.name).toBe("Retried");
    expect(lf.seen).toEqual(["POST /api/v1/folders", "POST /api/v1/folders", "POST /api/v1/folders"]);
    await aether.deleteFolder(folder.id);
  });

  it("the retry is bounded: after `retries` attempts the 429 is thrown as AetherApiError", async () => {
    const lf = limitedFetch(10);
    const client = createAetherClient({ baseUrl: srv.baseUrl, apiKey: srv.keys.full, fetch: lf.impl, retry: { retries: 3 } });
    const err = await apiError(() => client.listFolders());
    expect(err.status).toBe(429);
    expect(err.code).toBe("rate_limited");
    expect(err.requestId).toBe("req_fake");
    expect(lf.seen.length).toBe(4);
  });

  it("retry: false and a Retry-After over maxDelayMs are not waited for", async () => {
    const off = limitedFetch(1);
    const c1 = createAetherClient({ baseUrl: srv.baseUrl, apiKey: srv.keys.full, fetch: off.impl, retry: false });
    expect((await apiError(() => c1.listFolders())).code).toBe("rate_limited");
    expect(off.seen.length).toBe(1);
    const long = limitedFetch(1, "120");
    const c2 = createAetherClient({ baseUrl: srv.baseUrl, apiKey: srv.keys.full, fetch: long.impl, retry: { maxDelayMs: 1000 } });
    const started = Date.now();
    expect((await apiError(() => c2.listFolders())).code).toBe("rate_limited");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(long.seen.length).toBe(1);
  });

  it("uploads are NOT retried", async () => {
    const lf = limitedFetch(1);
    const client = createAetherClient({ baseUrl: srv.baseUrl, apiKey: srv.keys.full, fetch: lf.impl });
    const err = await apiError(() => client.uploadFile({ file: new Blob(["once"]), name: "once.txt" }));
    expect(err.status).toBe(429);
    expect(err.code).toBe("rate_limited");
    expect(lf.seen).toEqual(["POST /api/v1/files/upload"]);
  });

  it("against the real limiter (RATE_LIMIT_PER_MINUTE=2): a long Retry-After surfaces as rate_limited with the server's requestId", async () => {
    const limited = await startServer({ rateLimitPerMinute: 2 });
    try {
      const rec = recordingFetch();
      const client = createAetherClient({ baseUrl: limited.baseUrl, apiKey: limited.keys.full, fetch: rec.impl, retry: { maxDelayMs: 10 } });
      await client.listFolders();
      await client.listFolders();
      const err = await apiError(() => client.listFolders());
      expectApiError(err, 429, "rate_limited");
      expect(Number(err.response.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(rec.seen.length).toBe(3);
      const upErr = await apiError(() => client.uploadFile({ file: new Blob(["x"]) }));
      expectApiError(upErr, 429, "rate_limited");
      expect(rec.seen.length).toBe(4);
    } finally {
      await limited.close();
    }
  });
});
