/**
 * The real entry point (`tsx server/main.ts`) as a process: the first start prints one key that
 * works with the seed's curl; SIGKILL in the middle of a large upload leaves a temp file that the
 * next start sweeps, with nothing partial listed and consistent stats; a second start prints no
 * key; SIGTERM while idle exits 0 with the database closed.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { request as httpRequest, type ClientRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, blobFiles, getJson, listAll, sha256, shell, stats, uploadOk, waitFor, type ApiFile } from "../support/http.js";
import { printedKeys, spawnServer, type ServerProcess } from "../support/serverProcess.js";

const MB = 1024 * 1024;
let dataDir: string;
let server: ServerProcess | undefined;
let key: string;
let kept: ApiFile;
const keptBytes = randomBytes(200_000);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "aether-crash-"));
});
afterAll(async () => {
  if (server && server.child.exitCode === null && server.child.signalCode === null) {
    server.child.kill("SIGKILL");
    await server.exited;
  }
  await rm(dataDir, { recursive: true, force: true });
});

describe("the server process", { timeout: 60_000 }, () => {
  it("first start on an empty DATA_DIR prints exactly one key, and the seed's list curl works with it", async () => {
    server = await spawnServer(dataDir);
    const keys = printedKeys(server.stdout());
    expect(keys, server.stdout()).toHaveLength(1);
    key = keys[0]!;
    expect(server.stdout()).toContain(`export AETHER_BASE_URL=${server.baseUrl} AETHER_API_KEY=${key}`);
    expect(server.stdout()).not.toContain("YOUR_API_KEY");
    // The banner's own curl line, as printed.
    const line = /curl -H .*$/m.exec(server.stdout())?.[0];
    expect(line).toBe('curl -H "Authorization: Bearer $AETHER_API_KEY" "$AETHER_BASE_URL/api/v1/files?limit=10"');
    const curl = await shell(line!.replace("curl ", "curl -sS "), {
      env: { ...process.env, AETHER_API_KEY: key, AETHER_BASE_URL: server.baseUrl },
    });
    expect(curl.code, curl.stderr).toBe(0);
    expect(JSON.parse(curl.stdout)).toEqual({ success: true, files: [], pagination: { total: 0, limit: 10, offset: 0, nextCursor: null } });
  });

  it("file URLs name the real port (PORT=0)", async () => {
    kept = await uploadOk(server!.baseUrl, key, { data: keptBytes, name: "kept.bin" });
    expect(kept.url).toBe(`${server!.baseUrl}/api/v1/files/${kept.id}/download`);
  });

  it("SIGKILL in the middle of a large upload leaves a temp file behind", async () => {
    const total = 50 * MB;
    const head = Buffer.from('--B\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n');
    const tail = Buffer.from("\r\n--B--\r\n");
    const req: ClientRequest = httpRequest(`${server!.baseUrl}/api/v1/files/upload`, {
      method: "POST",
      headers: { ...bearer(key), "Content-Type": "multipart/form-data; boundary=B", "Content-Length": head.length + total + tail.length },
    });
    req.on("error", () => undefined); // the server dies under it
    req.write(head);
    // Stream slowly: 256 KiB every 10 ms, until the server has written a few MB to its temp file.
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    let sent = 0;
    const pump = setInterval(() => {
      if (sent < total - chunk.length) {
        req.write(chunk);
        sent += chunk.length;
      }
    }, 10);
    try {
      const tempGrew = await waitFor(async () => {
        const { temp } = await blobFiles(dataDir);
        if (temp.length === 0) return false;
        try {
          return (await stat(join(dataDir, "blobs", temp[0]!))).size > 3 * MB;
        } catch {
          return false;
        }
      }, 20_000, 50);
      expect(tempGrew, "the upload never reached the temp file").toBe(true);
      server!.child.kill("SIGKILL");
      expect(await server!.exited).toEqual({ code: null, signal: "SIGKILL" });
    } finally {
      clearInterval(pump);
      req.destroy();
    }
    expect(sent).toBeLessThan(total); // it really was cut mid-upload
    const left = await blobFiles(dataDir);
    expect(left.temp).toHaveLength(1);
    expect(left.blobs).toHaveLength(1); // kept.bin only
  });

  it("a restart on the same DATA_DIR sweeps the temp file and orphans, prints no key, lists nothing partial", async () => {
    // An orphan blob (bytes without a row), as a crash between rename and insert would leave.
    const orphanKey = "OrphanBlobKey0123456789";
    const orphanDir = join(dataDir, "blobs", "blobs", orphanKey.slice(0, 2), orphanKey.slice(2, 4));
    await mkdir(orphanDir, { recursive: true });
    await writeFile(join(orphanDir, orphanKey), "orphan");

    server = await spawnServer(dataDir);
    expect(printedKeys(server.stdout())).toEqual([]);
    expect(server.stdout()).not.toContain("First start");
    const sweepLog = server
      .stdout()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { msg?: string; removedTemp?: number; removedOrphans?: number })
      .find((l) => l.msg === "removed leftovers of an interrupted run");
    expect(sweepLog).toMatchObject({ removedTemp: 1, removedOrphans: 1 });

    const left = await blobFiles(dataDir);
    expect(left.temp).toEqual([]);
    expect(left.blobs).toHaveLength(1);
    expect(existsSync(join(orphanDir, orphanKey))).toBe(false);

    const files = await listAll(server.baseUrl, key);
    expect(files.map((f) => f.name)).toEqual(["kept.bin"]);
    const s = await stats(server.baseUrl, key);
    expect(s.totalFiles).toBe(files.length);
    expect(s.totalSize).toBe(files.reduce((sum, f) => sum + f.size, 0));
    const res = await fetch(`${server.baseUrl}/api/v1/files/${kept.id}/download`, { headers: bearer(key) });
    expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(keptBytes));
    expect((await getJson<{ file: ApiFile }>(`${server.baseUrl}/api/v1/files/${kept.id}`, key)).file.url).toBe(
      `${server.baseUrl}/api/v1/files/${kept.id}/download`,
    );
  });

  it("SIGTERM while idle exits 0 and closes the database (the WAL is checkpointed away)", async () => {
    expect(existsSync(join(dataDir, "aethercdn.db-wal"))).toBe(true); // open while running
    const started = Date.now();
    server!.child.kill("SIGTERM");
    expect(await server!.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(existsSync(join(dataDir, "aethercdn.db-wal"))).toBe(false);
    expect(server!.stderr()).toBe("");
  });
});
