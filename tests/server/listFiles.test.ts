/**
 * GET /api/v1/files: order (newest first, ties by id descending), pagination and the folder filter.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, createFolder, expectConforms, expectError, getJson, listAll, uploadOk, type ApiFile } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

interface Page {
  success: true;
  files: ApiFile[];
  pagination: { total: number; limit: number; offset: number };
}

/** One server for the whole file; each describe uses its own user, so counts do not mix. */
let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(() => srv?.close());

const page = (s: TestServer, query = "", key = s.keys.full) => getJson<Page>(`${s.baseUrl}/api/v1/files${query}`, key);

/** Newest first, then id descending: the spec's order, computed independently. */
function specOrder(files: ApiFile[]): ApiFile[] {
  return [...files].sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.createdAt < b.createdAt ? 1 : -1));
}

describe("an empty account", () => {
  it("lists nothing with the default pagination", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/files`, { headers: bearer(await srv.addUser("empty")) });
    const text = await res.text();
    expect(res.status).toBe(200);
    await expectConforms("GET", res, text);
    expect(JSON.parse(text)).toEqual({ success: true, files: [], pagination: { total: 0, limit: 50, offset: 0, nextCursor: null } });
    expect(res.headers.get("cache-control")).toContain("no-store");
  });
});

describe("order and pagination", () => {
  const uploaded: ApiFile[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 12; i++) {
      uploaded.push(await uploadOk(srv.baseUrl, srv.keys.full, { data: `file ${i}`, name: `f${i}.txt` }));
      await new Promise((r) => setTimeout(r, 3)); // distinct createdAt (ms)
    }
  });

  it("lists newest first", async () => {
    const { files, pagination } = await page(srv);
    expect(files.map((f) => f.name)).toEqual(uploaded.map((f) => f.name).reverse());
    expect(pagination).toEqual({ total: 12, limit: 50, offset: 0, nextCursor: null });
    expect(files).toEqual(specOrder(files));
  });

  it("returns the same File objects as the upload did", async () => {
    const { files } = await page(srv);
    expect([...files].reverse()).toEqual(uploaded);
  });

  it("?limit=10 (the seed's example) → the 10 newest, total counts all", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/files?limit=10`, { headers: bearer(srv.keys.full) });
    const text = await res.text();
    await expectConforms("GET", res, text);
    const body = JSON.parse(text) as Page;
    expect(body.files).toHaveLength(10);
    expect(body.files[0]!.name).toBe("f11.txt");
    expect(body.pagination).toMatchObject({ total: 12, limit: 10, offset: 0, nextCursor: expect.any(String) });
  });

  it("offset skips, and a page past the end is empty with the same total", async () => {
    const p = await page(srv, "?limit=5&offset=10");
    expect(p.files.map((f) => f.name)).toEqual(["f1.txt", "f0.txt"]);
    expect(p.pagination).toEqual({ total: 12, limit: 5, offset: 10, nextCursor: null });
    const past = await page(srv, "?limit=5&offset=500");
    expect(past.files).toEqual([]);
    expect(past.pagination).toEqual({ total: 12, limit: 5, offset: 500, nextCursor: null });
  });

  it("limit=1 and limit=100 are accepted", async () => {
    expect((await page(srv, "?limit=1")).files).toHaveLength(1);
    expect((await page(srv, "?limit=100")).files).toHaveLength(12);
  });

  it("iterating all pages gives every file exactly once", async () => {
    const seen: string[] = [];
    for (let offset = 0; ; offset += 5) {
      const p = await page(srv, `?limit=5&offset=${offset}`);
      seen.push(...p.files.map((f) => f.id));
      if (p.files.length < 5) break;
    }
    expect(seen).toHaveLength(12);
    expect(new Set(seen)).toEqual(new Set(uploaded.map((f) => f.id)));
  });
});

describe("ties on createdAt (frozen clock)", () => {
  let frozen: TestServer;
  const instant = new Date("2026-11-24T09:15:42.120Z");
  const ids: string[] = [];

  beforeAll(async () => {
    frozen = await startServer({}, { now: () => instant });
    for (let i = 0; i < 9; i++) ids.push((await uploadOk(frozen.baseUrl, frozen.keys.full, { name: `t${i}.txt` })).id);
  });
  afterAll(() => frozen?.close());

  it("are broken by id, descending", async () => {
    const { files } = await page(frozen);
    expect(files.every((f) => f.createdAt === instant.toISOString())).toBe(true);
    expect(files.map((f) => f.id)).toEqual([...ids].sort().reverse());
  });

  it("so that pages neither repeat nor skip a file", async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < 9; offset += 2) seen.push(...(await page(frozen, `?limit=2&offset=${offset}`)).files.map((f) => f.id));
    expect(seen).toEqual([...ids].sort().reverse());
  });
});

