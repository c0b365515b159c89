/**
 * Hostile and slow clients hold nothing for long: a stalled request body or header block, a
 * download nobody reads, too many connections from one address, an endless over-limit chunked
 * upload. Each is bounded by a limit of server/http/httpServer.ts or the error path.
 */
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blobFiles, waitFor } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

let srv: TestServer;
const IDLE_LIMITS = { requestIdleTimeoutSeconds: 1, headersTimeoutSeconds: 1, keepAliveTimeoutSeconds: 1, maxConnectionsPerAddress: 6 };

beforeAll(async () => {
  srv = await startServer({ ...IDLE_LIMITS, maxUploadBytes: 1024 * 1024 });
});
afterAll(() => srv?.close());

/** Sockets of this machine with local port `port` in FIN-WAIT-1 (from /proc/net/tcp and tcp6). */
function finWait1(port: number): number {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  let n = 0;
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(`:${hex}`) && cols[3] === "04") n++;
    }
  }
  return n;
}

function open(server: TestServer = srv): Promise<Socket> {
  const { hostname, port } = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Milliseconds until the server closes `socket` (or `limitMs`, then -1). Collects what it sent. */
function closedWithin(socket: Socket, limitMs: number): Promise<{ ms: number; received: string }> {
  const started = Date.now();
  let received = "";
  socket.on("data", (c: Buffer) => (received += c.toString("latin1")));
  socket.on("error", () => undefined);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ ms: -1, received });
    }, limitMs);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve({ ms: Date.now() - started, received });
    });
  });
}

