// `Prefer: code=N` and `Prefer: delay=MS` (server/sandbox/scenarios.ts): for every operation and
// every error status it declares, the sandbox answers that envelope as the spec describes it; an
// undeclared N is a 400 naming the declared ones; the operation is not carried out; a delay waits
// and is capped. And only in the sandbox: `npm start`'s app (in-process and as the real process)
// ignores Prefer.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_DELAY_MS } from "../../server/sandbox/scenarios.js";
import { startSandbox, type RunningSandbox } from "../../server/sandbox/start.js";
import { SANDBOX_KEYS } from "../../server/sandbox/tenants.js";
import { buildExampleRequest } from "../support/example-requests.js";
import { bearer, contract, expectConforms, expectError, json, type ApiFile } from "../support/http.js";
import type { OpenApiOracle, OperationInfo } from "../support/openapi-oracle.js";
import { spawnServer, printedKeys, type ServerProcess } from "../support/serverProcess.js";
import { startServer, type TestServer } from "../support/server.js";

let sandbox: RunningSandbox;
let oracle: OpenApiOracle;
const FILE = "file_nGaT9xthxccNW2k4gD7V";

beforeAll(async () => {
  oracle = await contract();
  sandbox = await startSandbox({ env: { SANDBOX_PORT: "0", LOG_LEVEL: "silent" } });
});
afterAll(async () => {
  await sandbox?.close();
});

/** The operation's example request against the sandbox, with extra headers. */
function send(op: OperationInfo, headers: Record<string, string>, key: string = SANDBOX_KEYS.full): Promise<Response> {
  const req = buildExampleRequest(oracle, op, { apiKey: key });
  return fetch(`${sandbox.baseUrl}${req.path}`, { method: req.method, headers: { ...req.headers, ...headers }, ...(req.body !== undefined && { body: req.body }) });
}

const errorStatuses = (op: OperationInfo) =>
  Object.keys(op.responses)
    .map(Number)
    .filter((s) => s >= 400)
    .sort((a, b) => a - b);

/** The `error` of the response's first example. */
function exampleError(op: OperationInfo, status: number): { code: string; message: string } {
  const content = op.responses[String(status)]?.content as Record<string, { examples?: Record<string, { value: { error: { code: string; message: string } } }> }>;
  const first = Object.values(content["application/json"]?.examples ?? {})[0];
  return first!.value.error;
}

