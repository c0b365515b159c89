/**
 * The seed API's four curl examples, exactly as openapi.yaml's x-codeSamples write them (only the
 * example file id is replaced), run with the real curl against the server: AETHER_BASE_URL and
 * AETHER_API_KEY in the environment point them at it.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contract, settledBandwidth, shell, type ApiFile, type ApiStats } from "../support/http.js";
import { startServer, type TestServer } from "../support/server.js";

let srv: TestServer;
let cwd: string;
const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(30_000), Buffer.from([0xff, 0xd9])]);

beforeAll(async () => {
  srv = await startServer();
  cwd = await mkdtemp(join(tmpdir(), "aether-curl-"));
  await writeFile(join(cwd, "example.jpg"), photo);
});
afterAll(async () => {
  await srv?.close();
  if (cwd) await rm(cwd, { recursive: true, force: true });
});

/** The file id the samples use (the spec's example file). */
const SAMPLE_FILE_ID = "file_Hk3LxT8mQw2ZrN5vK9pB";

/** The curl sample of an operation, as written (with another file id, when given). */
async function curlSample(operationId: string, fileId?: string): Promise<string> {
  const op = (await contract()).operationById(operationId).operation as { "x-codeSamples"?: Array<{ lang: string; source: string }> };
  const sample = op["x-codeSamples"]?.find((s) => s.lang === "Shell")?.source;
  expect(sample, `${operationId} has a curl sample`).toBeDefined();
  expect(sample).toContain('"${AETHER_BASE_URL:-http://127.0.0.1:8080}/api/v1/');
  expect(sample).toContain("$AETHER_API_KEY");
  return fileId ? sample!.replaceAll(SAMPLE_FILE_ID, fileId) : sample!;
}

const env = () => ({ ...process.env, AETHER_BASE_URL: srv.baseUrl, AETHER_API_KEY: srv.keys.full });
let uploaded: ApiFile;

describe("the seed's curl examples, as written", { timeout: 30_000 }, () => {
  it("upload: -F file=@example.jpg -F description=My photo -F tags=holiday, beach", async () => {
    const line = await curlSample("uploadFile");
    expect(line).toContain('-F "file=@example.jpg"');
    expect(line).toContain('-F "description=My photo"');
    expect(line).toContain('-F "tags=holiday, beach"');
    const res = await shell(line, { cwd, env: env() });
    expect(res.code, res.stderr).toBe(0);
    const body = JSON.parse(res.stdout) as { success: boolean; file: ApiFile };
    expect(body.success).toBe(true);
    uploaded = body.file;
    expect(uploaded).toMatchObject({ name: "example.jpg", size: photo.length, mimeType: "image/jpeg", description: "My photo", tags: ["holiday", "beach"], folderId: null });
  });

  it("list: ?limit=10", async () => {
    const line = await curlSample("listFiles");
    expect(line).toContain("?limit=10");
    const res = await shell(line, { cwd, env: env() });
    expect(res.code, res.stderr).toBe(0);
    const body = JSON.parse(res.stdout) as { success: boolean; files: ApiFile[]; pagination: unknown };
    expect(body).toEqual({ success: true, files: [uploaded], pagination: { total: 1, limit: 10, offset: 0, nextCursor: null } });
  });

  it("download: -o hello.txt gives identical bytes", async () => {
    const line = await curlSample("downloadFile", uploaded.id);
    expect(line).toContain("-o hello.txt");
    const res = await shell(line, { cwd, env: env() });
    expect(res.code, res.stderr).toBe(0);
    expect((await readFile(join(cwd, "hello.txt"))).equals(photo)).toBe(true);
  });

  it("stats: the seed's field names, counting the upload and the download", async () => {
    // Bandwidth is counted when the download's response closes: let it land first.
    expect(await settledBandwidth(srv.baseUrl, srv.keys.full, photo.length)).toBe(photo.length);
    const res = await shell(await curlSample("getUserStats"), { cwd, env: env() });
    expect(res.code, res.stderr).toBe(0);
    const body = JSON.parse(res.stdout) as { success: boolean; stats: ApiStats };
    expect(body.success).toBe(true);
    expect(body.stats).toMatchObject({ totalFiles: 1, totalSize: photo.length, totalFolders: 0, storageUsed: "29 KB" });
    expect(body.stats.bandwidthUsedBytes).toBe(photo.length);
    expect(body.stats.bandwidthUsed).toBe("29 KB");
  });
});
