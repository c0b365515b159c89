/**
 * The examples of openapi.yaml tell one story, so the Prism mock (scripts/mock.js) does not
 * contradict itself: they describe one account (every file and folder any example shows, the
 * same record wherever its id appears), and each operation's answer agrees with it. One rule per
 * operation, checked on what the mock really answers, for EVERY operation (a table below must
 * name each operationId):
 *
 * - listFiles: the page holds every file of the account, newest first, and its pagination is
 *   complete (`total` = offset + files, `nextCursor` null), so a cursor walk ends after it;
 * - uploadFile: the stored file echoes the request example (folder, description, tags parsed as
 *   the server parses them; a name whose extension gives its media type);
 * - getFile / deleteFile: the path's example id is a file of the account, and getFile answers it;
 * - updateFile: the answer is that file with the request example's fields applied, later updatedAt;
 * - downloadFile / downloadFileHead: bytes, size, media type, name, ETag (SHA-256) and
 *   Last-Modified are those of the file the path's id names; a range answer is the range's bytes;
 * - listFolders: every folder of the account, sorted by name; createFolder echoes its request example;
 * - deleteFolder: the path's example id is an empty folder (the real server would delete it);
 * - getUserStats: the account's totals, with the human sizes the spec's format gives;
 * - getHealth: the version is the contract's `info.version`;
 * and every operation's 400 (an invalid request, or `Prefer: code=400`) is that operation's own example.
 */
import { createHash } from "node:crypto";
import { lookup } from "mime-types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatBytes } from "../../server/format/humanSize.js";
import { parseTags } from "../../server/format/tags.js";
import { buildExampleRequest, type ExampleRequest } from "../support/example-requests.js";
import { type JsonObject, OpenApiOracle, type OperationInfo } from "../support/openapi-oracle.js";
import type { ApiFile, ApiFolder } from "../support/http.js";
import { startPrism, type PrismProcess } from "../support/prism.js";

const oracle = await OpenApiOracle.load();
const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** The named example values of an operation's response (status, media type), in order. */
function responseExamples(operationId: string, status: string, mediaType = "application/json"): [string, unknown][] {
  const op = oracle.operationById(operationId);
  const media = (op.responses[status]?.content as JsonObject | undefined)?.[mediaType];
  if (!isObject(media) || !isObject(media.examples)) return [];
  return Object.entries(media.examples).map(([name, ex]) => [name, (ex as JsonObject).value]);
}
function requestExamples(operationId: string, mediaType: string): unknown[] {
  const body = oracle.operationById(operationId).operation.requestBody as JsonObject;
  const media = (body.content as JsonObject)[mediaType] as JsonObject;
  return Object.values(media.examples as JsonObject).map((ex) => (ex as JsonObject).value);
}
function pathExample(operationId: string): string {
  const p = oracle.operationById(operationId).parameters.find((x) => x.in === "path");
  return String(p?.example);
}

/** The account the examples describe: every file and folder any example shows, by id. */
function account() {
  const files = new Map<string, ApiFile[]>();
  const add = (f: unknown) => {
    const file = f as ApiFile;
    files.set(file.id, [...(files.get(file.id) ?? []), file]);
  };
  for (const [, v] of responseExamples("listFiles", "200")) for (const f of (v as { files: unknown[] }).files) add(f);
  for (const op of ["getFile", "uploadFile"]) for (const [, v] of responseExamples(op, op === "uploadFile" ? "201" : "200")) add((v as { file: unknown }).file);
  const folders = new Map<string, ApiFolder[]>();
  const addFolder = (f: unknown) => folders.set((f as ApiFolder).id, [...(folders.get((f as ApiFolder).id) ?? []), f as ApiFolder]);
  for (const [, v] of responseExamples("listFolders", "200")) for (const f of (v as { folders: unknown[] }).folders) addFolder(f);
  for (const [, v] of responseExamples("createFolder", "201")) addFolder((v as { folder: unknown }).folder);
  return { files, folders };
}

const { files: fileVersions, folders: folderVersions } = account();
const files = new Map([...fileVersions].map(([id, v]) => [id, v[0]!]));
const folders = new Map([...folderVersions].map(([id, v]) => [id, v[0]!]));
const newestFirst = (a: ApiFile, b: ApiFile) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1);

let mock: PrismProcess | undefined;
beforeAll(async () => {
  mock = await startPrism({ script: true });
}, 60_000);
afterAll(async () => {
  await mock?.close();
});

