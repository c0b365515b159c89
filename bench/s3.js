// The `s3` part of `npm run bench` (bench/run.js): the reference server storing file bytes in S3,
// against the AWS SDK talking to the same store directly. A throwaway Ceph RADOS Gateway on
// bluestore (a sparse file on disk, tests/support/ceph.ts) is the store; the server runs with
// S3_BUCKET (metadata in SQLite: one row per transfer, not what is measured).
//
// Interleaved, BENCH_RUNS times, on one BENCH_SIZE_MB file in the page cache:
//   upload:   curl multipart POST through the server   vs  @aws-sdk/lib-storage Upload (defaults:
//             5 MiB parts, 4 at once) of the same file straight to the gateway;
//   download: GET …/download through the server        vs  GetObject of the same object straight
//             from the gateway, back to back, the order alternating between runs;
// both baselines run in the benchmark process, body counted and discarded. The server's RSS is
// sampled during each of its transfers (peak minus idle just before).
import { randomFillSync } from "node:crypto";
import { closeSync, createReadStream, openSync, writeSync } from "node:fs";
import { join } from "node:path";

/** Targets of the issue: ≥ 0.8× the direct SDK, RSS ≤ idle + 100 MB. */
export const S3_RATIO_TARGET = 0.8;
export const S3_RSS_BUDGET_MB = 100;
const BUCKET = "aether-bench";
const median = (xs) => {
  const s = xs.filter((x) => x !== undefined).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : undefined;
};

function writeRandomFile(path, bytes) {
  const fd = openSync(path, "w");
  const chunk = Buffer.alloc(8 * 1024 * 1024);
  for (let written = 0; written < bytes; ) {
    randomFillSync(chunk);
    const n = Math.min(chunk.length, bytes - written);
    writeSync(fd, chunk, 0, n);
    written += n;
  }
  closeSync(fd);
}

export async function runS3(kit, opts) {
  const { log, fmt } = kit;
  if (!kit.cephInstalled()) {
    log("s3: Ceph is not installed (apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd): skipped");
    return { skipped: "Ceph RADOS Gateway not installed", opts };
  }
  const { tsImport } = await import("tsx/esm/api");
  const { startGateway } = await tsImport("../tests/support/ceph.ts", import.meta.url);
  const { GetObjectCommand, DeleteObjectCommand, ListObjectsV2Command } = await import("@aws-sdk/client-s3");
  const { Upload } = await import("@aws-sdk/lib-storage");
  log("s3: starting a Ceph RADOS Gateway on bluestore");
  const gateway = await startGateway({ objectStore: "bluestore", deviceBytes: Math.max(16 * 2 ** 30, opts.bytes * (opts.runs * 2 + 4)) });
  let server;
  try {
    await gateway.createBucket(BUCKET);
    const file = join(kit.tempRoot, "s3-bench.bin");
    writeRandomFile(file, opts.bytes);
    server = await kit.startServer("server (s3)", join(kit.tempRoot, "data-s3"), false, { ...gateway.env(), S3_BUCKET: BUCKET, MAX_UPLOAD_BYTES: String(opts.bytes * 2) });
    const auth = { Authorization: `Bearer ${server.key}` };
    const api = `${server.origin}/api/v1`;
    const runs = [];
    for (let i = 0; i < opts.runs; i++) {
      await kit.waitQuiet(`s3 run ${i + 1}`);
      const up = await kit.measured(server.pid, () => kit.uploadFile(`${api}/files/upload`, auth, file));
      if (up.status !== 201) throw new Error(`s3: upload through the server answered ${up.status}: ${up.text}`);
      const id = up.json.file.id;

      const sdkUpStarted = process.hrtime.bigint();
      await new Upload({ client: gateway.client, params: { Bucket: BUCKET, Key: `direct-${i}`, Body: createReadStream(file) } }).done();
      const sdkUp = Number(process.hrtime.bigint() - sdkUpStarted) / 1e9;

      // Both downloads read the same object (the server's blob), back to back, in alternating order,
      // so neither profits alone from what the gateway still has cached.
      const listed = await gateway.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "blobs/" }));
      const blobName = listed.Contents?.[0]?.Key;
      if (!blobName || listed.Contents.length !== 1) throw new Error("s3: expected exactly one blob object in the bucket");
      const serverDownload = async () => {
        const result = await kit.measured(server.pid, () => kit.download(`${api}/files/${id}/download`, auth));
        if (result.status !== 200 || result.bytes !== opts.bytes) throw new Error(`s3: download through the server got ${result.status}, ${result.bytes} bytes`);
        return result;
      };
      const sdkDownload = async () => {
        const started = process.hrtime.bigint();
        const object = await gateway.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: blobName }));
        let got = 0;
        for await (const chunk of object.Body) got += chunk.length;
        if (got !== opts.bytes) throw new Error(`s3: direct GetObject got ${got} bytes`);
        return Number(process.hrtime.bigint() - started) / 1e9;
      };
      let down;
      let sdkDown;
      if (i % 2 === 0) {
        down = await serverDownload();
        sdkDown = await sdkDownload();
      } else {
        sdkDown = await sdkDownload();
        down = await serverDownload();
      }

      const run = {
        up,
        down,
        sdkUpMBps: opts.bytes / 1e6 / sdkUp,
        sdkDownMBps: opts.bytes / 1e6 / sdkDown,
      };
      runs.push(run);
      log(`s3 run ${i + 1}: upload ${fmt(up.mbps)} MB/s (SDK ${fmt(run.sdkUpMBps)}), download ${fmt(down.mbps)} MB/s (SDK ${fmt(run.sdkDownMBps)}), RSS +${fmt(up.growth)} / +${fmt(down.growth)} MB`);
      await kit.request(`${api}/files/${id}`, { method: "DELETE", headers: auth });
      await gateway.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: `direct-${i}` }));
    }
    return {
      opts,
      runs,
      up: median(runs.map((r) => r.up.mbps)),
      down: median(runs.map((r) => r.down.mbps)),
      sdkUp: median(runs.map((r) => r.sdkUpMBps)),
      sdkDown: median(runs.map((r) => r.sdkDownMBps)),
      upGrowth: Math.max(...runs.map((r) => r.up.growth)),
      downGrowth: Math.max(...runs.map((r) => r.down.growth)),
      idle: median(runs.map((r) => r.up.idle)),
    };
  } finally {
    if (server) await kit.stopChild(server.child);
    await gateway.close();
  }
}

