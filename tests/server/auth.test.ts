/**
 * Authentication and authorisation: both key headers, the one 401 for every bad key, 403 for a
 * missing scope on every operation, and keys stored only as hashes.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiKey } from "../../server/auth/apiKeys.js";
import { bearer, createFolder, expectError, json, listAll, stats, uploadOk, withoutRequestId, type ErrorBody } from "../support/http.js";
import { SECURED_OPERATIONS, type OpTarget } from "../support/operations.js";
import { startServer, type TestServer } from "../support/server.js";

let srv: TestServer;
let target: OpTarget;

beforeAll(async () => {
  srv = await startServer();
  const file = await uploadOk(srv.baseUrl, srv.keys.full, { data: "hello", name: "hello.txt" });
  const folder = await createFolder(srv.baseUrl, srv.keys.full, "Empty");
  target = { fileId: file.id, folderId: folder.id };
});
afterAll(() => srv?.close());

/** A snapshot of user A's state, to prove a refused write changed nothing. */
async function snapshot() {
  const files = await listAll(srv.baseUrl, srv.keys.full);
  const s = await stats(srv.baseUrl, srv.keys.full);
  return { files, totalFiles: s.totalFiles, totalFolders: s.totalFolders, totalSize: s.totalSize };
}

describe("accepted keys", () => {
  it("accepts Authorization: Bearer", async () => {
    const body = await json<{ success: boolean }>(await fetch(`${srv.baseUrl}/api/v1/files`, { headers: bearer(srv.keys.full) }));
    expect(body.success).toBe(true);
  });

  it("accepts X-API-Key", async () => {
    const body = await json<{ success: boolean; files: unknown[] }>(
      await fetch(`${srv.baseUrl}/api/v1/files`, { headers: { "X-API-Key": srv.keys.full } }),
    );
    expect(body.files).toHaveLength(1);
  });

  it("accepts the scheme name in any case", async () => {
    const res = await fetch(`${srv.baseUrl}/api/v1/files`, { headers: { Authorization: `bearer ${srv.keys.full}` } });
    expect(res.status).toBe(200);
    await res.body?.cancel();
  });
});

describe("401 unauthorized", () => {
  const badCredentials: Array<[string, () => Record<string, string>]> = [
    ["no key at all", () => ({})],
    ["a malformed key (ak_short)", () => bearer("ak_short")],
    ["Bearer with nothing after it", () => ({ Authorization: "Bearer" })],
    ["Bearer with only spaces", () => ({ Authorization: "Bearer   " })],
    ["Basic credentials", () => ({ Authorization: "Basic xyz" })],
    ["an unknown, well-formed key", () => bearer(`ak_${"Z".repeat(32)}`)],
    ["a revoked key", () => bearer(srv.revokedKey)],
    ["a revoked key in X-API-Key", () => ({ "X-API-Key": srv.revokedKey })],
    ["a malformed X-API-Key", () => ({ "X-API-Key": "ak_short" })],
    ["an empty X-API-Key", () => ({ "X-API-Key": "" })],
    ["a key with a trailing junk character", () => bearer(`${srv.keys.full}!`)],
  ];

  it("answers every missing, malformed, unknown or revoked key with the identical body", async () => {
    const bodies: ErrorBody[] = [];
    const ids = new Set<string>();
    for (const [label, headers] of badCredentials) {
      const res = await fetch(`${srv.baseUrl}/api/v1/files?limit=10`, { headers: headers() });
      const body = await expectError(res, 401, "unauthorized");
      expect(res.headers.get("www-authenticate"), label).toBe('Bearer realm="aethercdn"');
      bodies.push(withoutRequestId(body));
      ids.add(body.error.requestId ?? "");
    }
    for (const body of bodies) expect(body).toEqual(bodies[0]);
    expect(ids.size).toBe(badCredentials.length);
  });

  for (const op of SECURED_OPERATIONS) {
    it(`${op.operationId}: 401 without a key (and with a revoked one), nothing changes`, async () => {
      const before = await snapshot();
      for (const headers of [{}, bearer(srv.revokedKey)]) {
        const res = await op.send(srv.baseUrl, headers, target);
        if (op.method === "HEAD") {
          expect(res.status).toBe(401);
          expect(res.headers.get("www-authenticate")).toBe('Bearer realm="aethercdn"');
          expect(res.headers.get("x-request-id")).toBeTruthy();
        } else {
          const body = await expectError(res, 401, "unauthorized");
          expect(body.error.message).toBe("Invalid or missing API key");
          expect(res.headers.get("www-authenticate")).toBe('Bearer realm="aethercdn"');
        }
      }
      expect(await snapshot()).toEqual(before);
    });
  }
});

