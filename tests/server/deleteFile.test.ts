/** DELETE /api/v1/files/{id}: the row, the counters and the bytes on disk go; the id is 404 afterwards. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, blobFiles, createFolder, expectConforms, expectError, listAll, patchFile, stats, uploadOk, type ApiFile } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

let srv: TestServer;
let keep: ApiFile;
let doomed: ApiFile;

beforeAll(async () => {
  srv = await startServer();
  keep = await uploadOk(srv.baseUrl, srv.keys.full, { data: "k".repeat(100), name: "keep.txt" });
  doomed = await uploadOk(srv.baseUrl, srv.keys.full, { data: "d".repeat(250), name: "doomed.txt" });
});
afterAll(() => srv?.close());

describe("deleteFile", () => {
  it("answers {success:true}, removes the blob from disk and updates the counters", async () => {
    const before = await stats(srv.baseUrl, srv.keys.full);
    const blobsBefore = (await srv.blobFiles()).blobs;
    expect(blobsBefore).toHaveLength(2);

    const res = await fetch(`${srv.baseUrl}/api/v1/files/${doomed.id}`, { method: "DELETE", headers: bearer(srv.keys.full) });
    const text = await res.text();
    expect(res.status).toBe(200);
    await expectConforms("DELETE", res, text);
    expect(JSON.parse(text)).toEqual({ success: true });

    const blobsAfter = (await srv.blobFiles()).blobs;
    expect(blobsAfter).toHaveLength(1);
    const after = await stats(srv.baseUrl, srv.keys.full);
    expect(after.totalFiles).toBe(before.totalFiles - 1);
    expect(after.totalSize).toBe(before.totalSize - 250);
    expect((await listAll(srv.baseUrl, srv.keys.full)).map((f) => f.id)).toEqual([keep.id]);
  });

  it("the id then answers 404 on get, download, HEAD, update and delete", async () => {
    const h = bearer(srv.keys.full);
    const base = `${srv.baseUrl}/api/v1/files/${doomed.id}`;
    await expectError(await fetch(base, { headers: h }), 404, "not_found", "GET");
    await expectError(await fetch(`${base}/download`, { headers: h }), 404, "not_found", "GET");
    expect((await fetch(`${base}/download`, { method: "HEAD", headers: h })).status).toBe(404);
    await expectError(await patchFile(srv.baseUrl, srv.keys.full, doomed.id, { name: "x.txt" }), 404, "not_found", "PATCH");
    await expectError(await fetch(base, { method: "DELETE", headers: h }), 404, "not_found", "DELETE");
  });

  it("the other file is untouched and still downloads", async () => {
    const res = await fetch(keep.url, { headers: bearer(srv.keys.full) });
    expect(await res.text()).toBe("k".repeat(100));
  });

  it("deleting the last file of a folder lets the folder be deleted", async () => {
    const folder = await createFolder(srv.baseUrl, srv.keys.full, "Box");
    const inBox = await uploadOk(srv.baseUrl, srv.keys.full, { folderId: folder.id });
    await expectError(await fetch(`${srv.baseUrl}/api/v1/folders/${folder.id}`, { method: "DELETE", headers: bearer(srv.keys.full) }), 409, "conflict", "DELETE");
    expect((await fetch(`${srv.baseUrl}/api/v1/files/${inBox.id}`, { method: "DELETE", headers: bearer(srv.keys.full) })).status).toBe(200);
    expect((await fetch(`${srv.baseUrl}/api/v1/folders/${folder.id}`, { method: "DELETE", headers: bearer(srv.keys.full) })).status).toBe(200);
  });

  it("deleting everything brings the counters and the blob dir back to zero", async () => {
    for (const f of await listAll(srv.baseUrl, srv.keys.full)) {
      expect((await fetch(`${srv.baseUrl}/api/v1/files/${f.id}`, { method: "DELETE", headers: bearer(srv.keys.full) })).status).toBe(200);
    }
    const s = await stats(srv.baseUrl, srv.keys.full);
    expect([s.totalFiles, s.totalSize, s.storageUsed]).toEqual([0, 0, "0 B"]);
    expect((await srv.blobFiles()).blobs).toEqual([]);
  });
});
