/**
 * The operator's `keys` command (`npm run keys -- …`, i.e. `aether-server keys …`) on the DATA_DIR
 * of a running server: a created key works at once with only its scopes, `list` never shows a
 * secret, `revoke` takes effect on the next request, and bad input fails with a clear message.
 * Runs the CLI from source (server/cli/main.ts through tsx), the code dist/server/cli/main.js is
 * built from (tests/server/startup.test.ts runs the built one through `npm run keys`).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, expectError, getJson, run, upload, uploadOk, type ApiFile, type ProcessResult } from "../support/http.js";
import { REPO_ROOT } from "../support/openapi-oracle.js";
import { startServer, type TestServer } from "../support/server.js";

let srv: TestServer;
let aliceFile: ApiFile;
/** Invocations that do not depend on each other, started together (each CLI start costs ~1 s). */
let started: Record<"createAlice" | "createCarol" | "invalidScope" | "revokeUnknown", Promise<ProcessResult>>;

beforeAll(async () => {
  srv = await startServer(); // its main user is "alice"
  aliceFile = await uploadOk(srv.baseUrl, srv.keys.full, { data: "alice's", name: "alice.txt" });
  started = {
    createAlice: aether("keys", "create", "--user", "alice", "--scopes", "files:read", "--label", "ci"),
    createCarol: aether("keys", "create", "--user", "carol"),
    invalidScope: aether("keys", "create", "--user", "dave", "--scopes", "files:read,files:delete"),
    revokeUnknown: aether("keys", "revoke", "key_DoesNotExist000000"),
  };
});
afterAll(async () => {
  if (started) await Promise.allSettled(Object.values(started));
  await srv?.close();
});

function aether(...args: string[]): Promise<ProcessResult> {
  return run(process.execPath, ["--import", "tsx", "server/cli/main.ts", ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATA_DIR: srv.dataDir, NO_COLOR: "1", ...(srv.databaseUrl && { DATABASE_URL: srv.databaseUrl }) },
    timeoutMs: 30_000,
  });
}

const lastLine = (text: string) => text.trimEnd().split("\n").at(-1) ?? "";

describe("aether-server keys", { timeout: 60_000 }, () => {
  let key: string;
  let keyId: string;

  it("create --user alice --scopes files:read prints the key alone on the last line", async () => {
    const res = await started.createAlice;
    expect(res.code, res.stderr).toBe(0);
    key = lastLine(res.stdout);
    expect(key).toMatch(/^ak_[A-Za-z0-9]{29,61}$/);
    keyId = /\b(key_[A-Za-z0-9]+)\b/.exec(res.stdout)?.[1] ?? "";
    expect(keyId).not.toBe("");
  });

  it("the new key authenticates at once against the running server and sees alice's files", async () => {
    const list = await getJson<{ files: ApiFile[] }>(`${srv.baseUrl}/api/v1/files`, key);
    expect(list.files.map((f) => f.id)).toEqual([aliceFile.id]);
    const download = await fetch(aliceFile.url, { headers: { "X-API-Key": key } });
    expect(await download.text()).toBe("alice's");
  });

  it("…and has only files:read: upload and stats are 403", async () => {
    const body = await expectError(await upload(srv.baseUrl, key, { name: "nope.txt" }), 403, "forbidden", "POST");
    expect(body.error.message).toContain("files:write");
    await expectError(await fetch(`${srv.baseUrl}/api/v1/user/stats`, { headers: bearer(key) }), 403, "forbidden", "GET");
  });

  it("list (table and --json) shows the key's id, user and scopes but never a secret", async () => {
    const [table, asJson] = await Promise.all([aether("keys", "list"), aether("keys", "list", "--json")]);
    expect(table.code, table.stderr).toBe(0);
    const row = table.stdout.split("\n").find((l) => l.includes(keyId));
    expect(row, table.stdout).toBeDefined();
    expect(row).toContain("alice");
    expect(row).toContain("files:read");
    expect(row).toContain("active");

    expect(asJson.code, asJson.stderr).toBe(0);
    const rows = JSON.parse(asJson.stdout) as Array<{ id: string; user: string; scopes: string; status: string; prefix: string }>;
    expect(rows.find((r) => r.id === keyId)).toMatchObject({ user: "alice", scopes: "files:read", status: "active" });
    expect(key.startsWith(rows.find((r) => r.id === keyId)!.prefix.replace(/…$/, ""))).toBe(true);

    for (const out of [table.stdout, asJson.stdout]) {
      for (const secret of [key, ...Object.values(srv.keys), srv.revokedKey]) expect(out).not.toContain(secret);
      expect(out).not.toMatch(/\bak_[A-Za-z0-9]{29,61}\b/);
    }
  });

  it("revoke ID → the key gets 401 on its next request, other keys keep working", async () => {
    const res = await aether("keys", "revoke", keyId);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(keyId);
    const refused = await fetch(`${srv.baseUrl}/api/v1/files`, { headers: bearer(key) });
    await expectError(refused, 401, "unauthorized", "GET");
    expect(refused.headers.get("www-authenticate")).toBe('Bearer realm="aethercdn"');
    const still = await fetch(`${srv.baseUrl}/api/v1/files`, { headers: bearer(srv.keys.full) });
    expect(still.status).toBe(200);
    await still.body?.cancel();
    const listed = JSON.parse((await aether("keys", "list", "--json")).stdout) as Array<{ id: string; status: string }>;
    expect(listed.find((r) => r.id === keyId)?.status).toMatch(/^revoked \d{4}-/);
  });

  it("an invalid scope exits non-zero with a clear message and creates nothing", async () => {
    const res = await started.invalidScope;
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/scopes/i);
    for (const scope of ["files:read", "files:write", "user:read"]) expect(res.stderr).toContain(scope);
    expect(res.stdout).not.toMatch(/\bak_[A-Za-z0-9]{29,61}\b/);
    expect(await srv.storage.metadata.getUserByName("dave")).toBeUndefined();
  });

  it("revoking an unknown id exits non-zero with a clear message", async () => {
    const res = await started.revokeUnknown;
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/^aether-server: .*not found/im);
    expect(res.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("a key for a new user sees none of alice's files", async () => {
    const res = await started.createCarol;
    expect(res.code, res.stderr).toBe(0);
    const carol = lastLine(res.stdout);
    expect((await getJson<{ files: ApiFile[] }>(`${srv.baseUrl}/api/v1/files`, carol)).files).toEqual([]);
    expect((await fetch(aliceFile.url, { headers: bearer(carol) })).status).toBe(404);
  });
});
