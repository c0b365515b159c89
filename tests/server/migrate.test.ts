/**
 * `aether migrate`: an embedded DATA_DIR filled through the API (a real server process) is copied
 * into PostgreSQL + S3 (a real Ceph RADOS Gateway); the first run is SIGKILLed midway and a second
 * run finishes it. Then: the source is byte for byte unchanged, every old key works (revoked stays
 * revoked, limited keys keep their scopes), listings, folders and stats are the same, every
 * download is byte-identical, the conformance kit passes against the new deployment, and a target
 * holding another deployment's data is refused. Skipped with the reason when PostgreSQL or Ceph
 * is missing, failed under CI=true.
 */
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runConformance } from "../contract/runner.js";
import { formatReport } from "../contract/report.js";
import { POSTGRES_AND_CEPH, startGateway, type Gateway } from "../support/ceph.js";
import { describeWithEngine } from "../support/engines.js";
import { bearer, listAll, run, stats, uploadOk, waitFor, type ApiFile } from "../support/http.js";
import { REPO_ROOT } from "../support/openapi-oracle.js";
import { startPostgres, type PostgresCluster } from "../support/postgres.js";
import { printedKeys, spawnServer, type ServerProcess } from "../support/serverProcess.js";

const MiB = 1024 * 1024;
const BUCKET = "aether-migrated";
let cluster: PostgresCluster;
let gateway: Gateway;
let source = "";
let databaseUrl = "";
const cleanup: string[] = [];
const servers: ServerProcess[] = [];
const keys: Record<"full" | "readOnly" | "bob" | "revoked", string> = { full: "", readOnly: "", bob: "", revoked: "" };
const bytes = new Map<string, Buffer>();
let before: { files: ApiFile[]; bobFiles: ApiFile[]; folders: unknown; stats: unknown; bobStats: unknown };
let sourceFingerprint = "";
let firstRun = "";
let secondRun = "";

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return run(process.execPath, ["--import", "tsx", "server/cli/main.ts", ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeoutMs: 180_000 });
}

function migrateArgs(dataDir: string, url = databaseUrl): string[] {
  return ["migrate", "--data-dir", dataDir, "--to-database", url, "--to-s3-bucket", BUCKET, "--to-s3-endpoint", gateway.endpoint, "--concurrency", "2"];
}

/**
 * SHA-256 over every file of the data dir (path and content): any write to the source changes it.
 * SQLite's coordination files are the exception: a reader creates an empty `-wal` and a `-shm`
 * when none exist, and the SIGKILLed first run cannot remove them; an empty `-wal` holds nothing.
 */
async function fingerprint(dir: string): Promise<string> {
  const hash = createHash("sha256");
  const entries = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
  for (const path of entries) {
    const content = await readFile(path);
    if (path.endsWith(".db-shm") || (path.endsWith(".db-wal") && content.length === 0)) continue;
    hash.update(path).update(content);
  }
  return hash.digest("hex");
}

async function snapshot(baseUrl: string) {
  const folders = await (await fetch(`${baseUrl}/api/v1/folders`, { headers: bearer(keys.full) })).json();
  return {
    files: await listAll(baseUrl, keys.full),
    bobFiles: await listAll(baseUrl, keys.bob),
    folders,
    stats: await stats(baseUrl, keys.full),
    bobStats: await stats(baseUrl, keys.bob),
  };
}

async function createKey(user: string, scopes?: string): Promise<string> {
  const made = await cli(["keys", "create", "--user", user, ...(scopes ? ["--scopes", scopes] : [])], { DATA_DIR: source });
  expect(made.code, made.stderr).toBe(0);
  return made.stdout.trim().split("\n").at(-1)!;
}

