/**
 * Uploads under hostile clients: a key holds at most MAX_UPLOADS_PER_KEY uploads in progress
 * (each holds a socket, a temp file or S3 part buffers); the next is refused with 429 before its
 * body is read, other keys are not affected, and a slot frees when an upload ends — also when
 * its client vanishes.
 */
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { bearer, expectError, upload, uploadOk, waitFor } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer({ maxUploadsPerKey: 2, maxUploadBytes: 64 * 1024 * 1024 });
});
afterAll(() => srv?.close());

/** An upload that sends its headers and a first slice of body, then nothing. */
async function stalledUpload(key: string): Promise<Socket> {
  const { hostname, port } = new URL(srv.baseUrl);
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect(Number(port), hostname, () => resolve(s));
    s.once("error", reject);
  });
  socket.on("error", () => undefined);
  const head = `--b\r\nContent-Disposition: form-data; name="file"; filename="slow.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  socket.write(
    `POST /api/v1/files/upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${key}\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 10000000\r\n\r\n${head}${"x".repeat(1000)}`,
  );
  return socket;
}

it("the third concurrent upload of a key gets 429 before its body is read; another key still uploads; a slot frees when a client vanishes", async () => {
  const first = await stalledUpload(srv.keys.full);
  const second = await stalledUpload(srv.keys.full);
  // Both are being stored before the third one comes.
  expect(await waitFor(async () => (await srv.blobFiles()).temp.length >= 2 || srv.blobBackend === "s3", 5000)).toBe(true);
  await new Promise((r) => setTimeout(r, 200));
  const refused = await upload(srv.baseUrl, srv.keys.full, { name: "third.bin", data: "third" });
  await expectError(refused, 429, "rate_limited", "POST");
  expect(refused.headers.get("retry-after")).toBe("1");
  expect((await uploadOk(srv.baseUrl, srv.keys.otherTenant, { name: "other.bin", data: "other" })).name).toBe("other.bin");

  first.destroy();
  expect(
    await waitFor(async () => (await upload(srv.baseUrl, srv.keys.full, { name: "after.bin", data: "after" })).status === 201, 5000, 100),
  ).toBe(true);
  second.destroy();
  const files = await (await fetch(`${srv.baseUrl}/api/v1/files`, { headers: bearer(srv.keys.full) })).json();
  expect((files as { files: { name: string }[] }).files.map((f) => f.name)).toEqual(["after.bin"]);
});
