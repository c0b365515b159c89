/**
 * Two server processes (`server/main.ts`) on one PostgreSQL database and one S3 bucket (a real
 * Ceph RADOS Gateway), each with its own empty DATA_DIR: a file uploaded through one downloads
 * byte for byte through the other (ranges, HEAD, 304), deletes remove the object, the gateway
 * stopped mid-upload gives an error envelope and no row and service resumes once it is back, a
 * SIGKILL mid-upload leaves nothing once the sweep has run, and a wrong S3 setting stops the
 * start with one line. Skipped with the reason when PostgreSQL or Ceph is not installed, failed
 * under CI=true.
 */
import { createHash, randomBytes } from "node:crypto";
import { request } from "node:http";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListMultipartUploadsCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, expect, it } from "vitest";
import { PostgresMetadataStore } from "../../server/storage/postgres/index.js";
import { S3BlobStore } from "../../server/storage/s3/index.js";
import { POSTGRES_AND_CEPH, startGateway, type Gateway } from "../support/ceph.js";
import { describeWithEngine } from "../support/engines.js";
import { bearer, run, stats, uploadOk, waitFor } from "../support/http.js";
import { REPO_ROOT } from "../support/openapi-oracle.js";
import { startPostgres, type PostgresCluster } from "../support/postgres.js";
import { printedKeys, spawnServer, type ServerProcess } from "../support/serverProcess.js";

const MiB = 1024 * 1024;
const BUCKET = "aether-scale-out";
const PREFIX = "cluster1/";
let cluster: PostgresCluster;
let gateway: Gateway;
let dirs: string[] = [];
let a: ServerProcess;
let b: ServerProcess;
let key = "";
let databaseUrl = "";

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { ...gateway.env(), S3_BUCKET: BUCKET, S3_PREFIX: PREFIX, DATABASE_URL: databaseUrl, RATE_LIMIT_PER_MINUTE: "100000", LOG_LEVEL: "warn", ...extra };
}

async function spawnInstance(): Promise<ServerProcess> {
  const dir = await mkdtemp(join(tmpdir(), "aether-s3node-"));
  dirs.push(dir);
  return spawnServer(dir, env());
}

async function bucketState(): Promise<{ objects: string[]; pending: string[] }> {
  const objects = await gateway.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: PREFIX }));
  const pending = await gateway.client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: PREFIX }));
  return { objects: (objects.Contents ?? []).map((o) => o.Key ?? "").sort(), pending: (pending.Uploads ?? []).map((u) => u.Key ?? "") };
}

/** Starts a multipart upload of `total` bytes to `s`, sending `first` bytes now; returns the request and its answer. */
function openUpload(s: ServerProcess, total: number, first: number) {
  const boundary = "xs3";
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const { port } = new URL(s.baseUrl);
  const req = request({
    host: "127.0.0.1",
    port,
    method: "POST",
    path: "/api/v1/files/upload",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": `multipart/form-data; boundary=${boundary}`, "Content-Length": head.length + total + tail.length },
  });
  req.on("error", () => undefined);
  req.write(head);
  req.write(randomBytes(first));
  const answer = new Promise<{ status: number; body: string }>((resolve) => {
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("close", () => setTimeout(() => resolve({ status: 0, body: "" }), 2000));
  });
  return { req, answer, rest: (n: number) => req.end(Buffer.concat([randomBytes(n), Buffer.from(tail)])) };
}

/** The start-up sweep of another instance, after the grace period has passed (graceMs 0). */
async function sweepAsIfAnHourLater(): Promise<{ removedTemp: number; removedOrphans: number }> {
  const metadata = await PostgresMetadataStore.open(databaseUrl);
  try {
    const store = new S3BlobStore({ client: gateway.client, bucket: BUCKET, prefix: PREFIX });
    return await store.sweep((k) => metadata.isBlobKeyReferenced(k), { graceMs: 0 });
  } finally {
    await metadata.close();
  }
}