describe("403 forbidden: a valid key without the operation's scope", () => {
  const keyLacking = (op: (typeof SECURED_OPERATIONS)[number]): Array<keyof TestServer["keys"]> => {
    const keys: Array<keyof TestServer["keys"]> = [];
    if (op.scope !== "files:read") keys.push("readOnly");
    if (op.scope !== "files:write") keys.push("writeOnly");
    if (op.scope !== "user:read") keys.push("statsOnly");
    return keys;
  };

  for (const op of SECURED_OPERATIONS) {
    it(`${op.operationId} (${op.scope}) refuses ${keyLacking(op).join(", ")}`, async () => {
      const before = await snapshot();
      for (const key of keyLacking(op)) {
        const res = await op.send(srv.baseUrl, bearer(srv.keys[key]), target);
        if (op.method === "HEAD") {
          expect(res.status, key).toBe(403);
          expect(res.headers.get("x-request-id")).toBeTruthy();
        } else {
          const body = await expectError(res, 403, "forbidden");
          expect(body.error.message, key).toContain(op.scope);
          expect(res.headers.get("www-authenticate")).toBeNull();
        }
      }
      expect(await snapshot()).toEqual(before);
    });
  }

  it("the key with exactly the required scope is let through", async () => {
    const byScope = { "files:read": srv.keys.readOnly, "files:write": srv.keys.writeOnly, "user:read": srv.keys.statsOnly };
    for (const op of SECURED_OPERATIONS.filter((o) => !o.write)) {
      const res = await op.send(srv.baseUrl, bearer(byScope[op.scope]), target);
      expect(res.status, op.operationId).toBe(200);
      await res.body?.cancel();
    }
    const created = await fetch(`${srv.baseUrl}/api/v1/folders`, {
      method: "POST",
      headers: { ...bearer(srv.keys.writeOnly), "Content-Type": "application/json" },
      body: JSON.stringify({ name: "by writeOnly" }),
    });
    expect(created.status).toBe(201);
    const { folder } = (await created.json()) as { folder: { id: string } };
    const deleted = await fetch(`${srv.baseUrl}/api/v1/folders/${folder.id}`, { method: "DELETE", headers: bearer(srv.keys.writeOnly) });
    expect(deleted.status).toBe(200);
    await deleted.body?.cancel();
  });
});

describe("key storage", () => {
  it("keeps only hashes: no raw key appears in the database files", async () => {
    if (srv.databaseUrl) {
      const { default: pg } = await import("pg");
      const client = new pg.Client({ connectionString: srv.databaseUrl });
      await client.connect();
      const dump = JSON.stringify((await client.query("SELECT * FROM api_keys")).rows);
      await client.end();
      for (const secret of [...Object.values(srv.keys), srv.revokedKey]) {
        expect(dump.includes(secret), "raw key in the database").toBe(false);
        expect(dump.includes(hashApiKey(secret)), "key hash in the database").toBe(true);
      }
      return;
    }
    const dbFiles = (await readdir(srv.dataDir)).filter((f) => f.startsWith("aethercdn.db"));
    expect(dbFiles).toContain("aethercdn.db");
    const bytes = Buffer.concat(await Promise.all(dbFiles.map((f) => readFile(join(srv.dataDir, f)))));
    const secrets = [...Object.values(srv.keys), srv.revokedKey];
    for (const secret of secrets) {
      expect(bytes.includes(Buffer.from(secret)), "raw key in the database").toBe(false);
      // Guard against looking at the wrong bytes: the hash must be there.
      expect(bytes.includes(Buffer.from(hashApiKey(secret))), "key hash in the database").toBe(true);
    }
  });
});
