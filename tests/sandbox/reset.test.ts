// `POST /__sandbox/reset` restores the seeded state after any change (files, folders, names,
// counters, bandwidth, both tenants), keeps the keys, leaves one generation on disk, and stays
// outside the contract: other methods and paths under /__sandbox/ get the usual envelopes.
import { readdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type RunningSandbox } from "../../server/sandbox/start.js";
import { SANDBOX_KEYS } from "../../server/sandbox/tenants.js";
import { bearer, contract, expectError, json, settledBandwidth, uploadOk, type ApiFile, type ApiFolder, type ApiStats } from "../support/http.js";

let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ env: { SANDBOX_PORT: "0", LOG_LEVEL: "silent" }, usageFlushMs: 50 });
});
afterAll(async () => {
  await sandbox?.close();
});

const api = (path: string, init: RequestInit = {}, key: string = SANDBOX_KEYS.full) =>
  fetch(`${sandbox.baseUrl}${path}`, { ...init, headers: { ...bearer(key), ...(init.headers as Record<string, string> | undefined) } });

/** Everything a tenant can see. */
async function snapshot(key: string): Promise<{ files: ApiFile[]; folders: ApiFolder[]; stats: ApiStats }> {
  const { files } = await json<{ files: ApiFile[] }>(await api("/api/v1/files?limit=100", {}, key));
  const { folders } = await json<{ folders: ApiFolder[] }>(await api("/api/v1/folders", {}, key));
  const { stats } = await json<{ stats: ApiStats }>(await api("/api/v1/user/stats", {}, key));
  return { files, folders, stats };
}

describe("POST /__sandbox/reset", () => {
  it("restores both tenants after uploads, renames, moves, deletes and downloads", { timeout: 30_000 }, async () => {
    const before = { main: await snapshot(SANDBOX_KEYS.full), other: await snapshot(SANDBOX_KEYS.secondTenant) };
    const [first, second] = before.main.files;
    expect(first && second).toBeTruthy();

    await uploadOk(sandbox.baseUrl, SANDBOX_KEYS.full, { name: "new.txt", data: "new", type: "text/plain" });
    await uploadOk(sandbox.baseUrl, SANDBOX_KEYS.secondTenant, { name: "theirs.txt", data: "x", type: "text/plain" });
    expect((await api(`/api/v1/files/${first!.id}`, { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: "renamed.jpg", folderId: null }) })).status).toBe(200);
    expect((await api(`/api/v1/files/${second!.id}`, { method: "DELETE" })).status).toBe(200);
    const emptyFolder = before.main.folders.find((f) => !before.main.folders.some((c) => c.parentId === f.id) && !before.main.files.some((x) => x.folderId === f.id));
    expect(emptyFolder).toBeDefined();
    expect((await api(`/api/v1/folders/${emptyFolder!.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await api("/api/v1/folders", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: "Extra" }) })).status).toBe(201);
    const download = await api(`/api/v1/files/${first!.id}/download`);
    const got = (await download.arrayBuffer()).byteLength;
    await settledBandwidth(sandbox.baseUrl, SANDBOX_KEYS.full, before.main.stats.bandwidthUsedBytes + got);
    expect(await snapshot(SANDBOX_KEYS.full)).not.toEqual(before.main);

    const res = await fetch(`${sandbox.baseUrl}/__sandbox/reset`, { method: "POST" });
    const body = await json<{ success: boolean; tenants: { user: string; files: number; folders: number; bytes: number }[] }>(res);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(body.success).toBe(true);
    expect(body.tenants.map((t) => t.user)).toEqual(["demo", "other"]);
    expect(body.tenants[0]).toMatchObject({ files: before.main.files.length, folders: before.main.folders.length, bytes: before.main.stats.totalSize });

    expect(await snapshot(SANDBOX_KEYS.full)).toEqual(before.main);
    expect(await snapshot(SANDBOX_KEYS.secondTenant)).toEqual(before.other);
  });

  it("keeps the keys as they were (read-only stays read-only, revoked stays revoked)", async () => {
    await fetch(`${sandbox.baseUrl}/__sandbox/reset`, { method: "POST" });
    expect((await api("/api/v1/files", {}, SANDBOX_KEYS.readOnly)).status).toBe(200);
    await expectError(await api("/api/v1/user/stats", {}, SANDBOX_KEYS.readOnly), 403, "forbidden");
    await expectError(await api("/api/v1/files", {}, SANDBOX_KEYS.revoked), 401, "unauthorized");
  });

  it("runs resets one after another and leaves one generation on disk", async () => {
    const answers = await Promise.all([1, 2, 3].map(() => fetch(`${sandbox.baseUrl}/__sandbox/reset`, { method: "POST" })));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    const dirs = (await readdir(sandbox.root)).filter((d) => d.startsWith("seed-"));
    expect(dirs.length).toBe(1);
    expect((await api("/api/v1/files")).status).toBe(200);
  });

  it("is not an API path: no key needed, other methods 405, other /__sandbox/ paths 404", async () => {
    const get = await fetch(`${sandbox.baseUrl}/__sandbox/reset`);
    await expectError(get, 405, "method_not_allowed");
    expect(get.headers.get("allow")).toBe("POST");
    await expectError(await fetch(`${sandbox.baseUrl}/__sandbox/nothing`, { method: "POST" }), 404, "not_found");
    await expectError(await fetch(`${sandbox.baseUrl}/__sandbox/RESET`, { method: "POST" }), 404, "not_found");
    const paths = (await contract()).operations().map((o) => o.path);
    expect(paths.some((p) => p.startsWith("/__sandbox"))).toBe(false);
  });

  it("can be called from a page of any origin (CORS)", async () => {
    const preflight = await fetch(`${sandbox.baseUrl}/__sandbox/reset`, {
      method: "OPTIONS",
      headers: { Origin: "http://localhost:3000", "Access-Control-Request-Method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    const res = await fetch(`${sandbox.baseUrl}/__sandbox/reset`, { method: "POST", headers: { Origin: "http://localhost:3000" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    await res.body?.cancel();
  });
});
