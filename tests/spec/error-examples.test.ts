/**
 * Every error example in openapi.yaml is what the reference server really answers: for each
 * operation and each error response it declares, the case the example describes is provoked on a
 * real server (tests/support/server.ts) and the answer's status, code and message are compared
 * with the example's. So a 400 example talks about its own operation, and the docs never show a
 * message the server does not send (the 413's wording, the 401's, the 409's…).
 *
 * A new example without a recipe below fails the run. Messages are compared exactly, except where
 * a number in them depends on the moment (the seconds of a 429) or on the server's configured
 * limit (a streamed 413, provoked on a server with a small limit).
 */
import { unlink } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildExampleRequest, type ExampleRequest } from "../support/example-requests.js";
import { type JsonObject, OpenApiOracle, type OperationInfo } from "../support/openapi-oracle.js";
import { startServer, type TestServer } from "../support/server.js";

const oracle = await OpenApiOracle.load();
const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** One error example an operation shows: its status, component, example name and message. */
interface ExampleCase {
  op: OperationInfo;
  status: number;
  component: string;
  example: string;
  code: string;
  message: string;
}

function exampleCases(): ExampleCase[] {
  const paths = oracle.raw.paths as JsonObject;
  const components = (oracle.raw.components as JsonObject).responses as JsonObject;
  const out: ExampleCase[] = [];
  for (const op of oracle.operations()) {
    const responses = ((paths[op.path] as JsonObject)[op.method] as JsonObject).responses as JsonObject;
    for (const [status, raw] of Object.entries(responses)) {
      if (!/^[45]\d\d$/.test(status) || !isObject(raw) || typeof raw.$ref !== "string") continue;
      const component = raw.$ref.replace("#/components/responses/", "");
      const media = ((components[component] as JsonObject).content as JsonObject)["application/json"] as JsonObject;
      for (const [example, ex] of Object.entries(media.examples as JsonObject)) {
        const error = ((ex as JsonObject).value as JsonObject).error as JsonObject;
        out.push({ op, status: Number(status), component, example, code: String(error.code), message: String(error.message) });
      }
    }
  }
  return out;
}

interface Answer {
  status: number;
  code?: string;
  message?: string;
}

interface Fixtures {
  srv: TestServer;
  /** A 21-byte text file of user A. */
  fileId: string;
  /** A folder of user A that holds a file. */
  fullFolderId: string;
}

const UNKNOWN_FILE = "file_doesNotExist0000000";
const UNKNOWN_FOLDER = "fld_doesNotExist00000000";

