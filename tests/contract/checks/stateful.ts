/**
 * Stateful checks: `ensure_resource_availability` (an upload is then in get, list, download and
 * stats), `use_after_free` (a deleted id answers 404 everywhere), `tenant_isolation` (a second
 * tenant sees nothing of the first's) and `conflict_on_non_empty_folder`.
 */
import { createHash, randomBytes } from "node:crypto";
import type { RequestSpec } from "../exchange.js";
import type { RunContext } from "../runner.js";
import type { CheckName } from "../session.js";

type Json = Record<string, unknown>;

/** A request for `operationId` built from the spec's method and path template. */
function call(ctx: RunContext, operationId: string, key: string, opts: { id?: string; query?: Record<string, string>; body?: RequestSpec["body"] } = {}): RequestSpec {
  const op = ctx.oracle.operationById(operationId);
  return {
    method: op.method.toUpperCase(),
    path: op.path.replace(/\{[^}]+\}/g, encodeURIComponent(opts.id ?? "")),
    headers: op.security.length > 0 ? { Authorization: `Bearer ${key}` } : {},
    ...(opts.query && { query: opts.query }),
    ...(opts.body && { body: opts.body }),
  };
}

/** A new folder's body: inside the run's folder (when there is one; see workspace.ts). */
function folderBody(ctx: RunContext, name: string): RequestSpec["body"] {
  const home = ctx.session.workspace?.folder.id;
  return { kind: "json", value: { name, ...(home && { parentId: home }) } };
}

async function json(ctx: RunContext, req: RequestSpec): Promise<{ status: number; body: Json; bytes: Uint8Array }> {
  const { exchange } = await ctx.session.send(req);
  return { status: exchange.status, body: (exchange.json ?? {}) as Json, bytes: exchange.bytes };
}

function expect(ctx: RunContext, check: CheckName, operationId: string, ok: boolean, message: string, request: RequestSpec): void {
  ctx.session.record(check, ok, { operationId, message, request });
}

async function upload(ctx: RunContext, key: string, folderId?: string): Promise<{ file: Json; bytes: Uint8Array; request: RequestSpec; status: number }> {
  // Printable bytes: `prism proxy` re-encodes multipart bodies as UTF-8 and would corrupt others.
  const bytes = new TextEncoder().encode(randomBytes(1 + (randomBytes(1)[0] ?? 0) * 8).toString("base64"));
  const request = call(ctx, "uploadFile", key, {
    body: { kind: "multipart", fields: folderId ? [["folderId", folderId]] : [], file: { field: "file", name: "availability.bin", type: "application/octet-stream", bytes } },
  });
  const res = await json(ctx, request);
  return { file: (res.body.file ?? {}) as Json, bytes, request, status: res.status };
}

async function listAll(ctx: RunContext, key: string, folderId?: string): Promise<{ ids: Set<string>; status: number }> {
  const ids = new Set<string>();
  for (let offset = 0; offset < 100_000; ) {
    const res = await json(ctx, call(ctx, "listFiles", key, { query: { limit: "100", offset: String(offset), ...(folderId && { folderId }) } }));
    if (res.status !== 200) return { ids, status: res.status };
    const files = (res.body.files ?? []) as Json[];
    for (const f of files) ids.add(String(f.id));
    offset += files.length;
    if (files.length === 0 || offset >= Number((res.body.pagination as Json | undefined)?.total ?? 0)) break;
  }
  return { ids, status: 200 };
}

async function stats(ctx: RunContext, key: string): Promise<Json> {
  return ((await json(ctx, call(ctx, "getUserStats", key))).body.stats ?? {}) as Json;
}