describe("?folderId=", () => {
  let key: string;
  let photos: string;
  let nested: string;
  let inPhotos: ApiFile[];

  beforeAll(async () => {
    key = await srv.addUser("folders");
    photos = (await createFolder(srv.baseUrl, key, "Photos")).id;
    nested = (await createFolder(srv.baseUrl, key, "Summer", photos)).id;
    await uploadOk(srv.baseUrl, key, { name: "top.txt" });
    inPhotos = [
      await uploadOk(srv.baseUrl, key, { name: "a.jpg", folderId: photos }),
      await uploadOk(srv.baseUrl, key, { name: "b.jpg", folderId: photos }),
    ];
    await uploadOk(srv.baseUrl, key, { name: "deep.jpg", folderId: nested });
  });

  it("lists only files directly inside that folder, with a filtered total", async () => {
    const p = await page(srv, `?folderId=${photos}`, key);
    expect(p.files.map((f) => f.name).sort()).toEqual(["a.jpg", "b.jpg"]);
    expect(p.files.every((f) => f.folderId === photos)).toBe(true);
    expect(p.pagination.total).toBe(2);
    expect(p.files).toEqual(specOrder(inPhotos));
  });

  it("paginates within the folder", async () => {
    const p = await page(srv, `?folderId=${photos}&limit=1&offset=1`, key);
    expect(p.files).toHaveLength(1);
    expect(p.pagination).toEqual({ total: 2, limit: 1, offset: 1, nextCursor: null });
  });

  it("a sub-folder's files only show under the sub-folder", async () => {
    expect((await page(srv, `?folderId=${nested}`, key)).files.map((f) => f.name)).toEqual(["deep.jpg"]);
  });

  it("without the filter, every file of every folder", async () => {
    expect((await page(srv, "", key)).pagination.total).toBe(4);
  });

  it("an unknown folder → 404, an empty folder → empty page", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/files?folderId=fld_DoesNotExist0000000`, { headers: bearer(key) });
    const body = await expectError(res, 404, "not_found", "GET");
    expect(body.error.message).toBe("Folder not found");
    const empty = (await createFolder(srv.baseUrl, key, "Empty")).id;
    expect(await page(srv, `?folderId=${empty}`, key)).toEqual({ success: true, files: [], pagination: { total: 0, limit: 50, offset: 0, nextCursor: null } });
  });

  it("folderId given twice → 400", async () => {
    await expectError(
      await fetch(`${srv.baseUrl}/api/v1/files?folderId=${photos}&folderId=${nested}`, { headers: bearer(key) }),
      400,
      "bad_request",
      "GET",
    );
  });
});

describe("cursor pages", () => {
  it("walk every file once, newest first, like offsets do, with nextCursor null on the last page", async () => {
    const s = await startServer();
    try {
      for (let i = 0; i < 7; i++) await uploadOk(s.baseUrl, s.keys.full, { name: `c${i}.txt` });
      const byOffset = await listAll(s.baseUrl, s.keys.full);
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let guard = 0; guard < 10; guard++) {
        const q: string = cursor ? `&cursor=${cursor}` : "";
        const page = await getJson<{ files: { id: string }[]; pagination: { total: number; nextCursor: string | null; offset: number } }>(
          `${s.baseUrl}/api/v1/files?limit=3${q}`,
          s.keys.full,
        );
        expect(page.pagination.total).toBe(7);
        expect(page.pagination.offset).toBe(0);
        seen.push(...page.files.map((f) => f.id));
        cursor = page.pagination.nextCursor;
        if (!cursor) break;
      }
      expect(seen).toEqual(byOffset.map((f) => f.id));
      const last = await getJson<{ pagination: { nextCursor: string | null } }>(`${s.baseUrl}/api/v1/files?limit=7`, s.keys.full);
      expect(last.pagination.nextCursor).toBeNull();
    } finally {
      await s.close();
    }
  });

  it("never skip or repeat a file while files are added and deleted during the walk", async () => {
    const s = await startServer();
    try {
      const initial = [];
      for (let i = 0; i < 8; i++) initial.push(await uploadOk(s.baseUrl, s.keys.full, { name: `w${i}.txt` }));
      const first = await getJson<{ files: { id: string }[]; pagination: { nextCursor: string } }>(`${s.baseUrl}/api/v1/files?limit=3`, s.keys.full);
      // Newer files appear before the cursor's position; a deleted file on page 1 moves nothing.
      await uploadOk(s.baseUrl, s.keys.full, { name: "newer.txt" });
      await fetch(`${s.baseUrl}/api/v1/files/${first.files[0]!.id}`, { method: "DELETE", headers: bearer(s.keys.full) });
      const rest: string[] = [];
      for (let cursor: string | null = first.pagination.nextCursor; cursor; ) {
        const page: { files: { id: string }[]; pagination: { nextCursor: string | null } } = await getJson(`${s.baseUrl}/api/v1/files?limit=3&cursor=${cursor}`, s.keys.full);
        rest.push(...page.files.map((f) => f.id));
        cursor = page.pagination.nextCursor;
      }
      expect([...first.files.map((f) => f.id), ...rest]).toEqual(initial.map((f) => f.id).reverse());
    } finally {
      await s.close();
    }
  });

  it.each([
    ["cursor with offset", (c: string) => `cursor=${c}&offset=0`],
    ["a cursor that is not base64url", () => "cursor=not%20a%20cursor"],
    ["a forged cursor", () => `cursor=${Buffer.from("yesterday|file_x").toString("base64url")}`],
    ["a cursor with a non-canonical encoding", (c: string) => `cursor=${c}AA`],
  ])("%s → 400", async (_label, query) => {
    const s = await startServer();
    try {
      await uploadOk(s.baseUrl, s.keys.full, { name: "a.txt" });
      await uploadOk(s.baseUrl, s.keys.full, { name: "b.txt" });
      const page = await getJson<{ pagination: { nextCursor: string } }>(`${s.baseUrl}/api/v1/files?limit=1`, s.keys.full);
      const res = await fetch(`${s.baseUrl}/api/v1/files?${query(page.pagination.nextCursor)}`, { headers: bearer(s.keys.full) });
      await expectError(res, 400, "bad_request", "GET");
    } finally {
      await s.close();
    }
  });
});
