/**
 * A full disk, for real: the server (`server/main.ts`) runs on its own small tmpfs, which the
 * test fills to the last byte. Uploads are refused with 507 `insufficient_storage` (free space
 * under MIN_FREE_BYTES) and leave nothing behind; deletes still work, because the embedded store
 * keeps an 8 MiB ballast file that it releases when SQLite hits SQLITE_FULL; after the deletes
 * free space, uploads work again.
 *
 * Needs root (mount -t tmpfs). Elsewhere it is skipped with that reason, except under CI=true,
 * where it fails: CI runs as root.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, blobFiles, expectError, uploadOk, waitFor } from "../support/http.js";
import { printedKeys, spawnServer, type ServerProcess } from "../support/serverProcess.js";

const MiB = 1024 * 1024;
let mountPoint = "";
let mounted = false;
let mountError = "";
let server: ServerProcess | undefined;

beforeAll(async () => {
  mountPoint = await mkdtemp(join(tmpdir(), "aether-fulldisk-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=48m", "tmpfs", mountPoint], { stdio: "pipe" });
    mounted = true;
  } catch (err) {
    mountError = String((err as { stderr?: Buffer }).stderr ?? err).trim();
  }
});

afterAll(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill("SIGKILL");
    await server.exited;
  }
  if (mounted) execFileSync("umount", ["-l", mountPoint]);
  await rm(mountPoint, { recursive: true, force: true });
});

describe("a full data volume (48 MiB tmpfs, MIN_FREE_BYTES=4 MiB)", { timeout: 60_000 }, () => {
  it("refuses uploads with 507, keeps deletes working, and recovers", async (ctx) => {
    if (!mounted) {
      if (process.env.CI === "true") throw new Error(`cannot mount a tmpfs under CI=true: ${mountError}`);
      ctx.skip(`needs root to mount a tmpfs (${mountError})`);
    }
    const dataDir = join(mountPoint, "data");
    server = await spawnServer(dataDir, { MIN_FREE_BYTES: String(4 * MiB), LOG_LEVEL: "warn" });
    const key = printedKeys(server.stdout())[0]!;
    const files = [];
    for (let i = 0; i < 3; i++) files.push(await uploadOk(server.baseUrl, key, { name: `f${i}.bin`, data: randomBytes(5 * MiB) }));

    // A chunked upload declares no length: the reserve is checked while it streams, so it is
    // refused once it would eat into the reserve, long before the disk is full.
    const before = (await blobFiles(dataDir)).blobs.length;
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 40 * MiB) return controller.close();
        sent += MiB;
        controller.enqueue(new Uint8Array(MiB).fill(7));
      },
    });
    const boundary = "xreserve";
    const head = new TextEncoder().encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n`);
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(head);
        const reader = endless.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          controller.enqueue(value);
        }
        controller.enqueue(new TextEncoder().encode(`\r\n--${boundary}--\r\n`));
        controller.close();
      },
    });
    const chunked = await fetch(`${server.baseUrl}/api/v1/files/upload`, {
      method: "POST",
      headers: { ...bearer(key), "Content-Type": `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: "half",
    } as RequestInit).catch((err: unknown) => err);
    // The 507 is sent while the client is still sending and the connection is then closed: a
    // client that only reads once it has sent everything may see the reset instead of the answer.
    if (chunked instanceof Response) await expectError(chunked, 507, "insufficient_storage", "POST");
    expect(await waitFor(() => server!.stdout().includes("upload refused"), 3000)).toBe(true);
    expect(await waitFor(async () => (await blobFiles(dataDir)).temp.length === 0, 3000)).toBe(true);
    expect((await blobFiles(dataDir)).blobs.length).toBe(before);
    expect(server.stdout()).not.toContain('"level":50');

    // Fill every remaining byte of the volume.
    const filler = join(mountPoint, "filler");
    await writeFile(filler, Buffer.alloc(0));
    try {
      execFileSync("dd", ["if=/dev/zero", `of=${filler}`, "bs=1M"], { stdio: "pipe" });
    } catch {
      // dd ends with "No space left on device": that is the point.
    }

    const refused = await fetch(`${server.baseUrl}/api/v1/files/upload`, {
      method: "POST",
      headers: bearer(key),
      body: (() => {
        const f = new FormData();
        f.append("file", new Blob([new Uint8Array(randomBytes(MiB))]), "more.bin");
        return f;
      })(),
    });
    await expectError(refused, 507, "insufficient_storage", "POST");
    expect((await blobFiles(dataDir)).temp).toEqual([]);

    for (const file of files) {
      const res = await fetch(`${server.baseUrl}/api/v1/files/${file.id}`, { method: "DELETE", headers: bearer(key) });
      expect(res.status, await res.text()).toBe(200);
    }
    const list = (await (await fetch(`${server.baseUrl}/api/v1/files`, { headers: bearer(key) })).json()) as { files: unknown[] };
    expect(list.files).toEqual([]);
    expect(server.stdout()).toContain("SQLITE_FULL");

    const again = await uploadOk(server.baseUrl, key, { name: "after.bin", data: randomBytes(MiB) });
    expect(again.size).toBe(MiB);
    expect(await waitFor(async () => (await blobFiles(dataDir)).blobs.length === 1, 2000)).toBe(true);
  });
});
