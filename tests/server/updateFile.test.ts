/** PATCH /api/v1/files/{id}: rename, describe, tag and move; the bytes never change. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, createFolder, expectConforms, expectError, getJson, parseDisposition, patchFile, sha256, uploadOk, type ApiFile } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

let srv: TestServer;
let file: ApiFile;
const content = "the bytes never change";

beforeAll(async () => {
  srv = await startServer();
  file = await uploadOk(srv.baseUrl, srv.keys.full, { data: content, name: "original.txt", type: "text/plain", description: "first", tags: "x" });
});
afterAll(() => srv?.close());

async function patchOk(body: unknown): Promise<ApiFile> {
  const res = await patchFile(srv.baseUrl, srv.keys.full, file.id, body);
  const text = await res.text();
  expect(res.status, text).toBe(200);
  await expectConforms("PATCH", res, text);
  return (JSON.parse(text) as { file: ApiFile }).file;
}

describe("updateFile", () => {
  it("renames, bumping updatedAt and leaving everything else", async () => {
    await new Promise((r) => setTimeout(r, 5));
    const updated = await patchOk({ name: "renamed.txt" });
    expect(updated).toEqual({ ...file, name: "renamed.txt", updatedAt: updated.updatedAt });
    expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(file.createdAt));
    expect((await getJson<{ file: ApiFile }>(`${srv.baseUrl}/api/v1/files/${file.id}`, srv.keys.full)).file).toEqual(updated);
  });

  it("the download uses the new name and still sends the same bytes", async () => {
    const res = await fetch(file.url, { headers: bearer(srv.keys.full) });
    expect(parseDisposition(res.headers.get("content-disposition") ?? "").filename).toBe("renamed.txt");
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(sha256(bytes)).toBe(file.sha256);
    expect(bytes.toString()).toBe(content);
  });

  it("normalises a new name to NFC", async () => {
    expect((await patchOk({ name: "Cafe\u0301.txt" })).name).toBe("Caf\u00e9.txt");
  });

  it("sets and clears the description (null clears)", async () => {
    expect((await patchOk({ description: "second" })).description).toBe("second");
    expect((await patchOk({ description: null })).description).toBeNull();
    expect((await patchOk({ description: "" })).description).toBe("");
  });

  it("replaces the whole tag list, [] clears it", async () => {
    expect((await patchOk({ tags: ["holiday", "beach", "2026"] })).tags).toEqual(["holiday", "beach", "2026"]);
    expect((await patchOk({ tags: ["only"] })).tags).toEqual(["only"]);
    expect((await patchOk({ tags: [] })).tags).toEqual([]);
  });

  it("moves into a folder and back to the top level", async () => {
    const folder = await createFolder(srv.baseUrl, srv.keys.full, "Target");
    expect((await patchOk({ folderId: folder.id })).folderId).toBe(folder.id);
    const inside = await getJson<{ files: ApiFile[] }>(`${srv.baseUrl}/api/v1/files?folderId=${folder.id}`, srv.keys.full);
    expect(inside.files.map((f) => f.id)).toEqual([file.id]);
    expect((await patchOk({ folderId: null })).folderId).toBeNull();
    const after = await getJson<{ files: ApiFile[] }>(`${srv.baseUrl}/api/v1/files?folderId=${folder.id}`, srv.keys.full);
    expect(after.files).toEqual([]);
  });

  it("changes several fields at once", async () => {
    const updated = await patchOk({ name: "beach-2026.jpg", tags: ["holiday", "beach"], description: "sea" });
    expect(updated).toMatchObject({ name: "beach-2026.jpg", tags: ["holiday", "beach"], description: "sea", sha256: file.sha256, size: file.size });
    expect(updated.mimeType).toBe(file.mimeType);
  });

  it("refuses invalid changes with 400 and applies none of them", async () => {
    const before = (await getJson<{ file: ApiFile }>(`${srv.baseUrl}/api/v1/files/${file.id}`, srv.keys.full)).file;
    const invalid = [
      { name: "ok.txt", tags: ["dup", "dup"] },
      { tags: ["a,b"] },
      { tags: ["x".repeat(51)] },
      { name: "ok.txt", description: "x".repeat(1001) },
      { name: "a\nb" },
      { name: ".." },
      { name: "x".repeat(256) },
      { size: 1 },
      { sha256: "0".repeat(64) },
    ];
    for (const patch of invalid) {
      await expectError(await patchFile(srv.baseUrl, srv.keys.full, file.id, patch), 400, "bad_request", "PATCH");
    }
    expect((await getJson<{ file: ApiFile }>(`${srv.baseUrl}/api/v1/files/${file.id}`, srv.keys.full)).file).toEqual(before);
  });

  it("a folder that does not exist → 404, nothing changes", async () => {
    const before = (await getJson<{ file: ApiFile }>(`${srv.baseUrl}/api/v1/files/${file.id}`, srv.keys.full)).file;
    const res = await patchFile(srv.baseUrl, srv.keys.full, file.id, { name: "moved.txt", folderId: "fld_DoesNotExist0000000" });
    const body = await expectError(res, 404, "not_found", "PATCH");
    expect(body.error.message).toBe("Folder not found");
    expect((await getJson<{ file: ApiFile }>(`${srv.baseUrl}/api/v1/files/${file.id}`, srv.keys.full)).file).toEqual(before);
  });

  it("an unknown file → 404", async () => {
    const body = await expectError(await patchFile(srv.baseUrl, srv.keys.full, "file_DoesNotExist000000", { name: "x.txt" }), 404, "not_found", "PATCH");
    expect(body.error.message).toBe("File not found");
  });

  it("accepts application/json with a charset", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/files/${file.id}`, {
      method: "PATCH",
      headers: { ...bearer(srv.keys.full), "Content-Type": "application/json; charset=utf-8" },
      body: JSON.stringify({ description: "charset ok" }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { file: ApiFile }).file.description).toBe("charset ok");
  });
});
