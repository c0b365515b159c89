// A 200 MB upload from a lazily generated Node stream keeps the uploading process's memory flat.
// The upload runs in a child process (node + tsx, the client from source) so that the test
// runner's own allocations do not pollute the figure; the child samples its RSS every 100 ms and
// reports baseline (after a warm-up upload) and peak. The server is in-process here.
import { execFile } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { REPO_ROOT } from "../support/openapi-oracle.js";
import { startServer, type TestServer } from "../support/server.js";

const MB = 1024 * 1024;
const UPLOAD_BYTES = 200 * MB;
// Half the file: buffering it would cost 200 MB or more. What streaming costs is a plateau that
// differs by Node version: about 40 MB on Node 20, about 80 MB on Node 24 (measured the same with
// 200 MB and 600 MB uploads, so it does not grow with the file).
const MAX_GROWTH = 100 * MB;
const CHILD = path.join(REPO_ROOT, "tests", "client", "fixtures", "memory-upload.ts");

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(async () => {
  await srv?.close();
});

interface ChildReport {
  baselineRss: number;
  peakRss: number;
  samples: number;
  bytes: number;
  loaded: number;
  sha256: string;
  file: { size: number; sha256: string };
  ms: number;
}

function runChild(): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", CHILD],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, AETHER_BASE_URL: srv.baseUrl, AETHER_API_KEY: srv.keys.full, UPLOAD_BYTES: String(UPLOAD_BYTES) },
        timeout: 170_000,
        maxBuffer: 1024 * 1024,
        encoding: "utf8",
      },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`child failed: ${err.message}\n${stderr}`));
        try {
          resolve(JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as ChildReport);
        } catch {
          reject(new Error(`child printed no report:\n${stdout}\n${stderr}`));
        }
      },
    );
  });
}

it(`uploads ${UPLOAD_BYTES / MB} MB from a generated stream with peak RSS − baseline < ${MAX_GROWTH / MB} MB`, { timeout: 180_000 }, async () => {
  const report = await runChild();
  const growth = report.peakRss - report.baselineRss;
  const mb = (n: number) => `${(n / MB).toFixed(1)} MB`;
  console.log(
    `[memory] 200 MB streamed upload: baseline RSS ${mb(report.baselineRss)}, peak RSS ${mb(report.peakRss)}, ` +
      `growth ${mb(growth)} (limit ${mb(MAX_GROWTH)}), ${report.samples} samples, ${report.ms} ms ` +
      `(${(report.bytes / MB / (report.ms / 1000)).toFixed(0)} MB/s)`,
  );
  // The whole stream went through, intact.
  expect(report.file.size).toBe(UPLOAD_BYTES);
  expect(report.loaded).toBe(UPLOAD_BYTES);
  expect(report.file.sha256).toBe(report.sha256);
  // Sampled throughout (one sample per 100 ms of upload, at least a few).
  expect(report.samples).toBeGreaterThanOrEqual(Math.min(3, Math.floor(report.ms / 100)));
  expect(growth).toBeLessThan(MAX_GROWTH);
});
