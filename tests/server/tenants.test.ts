/**
 * Tenant isolation: another user's file and folder ids answer exactly like ids that do not exist
 * (same status, same body modulo the request id), and nothing of either user changes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bearer,
  blobFiles,
  createFolder,
  expectError,
  listAll,
  stats,
  upload,
  uploadOk,
  withoutRequestId,
  type ApiFile,
  type ApiFolder,
} from "../support/http.js";
import { MISSING, SECURED_OPERATIONS, type OpTarget } from "../support/operations.js";
import { startServer, type TestServer } from "../support/server.js";

let srv: TestServer;
/** User A's resources (keys.full). */
let aFile: ApiFile;
let aFolder: ApiFolder;
/** User B's own file (keys.otherTenant). */
let bFile: ApiFile;

beforeAll(async () => {
  srv = await startServer();
  aFolder = await createFolder(srv.baseUrl, srv.keys.full, "A's folder");
  aFile = await uploadOk(srv.baseUrl, srv.keys.full, { data: "secret of A", name: "a.txt", folderId: aFolder.id });
  bFile = await uploadOk(srv.baseUrl, srv.keys.otherTenant, { data: "B's", name: "b.txt" });
});
afterAll(() => srv?.close());

/** Everything either user could observe or change. */
async function world() {
  const a = await listAll(srv.baseUrl, srv.keys.full);
  const b = await listAll(srv.baseUrl, srv.keys.otherTenant);
  const folders = async (key: string) => ((await (await fetch(`${srv.baseUrl}/api/v1/folders`, { headers: bearer(key) })).json()) as { folders: ApiFolder[] }).folders;
  return {
    a,
    b,
    aFolders: await folders(srv.keys.full),
    bFolders: await folders(srv.keys.otherTenant),
    aStats: await stats(srv.baseUrl, srv.keys.full),
    bStats: await stats(srv.baseUrl, srv.keys.otherTenant),
    blobs: (await srv.blobFiles()).all.sort(),
  };
}

/** Status, body (modulo request id) and the entity headers of an answer. */
async function observe(res: Response, method: string) {
  const headers = {
    contentType: res.headers.get("content-type"),
    etag: res.headers.get("etag"),
    disposition: res.headers.get("content-disposition"),
    contentRange: res.headers.get("content-range"),
  };
  if (method === "HEAD") {
    await res.body?.cancel();
    return { status: res.status, headers };
  }
  const body = await expectError(res, res.status, "not_found", method);
  return { status: res.status, headers, body: withoutRequestId(body) };
}

describe("another tenant's ids are indistinguishable from missing ones", () => {
  const withIds = SECURED_OPERATIONS.filter((op) => ["getFile", "updateFile", "deleteFile", "downloadFile", "downloadFileHead", "deleteFolder"].includes(op.operationId));

  for (const op of withIds) {
    it(`${op.operationId}`, async () => {
      const before = await world();
      const theirs: OpTarget = { fileId: aFile.id, folderId: aFolder.id };
      const other = await observe(await op.send(srv.baseUrl, bearer(srv.keys.otherTenant), theirs), op.method);
      const missing = await observe(await op.send(srv.baseUrl, bearer(srv.keys.otherTenant), MISSING), op.method);
      expect(other.status).toBe(404);
      expect(other).toEqual(missing);
      expect(await world()).toEqual(before);
    });
  }

  it("listFiles?folderId=", async () => {
    const h = bearer(srv.keys.otherTenant);
    const other = await observe(await fetch(`${srv.baseUrl}/api/v1/files?folderId=${aFolder.id}`, { headers: h }), "GET");
    const missing = await observe(await fetch(`${srv.baseUrl}/api/v1/files?folderId=${MISSING.folderId}`, { headers: h }), "GET");
    expect(other.status).toBe(404);
    expect(other).toEqual(missing);
  });

  it("uploadFile into their folder: 404, and nothing stored (no row, no blob)", async () => {
    const before = await world();
    const other = await observe(await upload(srv.baseUrl, srv.keys.otherTenant, { folderId: aFolder.id, data: "x".repeat(5000) }), "POST");
    const missing = await observe(await upload(srv.baseUrl, srv.keys.otherTenant, { folderId: MISSING.folderId, data: "x".repeat(5000) }), "POST");
    expect(other.status).toBe(404);
    expect(other).toEqual(missing);
    expect(await world()).toEqual(before);
  });

  it("updateFile moving their own file into the other tenant's folder", async () => {
    const before = await world();
    const send = (folderId: string) =>
      fetch(`${srv.baseUrl}/api/v1/files/${bFile.id}`, {
        method: "PATCH",
        headers: { ...bearer(srv.keys.otherTenant), "Content-Type": "application/json" },
        body: JSON.stringify({ folderId }),
      });
    const other = await observe(await send(aFolder.id), "PATCH");
    const missing = await observe(await send(MISSING.folderId), "PATCH");
    expect(other.status).toBe(404);
    expect(other).toEqual(missing);
    expect(await world()).toEqual(before);
  });

  it("createFolder with the other tenant's folder as parent", async () => {
    const before = await world();
    const send = (parentId: string) =>
      fetch(`${srv.baseUrl}/api/v1/folders`, {
        method: "POST",
        headers: { ...bearer(srv.keys.otherTenant), "Content-Type": "application/json" },
        body: JSON.stringify({ name: "Sneaky", parentId }),
      });
    const other = await observe(await send(aFolder.id), "POST");
    const missing = await observe(await send(MISSING.folderId), "POST");
    expect(other.status).toBe(404);
    expect(other).toEqual(missing);
    expect(await world()).toEqual(before);
  });
});

describe("each tenant sees only its own data", () => {
  it("listings, folders and stats are separate", async () => {
    expect((await listAll(srv.baseUrl, srv.keys.full)).map((f) => f.id)).toEqual([aFile.id]);
    expect((await listAll(srv.baseUrl, srv.keys.otherTenant)).map((f) => f.id)).toEqual([bFile.id]);
    expect((await stats(srv.baseUrl, srv.keys.otherTenant)).totalFolders).toBe(0);
    expect((await stats(srv.baseUrl, srv.keys.full)).totalSize).toBe("secret of A".length);
  });

  it("the owner still has everything, byte for byte", async () => {
    const res = await fetch(aFile.url, { headers: bearer(srv.keys.full) });
    expect(await res.text()).toBe("secret of A");
  });

  it("the same id with the owner's key works, so the 404s above were about ownership", async () => {
    for (const op of SECURED_OPERATIONS.filter((o) => !o.write)) {
      const res = await op.send(srv.baseUrl, bearer(srv.keys.full), { fileId: aFile.id, folderId: aFolder.id });
      expect(res.status, op.operationId).toBe(200);
      await res.body?.cancel();
    }
  });
});