describe("Prefer: code=N answers the declared envelope N", () => {
  it("for every operation and every error status it declares", { timeout: 60_000 }, async () => {
    let checked = 0;
    for (const op of oracle.operations()) {
      for (const status of errorStatuses(op)) {
        const res = await send(op, { Prefer: `code=${status}` });
        const label = `${op.operationId} Prefer: code=${status}`;
        if (op.method === "head") {
          expect(res.status, label).toBe(status);
          await expectConforms("HEAD", res, undefined);
        } else {
          const body = await expectError(res, status, exampleError(op, status).code, op.method.toUpperCase());
          expect(body.error.message, label).toBe(exampleError(op, status).message);
        }
        if (status === 401) expect(res.headers.get("www-authenticate"), label).toMatch(/^Bearer /);
        if (status === 429) expect(res.headers.get("retry-after"), label).toBe("1");
        if (status === 416) {
          const size = /(\d+) bytes/.exec(exampleError(op, status).message)?.[1];
          expect(size, `${label}: the 416 example names the file's size`).toBeDefined();
          expect(res.headers.get("content-range"), label).toBe(`bytes */${size}`);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it("does not carry the operation out", async () => {
    const del = await fetch(`${sandbox.baseUrl}/api/v1/files/${FILE}`, { method: "DELETE", headers: { ...bearer(SANDBOX_KEYS.full), Prefer: "code=500" } });
    await expectError(del, 500, "server_error", "DELETE");
    expect((await fetch(`${sandbox.baseUrl}/api/v1/files/${FILE}`, { headers: bearer(SANDBOX_KEYS.full) })).status).toBe(200);
  });

  it("an undeclared or non-error status is a 400 naming the declared ones", async () => {
    const op = oracle.operationById("getFile");
    const declared = errorStatuses(op).join(", ");
    for (const code of ["418", "409", "200", "abc", ""]) {
      const body = await expectError(await send(op, { Prefer: `code=${code}` }), 400, "bad_request", "GET");
      expect(body.error.message).toBe(`Prefer: code=${code} is not an error getFile declares; it declares ${declared}`);
    }
  });

  it("reads RFC 7240 syntax: other preferences, parameters, quotes, several headers", async () => {
    const op = oracle.operationById("getFile");
    for (const prefer of ['return=minimal, code="404"', "code=404;foo=bar", "respond-async, CODE=404", "example=x,code=404,dynamic=true"]) {
      await expectError(await send(op, { Prefer: prefer }), 404, "not_found", "GET");
    }
    expect((await send(op, { Prefer: "return=minimal, example=notFound" })).status).toBe(200);
  });

  it("a missing key still answers the real 401, a key without the scope the real 403", async () => {
    const res = await fetch(`${sandbox.baseUrl}/api/v1/files/${FILE}`, { headers: { Prefer: "code=404" } });
    await expectError(res, 401, "unauthorized", "GET");
    const stats = await fetch(`${sandbox.baseUrl}/api/v1/user/stats`, { headers: { ...bearer(SANDBOX_KEYS.readOnly), Prefer: "code=500" } });
    await expectError(stats, 403, "forbidden", "GET");
  });

  it("browsers may send Prefer from any origin (CORS)", async () => {
    const res = await fetch(`${sandbox.baseUrl}/api/v1/files`, {
      method: "OPTIONS",
      headers: { Origin: "http://localhost:5173", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization,prefer" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase().split(",")).toContain("prefer");
  });
});

describe("Prefer: delay=MS", () => {
  it("waits before answering, with code=N too", async () => {
    let t = performance.now();
    const ok = await fetch(`${sandbox.baseUrl}/api/v1/files`, { headers: { ...bearer(SANDBOX_KEYS.full), Prefer: "delay=400" } });
    expect(ok.status).toBe(200);
    expect(performance.now() - t).toBeGreaterThanOrEqual(390);
    t = performance.now();
    const slow429 = await fetch(`${sandbox.baseUrl}/api/v1/files`, { headers: { ...bearer(SANDBOX_KEYS.full), Prefer: "code=429, delay=300" } });
    await expectError(slow429, 429, "rate_limited", "GET");
    expect(performance.now() - t).toBeGreaterThanOrEqual(290);
  });

  it("a malformed delay is a 400", async () => {
    for (const delay of ["-1", "1.5", "soon", ""]) {
      const res = await fetch(`${sandbox.baseUrl}/api/v1/files`, { headers: { ...bearer(SANDBOX_KEYS.full), Prefer: `delay=${delay}` } });
      const body = await expectError(res, 400, "bad_request", "GET");
      expect(body.error.message).toContain("Prefer: delay must be a whole number of milliseconds");
    }
  });

  it(`is capped at ${MAX_DELAY_MS} ms`, { timeout: MAX_DELAY_MS + 15_000 }, async () => {
    const t = performance.now();
    const res = await fetch(`${sandbox.baseUrl}/api/v1/health`, { headers: { Prefer: "delay=600000" } });
    const took = performance.now() - t;
    expect(res.status).toBe(200);
    expect(took).toBeGreaterThanOrEqual(MAX_DELAY_MS - 10);
    expect(took).toBeLessThan(MAX_DELAY_MS + 5_000);
  });
});

describe("npm start ignores Prefer", () => {
  let srv: TestServer;
  let proc: ServerProcess | undefined;
  let dataDir: string | undefined;
  beforeAll(async () => {
    srv = await startServer({ corsOrigins: ["http://app.example"] });
  });
  afterAll(async () => {
    await srv?.close();
    proc?.child.kill("SIGTERM");
    await proc?.exited;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("createApp without the sandbox's extensions: no code, no delay, Prefer not allowed by CORS", async () => {
    const file = await (async () => {
      const form = new FormData();
      form.append("file", new Blob(["hi"], { type: "text/plain" }), "hi.txt");
      const res = await fetch(`${srv.baseUrl}/api/v1/files/upload`, { method: "POST", headers: bearer(srv.keys.full), body: form });
      return (await json<{ file: ApiFile }>(res, 201)).file;
    })();
    const t = performance.now();
    const res = await fetch(`${srv.baseUrl}/api/v1/files/${file.id}`, { headers: { ...bearer(srv.keys.full), Prefer: "code=404, delay=5000" } });
    expect(res.status).toBe(200);
    expect(performance.now() - t).toBeLessThan(2_000);
    const del = await fetch(`${srv.baseUrl}/api/v1/files/${file.id}`, { method: "DELETE", headers: { ...bearer(srv.keys.full), Prefer: "code=500" } });
    expect(del.status).toBe(200);
    expect((await fetch(`${srv.baseUrl}/__sandbox/reset`, { method: "POST" })).status).toBe(404);
    const preflight = await fetch(`${srv.baseUrl}/api/v1/files`, {
      method: "OPTIONS",
      headers: { Origin: "http://app.example", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization,prefer" },
    });
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase().split(",")).not.toContain("prefer");
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase().split(",")).toContain("authorization");
  });

  it("server/main.ts (what npm start runs) answers as if there were no Prefer", { timeout: 60_000 }, async () => {
    dataDir = await mkdtemp(join(tmpdir(), "aether-prefer-"));
    proc = await spawnServer(dataDir);
    const [key] = printedKeys(proc.stdout());
    expect(key).toBeDefined();
    const t = performance.now();
    const res = await fetch(`${proc.baseUrl}/api/v1/files`, { headers: { ...bearer(key!), Prefer: "code=500, delay=5000" } });
    expect(res.status).toBe(200);
    expect(performance.now() - t).toBeLessThan(2_000);
    expect((await fetch(`${proc.baseUrl}/api/v1/health`, { headers: { Prefer: "code=400" } })).status).toBe(200);
    expect((await fetch(`${proc.baseUrl}/__sandbox/reset`, { method: "POST" })).status).toBe(404);
  });
});
