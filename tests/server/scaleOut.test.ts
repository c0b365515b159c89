/**
 * Two server processes (`server/main.ts`) on one PostgreSQL database and one shared blob dir:
 * keys, rate limits and counters are shared; racing writes lose nothing; a SIGKILLed instance
 * leaves nothing visible while the other keeps serving; a restarting instance's sweep spares
 * the other's upload in flight. Real PostgreSQL from tests/support/postgres.ts; skipped with the
 * reason when it is not installed, failed under CI=true.
 */
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, blobFiles, listAll, run, stats, uploadOk, waitFor } from "../support/http.js";
import { REPO_ROOT } from "../support/openapi-oracle.js";
import { POSTGRES_INSTALL_HINT, postgresInstalled, startPostgres, type PostgresCluster } from "../support/postgres.js";
import { printedKeys, spawnServer, type ServerProcess } from "../support/serverProcess.js";

const inCI = process.env.CI === "true";
const available = postgresInstalled();

let cluster: PostgresCluster;
let dataDir = "";
let a: ServerProcess;
let b: ServerProcess;
let key = "";
const env = (url: string) => ({ DATABASE_URL: url, RATE_LIMIT_PER_MINUTE: "100000", MAX_UPLOADS_PER_KEY: "1000", LOG_LEVEL: "warn" });

/** A new key through `npm run keys -- create` (server/cli) with DATABASE_URL (a new user each time). */
async function newKey(user: string): Promise<string> {
  const made = await run(process.execPath, ["--import", "tsx", "server/cli/main.ts", "keys", "create", "--user", user], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: cluster.url("scaleout"), DATA_DIR: join(dataDir, "unused") },
    timeoutMs: 30_000,
  });
  expect(made.code, made.stderr).toBe(0);
  return made.stdout.trim().split("\n").at(-1)!;
}

async function stopAll(): Promise<void> {
  for (const s of [a, b]) {
    if (s && s.child.exitCode === null && s.child.signalCode === null) {
      s.child.kill("SIGKILL");
      await s.exited;
    }
  }
}