/** Table rows (same shape as run.js's). */
export function s3Rows(r, fmt) {
  if (r.skipped) {
    return [{ metric: "S3 (Ceph RGW) upload/download", server: `skipped: ${r.skipped}`, baseline: "–", ratio: undefined, target: "–", pass: undefined }];
  }
  const size = `${fmt(r.opts.bytes / 2 ** 20)} MiB`;
  return [
    {
      metric: `S3 upload of ${size} through the server, MB/s (median)`,
      server: fmt(r.up),
      baseline: `${fmt(r.sdkUp)} (SDK Upload straight to RGW)`,
      ratio: r.up / r.sdkUp,
      target: `≥ ${S3_RATIO_TARGET.toFixed(2)}×`,
      pass: r.up / r.sdkUp >= S3_RATIO_TARGET,
    },
    {
      metric: `S3 download of ${size} through the server, MB/s (median)`,
      server: fmt(r.down),
      baseline: `${fmt(r.sdkDown)} (GetObject straight from RGW)`,
      ratio: r.down / r.sdkDown,
      target: `≥ ${S3_RATIO_TARGET.toFixed(2)}×`,
      pass: r.down / r.sdkDown >= S3_RATIO_TARGET,
    },
    {
      metric: "S3: server RSS added during upload / download, MB (worst run)",
      server: `+${fmt(r.upGrowth)} / +${fmt(r.downGrowth)} (idle ${fmt(r.idle)})`,
      baseline: "–",
      ratio: undefined,
      target: `≤ idle + ${S3_RSS_BUDGET_MB}`,
      pass: r.upGrowth <= S3_RSS_BUDGET_MB && r.downGrowth <= S3_RSS_BUDGET_MB,
    },
  ];
}

/** Per-run lines. */
export function s3Details(r, fmt) {
  if (r.skipped) return [`- S3: skipped (${r.skipped})`];
  return r.runs.map(
    (x, i) =>
      `- S3 run ${i + 1}: server upload ${fmt(x.up.mbps)} MB/s (RSS ${fmt(x.up.idle)} → ${fmt(x.up.peak)}, CPU ${fmt(x.up.cpu, 1)} s), SDK Upload ${fmt(x.sdkUpMBps)} MB/s; ` +
      `server download ${fmt(x.down.mbps)} MB/s (RSS ${fmt(x.down.idle)} → ${fmt(x.down.peak)}, CPU ${fmt(x.down.cpu, 1)} s), GetObject ${fmt(x.sdkDownMBps)} MB/s`,
  );
}

/** Method bullet. */
export function s3Method(opts, fmt) {
  return `- S3: a throwaway single-node Ceph RADOS Gateway 16 on bluestore (a sparse file on this disk;
  tests/support/ceph.ts) and a server started with \`S3_BUCKET\` (defaults: 8 MiB parts, 2 in flight
  per upload). ${opts.runs} interleaved runs of one ${fmt(opts.bytes / 2 ** 20)} MiB random file: upload through the server
  (curl multipart) vs \`@aws-sdk/lib-storage\` Upload of the same file straight to the gateway
  (SDK defaults: 5 MiB parts, 4 in flight), then download through the server vs GetObject of the
  same object straight from the gateway, back to back, the order alternating between runs (body
  counted and discarded). Both baselines run in the benchmark process. RSS
  as for the disk upload/download: peak minus idle just before the transfer.`;
}
