/** listFolders, createFolder and deleteFolder. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, createFolder, expectConforms, expectError, getJson, postFolder, stats, uploadOk, type ApiFolder } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(() => srv?.close());

const list = async () => (await getJson<{ folders: ApiFolder[] }>(`${srv.baseUrl}/api/v1/folders`, srv.keys.full)).folders;
const del = (id: string) => fetch(`${srv.baseUrl}/api/v1/folders/${id}`, { method: "DELETE", headers: bearer(srv.keys.full) });

describe("createFolder", () => {
  it("creates a top-level folder: 201 with the spec's Folder", async () => {
    const res = await postFolder(srv.baseUrl, srv.keys.full, { name: "Photos" });
    const text = await res.text();
    expect(res.status).toBe(201);
    await expectConforms("POST", res, text);
    const { folder } = JSON.parse(text) as { folder: ApiFolder };
    expect(folder).toMatchObject({ name: "Photos", parentId: null });
    expect(folder.id).toMatch(/^fld_[A-Za-z0-9]+$/);
    expect(Math.abs(Date.parse(folder.createdAt) - Date.now())).toBeLessThan(60_000);
  });

  it("creates nested folders", async () => {
    const a = await createFolder(srv.baseUrl, srv.keys.full, "Level 1");
    const b = await createFolder(srv.baseUrl, srv.keys.full, "Level 2", a.id);
    const c = await createFolder(srv.baseUrl, srv.keys.full, "Level 3", b.id);
    expect([b.parentId, c.parentId]).toEqual([a.id, b.id]);
  });

  it("allows two siblings with the same name, and normalises names to NFC", async () => {
    const one = await createFolder(srv.baseUrl, srv.keys.full, "Twin");
    const two = await createFolder(srv.baseUrl, srv.keys.full, "Twin");
    expect(one.id).not.toBe(two.id);
    expect((await createFolder(srv.baseUrl, srv.keys.full, "Re\u0301sume\u0301")).name).toBe("Résumé");
  });

  it("400 for a missing or invalid name, an unknown field or a malformed parentId", async () => {
    for (const body of [{}, { name: "" }, { name: "a/b" }, { name: ".." }, { name: "tab\there" }, { name: "x".repeat(256) }, { name: "ok", colour: "red" }, { name: "ok", parentId: "nope" }, { name: "ok", parentId: null }]) {
      await expectError(await postFolder(srv.baseUrl, srv.keys.full, body), 400, "bad_request", "POST");
    }
  });

  it("404 for a parent that does not exist", async () => {
    const body = await expectError(await postFolder(srv.baseUrl, srv.keys.full, { name: "Orphan", parentId: "fld_DoesNotExist0000000" }), 404, "not_found", "POST");
    expect(body.error.message).toBe("Folder not found");
  });
});

describe("listFolders", () => {
  it("lists every folder of the caller sorted by name (then id), conforming to the spec", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/folders`, { headers: bearer(srv.keys.full) });
    const text = await res.text();
    expect(res.status).toBe(200);
    await expectConforms("GET", res, text);
    const { folders } = JSON.parse(text) as { folders: ApiFolder[] };
    expect(folders.map((f) => f.name)).toEqual(["Level 1", "Level 2", "Level 3", "Photos", "Résumé", "Twin", "Twin"]);
    const twins = folders.filter((f) => f.name === "Twin");
    expect(twins[0]!.id < twins[1]!.id).toBe(true);
  });

  it("is empty for another tenant", async () => {
    expect((await getJson<{ folders: ApiFolder[] }>(`${srv.baseUrl}/api/v1/folders`, srv.keys.otherTenant)).folders).toEqual([]);
  });

  it("counts folders in the stats", async () => {
    expect((await stats(srv.baseUrl, srv.keys.full)).totalFolders).toBe((await list()).length);
  });
});

describe("deleteFolder", () => {
  it("409 conflict while the folder holds a file; 200 once it is empty", async () => {
    const folder = await createFolder(srv.baseUrl, srv.keys.full, "Holds a file");
    const file = await uploadOk(srv.baseUrl, srv.keys.full, { folderId: folder.id });
    const body = await expectError(await del(folder.id), 409, "conflict", "DELETE");
    expect(body.error.message).toMatch(/not empty/i);
    expect((await list()).some((f) => f.id === folder.id)).toBe(true);
    expect((await fetch(`${srv.baseUrl}/api/v1/files/${file.id}`, { method: "DELETE", headers: bearer(srv.keys.full) })).status).toBe(200);
    const res = await del(folder.id);
    const text = await res.text();
    expect(res.status).toBe(200);
    await expectConforms("DELETE", res, text);
    expect(JSON.parse(text)).toEqual({ success: true });
    expect((await list()).some((f) => f.id === folder.id)).toBe(false);
  });

  it("409 conflict while the folder holds a sub-folder", async () => {
    const parent = await createFolder(srv.baseUrl, srv.keys.full, "Parent");
    const child = await createFolder(srv.baseUrl, srv.keys.full, "Child", parent.id);
    await expectError(await del(parent.id), 409, "conflict", "DELETE");
    expect((await del(child.id)).status).toBe(200);
    expect((await del(parent.id)).status).toBe(200);
  });

  it("a file moved out empties the folder", async () => {
    const folder = await createFolder(srv.baseUrl, srv.keys.full, "Moved out");
    const file = await uploadOk(srv.baseUrl, srv.keys.full, { folderId: folder.id });
    await expectError(await del(folder.id), 409, "conflict", "DELETE");
    const moved = await fetch(`${srv.baseUrl}/api/v1/files/${file.id}`, {
      method: "PATCH",
      headers: { ...bearer(srv.keys.full), "Content-Type": "application/json" },
      body: JSON.stringify({ folderId: null }),
    });
    expect(moved.status).toBe(200);
    expect((await del(folder.id)).status).toBe(200);
  });

  it("updates totalFolders and then answers 404", async () => {
    const folder = await createFolder(srv.baseUrl, srv.keys.full, "Short-lived");
    const before = (await stats(srv.baseUrl, srv.keys.full)).totalFolders;
    expect((await del(folder.id)).status).toBe(200);
    expect((await stats(srv.baseUrl, srv.keys.full)).totalFolders).toBe(before - 1);
    const body = await expectError(await del(folder.id), 404, "not_found", "DELETE");
    expect(body.error.message).toBe("Folder not found");
    await expectError(await postFolder(srv.baseUrl, srv.keys.full, { name: "x", parentId: folder.id }), 404, "not_found", "POST");
  });
});
