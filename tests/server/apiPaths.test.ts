/**
 * The critical hole of the attack pass: Express matched `/API/v1/…` case-insensitively while the
 * validator (and with it every scope check) only ran for paths starting with the literal
 * `/api/`, so a read-only key deleted files. Now one exact definition of an API path is shared
 * by router, validator and scope checks; the scopes are checked again where each handler runs.
 */
import { request } from "node:http";
import type express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app.js";
import { bearer, uploadOk } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

let srv: TestServer;

beforeAll(async () => {
  srv = await startServer();
});
afterAll(() => srv?.close());

/** Sends `path` byte for byte (fetch and URL would normalise dot segments and case-fold nothing). */
function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(srv.baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const key = (k: string) => ({ "X-API-Key": k });

async function fileExists(id: string): Promise<boolean> {
  const res = await fetch(`${srv.baseUrl}/api/v1/files/${id}`, { headers: bearer(srv.keys.full) });
  await res.body?.cancel();
  return res.status === 200;
}

describe("letter case and other path shapes never bypass scope checks or validation", () => {
  it("DELETE /API/v1/files/{id} with a read-only key: 404 and the file stays (was 200, file deleted)", async () => {
    const file = await uploadOk(srv.baseUrl, srv.keys.full, { name: "keep.txt" });
    for (const path of [`/API/v1/files/${file.id}`, `/api/V1/files/${file.id}`, `/api/v1/FILES/${file.id}`, `/Api/v1/Files/${file.id}`]) {
      const res = await send("DELETE", path, key(srv.keys.readOnly));
      expect(res.status, path).toBe(404);
      expect(JSON.parse(res.text)).toMatchObject({ success: false, error: { code: "not_found" } });
    }
    expect(await fileExists(file.id)).toBe(true);
    const canonical = await send("DELETE", `/api/v1/files/${file.id}`, key(srv.keys.readOnly));
    expect(canonical.status).toBe(403);
    expect(await fileExists(file.id)).toBe(true);
  });

  it("/Api/v1/files/{id}/download with a user:read key does not return the bytes", async () => {
    const file = await uploadOk(srv.baseUrl, srv.keys.full, { name: "secret.txt", data: Buffer.from("top secret") });
    const res = await send("GET", `/Api/v1/files/${file.id}/download`, key(srv.keys.statsOnly));
    expect(res.status).toBe(404);
    expect(res.text).not.toContain("top secret");
  });

  it("/API/v1/user/stats with a files:write key: 404 (canonical: 403)", async () => {
    expect((await send("GET", "/API/v1/user/stats", key(srv.keys.writeOnly))).status).toBe(404);
    expect((await send("GET", "/api/v1/user/stats", key(srv.keys.writeOnly))).status).toBe(403);
  });

  it("PATCH /API/v1/files/{id} with a bad body is not stored unvalidated (was 500, then stored ../../etc/passwd)", async () => {
    const file = await uploadOk(srv.baseUrl, srv.keys.full, { name: "a.txt" });
    const headers = { ...key(srv.keys.full), "Content-Type": "application/json" };
    for (const body of ['{"name":123}', '{"name":"../../etc/passwd"}', '{"name":"invoice\\u202etxt.exe"}']) {
      expect((await send("PATCH", `/API/v1/files/${file.id}`, headers, body)).status).toBe(404);
      expect((await send("PATCH", `/api/v1/files/${file.id}`, headers, body)).status).toBe(400);
    }
    const list = await fetch(`${srv.baseUrl}/api/v1/files`, { headers: bearer(srv.keys.full) });
    expect(list.status).toBe(200);
    const names = ((await list.json()) as { files: { name: string }[] }).files.map((f) => f.name);
    expect(names).not.toContain("../../etc/passwd");
  });

  it.each([
    ["trailing slash", "/api/v1/files/"],
    ["doubled slash", "/api//v1/files"],
    ["leading doubled slash", "//api/v1/files"],
    ["percent-encoded letter", "/api/v1/%66iles"],
    ["percent-encoded slash", "/api%2Fv1/files"],
    ["dot segment", "/api/v1/./files"],
    ["dot-dot segment", "/api/v1/x/../files"],
    ["matrix parameter", "/api/v1/files;x=1"],
    ["matrix parameter on a middle segment", "/api;x=1/v1/files"],
  ])("%s (%s) is no API path: 404 not_found, even with a valid key", async (_label, path) => {
    const res = await send("GET", path, key(srv.keys.full));
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text)).toMatchObject({ success: false, error: { code: "not_found" } });
  });

  it("a wrong method on an exact path: 405 with Allow, before authentication", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/files`, { method: "PUT" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET");
  });
});

describe("defence in depth: the route checks the spec's scopes itself", () => {
  it("a read-only key is refused at the handler even with the earlier checks and the validator removed", async () => {
    const file = await uploadOk(srv.baseUrl, srv.keys.full, { name: "deep.txt" });
    const app = createApp(srv.config, srv.storage) as express.Express & { router: { stack: { name: string; route?: unknown }[] } };
    // Keep only the gate (it marks which operation a request is), the key lookup and the routes.
    const keep = new Set(["requestLogMiddleware", "apiGateMiddleware", "authenticateMiddleware"]);
    const stack = app.router.stack;
    const before = stack.length;
    app.router.stack = stack.filter((layer, i) => layer.route !== undefined || keep.has(layer.name) || i === stack.length - 1);
    expect(app.router.stack.length).toBeLessThan(before - 5);
    const { createServer } = await import("node:http");
    const server = createServer(app);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const { port } = server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/files/${file.id}`, { method: "DELETE", headers: bearer(srv.keys.readOnly) });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("forbidden");
      const none = await fetch(`http://127.0.0.1:${port}/api/v1/files/${file.id}`, { method: "DELETE" });
      expect(none.status).toBe(401);
      expect(await fileExists(file.id)).toBe(true);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