describeWithEngine("aether migrate: embedded DATA_DIR → PostgreSQL + S3", POSTGRES_AND_CEPH, () => {
  beforeAll(async () => {
    [cluster, gateway] = await Promise.all([startPostgres(), startGateway()]);
    databaseUrl = await cluster.createDatabase("migrated");
    await gateway.createBucket(BUCKET);
    source = await mkdtemp(join(tmpdir(), "aether-migrate-src-"));
    cleanup.push(source);

    // Fill an embedded deployment through the API.
    const embedded = await spawnServer(source, { RATE_LIMIT_PER_MINUTE: "100000" });
    keys.full = printedKeys(embedded.stdout())[0]!;
    keys.readOnly = await createKey("default", "files:read");
    keys.bob = await createKey("bob");
    keys.revoked = await createKey("default");
    const listed = await cli(["keys", "list", "--json"], { DATA_DIR: source });
    const revokedId = (JSON.parse(listed.stdout) as { id: string }[]).at(-1)!.id; // oldest first: the last one made
    expect((await cli(["keys", "revoke", revokedId], { DATA_DIR: source })).code).toBe(0);

    const post = (path: string, body: unknown) => fetch(`${embedded.baseUrl}${path}`, { method: "POST", headers: { ...bearer(keys.full), "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const photos = ((await (await post("/api/v1/folders", { name: "Photos" })).json()) as { folder: { id: string } }).folder.id;
    const trips = ((await (await post("/api/v1/folders", { name: "Trips 2026", parentId: photos })).json()) as { folder: { id: string } }).folder.id;
    const inputs = [
      { name: "empty.txt", data: Buffer.alloc(0) },
      { name: "big.bin", data: randomBytes(12 * MiB + 7), folderId: trips },
      { name: "Ünïcödé 照片.jpg", data: randomBytes(70_000), folderId: photos, description: "a photo", tags: "beach,2026" },
      ...Array.from({ length: 24 }, (_, i) => ({ name: `f${i}.bin`, data: randomBytes(300_000 + i), ...(i % 3 === 0 && { folderId: photos }) })),
    ];
    for (const input of inputs) {
      const file = await uploadOk(embedded.baseUrl, keys.full, input);
      bytes.set(file.id, input.data);
    }
    const bobFile = await uploadOk(embedded.baseUrl, keys.bob, { name: "bob.txt", data: "bob's" });
    bytes.set(bobFile.id, Buffer.from("bob's"));
    // Some bandwidth to carry over.
    await (await fetch(`${embedded.baseUrl}/api/v1/files/${bobFile.id}/download`, { headers: bearer(keys.bob) })).arrayBuffer();
    await waitFor(async () => (await stats(embedded.baseUrl, keys.bob)).bandwidthUsedBytes > 0, 5000);
    before = await snapshot(embedded.baseUrl);
    embedded.child.kill("SIGTERM");
    await embedded.exited;
    sourceFingerprint = await fingerprint(source);

    // First run, killed midway; the second finishes.
    const env = { ...process.env, ...gateway.env() };
    const child = spawn(process.execPath, ["--import", "tsx", "server/cli/main.ts", ...migrateArgs(source)], { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.setEncoding("utf8").on("data", (c: string) => (firstRun += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (firstRun += c));
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const reached = await waitFor(async () => {
        const count = await db.query<{ n: string }>("SELECT count(*) AS n FROM files").catch(() => ({ rows: [{ n: "0" }] }));
        return Number(count.rows[0]?.n) >= 4;
      }, 60_000, 20);
      expect(reached, firstRun).toBe(true);
    } finally {
      await db.end();
    }
    child.kill("SIGKILL");
    await exited;
    const second = await cli(migrateArgs(source), gateway.env());
    secondRun = second.stdout + second.stderr;
    expect(second.code, secondRun).toBe(0);

    for (let i = 0; i < 2; i++) {
      const dir = await mkdtemp(join(tmpdir(), "aether-migrate-node-"));
      cleanup.push(dir);
      servers.push(await spawnServer(dir, { ...gateway.env(), DATABASE_URL: databaseUrl, S3_BUCKET: BUCKET, RATE_LIMIT_PER_MINUTE: "1000000", RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: "1000000", MAX_UPLOAD_BYTES: String(256 * 1024) }));
    }
  }, 300_000);

  afterAll(async () => {
    for (const s of servers) {
      s.child.kill("SIGTERM");
      await s.exited;
    }
    await gateway?.close();
    await cluster?.close();
    for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
  });

  it("the interrupted run left some files; the second copied only the rest and says so", () => {
    const files = /files\s+(\d+) \((\d+) added, (\d+) already there\)/.exec(secondRun);
    expect(files, secondRun).not.toBeNull();
    const [, total, added, already] = files!.map(Number);
    expect(total).toBe(bytes.size);
    expect(already).toBeGreaterThanOrEqual(4);
    expect(added! + already!).toBe(total);
    expect(secondRun).toMatch(/blobs read back and verified \(SHA-256\)/);
    expect(secondRun).not.toContain(keys.full);
  });

  it("left the source data dir byte for byte as it was", async () => {
    expect(await fingerprint(source)).toBe(sourceFingerprint);
  });

  it("every old key works on both new instances; the revoked one stays revoked; scopes are kept", async () => {
    for (const s of servers) {
      expect((await fetch(`${s.baseUrl}/api/v1/files?limit=1`, { headers: bearer(keys.full) })).status).toBe(200);
      expect((await fetch(`${s.baseUrl}/api/v1/files?limit=1`, { headers: bearer(keys.bob) })).status).toBe(200);
      expect((await fetch(`${s.baseUrl}/api/v1/files?limit=1`, { headers: bearer(keys.readOnly) })).status).toBe(200);
      expect((await fetch(`${s.baseUrl}/api/v1/user/stats`, { headers: bearer(keys.readOnly) })).status).toBe(403);
      expect((await fetch(`${s.baseUrl}/api/v1/files?limit=1`, { headers: bearer(keys.revoked) })).status).toBe(401);
    }
  });

  it("listings, folders and stats (bandwidth included) are the same, and every download is byte-identical", async () => {
    const after = await snapshot(servers[1]!.baseUrl);
    const strip = (files: ApiFile[]) => files.map(({ url: _url, ...rest }) => rest);
    expect(strip(after.files)).toEqual(strip(before.files));
    expect(strip(after.bobFiles)).toEqual(strip(before.bobFiles));
    expect(after.folders).toEqual(before.folders);
    expect(after.stats).toEqual(before.stats);
    expect(after.bobStats).toEqual(before.bobStats);
    for (const [id, data] of bytes) {
      const owner = before.bobFiles.some((f) => f.id === id) ? keys.bob : keys.full;
      const res = await fetch(`${servers[0]!.baseUrl}/api/v1/files/${id}/download`, { headers: bearer(owner) });
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(data), id).toBe(true);
    }
  });

  it("the conformance kit passes against the migrated deployment", async () => {
    const report = await runConformance(
      { name: "migrated deployment", kind: "remote", baseUrl: servers[0]!.baseUrl, keys: { main: keys.full, second: keys.bob, limited: { "files:read": keys.readOnly }, revoked: keys.revoked }, stateful: true, maxUploadBytes: 256 * 1024, close: async () => undefined },
      { runs: 5 },
    );
    expect(report.failures.map((f) => `${f.check} — ${f.operationId}: ${f.message}`), formatReport(report)).toEqual([]);
  }, 300_000);

  it("refuses a target that holds another deployment's data, unless --merge", async () => {
    const other = await mkdtemp(join(tmpdir(), "aether-migrate-other-"));
    cleanup.push(other);
    const s = await spawnServer(other);
    s.child.kill("SIGTERM");
    await s.exited;
    const refused = await cli(migrateArgs(other), gateway.env());
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split("\n").at(-1)).toMatch(/^aether-server: the target database already holds other users \(bob, default\).*--merge/);
    const merged = await cli([...migrateArgs(other), "--merge"], gateway.env());
    // The other data dir's first user is also called "default": a merge cannot take the name.
    expect(merged.code).toBe(1);
    expect(merged.stderr).toMatch(/user name "default" is taken in the target/);
  });
});
