// What a frontend team sees: aethercdn/client pointed at the Prism mock (scripts/mock.js on a free
// port). Every typed openapi-fetch call and every helper returns data of the documented shape
// (judged by the oracle against openapi.yaml, independently of the generated types), and the
// mock's error examples (`Prefer: code=N`, no key, invalid request) come out as AetherApiError.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AetherApiError, createAetherClient, type AetherNodeClient } from "../../client/node.js";
import { EXAMPLE_API_KEY } from "../support/example-requests.js";
import { OpenApiOracle, type Schema } from "../support/openapi-oracle.js";
import { startPrism, type PrismProcess } from "../support/prism.js";

const oracle = await OpenApiOracle.load();
const schema = (name: string): Schema => ({ $ref: `urn:aethercdn:openapi:schema:${encodeURIComponent(name)}` });
/** The oracle's verdict on a value against a component schema (undefined = valid). */
const invalidAs = (name: string, value: unknown) => oracle.validate(schema(name), value);

let mock: PrismProcess | undefined;
let base = "";

/** Every response the client received, as the oracle judged it. */
const verdicts: { call: string; violations: string[] }[] = [];

/** A fetch that records the oracle's verdict on every response, and can add `Prefer`. */
function judgingFetch(extra: Record<string, string> = {}) {
  return async (req: Request): Promise<Response> => {
    const request = Object.keys(extra).length ? new Request(req, { headers: { ...Object.fromEntries(req.headers), ...extra } }) : req;
    const res = await fetch(request);
    const url = new URL(res.url || request.url);
    const isBinary = !/json/.test(res.headers.get("content-type") ?? "");
    const body = isBinary ? undefined : await res.clone().text();
    const violations = oracle
      .checkResponse({ method: request.method, path: url.pathname, status: res.status, headers: res.headers, body })
      .map((v) => v.message);
    const sl = res.headers.get("sl-violations");
    if (sl && !Object.keys(extra).length) violations.push(`Prism sl-violations: ${sl}`);
    verdicts.push({ call: `${request.method} ${url.pathname}${url.search} → ${res.status}`, violations });
    return res;
  };
}

let aether: AetherNodeClient;

beforeAll(async () => {
  mock = await startPrism({ script: true });
  base = mock.baseUrl;
  aether = createAetherClient({ baseUrl: base, apiKey: EXAMPLE_API_KEY, fetch: judgingFetch() });
}, 60_000);

afterAll(async () => {
  await mock?.close();
});

/** Asserts that every response since `mark` conformed to the spec. */
function expectConformingSince(mark: number) {
  const seen = verdicts.slice(mark);
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.filter((v) => v.violations.length > 0)).toEqual([]);
}

it("the judge can say no (a wrong shape is reported)", () => {
  expect(invalidAs("File", { id: "file_x" })).toBeDefined();
  expect(invalidAs("Stats", { totalFiles: "1" })).toBeDefined();
  expect(oracle.checkResponse({ method: "GET", path: "/api/v1/files", status: 200, headers: { "content-type": "application/json" }, body: "{}" })).not.toEqual([]);
});

describe("typed openapi-fetch calls against the mock", () => {
  it("GET /api/v1/files with a query: the FileList", async () => {
    const mark = verdicts.length;
    const { data, error, response } = await aether.GET("/api/v1/files", { params: { query: { limit: 10, offset: 0 } } });
    expect(response.status).toBe(200);
    expect(error).toBeUndefined();
    expect(invalidAs("FileList", data)).toBeUndefined();
    expect(data!.files.length).toBeGreaterThan(0);
    for (const f of data!.files) expect(invalidAs("File", f)).toBeUndefined();
    expectConformingSince(mark);
  });

  it("GET /api/v1/health (no helper): the Health body", async () => {
    const mark = verdicts.length;
    const { data, response } = await aether.GET("/api/v1/health");
    expect(response.status).toBe(200);
    expect(data?.status).toBe("ok");
    expect(typeof data?.version).toBe("string");
    expectConformingSince(mark);
  });

  it("GET /api/v1/files/{id}, PATCH, DELETE, folders and stats, raw", async () => {
    const mark = verdicts.length;
    const id = "file_nGaT9xthxccNW2k4gD7V";
    const one = await aether.GET("/api/v1/files/{id}", { params: { path: { id } } });
    expect(invalidAs("File", one.data?.file)).toBeUndefined();
    const patched = await aether.PATCH("/api/v1/files/{id}", { params: { path: { id } }, body: { description: "Updated" } });
    expect(invalidAs("File", patched.data?.file)).toBeUndefined();
    const deleted = await aether.DELETE("/api/v1/files/{id}", { params: { path: { id } } });
    expect(deleted.response.ok).toBe(true);
    const folders = await aether.GET("/api/v1/folders");
    for (const f of folders.data!.folders) expect(invalidAs("Folder", f)).toBeUndefined();
    const created = await aether.POST("/api/v1/folders", { body: { name: "Holidays" } });
    expect(created.response.status).toBe(201);
    expect(invalidAs("Folder", created.data?.folder)).toBeUndefined();
    const stats = await aether.GET("/api/v1/user/stats");
    expect(invalidAs("Stats", stats.data?.stats)).toBeUndefined();
    expectConformingSince(mark);
  });
});