describeWithEngine("two instances on PostgreSQL + S3 (Ceph RGW)", POSTGRES_AND_CEPH, () => {
  beforeAll(async () => {
    [cluster, gateway] = await Promise.all([startPostgres(), startGateway()]);
    databaseUrl = await cluster.createDatabase("scaleout_s3");
    await gateway.createBucket(BUCKET);
    a = await spawnInstance();
    key = printedKeys(a.stdout())[0]!;
    b = await spawnInstance();
  }, 90_000);

  afterAll(async () => {
    for (const s of [a, b]) {
      if (s && s.child.exitCode === null && s.child.signalCode === null) {
        s.child.kill("SIGKILL");
        await s.exited;
      }
    }
    await gateway?.close();
    await cluster?.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("a 20 MiB file uploaded through one instance downloads byte for byte through the other (200, 206, HEAD, 304); no byte lands in DATA_DIR", async () => {
    const data = randomBytes(20 * MiB + 123);
    const file = await uploadOk(a.baseUrl, key, { name: "shared.bin", data });
    expect(file.size).toBe(data.length);
    const url = `${b.baseUrl}/api/v1/files/${file.id}/download`;
    const full = await fetch(url, { headers: bearer(key) });
    expect(full.status).toBe(200);
    const etag = full.headers.get("etag");
    const got = Buffer.from(await full.arrayBuffer());
    expect(createHash("sha256").update(got).digest("hex")).toBe(createHash("sha256").update(data).digest("hex"));
    expect(etag).toBe(`"${createHash("sha256").update(data).digest("hex")}"`);

    const part = await fetch(url, { headers: { ...bearer(key), Range: "bytes=8388600-8388615" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 8388600-8388615/${data.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(data.subarray(8388600, 8388616))).toBe(true);

    const head = await fetch(url, { method: "HEAD", headers: bearer(key) });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(data.length));
    expect((await fetch(url, { headers: { ...bearer(key), "If-None-Match": etag ?? "" } })).status).toBe(304);
    expect((await fetch(url, { headers: { ...bearer(key), Range: `bytes=${data.length}-` } })).status).toBe(416);

    for (const dir of dirs) {
      const entries = await readdir(dir, { recursive: true });
      expect(entries.filter((e) => e.startsWith("blobs"))).toEqual([]);
    }
    expect((await bucketState()).objects).toHaveLength(1);

    expect((await fetch(`${b.baseUrl}/api/v1/files/${file.id}`, { method: "DELETE", headers: bearer(key) })).status).toBe(200);
    expect((await bucketState()).objects).toEqual([]);
    expect((await fetch(url, { headers: bearer(key) })).status).toBe(404);
  });

  it("the gateway stopped mid-upload: an error envelope, no row; health reports it; service resumes without a restart; the sweep clears the leftover", async () => {
    const before = (await stats(a.baseUrl, key)).totalFiles;
    const upload = openUpload(a, 40 * MiB, 12 * MiB);
    expect(await waitFor(async () => (await bucketState()).pending.length > 0, 10_000)).toBe(true);
    await gateway.stop();
    try {
      upload.rest(28 * MiB);
      const answer = await upload.answer;
      expect(answer.status).toBe(500);
      expect(JSON.parse(answer.body)).toMatchObject({ success: false, error: { code: "server_error" } });
      const health = await fetch(`${b.baseUrl}/api/v1/health`);
      expect(health.status).toBe(500);
      expect(await health.json()).toMatchObject({ success: false, error: { code: "server_error", message: "The file store does not answer" } });
      // Listing needs only PostgreSQL: it keeps working.
      expect((await fetch(`${b.baseUrl}/api/v1/files?limit=1`, { headers: bearer(key) })).status).toBe(200);
    } finally {
      await gateway.start();
    }
    expect(await waitFor(async () => (await fetch(`${b.baseUrl}/api/v1/health`)).status === 200, 15_000, 200)).toBe(true);
    expect((await stats(a.baseUrl, key)).totalFiles).toBe(before);
    const after = await uploadOk(a.baseUrl, key, { name: "after-outage.txt", data: "back" });
    expect(await (await fetch(`${b.baseUrl}/api/v1/files/${after.id}/download`, { headers: bearer(key) })).text()).toBe("back");
    // The multipart upload could not be aborted while the store was down: the sweep removes it.
    await sweepAsIfAnHourLater();
    expect((await bucketState()).pending).toEqual([]);
    expect((await bucketState()).objects).toHaveLength(1);
  }, 180_000);

  it("SIGKILL mid-upload: no row, and after the sweep no object and no incomplete multipart upload; a restart's sweep spares uploads in flight", async () => {
    const before = (await stats(a.baseUrl, key)).totalFiles;
    const objectsBefore = (await bucketState()).objects;
    const inFlightOnA = openUpload(a, 20 * MiB, 9 * MiB);
    const killed = openUpload(b, 30 * MiB, 12 * MiB);
    expect(await waitFor(async () => (await bucketState()).pending.length >= 2, 10_000)).toBe(true);
    b.child.kill("SIGKILL");
    await b.exited;
    killed.req.destroy();
    b = await spawnInstance(); // its start-up sweep (1 h grace) must spare A's upload in flight
    inFlightOnA.rest(11 * MiB);
    expect((await inFlightOnA.answer).status).toBe(201);
    expect((await stats(b.baseUrl, key)).totalFiles).toBe(before + 1);
    expect((await bucketState()).pending.length).toBeGreaterThan(0); // the killed one, within the grace period

    const swept = await sweepAsIfAnHourLater();
    expect(swept.removedTemp).toBeGreaterThanOrEqual(1);
    const state = await bucketState();
    expect(state.pending).toEqual([]);
    expect(state.objects).toHaveLength(objectsBefore.length + 1);
  }, 180_000);

  it("a missing bucket, refused credentials or an unreachable endpoint at start-up: one line with the cause, exit 1", async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ S3_BUCKET: "no-such-bucket" }, /S3 bucket "no-such-bucket" does not exist at http:\/\/127\.0\.0\.1:\d+; create it or set S3_BUCKET/],
      [{ AWS_SECRET_ACCESS_KEY: "wrong-secret" }, /refused the credentials for bucket "aether-scale-out" \(HTTP 403\)/],
      [{ S3_ENDPOINT: "http://127.0.0.1:1" }, /cannot reach S3 at http:\/\/127\.0\.0\.1:1 .*check S3_ENDPOINT/],
      [{ S3_PREFIX: "/abs" }, /S3_PREFIX must be/],
    ];
    for (const [extra, message] of cases) {
      const dir = await mkdtemp(join(tmpdir(), "aether-s3bad-"));
      dirs.push(dir);
      const result = await run(process.execPath, ["--import", "tsx", "server/main.ts"], {
        cwd: REPO_ROOT,
        env: { ...process.env, ...env(extra), PORT: "0", HOST: "127.0.0.1", DATA_DIR: dir },
        timeoutMs: 60_000,
      });
      expect(result.code, result.stderr).toBe(1);
      const lines = result.stderr.trim().split("\n");
      expect(lines, result.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(result.stderr).not.toContain("wrong-secret");
    }
  }, 120_000);
});
