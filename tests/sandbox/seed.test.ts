// The sandbox's seed, checked over HTTP against openapi.yaml read independently of the seeding
// code (tests/support/openapi-oracle.ts): every File and Folder object of a success example exists
// as the example shows it, every file_/fld_ id of the examples and code samples exists, every
// seeded file downloads bytes of its size and type, the fixed keys do what README says, and the
// second tenant sees only its own data.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteMetadataStore } from "../../server/storage/index.js";
import { startSandbox, type RunningSandbox } from "../../server/sandbox/start.js";
import { SANDBOX_KEYS } from "../../server/sandbox/tenants.js";
import { bearer, contract, expectConforms, expectError, json, sha256, type ApiFile, type ApiFolder, type ApiStats } from "../support/http.js";
import type { Json, OpenApiOracle, Schema } from "../support/openapi-oracle.js";
import { jpegStructure, pdfStructure, pngStructure } from "./formats.js";

let sandbox: RunningSandbox;
let oracle: OpenApiOracle;
const URN = "urn:aethercdn:openapi:schema:";

beforeAll(async () => {
  oracle = await contract();
  sandbox = await startSandbox({ env: { SANDBOX_PORT: "0", LOG_LEVEL: "silent" }, usageFlushMs: 50 });
});
afterAll(async () => {
  await sandbox?.close();
});

const get = (path: string, key: string = SANDBOX_KEYS.full) => fetch(`${sandbox.baseUrl}${path}`, { headers: bearer(key) });

/** Every value of `v` (itself, array items, object members), depth first. */
function* values(v: unknown): Generator<unknown> {
  yield v;
  if (Array.isArray(v)) for (const x of v) yield* values(x);
  else if (typeof v === "object" && v !== null) for (const x of Object.values(v)) yield* values(x);
}

/** Objects of success-response examples that are valid `schemaName`s, with the operation's method. */
function exampleEntities(schemaName: string): { value: Record<string, Json>; method: string; location: string }[] {
  const schema = oracle.derefSchema({ $ref: `${URN}${schemaName}` }) as Schema;
  const out: { value: Record<string, Json>; method: string; location: string }[] = [];
  for (const ex of oracle.examples()) {
    if (!ex.response || !/^2/.test(ex.response.status)) continue;
    for (const v of values(ex.value)) {
      if (typeof v === "object" && v !== null && !Array.isArray(v) && oracle.validate(schema, v) === undefined) {
        out.push({ value: v as Record<string, Json>, method: ex.response.operation.method, location: ex.location });
      }
    }
  }
  return out;
}

