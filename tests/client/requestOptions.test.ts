// Per-call `headers` and `signal` on every helper of aethercdn/client (Node entry, from source),
// against the sandbox, whose `Prefer` scenarios make the effect visible: the headers reach the
// server on that call only (in any form fetch takes), a `Prefer: code=N` comes back as the
// AetherApiError N, `retry: false` turns a 429 into an immediate error, and the signal cancels a
// call the sandbox holds with `Prefer: delay`.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AetherApiError, createAetherClient, type AetherNodeClient, type RequestOptions } from "../../client/node.js";
import { startSandbox, type RunningSandbox } from "../../server/sandbox/start.js";

let sandbox: RunningSandbox;
let work: string;
const FILE = "file_nGaT9xthxccNW2k4gD7V";
const FOLDER = "fld_StpTj3IlPGzQ4V1l7NfQ";

beforeAll(async () => {
  sandbox = await startSandbox({ env: { SANDBOX_PORT: "0", LOG_LEVEL: "silent" } });
  work = await mkdtemp(join(tmpdir(), "aether-request-options-"));
});
afterAll(async () => {
  await sandbox?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** A client whose requests are recorded (method, URL, headers) before they go to the sandbox. */
function recorded(options: { retry?: false | { retries: number } } = {}) {
  const seen: { method: string; url: string; headers: Headers }[] = [];
  const client = createAetherClient({
    baseUrl: sandbox.baseUrl,
    apiKey: sandbox.keys.full,
    ...(options.retry !== undefined && { retry: options.retry }),
    fetch: (req) => {
      seen.push({ method: req.method, url: req.url, headers: new Headers(req.headers) });
      return fetch(req);
    },
  });
  return { client, seen };
}

/** Every helper, called with `options`; each resolves (or rejects) as the server answers. */
function everyHelper(c: AetherNodeClient, options: RequestOptions): Record<string, () => Promise<unknown>> {
  return {
    uploadFile: () => c.uploadFile({ file: new Blob(["hello"], { type: "text/plain" }), name: "h.txt", ...options }),
    downloadFile: async () => (await c.downloadFile(FILE, options)).body.cancel(),
    downloadFileToPath: () => c.downloadFileToPath(FILE, join(work, "d.jpg"), options),
    getFile: () => c.getFile(FILE, options),
    updateFile: () => c.updateFile(FILE, { description: "changed" }, options),
    deleteFile: () => c.deleteFile(FILE, options),
    listFiles: () => c.listFiles({ limit: 1 }, options),
    iterateFiles: async () => {
      for await (const _ of c.iterateFiles({ pageSize: 1, ...options })) break;
    },
    listFolders: () => c.listFolders(options),
    createFolder: () => c.createFolder({ name: "New" }, options),
    deleteFolder: () => c.deleteFolder(FOLDER, options),
    getUserStats: () => c.getUserStats(options),
  };
}

describe("per-call headers", () => {
  it("every helper sends them on that call, beside the API key, and not on the next call", async () => {
    await sandbox.reset();
    const { client, seen } = recorded();
    const withHeader = everyHelper(client, { headers: { "X-Trace": "per-call" } });
    const without = everyHelper(client, {});
    for (const [name, call] of Object.entries(withHeader)) {
      await sandbox.reset();
      const before = seen.length;
      await call();
      const mine = seen.slice(before);
      expect(mine.length, name).toBeGreaterThan(0);
      for (const r of mine) {
        expect(r.headers.get("x-trace"), `${name} ${r.method} ${r.url}`).toBe("per-call");
        expect(r.headers.get("authorization"), name).toBe(`Bearer ${sandbox.keys.full}`);
      }
      const after = seen.length;
      await sandbox.reset();
      await without[name]!();
      for (const r of seen.slice(after)) expect(r.headers.get("x-trace"), `${name} without headers`).toBeNull();
    }
  });

  it("take any form fetch takes: an object, Headers, [name, value] pairs", async () => {
    const { client, seen } = recorded();
    await client.getFile(FILE, { headers: new Headers({ "X-Form": "headers" }) });
    await client.getFile(FILE, { headers: [["X-Form", "pairs"]] });
    await client.getFile(FILE, { headers: { "X-Form": "object" } });
    expect(seen.map((r) => r.headers.get("x-form"))).toEqual(["headers", "pairs", "object"]);
  });

  it("an upload keeps its multipart Content-Type", async () => {
    const { client, seen } = recorded();
    const file = await client.uploadFile({ file: new Blob(["x"]), name: "x.txt", headers: { "Content-Type": "text/plain" } });
    expect(file.name).toBe("x.txt");
    expect(seen[0]!.headers.get("content-type")).toMatch(/^multipart\/form-data; boundary=/);
  });

  it("Prefer: code=500 through every helper comes back as AetherApiError 500, and nothing changes", async () => {
    await sandbox.reset();
    const client = createAetherClient({ baseUrl: sandbox.baseUrl, apiKey: sandbox.keys.full });
    for (const [name, call] of Object.entries(everyHelper(client, { headers: { Prefer: "code=500" } }))) {
      const err = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, name).toBeInstanceOf(AetherApiError);
      expect((err as AetherApiError).status, name).toBe(500);
      expect((err as AetherApiError).code, name).toBe("server_error");
    }
    expect((await client.getFile(FILE)).description).toBe("My photo");
    expect((await client.listFolders()).map((f) => f.id)).toContain(FOLDER);
  });

  it("each helper's own declared errors: upload 413, folder delete 409, download 416", async () => {
    const client = createAetherClient({ baseUrl: sandbox.baseUrl, apiKey: sandbox.keys.full });
    const codes = async (fn: () => Promise<unknown>) => fn().then(() => "resolved", (e: AetherApiError) => `${e.status} ${e.code}`);
    expect(await codes(() => client.uploadFile({ file: new Blob(["x"]), name: "x", headers: { Prefer: "code=413" } }))).toBe("413 payload_too_large");
    expect(await codes(() => client.deleteFolder(FOLDER, { headers: { Prefer: "code=409" } }))).toBe("409 conflict");
    expect(await codes(() => client.downloadFile(FILE, { headers: { Prefer: "code=416" } }))).toBe("416 range_not_satisfiable");
    // A code the operation does not declare is the sandbox's 400.
    expect(await codes(() => client.getUserStats({ headers: { Prefer: "code=409" } }))).toBe("400 bad_request");
  });
});

describe("429 and retries", () => {
  it("retry: false: one request, the error at once", async () => {
    const { client, seen } = recorded({ retry: false });
    const started = performance.now();
    const err = await client.listFiles({}, { headers: { Prefer: "code=429" } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AetherApiError);
    expect((err as AetherApiError).status).toBe(429);
    expect(seen.length).toBe(1);
    expect(performance.now() - started).toBeLessThan(900);
  });

  it("by default the client waits Retry-After (1 s in the sandbox) and tries again", { timeout: 15_000 }, async () => {
    const { client, seen } = recorded({ retry: { retries: 1 } });
    const started = performance.now();
    const err = await client.getUserStats({ headers: { Prefer: "code=429" } }).catch((e: unknown) => e);
    expect((err as AetherApiError).code).toBe("rate_limited");
    expect(seen.length).toBe(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    for (const r of seen) expect(r.headers.get("prefer")).toBe("code=429");
  });
});

describe("per-call signal", () => {
  it("cancels every helper while the sandbox holds the request (Prefer: delay)", { timeout: 30_000 }, async () => {
    const client = createAetherClient({ baseUrl: sandbox.baseUrl, apiKey: sandbox.keys.full });
    for (const name of Object.keys(everyHelper(client, {}))) {
      const signal = AbortSignal.timeout(200);
      const call = everyHelper(client, { headers: { Prefer: "delay=5000" }, signal })[name]!;
      const started = performance.now();
      const err = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((err as Error | undefined)?.name, name).toMatch(/^(AbortError|TimeoutError)$/);
      expect(performance.now() - started, name).toBeLessThan(2_000);
    }
  });
});