/** Upload → get, list, folder list, download, stats all show it. */
export async function ensureResourceAvailability(ctx: RunContext): Promise<void> {
  const C = "ensure_resource_availability";
  const key = ctx.target.keys.main;
  const folder = ctx.known.folders[0];
  const before = await stats(ctx, key);
  const up = await upload(ctx, key, folder);
  expect(ctx, C, "uploadFile", up.status === 201, `upload answered ${up.status}`, up.request);
  if (up.status !== 201) return;
  const id = String(up.file.id);
  const get = await json(ctx, call(ctx, "getFile", key, { id }));
  expect(ctx, C, "getFile", get.status === 200 && JSON.stringify(get.body.file) === JSON.stringify(up.file), `getFile after upload: ${get.status}, body differs from the upload's answer`, call(ctx, "getFile", key, { id }));
  const all = await listAll(ctx, key);
  expect(ctx, C, "listFiles", all.ids.has(id), "the uploaded file is missing from listFiles", call(ctx, "listFiles", key));
  const inFolder = await listAll(ctx, key, folder);
  expect(ctx, C, "listFiles", inFolder.ids.has(id), "the uploaded file is missing from listFiles?folderId=", call(ctx, "listFiles", key, { query: { folderId: folder ?? "" } }));
  const dl = await json(ctx, call(ctx, "downloadFile", key, { id }));
  const sha = createHash("sha256").update(dl.bytes).digest("hex");
  expect(
    ctx,
    C,
    "downloadFile",
    dl.status === 200 && Buffer.from(dl.bytes).equals(Buffer.from(up.bytes)) && sha === up.file.sha256,
    `download: ${dl.status}, ${dl.bytes.byteLength} bytes, sha256 ${sha} vs file.sha256 ${String(up.file.sha256)}`,
    call(ctx, "downloadFile", key, { id }),
  );
  const after = await stats(ctx, key);
  const files = Number(after.totalFiles) - Number(before.totalFiles);
  const size = Number(after.totalSize) - Number(before.totalSize);
  expect(ctx, C, "getUserStats", files === 1 && size === up.bytes.byteLength, `stats moved by ${files} files / ${size} bytes after one upload of ${up.bytes.byteLength} bytes`, call(ctx, "getUserStats", key));
}

/** After delete, every operation on the id answers 404, and the file leaves the list. */
export async function useAfterFree(ctx: RunContext): Promise<void> {
  const C = "use_after_free";
  const key = ctx.target.keys.main;
  const up = await upload(ctx, key, ctx.session.workspace?.folder.id);
  if (up.status !== 201) return;
  const id = String(up.file.id);
  await json(ctx, call(ctx, "deleteFile", key, { id }));
  const probes: [string, RequestSpec][] = [
    ["getFile", call(ctx, "getFile", key, { id })],
    ["downloadFile", call(ctx, "downloadFile", key, { id })],
    ["downloadFileHead", call(ctx, "downloadFileHead", key, { id })],
    ["updateFile", call(ctx, "updateFile", key, { id, body: { kind: "json", value: { name: "zombie.txt" } } })],
    ["deleteFile", call(ctx, "deleteFile", key, { id })],
  ];
  for (const [operationId, req] of probes.filter(([id]) => ctx.covers(id))) {
    const res = await json(ctx, req);
    expect(ctx, C, operationId, res.status === 404, `deleted file answered ${res.status}`, req);
  }
  const all = await listAll(ctx, key);
  expect(ctx, C, "listFiles", !all.ids.has(id), "the deleted file is still listed", call(ctx, "listFiles", key));

  const created = await json(ctx, call(ctx, "createFolder", key, { body: folderBody(ctx, "use-after-free") }));
  const folderId = String((created.body.folder as Json | undefined)?.id ?? "");
  await json(ctx, call(ctx, "deleteFolder", key, { id: folderId }));
  const folderProbes: [string, RequestSpec][] = [
    ["deleteFolder", call(ctx, "deleteFolder", key, { id: folderId })],
    ["listFiles", call(ctx, "listFiles", key, { query: { folderId } })],
    ["createFolder", call(ctx, "createFolder", key, { body: { kind: "json", value: { name: "child", parentId: folderId } } })],
    ["uploadFile", call(ctx, "uploadFile", key, { body: { kind: "multipart", fields: [["folderId", folderId]], file: { field: "file", name: "x.txt", type: "text/plain", bytes: new Uint8Array([120]) } } })],
  ];
  for (const [operationId, req] of folderProbes) {
    const res = await json(ctx, req);
    expect(ctx, C, operationId, res.status === 404, `deleted folder answered ${res.status}`, req);
  }
}