describe("the seed follows the spec's examples", () => {
  it("every File of a GET example is served exactly so (url on the sandbox's origin; sha256 of the real bytes)", async () => {
    const files = exampleEntities("File").filter((f) => f.method === "get");
    expect(files.length).toBeGreaterThan(0);
    for (const { value, location } of files) {
      const { file } = await json<{ file: ApiFile }>(await get(`/api/v1/files/${String(value.id)}`));
      const { url: _u, sha256: _s, ...rest } = value;
      expect(file, location).toMatchObject(rest);
      expect(file.url).toBe(`${sandbox.baseUrl}/api/v1/files/${String(value.id)}/download`);
    }
  });

  it("a file whose bytes the spec shows (the download example) is served with exactly those bytes and the example's sha256", async () => {
    const download = oracle.operations().find((o) => o.operationId === "downloadFile");
    const texts = [...values(download?.responses["200"])].filter((v): v is string => typeof v === "string" && v.length > 0);
    const shown = exampleEntities("File").filter((f) => texts.some((t) => sha256(Buffer.from(t)) === f.value.sha256));
    expect(shown.length, "the spec's download example is some File example's content").toBeGreaterThan(0);
    for (const { value } of shown) {
      const { file } = await json<{ file: ApiFile }>(await get(`/api/v1/files/${String(value.id)}`));
      expect(file.sha256).toBe(value.sha256);
      const body = Buffer.from(await (await get(`/api/v1/files/${String(value.id)}/download`)).arrayBuffer());
      expect(sha256(body)).toBe(value.sha256);
    }
  });

  it("every File of another example (upload, update) exists with its size and type", async () => {
    const files = exampleEntities("File").filter((f) => f.method !== "get");
    expect(files.length).toBeGreaterThan(0);
    for (const { value, location } of files) {
      const { file } = await json<{ file: ApiFile }>(await get(`/api/v1/files/${String(value.id)}`));
      expect({ size: file.size, mimeType: file.mimeType }, location).toEqual({ size: value.size, mimeType: value.mimeType });
    }
  });

  it("every Folder of an example is in the folder list as shown", async () => {
    const { folders } = await json<{ folders: ApiFolder[] }>(await get("/api/v1/folders"));
    const examples = exampleEntities("Folder");
    expect(examples.length).toBeGreaterThan(0);
    for (const { value, location } of examples) expect(folders, location).toContainEqual(value);
  });

  it("every file_ and fld_ id of any example or code sample exists", async () => {
    const ids = new Set<string>();
    const scan = (text: string) => {
      for (const m of text.matchAll(/\b(?:file|fld)_[A-Za-z0-9]+\b/g)) ids.add(m[0]);
    };
    for (const ex of oracle.examples()) if (!ex.response || /^2/.test(ex.response.status)) for (const v of values(ex.value)) if (typeof v === "string") scan(v);
    for (const op of oracle.operations()) {
      for (const sample of (op.operation["x-codeSamples"] as { source: string }[] | undefined) ?? []) scan(sample.source);
    }
    expect(ids.size).toBeGreaterThan(2);
    const { folders } = await json<{ folders: ApiFolder[] }>(await get("/api/v1/folders"));
    for (const id of ids) {
      if (id.startsWith("file_")) expect((await get(`/api/v1/files/${id}`)).status, id).toBe(200);
      else expect(folders.map((f) => f.id), id).toContain(id);
    }
  });

  it("the cursor example continues the list after the file it names", async () => {
    const cursor = oracle.operationById("listFiles").parameters.find((p) => p.name === "cursor")?.example;
    expect(typeof cursor).toBe("string");
    const named = Buffer.from(String(cursor), "base64url").toString("utf8").split("|")[1];
    const all = await json<{ files: ApiFile[] }>(await get("/api/v1/files?limit=100"));
    const after = await json<{ files: ApiFile[] }>(await get(`/api/v1/files?limit=100&cursor=${String(cursor)}`));
    const at = all.files.findIndex((f) => f.id === named);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(after.files.map((f) => f.id)).toEqual(all.files.slice(at + 1).map((f) => f.id));
  });
});

describe("every seeded file downloads bytes of its size and type", () => {
  it("size, Content-Type, sha256 and a valid file of the type", { timeout: 60_000 }, async () => {
    const checked: string[] = [];
    for (const key of [SANDBOX_KEYS.full, SANDBOX_KEYS.secondTenant]) {
      const { files } = await json<{ files: ApiFile[] }>(await get("/api/v1/files?limit=100", key));
      for (const file of files) {
        const res = await get(`/api/v1/files/${file.id}/download`, key);
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")?.split(";")[0]).toBe(file.mimeType);
        const bytes = Buffer.from(await res.arrayBuffer());
        expect(bytes.length, file.name).toBe(file.size);
        expect(sha256(bytes)).toBe(file.sha256);
        if (file.mimeType === "image/jpeg") expect(jpegStructure(bytes).trailing).toBe(0);
        if (file.mimeType === "image/png") expect(pngStructure(bytes).trailing).toBe(0);
        if (file.mimeType === "application/pdf") expect(pdfStructure(bytes).objects).toBe(5);
        if (file.mimeType.startsWith("text/")) expect(bytes.toString("latin1")).toMatch(/^Hello from AetherCDN!/);
        checked.push(file.mimeType);
      }
    }
    expect(checked).toEqual(expect.arrayContaining(["image/jpeg", "application/pdf", "text/plain"]));
  });
});

describe("statistics", () => {
  it("the main tenant's totals are its seeded files and folders; the bandwidth is the example's", async () => {
    await sandbox.reset(); // the downloads above counted
    const { files, pagination } = await json<{ files: ApiFile[]; pagination: { total: number } }>(await get("/api/v1/files?limit=100"));
    const { folders } = await json<{ folders: ApiFolder[] }>(await get("/api/v1/folders"));
    const res = await get("/api/v1/user/stats");
    const text = await res.clone().text();
    await expectConforms("GET", res, text);
    const { stats } = JSON.parse(text) as { stats: ApiStats };
    const example = (oracle.operationById("getUserStats").responses["200"]?.content as Record<string, { examples?: Record<string, { value: { stats: ApiStats } }> }>)["application/json"]?.examples;
    const exampleStats = Object.values(example ?? {})[0]?.value.stats;
    expect(pagination.total).toBe(files.length);
    expect(stats).toMatchObject({ totalFiles: files.length, totalFolders: folders.length, totalSize: files.reduce((n, f) => n + f.size, 0) });
    expect(stats.bandwidthUsedBytes).toBe(exampleStats?.bandwidthUsedBytes);
    expect(stats.bandwidthUsed).toBe(exampleStats?.bandwidthUsed);
    // Files, folders and bytes follow the examples' entities, not the statistics example (a
    // sandbox holding 1 GiB would take a gigabyte of disk at every start): README says so.
    process.stdout.write(`seeded main tenant: ${stats.totalFiles} files, ${stats.totalFolders} folders, ${stats.totalSize} bytes; statistics example: ${exampleStats?.totalFiles} files, ${exampleStats?.totalFolders} folders, ${exampleStats?.totalSize} bytes\n`);
  });
});

