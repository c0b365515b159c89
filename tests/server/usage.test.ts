/**
 * Key use and bandwidth are batched (flushed every second), yet a SIGTERM loses nothing: the
 * server writes what is pending before it closes the database.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bearer, stats, uploadOk } from "../support/http.js";
import { printedKeys, spawnServer, type ServerProcess } from "../support/serverProcess.js";

let dataDir = "";
let server: ServerProcess | undefined;

afterAll(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill("SIGKILL");
    await server.exited;
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("batched usage", { timeout: 60_000 }, () => {
  it("a download and a key use right before SIGTERM are still recorded", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "aether-usage-"));
    server = await spawnServer(dataDir);
    const key = printedKeys(server.stdout())[0]!;
    const file = await uploadOk(server.baseUrl, key, { name: "u.bin", data: randomBytes(300_000) });
    const res = await fetch(`${server.baseUrl}/api/v1/files/${file.id}/download`, { headers: bearer(key) });
    expect((await res.arrayBuffer()).byteLength).toBe(300_000);
    server.child.kill("SIGTERM");
    expect((await server.exited).code).toBe(0);

    server = await spawnServer(dataDir);
    expect((await stats(server.baseUrl, key)).bandwidthUsedBytes).toBe(300_000);
  });
});