if (!available) {
  describe("two instances on PostgreSQL", () => {
    if (inCI) it("PostgreSQL 15 is installed (CI=true)", () => expect.fail(`missing: ${POSTGRES_INSTALL_HINT}`));
    else it.skip(`skipped: PostgreSQL 15 is missing — install it with \`${POSTGRES_INSTALL_HINT}\``, () => {});
  });
} else {
  beforeAll(async () => {
    cluster = await startPostgres();
    const url = await cluster.createDatabase("scaleout");
    dataDir = await mkdtemp(join(tmpdir(), "aether-scale-"));
    a = await spawnServer(dataDir, env(url));
    key = printedKeys(a.stdout())[0]!;
    b = await spawnServer(dataDir, env(url));
  }, 60_000);

  afterAll(async () => {
    await stopAll();
    await cluster?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  describe("two instances on PostgreSQL", { timeout: 120_000 }, () => {
    it("the first start prints a key, the second none, and the key works on both", async () => {
      expect(key).toMatch(/^ak_/);
      expect(printedKeys(b.stdout())).toEqual([]);
      for (const s of [a, b]) expect((await fetch(`${s.baseUrl}/api/v1/files`, { headers: bearer(key) })).status).toBe(200);
    });

    it("a key made with `npm run keys` (DATABASE_URL) works at once on both", async () => {
      const carol = await newKey("carol");
      for (const s of [a, b]) expect((await fetch(`${s.baseUrl}/api/v1/files`, { headers: bearer(carol) })).status).toBe(200);
    });

    it("200 uploads split across both leave counters equal to the listing, and every file downloads from either", async () => {
      const uploads = await Promise.all(
        Array.from({ length: 200 }, (_, i) => uploadOk((i % 2 ? a : b).baseUrl, key, { name: `s${i}.bin`, data: randomBytes(100 + i) })),
      );
      const listed = await listAll(a.baseUrl, key);
      const st = await stats(b.baseUrl, key);
      expect(st.totalFiles).toBe(listed.length);
      expect(st.totalSize).toBe(listed.reduce((n, f) => n + f.size, 0));
      expect(listed.length).toBeGreaterThanOrEqual(200);
      for (const f of uploads.slice(0, 20)) {
        const res = await fetch(`${(uploads.indexOf(f) % 2 ? b : a).baseUrl}/api/v1/files/${f.id}/download`, { headers: bearer(key) });
        expect(res.status).toBe(200);
        expect((await res.arrayBuffer()).byteLength).toBe(f.size);
      }
    });

    it("50 racing moves and deletes from both instances leave no negative or lost counter", async () => {
      const folder = (await (await fetch(`${a.baseUrl}/api/v1/folders`, { method: "POST", headers: { ...bearer(key), "Content-Type": "application/json" }, body: JSON.stringify({ name: "race" }) })).json()) as { folder: { id: string } };
      const files = await Promise.all(Array.from({ length: 50 }, (_, i) => uploadOk(a.baseUrl, key, { name: `r${i}.txt` })));
      await Promise.all(
        files.flatMap((f, i) => [
          fetch(`${(i % 2 ? a : b).baseUrl}/api/v1/files/${f.id}`, { method: "PATCH", headers: { ...bearer(key), "Content-Type": "application/json" }, body: JSON.stringify({ folderId: folder.folder.id }) }),
          fetch(`${(i % 2 ? b : a).baseUrl}/api/v1/files/${f.id}`, { method: "DELETE", headers: bearer(key) }),
        ]),
      );
      const listed = await listAll(a.baseUrl, key);
      const st = await stats(b.baseUrl, key);
      expect(st.totalFiles).toBe(listed.length);
      expect(st.totalSize).toBe(listed.reduce((n, f) => n + f.size, 0));
      const inFolder = (await (await fetch(`${b.baseUrl}/api/v1/files?folderId=${folder.folder.id}&limit=1`, { headers: bearer(key) })).json()) as { pagination: { total: number } };
      expect(inFolder.pagination.total).toBe(listed.filter((f) => f.folderId === folder.folder.id).length);
      expect(listed.filter((f) => files.some((x) => x.id === f.id))).toHaveLength(0);
    });

    it("the rate limit is one budget across instances", async () => {
      await stopAll();
      const url = cluster.url("scaleout");
      a = await spawnServer(dataDir, { ...env(url), RATE_LIMIT_PER_MINUTE: "10" });
      b = await spawnServer(dataDir, { ...env(url), RATE_LIMIT_PER_MINUTE: "10" });
      try {
        const fresh = await newKey("dave");
        const statuses: number[] = [];
        for (let i = 0; i < 12; i++) {
          const res = await fetch(`${(i % 2 ? a : b).baseUrl}/api/v1/files?limit=1`, { headers: bearer(fresh) });
          await res.body?.cancel();
          statuses.push(res.status);
        }
        expect(statuses).toEqual([...Array<number>(10).fill(200), 429, 429]);
      } finally {
        await stopAll();
        a = await spawnServer(dataDir, env(url));
        b = await spawnServer(dataDir, env(url));
      }
    });

    it("a SIGKILLed instance mid-upload leaves nothing visible; the other keeps serving, and a restart's sweep spares its upload in flight", async () => {
      const before = (await stats(a.baseUrl, key)).totalFiles;
      // An upload in flight on B, then A is killed in the middle of one of its own.
      const boundary = "xk";
      const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="k.bin"\r\n\r\n`;
      const open = (s: ServerProcess) => {
        const { port } = new URL(s.baseUrl);
        const req = request({ host: "127.0.0.1", port, method: "POST", path: "/api/v1/files/upload", headers: { Authorization: `Bearer ${key}`, "Content-Type": `multipart/form-data; boundary=${boundary}`, "Content-Length": head.length + 200_000 + boundary.length + 8 } });
        req.on("error", () => undefined);
        req.write(head);
        req.write(randomBytes(100_000));
        return req;
      };
      const onB = open(b);
      const answerB = new Promise<number>((resolve) => onB.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }));
      open(a);
      await waitFor(async () => (await blobFiles(dataDir)).temp.length >= 2, 5000);
      a.child.kill("SIGKILL");
      await a.exited;
      expect((await fetch(`${b.baseUrl}/api/v1/files?limit=1`, { headers: bearer(key) })).status).toBe(200);
      // A restarts while B's upload is still in flight: its sweep must leave B's temp file alone.
      a = await spawnServer(dataDir, env(cluster.url("scaleout")));
      onB.end(Buffer.concat([randomBytes(100_000), Buffer.from(`\r\n--${boundary}--\r\n`)]));
      expect(await answerB).toBe(201);
      expect((await stats(a.baseUrl, key)).totalFiles).toBe(before + 1);
    });

    it("the database lost while serving: 500 envelopes and an unhealthy health check, then service resumes without a restart", async () => {
      await cluster.stop();
      try {
        const started = Date.now();
        const res = await fetch(`${a.baseUrl}/api/v1/files?limit=1`, { headers: bearer(key) });
        expect(res.status).toBe(500);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe("server_error");
        expect(Date.now() - started).toBeLessThan(15_000);
        expect((await fetch(`${b.baseUrl}/api/v1/health`)).status).toBe(500);
      } finally {
        await cluster.start();
      }
      expect(await waitFor(async () => (await fetch(`${a.baseUrl}/api/v1/files?limit=1`, { headers: bearer(key) })).status === 200, 10_000, 200)).toBe(true);
      expect((await fetch(`${b.baseUrl}/api/v1/health`)).status).toBe(200);
    });

    it("an unreachable DATABASE_URL at start-up: one line naming host, port and database, exit 1", async () => {
      const result = await run(process.execPath, ["--import", "tsx", "server/main.ts"], {
        cwd: REPO_ROOT,
        env: { ...process.env, PORT: "0", HOST: "127.0.0.1", DATA_DIR: join(dataDir, "x"), DATABASE_URL: "postgres://aether:secret@127.0.0.1:1/nowhere" },
        timeoutMs: 30_000,
      });
      expect(result.code).toBe(1);
      const lines = result.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/PostgreSQL at 127\.0\.0\.1:1\/nowhere/);
      expect(result.stderr).not.toContain("secret");
    });
  });
}