describe("idle timeouts (REQUEST_IDLE_TIMEOUT_SECONDS=1, HEADERS_TIMEOUT_SECONDS=1)", () => {
  it("a stalled upload body is cut off and leaves no temp file, no blob and no row", async () => {
    // On S3 an upload leaves a trace (a multipart upload) only once its first 8 MiB part is sent:
    // that needs a server accepting more than this file's 1 MiB limit.
    const s3 = srv.blobBackend === "s3";
    const target = s3 ? await startServer({ ...IDLE_LIMITS, maxUploadBytes: 64 * 1024 * 1024 }) : srv;
    try {
      const socket = await open(target);
      const boundary = "xstall";
      const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="s.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
      const sent = s3 ? 12 * 1024 * 1024 : 50_000;
      socket.write(
        `POST /api/v1/files/upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${target.keys.full}\r\n` +
          `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${2 * sent}\r\n\r\n${head}${"a".repeat(sent)}`,
      );
      expect(await waitFor(async () => (await target.blobFiles()).temp.length > 0, 5000)).toBe(true);
      const { ms } = await closedWithin(socket, 10_000);
      expect(ms).toBeGreaterThan(0);
      expect(await waitFor(async () => (await target.blobFiles()).all.length === 0, 3000)).toBe(true);
      expect((await target.storage.metadata.getStats(target.users.main)).totalFiles).toBe(0);
    } finally {
      if (target !== srv) await target.close();
    }
  });

  it("a request that never finishes its headers is closed", async () => {
    const socket = await open();
    socket.write("GET /api/v1/files HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    const { ms } = await closedWithin(socket, 10_000);
    expect(ms).toBeGreaterThan(0);
  });

  it("a keyless request with a stalled body gets its 401 at once and the connection is closed later", async () => {
    const socket = await open();
    socket.write("POST /api/v1/folders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n[[[[");
    const { ms, received } = await closedWithin(socket, 10_000);
    expect(received).toMatch(/^HTTP\/1\.1 401 /);
    expect(ms).toBeGreaterThan(0);
  });

  it("a download the client stops reading is closed, not held forever", async () => {
    // Straight into storage: the upload limit of this server is 1 MiB.
    const size = 32 * 1024 * 1024;
    const stored = await srv.storage.blobs.write([Buffer.alloc(size, 7)], { maxBytes: size });
    const file = await srv.storage.metadata.createFile({
      userId: srv.users.main, name: "big.bin", size, mimeType: "application/octet-stream", sha256: stored.sha256, blobKey: stored.key,
    });
    const socket = await open();
    socket.write(`GET /api/v1/files/${file.id}/download HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${srv.keys.full}\r\n\r\n`);
    socket.pause();
    // A paused socket does not notice the server closing it: stall for 3 idle timeouts, then read
    // what is left in flight. The server must have given up long before sending everything.
    await new Promise((r) => setTimeout(r, 3_000));
    let received = 0;
    let error: string | undefined;
    const ended = new Promise<void>((resolve) => {
      socket.on("data", (c: Buffer) => (received += c.length));
      socket.on("error", (err: NodeJS.ErrnoException) => {
        error = err.code;
        resolve();
      });
      socket.on("close", () => resolve());
    });
    socket.resume();
    const closed = await Promise.race([ended.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
    socket.destroy();
    expect(closed).toBe(true);
    expect(received).toBeLessThan(size);
    void error;
  });

  it("a timed-out download is reset, not closed: no socket lingers in FIN-WAIT-1 with its unsent data", async () => {
    const size = 32 * 1024 * 1024;
    const stored = await srv.storage.blobs.write([Buffer.alloc(size, 9)], { maxBytes: size });
    const file = await srv.storage.metadata.createFile({
      userId: srv.users.main, name: "big2.bin", size, mimeType: "application/octet-stream", sha256: stored.sha256, blobKey: stored.key,
    });
    const sockets: Socket[] = [];
    for (let i = 0; i < 3; i++) {
      const socket = await open();
      socket.on("error", () => undefined);
      socket.write(`GET /api/v1/files/${file.id}/download HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${srv.keys.full}\r\n\r\n`);
      socket.pause();
      sockets.push(socket);
    }
    // Past the idle timeout, the server has given up on all three while the clients still hold them.
    await new Promise((r) => setTimeout(r, 3_000));
    const port = Number(new URL(srv.baseUrl).port);
    expect(finWait1(port)).toBe(0);
    for (const s of sockets) s.destroy();
  });
});

describe("what Node itself refuses, and bodies after a refusal", () => {
  it("a malformed request line gets a JSON envelope, not an empty 400", async () => {
    const socket = await open();
    socket.write("get /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n");
    const { received } = await closedWithin(socket, 5_000);
    expect(received).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(received.slice(received.indexOf("\r\n\r\n") + 4))).toMatchObject({ success: false, error: { code: "bad_request" } });
  });

  it("a refused body trickled one byte at a time does not keep the connection beyond the drain deadline", async () => {
    const socket = await open();
    socket.write("POST /nope HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 8000\r\n\r\n[");
    const trickle = setInterval(() => socket.writable && socket.write("["), 300);
    const { ms, received } = await closedWithin(socket, 15_000);
    clearInterval(trickle);
    expect(received).toMatch(/^HTTP\/1\.1 404 /);
    expect(ms).toBeGreaterThan(0);
  });

  it("Expect: 100-continue gets no 100 before the key is checked: a bad key gets its 401 straight away", async () => {
    const socket = await open();
    socket.write(
      `POST /api/v1/files/upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ak_${"Q".repeat(32)}\r\nExpect: 100-continue\r\n` +
        "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 5000000\r\n\r\n",
    );
    const { received } = await closedWithin(socket, 3_000);
    expect(received).toMatch(/^HTTP\/1\.1 401 /);
  });

  it("Expect: 100-continue with a valid key gets its 100 Continue, then the upload completes", async () => {
    const socket = await open();
    let received = "";
    socket.on("data", (c: Buffer) => (received += c.toString("latin1")));
    const body = '--b\r\nContent-Disposition: form-data; name="file"; filename="c.txt"\r\n\r\nhello\r\n--b--\r\n';
    socket.write(
      `POST /api/v1/files/upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${srv.keys.full}\r\nExpect: 100-continue\r\n` +
        `Content-Type: multipart/form-data; boundary=b\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    expect(await waitFor(() => received.startsWith("HTTP/1.1 100 Continue"), 3000)).toBe(true);
    socket.write(body);
    expect(await waitFor(() => received.includes("HTTP/1.1 201 "), 3000)).toBe(true);
    socket.destroy();
  });
});

describe("MAX_CONNECTIONS_PER_ADDRESS=6", () => {
  it("the 7th connection from one address gets a 429 envelope and is closed; others still work", async () => {
    const held: Socket[] = [];
    for (let i = 0; i < 6; i++) {
      const s = await open();
      s.write("GET /api/v1/health HTTP/1.1\r\nHost: x\r\n"); // headers never finished: the slot stays taken
      held.push(s);
    }
    const seventh = await open();
    const { ms, received } = await closedWithin(seventh, 5_000);
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(received).toMatch(/^HTTP\/1\.1 429 /);
    expect(JSON.parse(received.slice(received.indexOf("\r\n\r\n") + 4))).toMatchObject({ success: false, error: { code: "rate_limited" } });
    for (const s of held) s.destroy();
    expect(await waitFor(async () => (await fetch(`${srv.baseUrl}/api/v1/health`)).status === 200, 3000)).toBe(true);
  });
});

describe("an endless chunked upload over the limit (MAX_UPLOAD_BYTES=1 MiB)", () => {
  it("gets 413 and the server stops reading: far less than the 256 MiB offered is taken", async () => {
    const socket = await open();
    socket.on("error", () => undefined);
    let received = "";
    socket.on("data", (c: Buffer) => (received += c.toString("latin1")));
    const boundary = "xbig";
    socket.write(
      `POST /api/v1/files/upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${srv.keys.full}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\nTransfer-Encoding: chunked\r\n\r\n`,
    );
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n`;
    socket.write(`${Buffer.byteLength(head).toString(16)}\r\n${head}\r\n`);
    const chunk = Buffer.alloc(64 * 1024, 1);
    const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]);
    let taken = 0;
    const offered = 256 * 1024 * 1024;
    const deadline = Date.now() + 20_000;
    for (let sent = 0; sent < offered && !socket.destroyed && Date.now() < deadline; sent += chunk.length) {
      const flushed = socket.write(frame, (err) => {
        if (!err) taken += chunk.length;
      });
      if (!flushed) {
        const drained = await Promise.race([
          new Promise<boolean>((r) => socket.once("drain", () => r(true))),
          new Promise<boolean>((r) => setTimeout(() => r(false), 2_000)),
        ]);
        if (!drained) break; // the server stopped reading
      }
    }
    expect(await waitFor(() => received.length > 0, 5_000)).toBe(true);
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received.toLowerCase()).toContain("connection: close");
    expect(taken).toBeLessThan(64 * 1024 * 1024);
    socket.destroy();
    expect(await waitFor(async () => (await srv.blobFiles()).temp.length === 0, 3000)).toBe(true);
  });
});