describe("the fixed keys", () => {
  it("are valid ak_ keys, stored only as hashes", async () => {
    for (const key of Object.values(SANDBOX_KEYS)) expect(key).toMatch(/^ak_[A-Za-z0-9]{29,61}$/);
    const [generation] = (await readdir(sandbox.root)).filter((d) => d.startsWith("seed-"));
    const store = new SqliteMetadataStore(join(sandbox.root, generation!, "aethercdn.db"));
    try {
      const keys = await store.listApiKeys();
      expect(keys.length).toBe(4);
      const stored = JSON.stringify(keys);
      for (const key of Object.values(SANDBOX_KEYS)) {
        expect(stored).not.toContain(key);
        expect(keys.map((k) => k.hash)).toContain(sha256(key));
      }
    } finally {
      await store.close();
    }
  });

  it("read-only: reads pass, writes and statistics answer 403", async () => {
    expect((await get("/api/v1/files", SANDBOX_KEYS.readOnly)).status).toBe(200);
    await expectError(await get("/api/v1/user/stats", SANDBOX_KEYS.readOnly), 403, "forbidden", "GET");
    const res = await fetch(`${sandbox.baseUrl}/api/v1/folders`, {
      method: "POST",
      headers: { ...bearer(SANDBOX_KEYS.readOnly), "Content-Type": "application/json" },
      body: JSON.stringify({ name: "Nope" }),
    });
    await expectError(res, 403, "forbidden", "POST");
  });

  it("revoked: 401 like an unknown key", async () => {
    const res = await get("/api/v1/files", SANDBOX_KEYS.revoked);
    await expectError(res, 401, "unauthorized", "GET");
  });

  it("second tenant: its own files and folder; the main tenant's ids are 404 (and the reverse)", async () => {
    const mine = await json<{ files: ApiFile[] }>(await get("/api/v1/files?limit=100", SANDBOX_KEYS.secondTenant));
    const main = await json<{ files: ApiFile[] }>(await get("/api/v1/files?limit=100"));
    expect(mine.files.length).toBeGreaterThan(0);
    const mainIds = main.files.map((f) => f.id);
    for (const f of mine.files) {
      expect(mainIds).not.toContain(f.id);
      await expectError(await get(`/api/v1/files/${f.id}`), 404, "not_found", "GET");
    }
    for (const id of mainIds) await expectError(await get(`/api/v1/files/${id}`, SANDBOX_KEYS.secondTenant), 404, "not_found", "GET");
    const { folders } = await json<{ folders: ApiFolder[] }>(await get("/api/v1/folders", SANDBOX_KEYS.secondTenant));
    expect(folders.map((f) => f.name)).toEqual(["Invoices"]);
  });
});

describe("ids given to the store are checked like the spec's ids", () => {
  it("a malformed scripted id is refused; a good one is used", async () => {
    let next = "fld_Good123";
    const store = new SqliteMetadataStore(":memory:", { newId: () => next });
    try {
      next = "usr_Owner";
      const user = await store.createUser("owner");
      expect(user.id).toBe("usr_Owner");
      next = "fld_Good123";
      expect((await store.createFolder(user.id, { name: "A" })).id).toBe("fld_Good123");
      for (const bad of ["fld_", "fld_has space", "fld_../x", `fld_${"a".repeat(61)}`, "folder_x"]) {
        next = bad;
        await expect(store.createFolder(user.id, { name: "B" }), bad).rejects.toMatchObject({ kind: "invalid" });
      }
      expect((await store.listFolders(user.id)).length).toBe(1);
    } finally {
      await store.close();
    }
  });
});
