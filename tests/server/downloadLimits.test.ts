/**
 * Downloads under hostile clients: memory stays bounded (a fixed pool of large buffers, then one
 * small buffer per download), a key holds at most MAX_DOWNLOADS_PER_KEY downloads at once, and
 * bandwidth counts what the socket accepted for every response, pipelined ones included.
 */
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POOL_BUFFERS, largeBuffersLent } from "../../server/http/downloadBuffers.js";
import { bearer, expectError, settledBandwidth, sha256, waitFor } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

let srv: TestServer;
const SIZE = 24 * 1024 * 1024;
let fileId: string;
let content: Buffer;

beforeAll(async () => {
  srv = await startServer({ maxDownloadsPerKey: 3 });
  content = Buffer.alloc(SIZE);
  for (let i = 0; i < SIZE; i += 4096) content.writeUInt32BE(i, i);
  const stored = await srv.storage.blobs.write([content], { maxBytes: SIZE });
  const file = await srv.storage.metadata.createFile({
    userId: srv.users.main, name: "big.bin", size: SIZE, mimeType: "application/octet-stream", sha256: stored.sha256, blobKey: stored.key,
  });
  fileId = file.id;
});
afterAll(() => srv?.close());

/** A download whose response nobody reads. */
async function stalledDownload(key: string): Promise<Socket> {
  const { hostname, port } = new URL(srv.baseUrl);
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect(Number(port), hostname, () => resolve(s));
    s.once("error", reject);
  });
  socket.on("error", () => undefined);
  socket.write(`GET /api/v1/files/${fileId}/download HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\n\r\n`);
  socket.pause();
  return socket;
}

describe("bounded download memory", () => {
  it(`stalled downloads never hold more than the ${POOL_BUFFERS} pooled buffers, and other downloads still arrive intact`, async () => {
    const keys = await Promise.all(Array.from({ length: 12 }, () => srv.issueKey(["files:read"])));
    const sockets: Socket[] = [];
    for (const key of keys) for (let i = 0; i < 3; i++) sockets.push(await stalledDownload(key));
    try {
      // 36 stalled downloads would want 72 large buffers.
      await waitFor(() => largeBuffersLent() >= POOL_BUFFERS, 3000);
      expect(largeBuffersLent()).toBeLessThanOrEqual(POOL_BUFFERS);
      const res = await fetch(`${srv.baseUrl}/api/v1/files/${fileId}/download`, { headers: bearer(srv.keys.full) });
      expect(res.status).toBe(200);
      expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(content));
      expect(largeBuffersLent()).toBeLessThanOrEqual(POOL_BUFFERS);
    } finally {
      for (const s of sockets) s.destroy();
    }
    expect(await waitFor(() => largeBuffersLent() === 0, 3000)).toBe(true);
  });
});

describe("MAX_DOWNLOADS_PER_KEY=3", () => {
  it("the 4th concurrent download of one key answers 429 with Retry-After; HEAD, other keys and later downloads still work", async () => {
    const key = await srv.issueKey(["files:read"]);
    const held = [await stalledDownload(key), await stalledDownload(key), await stalledDownload(key)];
    try {
      await new Promise((r) => setTimeout(r, 200));
      const fourth = await fetch(`${srv.baseUrl}/api/v1/files/${fileId}/download`, { headers: bearer(key) });
      await expectError(fourth, 429, "rate_limited", "GET");
      expect(fourth.headers.get("retry-after")).toBe("1");
      const head = await fetch(`${srv.baseUrl}/api/v1/files/${fileId}/download`, { method: "HEAD", headers: bearer(key) });
      expect(head.status).toBe(200);
      const other = await fetch(`${srv.baseUrl}/api/v1/files/${fileId}/download`, { headers: { ...bearer(srv.keys.full), Range: "bytes=0-9" } });
      expect(other.status).toBe(206);
      await other.body?.cancel();
    } finally {
      for (const s of held) s.destroy();
    }
    expect(
      await waitFor(async () => {
        const res = await fetch(`${srv.baseUrl}/api/v1/files/${fileId}/download`, { headers: { ...bearer(key), Range: "bytes=0-0" } });
        await res.body?.cancel();
        return res.status === 206;
      }, 3000),
    ).toBe(true);
  });
});

describe("bandwidth metering", () => {
  it("counts every one of 3 pipelined downloads (it used to count only the first)", async () => {
    const key = await srv.addUser(`pipeline-${Date.now()}`);
    const up = new FormData();
    up.append("file", new Blob([new Uint8Array(content.subarray(0, 4 * 1024 * 1024))]), "p.bin");
    const uploaded = (await (await fetch(`${srv.baseUrl}/api/v1/files/upload`, { method: "POST", headers: bearer(key), body: up })).json()) as { file: { id: string; size: number } };
    const { hostname, port } = new URL(srv.baseUrl);
    const socket = connect(Number(port), hostname);
    let received = 0;
    socket.on("data", (c: Buffer) => (received += c.length));
    const get = `GET /api/v1/files/${uploaded.file.id}/download HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\n\r\n`;
    socket.write(get.repeat(3));
    expect(await waitFor(() => received >= 3 * uploaded.file.size, 10_000)).toBe(true);
    socket.destroy();
    expect(await settledBandwidth(srv.baseUrl, key, 3 * uploaded.file.size)).toBe(3 * uploaded.file.size);
  });
});