async function send(baseUrl: string, req: ExampleRequest): Promise<Answer> {
  const res = await fetch(baseUrl + req.path, {
    method: req.method,
    headers: req.headers,
    ...(req.body !== undefined ? { body: req.body } : {}),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (req.method === "HEAD" || text === "") return { status: res.status };
  const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
  return { status: res.status, code: body.error?.code, message: body.error?.message };
}

const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
const json = (key: string) => ({ ...bearer(key), "Content-Type": "application/json" });
const pathOf = (op: OperationInfo, id: string) => op.path.replace("{id}", id);

/** The example request of `op` (valid, with the given key), on another id when given. */
function exampleRequest(op: OperationInfo, key: string, id?: string): ExampleRequest {
  const req = buildExampleRequest(oracle, op, { apiKey: key });
  if (id === undefined) return req;
  return { ...req, path: pathOf(op, id) + (req.path.includes("?") ? req.path.slice(req.path.indexOf("?")) : "") };
}

function uploadForm(fields: Record<string, string>, withFile = true): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (withFile) form.append("file", new Blob(["Hello from AetherCDN!"], { type: "text/plain" }), "hello.txt");
  return form;
}

/** How to provoke one example (per operation), and what the message must then be. */
interface Recipe {
  run(op: OperationInfo, f: Fixtures): Promise<Answer>;
  /** The message the server must send, from the example's; default: the example's, exactly. */
  expected?(example: string, f: Fixtures): string | RegExp;
  /** Provoke it for one of the operations only (the same code path answers for every operation). */
  once?: true;
}

/** `text` as a pattern in which every number may be any number. */
const anyNumbers = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\d+/g, "\\d+")}$`);

const RECIPES: Record<string, Recipe> = {
  "ListFilesBadRequest/limitTooHigh": { run: (_op, f) => send(f.srv.baseUrl, { method: "GET", path: "/api/v1/files?limit=101", headers: bearer(f.srv.keys.full) }) },
  "ListFilesBadRequest/cursorWithOffset": {
    run: (_op, f) => send(f.srv.baseUrl, { method: "GET", path: "/api/v1/files?cursor=MjAyNg&offset=0", headers: bearer(f.srv.keys.full) }),
  },
  "UploadFileBadRequest/noFilePart": {
    run: (_op, f) =>
      send(f.srv.baseUrl, { method: "POST", path: "/api/v1/files/upload", headers: bearer(f.srv.keys.full), body: uploadForm({ description: "no file" }, false) }),
  },
  "FileIdBadRequest/invalidFileId": {
    run: (op, f) => send(f.srv.baseUrl, { method: op.method.toUpperCase(), path: pathOf(op, "nope"), headers: bearer(f.srv.keys.full) }),
  },
  "UpdateFileBadRequest/unknownField": {
    run: (op, f) => send(f.srv.baseUrl, { method: "PATCH", path: pathOf(op, f.fileId), headers: json(f.srv.keys.full), body: JSON.stringify({ size: 1 }) }),
  },
  "UpdateFileBadRequest/emptyChange": {
    run: (op, f) => send(f.srv.baseUrl, { method: "PATCH", path: pathOf(op, f.fileId), headers: json(f.srv.keys.full), body: "{}" }),
  },
  "ListFoldersBadRequest/unknownParameter": { run: (_op, f) => send(f.srv.baseUrl, { method: "GET", path: "/api/v1/folders?sort=name", headers: bearer(f.srv.keys.full) }) },
  "CreateFolderBadRequest/noName": { run: (_op, f) => send(f.srv.baseUrl, { method: "POST", path: "/api/v1/folders", headers: json(f.srv.keys.full), body: "{}" }) },
  "FolderIdBadRequest/invalidFolderId": {
    run: (op, f) => send(f.srv.baseUrl, { method: op.method.toUpperCase(), path: pathOf(op, "nope"), headers: bearer(f.srv.keys.full) }),
  },
  "GetUserStatsBadRequest/unknownParameter": {
    run: (_op, f) => send(f.srv.baseUrl, { method: "GET", path: "/api/v1/user/stats?period=month", headers: bearer(f.srv.keys.full) }),
  },
  "HealthBadRequest/unknownParameter": { run: (_op, f) => send(f.srv.baseUrl, { method: "GET", path: "/api/v1/health?verbose=1", headers: {} }) },
  "Unauthorized/unauthorized": { run: (op, f) => send(f.srv.baseUrl, buildExampleRequest(oracle, op, { auth: "none" })) },
  "ReadForbidden/forbidden": { run: (op, f) => send(f.srv.baseUrl, exampleRequest(op, f.srv.keys.writeOnly)) },
  "WriteForbidden/forbidden": { run: (op, f) => send(f.srv.baseUrl, exampleRequest(op, f.srv.keys.readOnly)) },
  "StatsForbidden/forbidden": { run: (op, f) => send(f.srv.baseUrl, exampleRequest(op, f.srv.keys.readOnly)) },
  "FileNotFound/fileNotFound": { run: (op, f) => send(f.srv.baseUrl, exampleRequest(op, f.srv.keys.full, UNKNOWN_FILE)) },
  "FolderNotFound/folderNotFound": {
    run: (op, f) => {
      const key = f.srv.keys.full;
      switch (op.operationId) {
        case "listFiles":
          return send(f.srv.baseUrl, { method: "GET", path: `/api/v1/files?folderId=${UNKNOWN_FOLDER}`, headers: bearer(key) });
        case "uploadFile":
          return send(f.srv.baseUrl, { method: "POST", path: op.path, headers: bearer(key), body: uploadForm({ folderId: UNKNOWN_FOLDER }) });
        case "createFolder":
          return send(f.srv.baseUrl, { method: "POST", path: op.path, headers: json(key), body: JSON.stringify({ name: "x", parentId: UNKNOWN_FOLDER }) });
        default:
          return send(f.srv.baseUrl, exampleRequest(op, key, UNKNOWN_FOLDER));
      }
    },
  },
  "UpdateFileNotFound/fileNotFound": { run: (op, f) => send(f.srv.baseUrl, exampleRequest(op, f.srv.keys.full, UNKNOWN_FILE)) },
  "UpdateFileNotFound/folderNotFound": {
    run: (op, f) =>
      send(f.srv.baseUrl, { method: "PATCH", path: pathOf(op, f.fileId), headers: json(f.srv.keys.full), body: JSON.stringify({ folderId: UNKNOWN_FOLDER }) }),
  },
  "Conflict/folderNotEmpty": { run: (op, f) => send(f.srv.baseUrl, { method: "DELETE", path: pathOf(op, f.fullFolderId), headers: bearer(f.srv.keys.full) }) },
  "UnsupportedMediaType/unsupportedMediaType": {
    run: (op, f) => {
      const id = op.path.includes("{id}") ? f.fileId : "";
      return send(f.srv.baseUrl, { method: op.method.toUpperCase(), path: pathOf(op, id), headers: { ...bearer(f.srv.keys.full), "Content-Type": "text/plain" }, body: "x" });
    },
  },
  "RangeNotSatisfiable/rangeNotSatisfiable": {
    run: (op, f) => send(f.srv.baseUrl, { method: op.method.toUpperCase(), path: pathOf(op, f.fileId), headers: { ...bearer(f.srv.keys.full), Range: "bytes=100-" } }),
  },
  "PayloadTooLarge/declaredLength": {
    once: true,
    // A declared length over the limit is refused before a byte of the body is read.
    run: (_op, f) =>
      new Promise<Answer>((resolve, reject) => {
        const url = new URL(`${f.srv.baseUrl}/api/v1/files/upload`);
        const req = httpRequest(url, {
          method: "POST",
          headers: {
            ...bearer(f.srv.keys.full),
            "Content-Type": "multipart/form-data; boundary=x",
            "Content-Length": String(f.srv.config.maxUploadBytes + 2 * 1024 * 1024),
          },
        });
        req.on("response", (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (d: string) => (text += d));
          res.on("end", () => {
            const body = JSON.parse(text) as { error: { code: string; message: string } };
            resolve({ status: res.statusCode ?? 0, code: body.error.code, message: body.error.message });
            req.destroy();
          });
        });
        req.on("error", reject);
        req.flushHeaders();
      }),
  },
  "PayloadTooLarge/streamed": {
    once: true,
    // Over the limit while streaming: provoked on a server whose limit is 1000 bytes.
    run: async () => {
      const small = await startServer({ maxUploadBytes: 1000 });
      try {
        const form = new FormData();
        form.append("file", new Blob([new Uint8Array(5000)]), "big.bin");
        return await send(small.baseUrl, { method: "POST", path: "/api/v1/files/upload", headers: bearer(small.keys.full), body: form });
      } finally {
        await small.close();
      }
    },
    expected: (example) => example.replace("5368709120", "1000"),
  },
  "InsufficientStorage/full": {
    once: true,
    run: async () => {
      const full = await startServer({ minFreeBytes: Number.MAX_SAFE_INTEGER });
      try {
        return await send(full.baseUrl, { method: "POST", path: "/api/v1/files/upload", headers: bearer(full.keys.full), body: uploadForm({}) });
      } finally {
        await full.close();
      }
    },
  },
  "RateLimited/rateLimited": {
    once: true,
    run: async () => {
      const limited = await startServer({ rateLimitPerMinute: 1 });
      try {
        const req = { method: "GET", path: "/api/v1/folders", headers: bearer(limited.keys.full) };
        await send(limited.baseUrl, req);
        return await send(limited.baseUrl, req);
      } finally {
        await limited.close();
      }
    },
    // "Too many requests, retry in N seconds": N is the time left in the window.
    expected: (example) => anyNumbers(example),
  },
  "ServerError/serverError": {
    once: true,
    // A file whose bytes are gone from the blob store: an integrity failure, answered 500.
    run: async (_op, f) => {
      const id = await uploadHello(f.srv);
      const doomed = await f.srv.storage.metadata.getFile(f.srv.users.main, id);
      const local = f.srv.storage.blobs.localPath(doomed.blobKey);
      if (!local) throw new Error("the test server's blob store has no local paths");
      await unlink(local);
      return send(f.srv.baseUrl, { method: "GET", path: `/api/v1/files/${id}/download`, headers: bearer(f.srv.keys.full) });
    },
  },
};

async function uploadHello(srv: TestServer, folderId?: string): Promise<string> {
  const res = await fetch(`${srv.baseUrl}/api/v1/files/upload`, {
    method: "POST",
    headers: bearer(srv.keys.full),
    body: uploadForm(folderId ? { folderId } : {}),
  });
  const body = (await res.json()) as { file: { id: string } };
  return body.file.id;
}

let fixtures: Fixtures;

beforeAll(async () => {
  const srv = await startServer();
  const fileId = await uploadHello(srv);
  const folder = (await (
    await fetch(`${srv.baseUrl}/api/v1/folders`, { method: "POST", headers: json(srv.keys.full), body: JSON.stringify({ name: "Full" }) })
  ).json()) as { folder: { id: string } };
  await uploadHello(srv, folder.folder.id);
  fixtures = { srv, fileId, fullFolderId: folder.folder.id };
}, 60_000);

afterAll(async () => {
  await fixtures?.srv.close();
});

const cases = exampleCases();
const key = (c: ExampleCase) => `${c.component}/${c.example}`;
const done = new Set<string>();
const runs = cases.filter((c) => {
  if (!RECIPES[key(c)]?.once) return true;
  if (done.has(key(c))) return false;
  done.add(key(c));
  return true;
});

describe("every error example is the reference server's answer", () => {
  it("every error example of the spec has a recipe here, and every recipe an example", () => {
    expect(cases.length).toBeGreaterThan(50);
    expect([...new Set(cases.map(key))].filter((k) => !RECIPES[k])).toEqual([]);
    expect(Object.keys(RECIPES).filter((k) => !cases.some((c) => key(c) === k))).toEqual([]);
  });

  it.each(runs.map((c) => [`${c.op.operationId} ${c.status} ${key(c)}`, c] as const))("%s", { timeout: 60_000 }, async (_name, c) => {
    const recipe = RECIPES[key(c)];
    if (!recipe) throw new Error(`no recipe for ${key(c)}`);
    const answer = await recipe.run(c.op, fixtures);
    expect(answer.status).toBe(c.status);
    if (c.op.method === "head") {
      // A HEAD answer has no body: its status is what can be compared.
      expect(answer.message).toBeUndefined();
      return;
    }
    expect(answer.code).toBe(c.code);
    const expected = recipe.expected?.(c.message, fixtures) ?? c.message;
    if (typeof expected === "string") expect(answer.message).toBe(expected);
    else expect(answer.message).toMatch(expected);
  });
});