interface Answer {
  status: number;
  headers: Headers;
  bytes: Buffer;
  json: unknown;
}
async function send(req: ExampleRequest, extra: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(mock!.baseUrl + req.path, {
    method: req.method,
    headers: { ...req.headers, ...extra },
    ...(req.body !== undefined ? { body: req.body } : {}),
    signal: AbortSignal.timeout(15_000),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, bytes, json };
}
const example = (operationId: string) => send(buildExampleRequest(oracle, oracle.operationById(operationId)));

describe("the examples describe one account", () => {
  it("each file and folder id is the same record wherever an example shows it", () => {
    expect(files.size).toBeGreaterThan(1);
    expect(folders.size).toBeGreaterThan(1);
    for (const [id, versions] of [...fileVersions, ...folderVersions]) for (const v of versions) expect(v, id).toEqual(versions[0]);
  });

  it("files sit in folders of the account; folders' parents are folders of the account; urls name their file", () => {
    for (const f of files.values()) {
      if (f.folderId !== null) expect(folders.has(f.folderId), `${f.id} in ${f.folderId}`).toBe(true);
      expect(f.url).toMatch(new RegExp(`/api/v1/files/${f.id}/download$`));
      expect(f.updatedAt >= f.createdAt).toBe(true);
    }
    for (const d of folders.values()) if (d.parentId !== null) expect(folders.has(d.parentId), `${d.id} in ${d.parentId}`).toBe(true);
  });

  it("the parameter examples name things of the account: folderId, cursor, file and folder ids", () => {
    const list = oracle.operationById("listFiles").parameters;
    expect(folders.has(String(list.find((p) => p.name === "folderId")?.example))).toBe(true);
    const cursor = Buffer.from(String(list.find((p) => p.name === "cursor")?.example), "base64url").toString("utf8");
    const [createdAt, id] = cursor.split("|");
    expect(files.get(id ?? "")?.createdAt, `cursor ${cursor}`).toBe(createdAt);
    expect(files.has(pathExample("getFile"))).toBe(true);
    expect(folders.has(pathExample("deleteFolder"))).toBe(true);
  });
});

/** One consistency rule per operation, on the mock's answer. */
const RULES: Record<string, () => Promise<void>> = {
  async listFiles() {
    const a = await example("listFiles");
    const page = a.json as { files: ApiFile[]; pagination: { total: number; limit: number; offset: number; nextCursor: string | null } };
    expect(page.files).toEqual([...files.values()].sort(newestFirst));
    expect(page.files.length).toBeLessThanOrEqual(page.pagination.limit);
    expect(page.pagination.total).toBe(page.pagination.offset + page.files.length);
    expect(page.pagination.nextCursor).toBeNull();
    // Every list example is a complete page too (what `Prefer: example=…` selects).
    for (const [name, v] of responseExamples("listFiles", "200")) {
      const p = v as typeof page;
      expect(p.pagination.total, name).toBe(p.pagination.offset + p.files.length);
      expect(p.pagination.nextCursor, name).toBeNull();
    }
  },
  async uploadFile() {
    const a = await example("uploadFile");
    expect(a.status).toBe(201);
    const file = (a.json as { file: ApiFile }).file;
    expect(file).toEqual(files.get(file.id));
    const sent = requestExamples("uploadFile", "multipart/form-data")[0] as Record<string, string>;
    expect(file.folderId).toBe(sent.folderId ?? null);
    expect(file.description).toBe(sent.description ?? null);
    expect(file.tags).toEqual(parseTags(sent.tags ?? ""));
    expect(lookup(file.name)).toBe(file.mimeType);
    expect(file.createdAt).toBe(file.updatedAt);
  },
  async getFile() {
    const a = await example("getFile");
    expect((a.json as { file: ApiFile }).file).toEqual(files.get(pathExample("getFile")));
  },
  async updateFile() {
    const a = await example("updateFile");
    const before = files.get(pathExample("updateFile"));
    expect(before).toBeDefined();
    const change = requestExamples("updateFile", "application/json")[0] as Partial<ApiFile>;
    const after = (a.json as { file: ApiFile }).file;
    expect(after).toEqual({ ...before, ...change, updatedAt: after.updatedAt });
    expect(after.updatedAt > before!.updatedAt).toBe(true);
  },
  async deleteFile() {
    expect(files.has(pathExample("deleteFile"))).toBe(true);
    const a = await example("deleteFile");
    expect(a.json).toEqual({ success: true });
  },
  async downloadFile() {
    const file = files.get(pathExample("downloadFile"))!;
    expect(file).toBeDefined();
    const a = await example("downloadFile");
    expect(a.status).toBe(200);
    expect(a.bytes.length).toBe(file.size);
    expect(createHash("sha256").update(a.bytes).digest("hex")).toBe(file.sha256);
    expect(a.headers.get("content-type")).toBe(file.mimeType);
    expectFileHeaders(a.headers, file);
    expect(a.headers.get("content-length")).toBe(String(file.size));
    // The range example: the bytes Content-Range names.
    const op = oracle.operationById("downloadFile");
    const range = String(op.parameters.find((p) => p.name === "Range")?.example);
    const r = await send({ ...buildExampleRequest(oracle, op), headers: { ...buildExampleRequest(oracle, op).headers, Range: range } }, { Prefer: "code=206" });
    expect(r.status).toBe(206);
    const [, start, end, total] = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(r.headers.get("content-range") ?? "") ?? [];
    expect(`bytes=${start}-${end}`).toBe(range);
    expect(Number(total)).toBe(file.size);
    expect(r.bytes.toString("latin1")).toBe(a.bytes.subarray(Number(start), Number(end) + 1).toString("latin1"));
    // The 416 example names the same size.
    const [, notSatisfiable] = responseExamples("downloadFile", "416")[0]!;
    expect((notSatisfiable as { error: { message: string } }).error.message).toContain(`${file.size} bytes`);
  },
  async downloadFileHead() {
    const file = files.get(pathExample("downloadFileHead"))!;
    const a = await example("downloadFileHead");
    expect(a.status).toBe(200);
    expect(a.bytes.length).toBe(0);
    expectFileHeaders(a.headers, file);
    expect(a.headers.get("content-length")).toBe(String(file.size));
  },
  async listFolders() {
    const a = await example("listFolders");
    expect((a.json as { folders: ApiFolder[] }).folders).toEqual([...folders.values()].sort((x, y) => x.name.localeCompare(y.name)));
  },
  async createFolder() {
    const a = await example("createFolder");
    const folder = (a.json as { folder: ApiFolder }).folder;
    expect(folder).toEqual(folders.get(folder.id));
    const sent = requestExamples("createFolder", "application/json")[0] as { name: string; parentId?: string };
    expect({ name: folder.name, parentId: folder.parentId }).toEqual({ name: sent.name, parentId: sent.parentId ?? null });
  },
  async deleteFolder() {
    const id = pathExample("deleteFolder");
    expect(folders.has(id)).toBe(true);
    expect([...files.values()].filter((f) => f.folderId === id), "files in the folder deleted").toEqual([]);
    expect([...folders.values()].filter((f) => f.parentId === id), "folders in the folder deleted").toEqual([]);
    const a = await example("deleteFolder");
    expect(a.json).toEqual({ success: true });
  },
  async getUserStats() {
    const a = await example("getUserStats");
    const stats = (a.json as { stats: Record<string, number | string> }).stats;
    const totalSize = [...files.values()].reduce((n, f) => n + f.size, 0);
    expect(stats.totalFiles).toBe(files.size);
    expect(stats.totalFolders).toBe(folders.size);
    expect(stats.totalSize).toBe(totalSize);
    expect(stats.storageUsed).toBe(formatBytes(totalSize));
    expect(stats.bandwidthUsed).toBe(formatBytes(Number(stats.bandwidthUsedBytes)));
  },
  async getHealth() {
    const a = await example("getHealth");
    expect((a.json as { version: string }).version).toBe((oracle.raw.info as JsonObject).version);
  },
};

function expectFileHeaders(headers: Headers, file: ApiFile) {
  expect(headers.get("etag")).toBe(`"${file.sha256}"`);
  expect(headers.get("content-disposition")).toBe(`attachment; filename="${file.name}"`);
  expect(headers.get("last-modified")).toBe(new Date(file.createdAt).toUTCString());
}

/** A request each operation refuses (as Prism validates it), for its own 400. */
const INVALID: Record<string, (req: ExampleRequest) => ExampleRequest> = {
  listFiles: (req) => ({ ...req, path: "/api/v1/files?limit=500" }),
  uploadFile: (req) => ({ ...req, body: new FormData() }),
  getFile: (req) => ({ ...req, path: "/api/v1/files/nope" }),
  updateFile: (req) => ({ ...req, body: JSON.stringify({ size: 1 }) }),
  deleteFile: (req) => ({ ...req, path: "/api/v1/files/nope" }),
  downloadFile: (req) => ({ ...req, path: "/api/v1/files/nope/download" }),
  createFolder: (req) => ({ ...req, body: "{}" }),
  deleteFolder: (req) => ({ ...req, path: "/api/v1/folders/nope" }),
};

const ops = oracle.operations();

describe("the mock answers each operation consistently with the account", () => {
  it("there is a rule for every operation", () => {
    expect(ops.map((o) => o.operationId).filter((id) => !RULES[id ?? ""])).toEqual([]);
  });

  it.each(ops.map((o) => [o.operationId!, o] as const))("%s", { timeout: 30_000 }, async (id) => {
    await RULES[id]!();
  });
});

describe("each operation's 400 is its own example", () => {
  const firstMessage = (op: OperationInfo) => {
    const [, value] = responseExamples(op.operationId!, "400")[0] ?? [];
    return (value as { error?: { message?: string } } | undefined)?.error?.message;
  };

  it("no two operations with different inputs share one 400 example", () => {
    const byMessage = new Map<string, string[]>();
    for (const op of ops) if (op.method !== "head") byMessage.set(firstMessage(op)!, [...(byMessage.get(firstMessage(op)!) ?? []), op.operationId!]);
    // Operations whose only input is the same file id share the id's example.
    const shared = [...byMessage.values()].filter((ids) => ids.length > 1);
    expect(shared).toEqual([["getFile", "deleteFile", "downloadFile"]]);
  });

  it.each(ops.filter((o) => o.method !== "head").map((o) => [o.operationId!, o] as const))("%s", { timeout: 30_000 }, async (id, op) => {
    const expected = firstMessage(op);
    expect(expected, `${id} declares a 400 example`).toBeDefined();
    const base = buildExampleRequest(oracle, op);
    const invalid = INVALID[id];
    const a = invalid ? await send(invalid(base)) : await send(base, { Prefer: "code=400" });
    expect(a.status).toBe(400);
    expect((a.json as { error: { message: string } }).error.message).toBe(expected);
  });
});