/** A second tenant gets 404 for the first tenant's ids — the same 404 as for ids that never existed. */
export async function tenantIsolation(ctx: RunContext): Promise<void> {
  const C = "tenant_isolation";
  const a = ctx.target.keys.main;
  const b = ctx.target.keys.second;
  if (!b) {
    ctx.session.skip(C, "needs a second tenant's key (AETHER_API_KEY_2)");
    return;
  }
  const folder = await json(ctx, call(ctx, "createFolder", a, { body: folderBody(ctx, "tenant A") }));
  const folderId = String((folder.body.folder as Json | undefined)?.id ?? "");
  const up = await upload(ctx, a, folderId);
  const fileId = String(up.file.id);
  const ghostFile = "file_doesNotExist0000000";
  const ghostFolder = "fld_doesNotExist0000000";
  const strip = (body: Json) => JSON.stringify({ ...body, error: { ...(body.error as Json), requestId: undefined } });
  const fileOps: [string, (id: string) => RequestSpec][] = [
    ["getFile", (id) => call(ctx, "getFile", b, { id })],
    ["downloadFile", (id) => call(ctx, "downloadFile", b, { id })],
    ["downloadFileHead", (id) => call(ctx, "downloadFileHead", b, { id })],
    ["updateFile", (id) => call(ctx, "updateFile", b, { id, body: { kind: "json", value: { name: "stolen.txt" } } })],
    ["deleteFile", (id) => call(ctx, "deleteFile", b, { id })],
  ];
  const folderOps: [string, (id: string) => RequestSpec][] = [
    ["listFiles", (id) => call(ctx, "listFiles", b, { query: { folderId: id } })],
    ["deleteFolder", (id) => call(ctx, "deleteFolder", b, { id })],
    ["createFolder", (id) => call(ctx, "createFolder", b, { body: { kind: "json", value: { name: "intruder", parentId: id } } })],
    ["uploadFile", (id) => call(ctx, "uploadFile", b, { body: { kind: "multipart", fields: [["folderId", id]], file: { field: "file", name: "x.txt", type: "text/plain", bytes: new Uint8Array([120]) } } })],
  ];
  for (const [ops, real, ghost] of [[fileOps, fileId, ghostFile], [folderOps, folderId, ghostFolder]] as const) {
    for (const [operationId, make] of ops.filter(([id]) => ctx.covers(id))) {
      const theirs = await json(ctx, make(real));
      const missing = await json(ctx, make(ghost));
      const same = theirs.status === 404 && missing.status === 404 && (make(real).method === "HEAD" || strip(theirs.body) === strip(missing.body));
      expect(ctx, C, operationId, same, `another tenant's id answered ${theirs.status} ${strip(theirs.body)}; a missing id answered ${missing.status} ${strip(missing.body)}`, make(real));
    }
  }
  const theirList = await listAll(ctx, b);
  expect(ctx, C, "listFiles", !theirList.ids.has(fileId), "the second tenant's listFiles shows the first tenant's file", call(ctx, "listFiles", b));
  const still = await json(ctx, call(ctx, "getFile", a, { id: fileId }));
  expect(ctx, C, "getFile", still.status === 200 && (still.body.file as Json | undefined)?.name === up.file.name, `after the second tenant's attempts the owner sees ${still.status} ${JSON.stringify(still.body).slice(0, 120)}`, call(ctx, "getFile", a, { id: fileId }));
}

/** deleteFolder refuses a folder holding a file or a sub-folder with 409 `conflict`. */
export async function conflictOnNonEmptyFolder(ctx: RunContext): Promise<void> {
  const C = "conflict_on_non_empty_folder";
  const key = ctx.target.keys.main;
  const withFile = await json(ctx, call(ctx, "createFolder", key, { body: folderBody(ctx, "holds a file") }));
  const withFileId = String((withFile.body.folder as Json | undefined)?.id ?? "");
  await upload(ctx, key, withFileId);
  const parent = await json(ctx, call(ctx, "createFolder", key, { body: folderBody(ctx, "holds a folder") }));
  const parentId = String((parent.body.folder as Json | undefined)?.id ?? "");
  await json(ctx, call(ctx, "createFolder", key, { body: { kind: "json", value: { name: "child", parentId } } }));
  for (const id of [withFileId, parentId]) {
    const req = call(ctx, "deleteFolder", key, { id });
    const res = await json(ctx, req);
    const code = (res.body.error as Json | undefined)?.code;
    expect(ctx, C, "deleteFolder", res.status === 409 && code === "conflict", `non-empty folder: ${res.status} ${String(code)}`, req);
  }
}