describe("helpers against the mock", () => {
  it("getFile, updateFile, deleteFile", async () => {
    const mark = verdicts.length;
    const file = await aether.getFile("file_nGaT9xthxccNW2k4gD7V");
    expect(invalidAs("File", file)).toBeUndefined();
    const updated = await aether.updateFile(file.id, { name: "renamed.jpg", tags: ["a"], folderId: null });
    expect(invalidAs("File", updated)).toBeUndefined();
    await expect(aether.deleteFile(file.id)).resolves.toBeUndefined();
    expectConformingSince(mark);
  });

  it("listFiles, and iterateFiles (one walk over exactly the example's files: its total, no repeats)", async () => {
    const mark = verdicts.length;
    const page = await aether.listFiles({ limit: 10 });
    expect(page.files.length).toBeGreaterThan(0);
    for (const f of page.files) expect(invalidAs("File", f)).toBeUndefined();
    expect(invalidAs("Pagination", page.pagination)).toBeUndefined();
    const seen: string[] = [];
    for await (const f of aether.iterateFiles({ pageSize: 2 })) {
      expect(invalidAs("File", f)).toBeUndefined();
      seen.push(f.id);
      if (seen.length >= 20) break;
    }
    // The example is a complete last page: the walk ends after it, with every file once.
    expect(page.pagination.nextCursor).toBeNull();
    expect(seen).toEqual(page.files.map((f) => f.id));
    expect(seen.length).toBe(page.pagination.total);
    expectConformingSince(mark);
  });

  it("listFolders, createFolder, deleteFolder, getUserStats", async () => {
    const mark = verdicts.length;
    const folders = await aether.listFolders();
    expect(folders.length).toBeGreaterThan(0);
    for (const f of folders) expect(invalidAs("Folder", f)).toBeUndefined();
    const created = await aether.createFolder({ name: "Holidays", parentId: "fld_Qm8RtX2vLp9ZkW4nB7cY" });
    expect(invalidAs("Folder", created)).toBeUndefined();
    await expect(aether.deleteFolder(created.id)).resolves.toBeUndefined();
    const stats = await aether.getUserStats();
    expect(invalidAs("Stats", stats)).toBeUndefined();
    expect(typeof stats.totalFiles).toBe("number");
    expectConformingSince(mark);
  });

  it("uploadFile (a Blob, streamed multipart) answers the File example", async () => {
    const mark = verdicts.length;
    const file = await aether.uploadFile({ file: new Blob(["hello mock"], { type: "text/plain" }), name: "hello.txt", tags: ["a", "b"], description: "d" });
    expect(invalidAs("File", file)).toBeUndefined();
    expectConformingSince(mark);
  });

  it("downloadFile answers the bytes getFile describes: size, type, name and SHA-256 agree", async () => {
    const id = "file_Hk3LxT8mQw2ZrN5vK9pB";
    const meta = await aether.getFile(id);
    const down = await aether.downloadFile(id);
    expect(down.status).toBe(200);
    expect(down.name).toBe(meta.name);
    expect(down.etag).toBe(`"${meta.sha256}"`);
    expect(down.type).toBe(meta.mimeType);
    const bytes = Buffer.from(await new Response(down.body).arrayBuffer());
    expect(bytes.length).toBe(meta.size);
    expect(down.size).toBe(meta.size);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(meta.sha256);
  });
});

describe("errors from the mock are AetherApiError with the spec's codes", () => {
  const cases = [
    [400, "bad_request"],
    [401, "unauthorized"],
    [403, "forbidden"],
    [404, "not_found"],
    [429, "rate_limited"],
  ] as const;
  for (const [status, code] of cases) {
    it(`Prefer: code=${status} → ${code}`, async () => {
      const client = createAetherClient({ baseUrl: base, apiKey: EXAMPLE_API_KEY, fetch: judgingFetch({ Prefer: `code=${status}` }), retry: false });
      const err = await client.getFile("file_nGaT9xthxccNW2k4gD7V").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AetherApiError);
      const e = err as AetherApiError;
      expect(e.status).toBe(status);
      expect(e.code).toBe(code);
      expect(e.message.length).toBeGreaterThan(0);
      expect(e.requestId).toMatch(/^req_/);
      const last = verdicts.at(-1)!;
      expect(last.violations).toEqual([]);
    });
  }

  it("a malformed key (`hello`) gets the 401 envelope, as from the real server", async () => {
    const client = createAetherClient({ baseUrl: base, apiKey: "hello", fetch: judgingFetch(), retry: false });
    const err = await client.listFiles().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AetherApiError);
    expect((err as AetherApiError).status).toBe(401);
    expect((err as AetherApiError).code).toBe("unauthorized");
    expect(verdicts.at(-1)!.violations).toEqual([]);
  });

  it("an invalid request (limit 500) gets the 400 envelope", async () => {
    const err = await aether.listFiles({ limit: 500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AetherApiError);
    expect((err as AetherApiError).code).toBe("bad_request");
    expect((err as AetherApiError).status).toBe(400);
  });
});
