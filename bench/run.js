#!/usr/bin/env node
// `npm run bench`: throughput and memory of the reference server against bare baselines, in one run.
//
//  1. Upload: multipart POST /api/v1/files/upload of one file streamed from disk, vs a bare
//     node:http + busboy → fs.createWriteStream + fsync pipeline (bench/baselines/busboy-upload.js).
//  2. Download: GET /api/v1/files/{id}/download, body discarded and counted, vs nginx (sendfile)
//     and a plain Node createReadStream(file).pipe(res) server (bench/baselines/stream-download.js).
//  3. Peak RSS of each server process during each transfer (VmRSS sampled every 50 ms from
//     /proc/<pid>/status, plus VmHWM after resetting it through /proc/<pid>/clear_refs) vs the
//     process's idle RSS just before the transfer.
//  4. GET /api/v1/files requests per second with response validation off and on (in-script
//     keep-alive load generator).
//  5. Stalled downloads (bench/stalled.js): RSS added while 400 connections download one 20 MiB
//     file and never read, with the server's download/connection caps lifted (target ≤ 64 MB) and
//     with its defaults (info: how many are turned away).
//  6. Flood (bench/flood.js, bench/flood-worker.js): an authenticated client's p50 latency alone
//     and while 20 unauthenticated connections send 100 kB bodies of "[[[[…" (target ≤ 3×).
//  7. Listing (bench/listing.js, bench/listing-pager.js): one user with 1,000,000 files in one
//     folder, inserted straight into the database, on SQLite and on PostgreSQL: p50 of first,
//     folder and deep cursor pages and of GET /user/stats (target ≤ 5 ms each), GET /health p99
//     while another client pages by cursor (target ≤ 20 ms), deep offset pages (info).
//  8. S3 (bench/s3.js): upload and download of the BENCH_SIZE_MB file through a server storing
//     bytes in a throwaway Ceph RADOS Gateway (bluestore) vs the AWS SDK straight to the gateway
//     (targets ≥ 0.8×), and the server's RSS during each (target ≤ idle + 100 MB).
// Parts 1–4 share one server and the BENCH_SIZE_MB file; 5, 6 and 7 start their own servers.
//
// Env: BENCH_SIZE_MB (default 1024, MiB), BENCH_RUNS (default 3, median reported),
//      BENCH_CLIENT (curl | node, default curl when installed), BENCH_RPS_SECONDS (default 10),
//      BENCH_RPS_CONNECTIONS (default 8), BENCH_RESULTS (default bench/results.md),
//      BENCH_ONLY (comma list of upload, download, rps, stalled, flood, listing, s3; default all; a partial run
//      keeps the other parts' rows and per-run lines from the existing results file, marked with
//      their date),
//      BENCH_STALLED_CONNECTIONS (default 400), BENCH_STALLED_FILE_MB (default 20, MiB),
//      BENCH_FLOOD_SECONDS (default 10, each measurement), BENCH_FLOOD_CONNECTIONS (default 20),
//      BENCH_LISTING_FILES (default 1000000), BENCH_LISTING_REQUESTS (default 200 per figure),
//      BENCH_LISTING_SECONDS (default 10, health while paging), BENCH_LISTING_BACKENDS (comma list
//      of sqlite, postgres; default both; PostgreSQL needs /usr/lib/postgresql/15/bin, else its rows
//      say it was skipped), BENCH_LISTING_PG_FSYNC (on | off, default on: the PostgreSQL cluster is
//      restarted with fsync, synchronous_commit and full_page_writes on after the seeding),
//      BENCH_WAIT_QUIET (seconds to wait, at most, for other load to stop before starting, and in
//      the listing part before each round of requests; the machine is shared, so figures taken
//      while it is busy are low and noisy),
//      BENCH_TMPDIR (default os.tmpdir()), BENCH_SERVER_ROOT (run server/main.ts from another
//      checkout or a patched copy, to compare a change; default this project),
//      BENCH_SERVER_NODE_ARGS (extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=DIR"
//      or "--trace-gc"), BENCH_DEBUG=1 (keep each child's output in $TMPDIR/bench-debug-<name>.log),
//      BENCH_SAMPLE_MS (RSS sampling period, default 50).
// Units: MB = 10^6 bytes, for throughput (MB/s) and memory alike.

import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash, randomFillSync } from "node:crypto";
import { closeSync, existsSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { createReadStream } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { floodDetails, floodMethod, floodRows, runFlood } from "./flood.js";
import { LISTING_BACKENDS, listingDetails, listingMethod, listingRows, runListing } from "./listing.js";
import { runS3, s3Details, s3Method, s3Rows } from "./s3.js";
import { runStalled, stalledDetails, stalledMethod, stalledRows } from "./stalled.js";

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH_DIR, "..");
const MiB = 1024 * 1024;
const MB = 1e6;

const SIZE_MB = numberEnv("BENCH_SIZE_MB", 1024);
const SIZE = Math.round(SIZE_MB * MiB);
const RUNS = numberEnv("BENCH_RUNS", 3);
const RPS_SECONDS = numberEnv("BENCH_RPS_SECONDS", 10);
const RPS_WARMUP_SECONDS = 2;
const RPS_CONNECTIONS = numberEnv("BENCH_RPS_CONNECTIONS", 8);
const RPS_SEED_FILES = 20;
const STALLED_CONNECTIONS = numberEnv("BENCH_STALLED_CONNECTIONS", 400);
const STALLED_FILE_BYTES = Math.round(numberEnv("BENCH_STALLED_FILE_MB", 20) * MiB);
const FLOOD_SECONDS = numberEnv("BENCH_FLOOD_SECONDS", 10);
const FLOOD_CONNECTIONS = numberEnv("BENCH_FLOOD_CONNECTIONS", 20);
const LISTING_FILES = Math.round(numberEnv("BENCH_LISTING_FILES", 1_000_000));
const LISTING_REQUESTS = Math.round(numberEnv("BENCH_LISTING_REQUESTS", 200));
const LISTING_SECONDS = numberEnv("BENCH_LISTING_SECONDS", 10);
const LISTING_PG_FSYNC = (process.env.BENCH_LISTING_PG_FSYNC || "on").trim();
if (!["on", "off"].includes(LISTING_PG_FSYNC)) fail(`BENCH_LISTING_PG_FSYNC must be on or off, got ${LISTING_PG_FSYNC}`);
const LISTING_BACKENDS_RUN = (process.env.BENCH_LISTING_BACKENDS || LISTING_BACKENDS.join(",")).split(",").map((x) => x.trim()).filter(Boolean);
for (const b of LISTING_BACKENDS_RUN) if (!LISTING_BACKENDS.includes(b)) fail(`BENCH_LISTING_BACKENDS takes a comma list of ${LISTING_BACKENDS.join(", ")}, got ${b}`);
const PARTS = ["upload", "download", "rps", "stalled", "flood", "listing", "s3"];
const ONLY = new Set((process.env.BENCH_ONLY ?? PARTS.join(",")).split(",").map((x) => x.trim()).filter(Boolean));
for (const part of ONLY) if (!PARTS.includes(part)) fail(`BENCH_ONLY takes a comma list of ${PARTS.join(", ")}, got ${part}`);
/** Parts 1–4 need the big source file, the shared server and the baselines. */
const SHARED_PARTS = ["upload", "download", "rps"].filter((p) => ONLY.has(p));
const WAIT_QUIET_S = process.env.BENCH_WAIT_QUIET ? numberEnv("BENCH_WAIT_QUIET", 0) : 0;
// Another checkout (or a patched copy) whose server/main.ts to run; it must have node_modules.
const SERVER_ROOT = resolve(process.env.BENCH_SERVER_ROOT ?? ROOT);
// Extra node flags for the server only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
if (!existsSync(join(SERVER_ROOT, "server", "main.ts"))) fail(`no server/main.ts under ${SERVER_ROOT}`);
const RESULTS = resolve(process.env.BENCH_RESULTS ?? join(BENCH_DIR, "results.md"));
const SAMPLE_MS = numberEnv("BENCH_SAMPLE_MS", 50);
const RSS_BUDGET_MB = 50;
const HAVE_CURL = which("curl") !== undefined;
const CLIENT = process.env.BENCH_CLIENT ?? (HAVE_CURL ? "curl" : "node");
if (!["curl", "node"].includes(CLIENT)) fail(`BENCH_CLIENT must be curl or node, got ${CLIENT}`);
if (CLIENT === "curl" && !HAVE_CURL) fail("BENCH_CLIENT=curl but curl is not installed");

function numberEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!(value > 0)) fail(`${name} must be a positive number, got "${raw}"`);
  return value;
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

function log(message) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function which(cmd) {
  for (const dir of (process.env.PATH ?? "").split(":").concat(["/usr/sbin", "/sbin"])) {
    if (dir && existsSync(join(dir, cmd))) return join(dir, cmd);
  }
  return undefined;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x, digits = 0) => (x === undefined || Number.isNaN(x) ? "–" : x.toFixed(digits));

// ---------------------------------------------------------------------------------------------
// Child processes and cleanup. Every child is the leader of its own process group (detached), so
// a group kill reaches anything it started; cleanup runs on success, failure and signals.

const tempRoot = mkdtempSync(join(process.env.BENCH_TMPDIR ?? os.tmpdir(), "aethercdn-bench-"));
const children = new Set();

function spawnChild(name, cmd, args, options = {}) {
  const proc = spawn(cmd, args, { ...options, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const child = { name, proc, stdout: "", stderr: "", exited: false, exitCode: undefined };
  proc.stdout.setEncoding("utf8").on("data", (d) => (child.stdout += d));
  proc.stderr.setEncoding("utf8").on("data", (d) => {
    child.stderr += d;
    if (child.stderr.length > 64 * 1024) child.stderr = child.stderr.slice(-32 * 1024);
  });
  child.done = new Promise((resolveDone) => {
    proc.on("exit", (code, signal) => {
      child.exited = true;
      child.exitCode = code ?? signal;
      children.delete(child);
      resolveDone(child.exitCode);
    });
    proc.on("error", (err) => {
      child.exited = true;
      child.stderr += String(err);
      children.delete(child);
      resolveDone(-1);
    });
  });
  children.add(child);
  return child;
}

function killGroup(child, signal) {
  try {
    process.kill(-child.proc.pid, signal);
  } catch {
    // already gone
  }
}

async function stopChild(child, graceMs = 3000) {
  if (child.exited) return;
  killGroup(child, "SIGTERM");
  await Promise.race([child.done, sleep(graceMs)]);
  if (!child.exited) {
    killGroup(child, "SIGKILL");
    await Promise.race([child.done, sleep(1000)]);
  }
}

function cleanupSync() {
  for (const child of children) killGroup(child, "SIGKILL");
  rmSync(tempRoot, { recursive: true, force: true });
}

async function cleanup() {
  if (process.env.BENCH_DEBUG) {
    for (const child of children) {
      writeFileSync(join(os.tmpdir(), `bench-debug-${child.name.replace(/\W+/g, "_")}.log`), `${child.stdout}\n--- stderr ---\n${child.stderr}`);
    }
  }
  await Promise.all([...children].map((c) => stopChild(c)));
  cleanupSync();
}

process.on("exit", cleanupSync);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    log(`${signal}: cleaning up`);
    cleanupSync();
    process.exit(130);
  });
}

async function waitForOutput(child, pattern, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = pattern.exec(child.stdout);
    if (match) return match;
    if (child.exited) break;
    await sleep(50);
  }
  throw new Error(
    `${child.name} did not print ${pattern} (${child.exited ? `exited with ${child.exitCode}` : "timed out"})\n` +
      `stdout: ${child.stdout.slice(-2000)}\nstderr: ${child.stderr.slice(-4000)}`,
  );
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// /proc sampling.

function procStatus(pid) {
  const text = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? NaN);
  return { rss: (kb("VmRSS") * 1024) / MB, hwm: (kb("VmHWM") * 1024) / MB };
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** user + system CPU seconds of `pid` so far. */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** Jiffies of all CPUs together: [busy, total]. */
function systemCpu() {
  const fields = readFileSync("/proc/stat", "utf8").split("\n", 1)[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = fields[3] + fields[4]; // idle + iowait
  return [total - idle, total];
}

/** Share of all CPUs (0–100 %) busy between two `systemCpu()` readings. */
function busyPercent(a, b) {
  const total = b[1] - a[1];
  return total > 0 ? (100 * (b[0] - a[0])) / total : NaN;
}

/** How busy the machine is over `ms`, in % of all CPUs, with nothing of ours running. */
async function machineBusy(ms = 1000) {
  const a = systemCpu();
  await sleep(ms);
  return busyPercent(a, systemCpu());
}

/** Resets VmHWM to the current RSS (Linux >= 4.0, needs ptrace rights on pid). True when it worked. */
function resetHwm(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    const { rss, hwm } = procStatus(pid);
    return hwm <= rss + 1;
  } catch {
    return false;
  }
}

/** Runs `transfer` while sampling `pid`'s memory and CPU. */
async function measured(pid, transfer) {
  await sleep(300); // let the previous step's garbage settle a little; idle is read after this
  const idle = procStatus(pid).rss;
  const hwmReset = resetHwm(pid);
  const cpu0 = cpuSeconds(pid);
  const sys0 = systemCpu();
  let peakSampled = idle;
  const timer = setInterval(() => {
    try {
      peakSampled = Math.max(peakSampled, procStatus(pid).rss);
    } catch {
      // process gone; the transfer will fail and say so
    }
  }, SAMPLE_MS);
  let result;
  try {
    result = await transfer();
  } finally {
    clearInterval(timer);
  }
  const end = procStatus(pid);
  const cpu = cpuSeconds(pid) - cpu0;
  const machineBusyPct = busyPercent(sys0, systemCpu());
  peakSampled = Math.max(peakSampled, end.rss);
  const peak = hwmReset ? Math.max(peakSampled, end.hwm) : peakSampled;
  return {
    ...result,
    mbps: result.bytes / MB / result.seconds,
    idle,
    peakSampled,
    hwm: hwmReset ? end.hwm : undefined,
    peak,
    growth: peak - idle,
    cpu,
    machineBusyPct,
  };
}

// ---------------------------------------------------------------------------------------------
// HTTP clients.

function makeSourceFile(path, size) {
  log(`writing ${fmt(size / MB)} MB of random data to ${path}`);
  const block = Buffer.alloc(16 * MiB);
  randomFillSync(block);
  const hash = createHash("sha256");
  const fd = openSync(path, "w");
  let written = 0;
  let n = 0;
  while (written < size) {
    block.writeUInt32LE(n++, 0); // every block differs
    const len = Math.min(block.length, size - written);
    const view = block.subarray(0, len);
    hash.update(view);
    let off = 0;
    while (off < len) off += writeSync(fd, view, off, len - off);
    written += len;
  }
  fsyncSync(fd); // no dirty pages of ours left to be written back during a measurement
  closeSync(fd);
  return hash.digest("hex");
}

function request(url, { method = "GET", headers = {}, body } = {}) {
  return new Promise((resolveReq, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          // not JSON
        }
        resolveReq({ status: res.statusCode, headers: res.headers, text, json });
      });
      res.on("error", reject);
    });
    req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${url}: no answer in 60 s`)));
    req.on("error", reject);
    req.end(body);
  });
}

function multipartParts(fileName, extraFields = {}) {
  const boundary = `----aetherbench${Math.random().toString(16).slice(2)}`;
  let head = "";
  for (const [name, value] of Object.entries(extraFields)) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  }
  head += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\n`;
  head += "Content-Type: application/octet-stream\r\n\r\n";
  return { boundary, head: Buffer.from(head), tail: Buffer.from(`\r\n--${boundary}--\r\n`) };
}

/** Uploads an in-memory buffer (small files only). */
async function uploadBuffer(url, headers, fileName, data) {
  const { boundary, head, tail } = multipartParts(fileName);
  const body = Buffer.concat([head, data, tail]);
  return request(url, {
    method: "POST",
    headers: { ...headers, "Content-Type": `multipart/form-data; boundary=${boundary}`, "Content-Length": body.length },
    body,
  });
}

/** Node client: hand-built multipart body, the file streamed from disk in 1 MiB reads. */
function uploadFileNode(url, headers, path) {
  const size = statSync(path).size;
  const { boundary, head, tail } = multipartParts("bench.bin");
  return new Promise((resolveUp, reject) => {
    const started = process.hrtime.bigint();
    const req = http.request(
      url,
      {
        method: "POST",
        headers: {
          ...headers,
          "Content-Type": `multipart/form-data; boundary=${boundary}`,
          "Content-Length": head.length + size + tail.length,
        },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const text = Buffer.concat(chunks).toString("utf8");
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            // not JSON
          }
          resolveUp({ status: res.statusCode, bytes: size, seconds, json, text });
        });
      },
    );
    req.on("error", reject);
    req.write(head);
    const file = createReadStream(path, { highWaterMark: MiB });
    file.on("error", reject);
    file.on("end", () => req.end(tail));
    file.pipe(req, { end: false });
  });
}

/** Node client download: body discarded, bytes counted. */
function downloadNode(url, headers) {
  return new Promise((resolveDown, reject) => {
    const started = process.hrtime.bigint();
    http
      .get(url, { headers }, (res) => {
        let bytes = 0;
        res.on("data", (c) => (bytes += c.length));
        res.on("end", () => {
          resolveDown({ status: res.statusCode, bytes, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
        });
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

async function runCurl(args) {
  const child = spawnChild("curl", "curl", args);
  const code = await child.done;
  if (code !== 0) throw new Error(`curl exited with ${code}: ${child.stderr}`);
  return child.stdout.trim();
}

async function uploadFileCurl(url, headers, path) {
  const out = join(tempRoot, "curl-upload-response.json");
  const args = ["-sS", "--max-time", "600", "-o", out, "-w", "%{http_code} %{time_total}", "-H", "Expect:"];
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}: ${v}`);
  args.push("-F", `file=@${path};type=application/octet-stream;filename=bench.bin`, url);
  const [status, seconds] = (await runCurl(args)).split(" ").map(Number);
  const text = readFileSync(out, "utf8");
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status, seconds, bytes: statSync(path).size, json, text };
}

async function downloadCurl(url, headers) {
  const args = ["-sS", "--max-time", "600", "-o", "/dev/null", "-w", "%{http_code} %{size_download} %{time_total}"];
  for (const [k, v] of Object.entries(headers)) args.push("-H", `${k}: ${v}`);
  args.push(url);
  const [status, bytes, seconds] = (await runCurl(args)).split(" ").map(Number);
  return { status, bytes, seconds };
}

const uploadFile = CLIENT === "curl" ? uploadFileCurl : uploadFileNode;
const download = CLIENT === "curl" ? downloadCurl : downloadNode;

// ---------------------------------------------------------------------------------------------
// Load generator: N keep-alive connections, each sending its next request as soon as the last
// response ends, for a fixed duration after a warm-up.

async function loadTest(url, headers, { connections, seconds, warmupSeconds }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const one = () =>
    new Promise((resolveOne) => {
      const started = process.hrtime.bigint();
      const req = http.get(url, { agent, headers }, (res) => {
        res.resume();
        res.on("end", () => resolveOne({ ok: res.statusCode === 200, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
      });
      req.on("error", (err) => resolveOne({ ok: false, status: err.code ?? "error", ms: 0 }));
    });
  const phase = async (durationS) => {
    const deadline = Date.now() + durationS * 1000;
    const latencies = [];
    const errors = {};
    let ok = 0;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (Date.now() < deadline) {
          const r = await one();
          if (r.ok) {
            ok++;
            latencies.push(r.ms);
          } else {
            errors[r.status] = (errors[r.status] ?? 0) + 1;
          }
        }
      }),
    );
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    latencies.sort((a, b) => a - b);
    const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
    return { rps: ok / elapsed, ok, errors, p50: pct(0.5), p99: pct(0.99) };
  };
  await phase(warmupSeconds);
  const result = await phase(seconds);
  agent.destroy();
  return result;
}

// ---------------------------------------------------------------------------------------------
// The servers.

// The server's abuse limits. A value left in the caller's environment is not passed on: each
// part sets what it measures (`extraEnv`), so "default" means the server's own defaults.
const SERVER_LIMIT_ENV = [
  "MAX_DOWNLOADS_PER_KEY",
  "MAX_CONNECTIONS_PER_ADDRESS",
  "RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE",
  "REQUEST_IDLE_TIMEOUT_SECONDS",
  "HEADERS_TIMEOUT_SECONDS",
  "KEEP_ALIVE_TIMEOUT_SECONDS",
];

async function startServer(name, dataDir, validateResponses, extraEnv = {}) {
  const inherited = { ...process.env };
  for (const key of SERVER_LIMIT_ENV) delete inherited[key];
  const env = {
    ...inherited,
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    NODE_ENV: "production",
    VALIDATE_RESPONSES: String(validateResponses),
    // The RPS test sends far more than the default 600/min from one key.
    RATE_LIMIT_PER_MINUTE: "1000000000",
    ...extraEnv,
  };
  // `npm start` is `tsx server/main.ts`, whose CLI runs the server in a second node process;
  // `node --import tsx` runs the same code with the same loader in one process, whose pid we sample.
  const child = spawnChild(name, process.execPath, [...SERVER_NODE_ARGS, "--import", "tsx", "server/main.ts"], { cwd: SERVER_ROOT, env });
  const [, origin] = await waitForOutput(child, /reference server on (http:\/\/\S+)/, 60_000);
  const key = /\bAETHER_API_KEY=(ak_[A-Za-z0-9]+)/.exec(child.stdout)?.[1];
  return { child, pid: child.proc.pid, origin, key };
}

async function startBaseline(name, script, env) {
  const child = spawnChild(name, process.execPath, [join(BENCH_DIR, "baselines", script)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  const [, port] = await waitForOutput(child, /listening (\d+)/, 20_000);
  return { child, pid: child.proc.pid, origin: `http://127.0.0.1:${port}` };
}

async function startNginx(dir, fileName) {
  const nginx = which("nginx");
  if (!nginx) return undefined;
  const prefix = join(tempRoot, "nginx");
  mkdirSync(join(prefix, "tmp"), { recursive: true });
  const port = await freePort();
  const conf = join(prefix, "nginx.conf");
  writeFileSync(
    conf,
    `daemon off;
master_process off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log stderr warn;
events { worker_connections 64; }
http {
  access_log off;
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${dir};
  }
}
`,
  );
  const child = spawnChild("nginx", nginx, ["-p", prefix, "-c", conf, "-e", "stderr"], { cwd: prefix });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exited) throw new Error(`nginx exited with ${child.exitCode}: ${child.stderr}`);
    try {
      const r = await request(`${origin}/${fileName}`, { method: "HEAD" });
      if (r.status === 200) break;
      throw new Error(`nginx answered ${r.status}`);
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`nginx did not come up: ${err}; ${child.stderr}`);
      await sleep(100);
    }
  }
  return { child, pid: child.proc.pid, origin };
}

// ---------------------------------------------------------------------------------------------

function machineInfo() {
  const model = /^model name\s*:\s*(.*)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? os.cpus()[0]?.model ?? "?";
  let nproc = String(os.availableParallelism?.() ?? os.cpus().length);
  try {
    nproc = execFileSync("nproc", { encoding: "utf8" }).trim();
  } catch {
    // keep the os figure
  }
  const nginxBin = which("nginx");
  // nginx -v prints on stderr
  const nginxVersion = nginxBin ? spawnSync(nginxBin, ["-v"], { encoding: "utf8" }).stderr.trim() : undefined;
  let curlVersion;
  if (HAVE_CURL) curlVersion = execFileSync("curl", ["--version"], { encoding: "utf8" }).split("\n")[0].split(" ").slice(0, 2).join(" ");
  return {
    nproc,
    model,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    kernel: os.release(),
    date: new Date().toISOString(),
    nginx: nginxVersion,
    curl: curlVersion,
  };
}

/** Which part a results-table metric or a per-run line belongs to. */
const PART_OF = [
  ["upload", /^(Upload|CPU s per GiB uploaded|Peak RSS during upload)/],
  ["download", /^(Download|CPU s per GiB downloaded|Peak RSS during download)/],
  ["rps", /^GET \/api\/v1\/files/],
  ["stalled", /^Stalled downloads/],
  ["flood", /^Flood/],
  ["listing", /^Listing/],
  ["s3", /^S3/],
];
const partOf = (text) => PART_OF.find(([, re]) => re.test(text))?.[0];

/**
 * The table rows ([part, markdown line]), per-run lines by part, and per-part provenance of an
 * existing results file, or undefined when there is none.
 */
function readPreviousResults(path) {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, "utf8");
  const sections = {};
  for (const chunk of text.split(/^## /m).slice(1)) {
    const newline = chunk.indexOf("\n");
    sections[chunk.slice(0, newline).trim()] = chunk.slice(newline + 1);
  }
  const rows = (sections.Results ?? "")
    .split("\n")
    .filter((l) => l.startsWith("| ") && !l.startsWith("| Metric |"))
    .map((l) => [partOf(l.slice(2)), l])
    .filter(([part]) => part);
  const details = Object.fromEntries(PARTS.map((p) => [p, []]));
  let current;
  for (const l of (sections["Per run"] ?? "").split("\n")) {
    if (l.startsWith("- ")) current = partOf(l.slice(2));
    else if (!l.startsWith("  ")) current = undefined;
    if (current) details[current].push(l);
  }
  let provenance = {};
  const marker = /<!-- bench-provenance (\{.*\}) -->/.exec(text);
  if (marker) {
    provenance = JSON.parse(marker[1]);
  } else {
    // Files written before the marker existed: every part comes from the run the file describes.
    const machine = sections.Machine ?? "";
    const date = /^- Date: (\S+)/m.exec(machine)?.[1];
    const cpus = /^- CPUs \(`nproc`\): (.*)$/m.exec(machine)?.[1]?.replace(/^(\d+), /, "$1 × ");
    const node = /^- Node: (v[\d.]+)/m.exec(machine)?.[1];
    const nginx = /nginx\/[\d.]+|nginx: not installed/.exec(machine)?.[0];
    for (const [part] of rows) provenance[part] = { date, machine: [cpus, node && `Node ${node}`, nginx].filter(Boolean).join(", ") };
  }
  const size = /file size ([\d.]+) MiB \((\d+) bytes\), (\d+) runs per\s+transfer/i.exec(text);
  const sizeLine = size ? `file size ${size[1]} MiB (${size[2]} bytes), ${size[3]} runs per transfer, median throughput reported` : undefined;
  return { rows, details, provenance, sizeLine };
}

/** With BENCH_WAIT_QUIET, waits (at most that long) for the machine to be under 10 % busy. */
async function waitQuiet(label) {
  if (!(WAIT_QUIET_S > 0)) return;
  const deadline = Date.now() + WAIT_QUIET_S * 1000;
  let busy = await machineBusy(3000);
  while (busy > 10 && Date.now() < deadline) {
    log(`${label}: machine ${fmt(busy)} % busy; waiting for it to go quiet (BENCH_WAIT_QUIET)`);
    busy = await machineBusy(3000);
  }
}

function verdict(pass) {
  return pass === undefined ? "–" : pass ? "pass" : "MISS";
}

async function main() {
  const machine = machineInfo();
  if (SERVER_ROOT !== ROOT) log(`server from ${SERVER_ROOT}`);
  log(`machine: ${machine.nproc} CPU (${machine.model}), ${machine.memory}, Node ${machine.node}; client ${CLIENT}; ${RUNS} runs; temp ${tempRoot}`);

  await waitQuiet("bench");
  const busyBefore = await machineBusy();
  const loadBefore = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  if (busyBefore > 10) {
    log(`WARNING: the machine is already ${fmt(busyBefore)} % busy (load ${loadBefore}) before the benchmark starts; figures will be low and noisy`);
  }

  // Parts 1–4 share the source file, one server and the baselines; 5 and 6 start their own.
  const srcName = "bench.bin";
  let srcDir, srcPath, srcSha, dataDir, server, auth, api, bb, bbHash, plain, nginx;
  if (SHARED_PARTS.length) {
    srcDir = join(tempRoot, "src");
    mkdirSync(srcDir);
    srcPath = join(srcDir, srcName);
    srcSha = makeSourceFile(srcPath, SIZE);

    // --- start everything ---------------------------------------------------------------------
    dataDir = join(tempRoot, "data");
    log("starting the reference server (VALIDATE_RESPONSES=false, NODE_ENV=production)");
    server = await startServer("server", dataDir, false);
    if (!server.key) throw new Error("the server did not print an initial API key; is DATA_DIR fresh?");
    auth = { Authorization: `Bearer ${server.key}` };
    api = `${server.origin}/api/v1`;

    log("starting baselines");
    bb = await startBaseline("busboy-upload", "busboy-upload.js", { UPLOAD_DIR: join(tempRoot, "baseline-uploads") });
    bbHash = await startBaseline("busboy-upload+sha256", "busboy-upload.js", {
      UPLOAD_DIR: join(tempRoot, "baseline-uploads-hash"),
      BASELINE_HASH: "1",
    });
    plain = await startBaseline("stream-download", "stream-download.js", { FILE: srcPath });
    try {
      nginx = await startNginx(srcDir, srcName);
    } catch (err) {
      log(`nginx failed to start, skipping it: ${err.message}`);
    }
    if (!nginx) log("nginx is not installed: the download target is skipped (apt-get install -y nginx)");

    // --- warm-up and seed: loads the upload/download/list code paths before any measurement ----
    log(`seeding ${RPS_SEED_FILES} small files`);
    for (let i = 0; i < RPS_SEED_FILES; i++) {
      const r = await uploadBuffer(`${api}/files/upload`, auth, `seed-${i}.txt`, Buffer.from(`seed file ${i}\n`.repeat(100)));
      if (r.status !== 201) throw new Error(`seed upload answered ${r.status}: ${r.text}`);
    }
    {
      const r = await uploadBuffer(`${api}/files/upload`, auth, "warmup.bin", randomFillSync(Buffer.alloc(4 * MiB)));
      if (r.status !== 201) throw new Error(`warm-up upload answered ${r.status}: ${r.text}`);
      await download(`${api}/files/${r.json.file.id}/download`, auth);
      await request(`${api}/files/${r.json.file.id}`, { method: "DELETE", headers: auth });
      await uploadBuffer(`${bb.origin}/`, {}, "warmup.bin", Buffer.alloc(MiB));
      await uploadBuffer(`${bbHash.origin}/`, {}, "warmup.bin", Buffer.alloc(MiB));
      await download(`${plain.origin}/x`, {});
    }
  }

  // --- 1. uploads (interleaved so drift hits every contender alike) ---------------------------
  const up = { server: [], busboy: [], busboyHash: [] };
  let keptFileId;
  for (let run = 1; run <= (ONLY.has("upload") ? RUNS : 0); run++) {
    log(`upload run ${run}/${RUNS}: server`);
    const s = await measured(server.pid, () => uploadFile(`${api}/files/upload`, auth, srcPath));
    if (s.status !== 201) throw new Error(`server upload answered ${s.status}: ${s.text}`);
    if (s.json.file.size !== SIZE || s.json.file.sha256 !== srcSha) {
      throw new Error(`server stored ${s.json.file.size} bytes with sha256 ${s.json.file.sha256}, expected ${SIZE} / ${srcSha}`);
    }
    up.server.push(s);
    if (keptFileId) await request(`${api}/files/${keptFileId}`, { method: "DELETE", headers: auth });
    keptFileId = s.json.file.id;

    for (const [label, target, list] of [
      ["bare busboy", bb, up.busboy],
      ["bare busboy + sha256", bbHash, up.busboyHash],
    ]) {
      log(`upload run ${run}/${RUNS}: ${label}`);
      const b = await measured(target.pid, () => uploadFile(`${target.origin}/`, {}, srcPath));
      if (b.status !== 201 || b.json?.files?.[0]?.size !== SIZE) throw new Error(`${label} answered ${b.status}: ${b.text}`);
      if (b.json.files[0].sha256 && b.json.files[0].sha256 !== srcSha) throw new Error(`${label} hashed wrongly`);
      list.push(b);
      rmSync(join(tempRoot, target === bb ? "baseline-uploads" : "baseline-uploads-hash", b.json.files[0].name), { force: true });
    }
  }

  // --- 2. downloads ---------------------------------------------------------------------------
  const down = { server: [], nginx: [], plain: [] };
  if (ONLY.has("download") && !keptFileId) {
    log("uploading the file to download (not measured)");
    const s = await uploadFile(`${api}/files/upload`, auth, srcPath);
    if (s.status !== 201 || s.json.file.sha256 !== srcSha) throw new Error(`server upload answered ${s.status}: ${s.text}`);
    keptFileId = s.json.file.id;
  }
  const contenders = ONLY.has("download")
    ? [
        ["server", server, `${api}/files/${keptFileId}/download`, auth, down.server],
        ...(nginx ? [["nginx", nginx, `${nginx.origin}/${srcName}`, {}, down.nginx]] : []),
        ["node stream", plain, `${plain.origin}/${srcName}`, {}, down.plain],
      ]
    : [];
  for (let run = 1; run <= (ONLY.has("download") ? RUNS : 0); run++) {
    for (const [label, target, url, headers, list] of contenders) {
      log(`download run ${run}/${RUNS}: ${label}`);
      const d = await measured(target.pid, () => download(url, headers));
      if (d.status !== 200 || d.bytes !== SIZE) throw new Error(`${label} download: status ${d.status}, ${d.bytes} bytes of ${SIZE}`);
      list.push(d);
    }
  }

  // --- 4. requests per second, response validation off then on --------------------------------
  let listed;
  let rpsOff;
  let rpsOn;
  if (ONLY.has("rps")) {
    const listUrl = `${api}/files`;
    const probe = await request(listUrl, { headers: auth });
    if (probe.status !== 200) throw new Error(`GET /api/v1/files answered ${probe.status}: ${probe.text}`);
    listed = probe.json.files.length;
    const rpsOptions = { connections: RPS_CONNECTIONS, seconds: RPS_SECONDS, warmupSeconds: RPS_WARMUP_SECONDS };
    log(`GET /api/v1/files (${listed} files per page), validation off: ${RPS_CONNECTIONS} connections, ${RPS_SECONDS} s`);
    rpsOff = await loadTest(listUrl, auth, rpsOptions);
    await stopChild(server.child, 10_000);
    log("restarting the server with VALIDATE_RESPONSES=true on the same data dir");
    const serverV = await startServer("server (validating)", dataDir, true);
    log(`GET /api/v1/files, validation on: ${RPS_CONNECTIONS} connections, ${RPS_SECONDS} s`);
    rpsOn = await loadTest(`${serverV.origin}/api/v1/files`, auth, rpsOptions);
    await stopChild(serverV.child, 10_000);
  }

  // Parts 5, 6 and 7 run on their own servers with nothing else of ours up.
  for (const target of [server, bb, bbHash, plain, nginx]) if (target) await stopChild(target.child);
  // What bench/stalled.js, bench/flood.js and bench/listing.js use from this script.
  const kit = { log, sleep, fmt, tempRoot, BENCH_DIR, ROOT, SAMPLE_MS, startServer, stopChild, spawnChild, waitForOutput };
  Object.assign(kit, { procStatus, resetHwm, cpuSeconds, uploadBuffer, download, request, waitQuiet, systemCpu, busyPercent });
  Object.assign(kit, { measured, uploadFile, cephInstalled: () => ["/usr/bin/radosgw", "/usr/bin/ceph-mon", "/usr/bin/ceph-osd"].every((p) => existsSync(p)) });

  // --- 5. stalled downloads ---------------------------------------------------------------------
  let stalled;
  if (ONLY.has("stalled")) stalled = await runStalled(kit, { connections: STALLED_CONNECTIONS, fileBytes: STALLED_FILE_BYTES });

  // --- 6. authenticated latency under an unauthenticated flood -----------------------------------
  let flood;
  if (ONLY.has("flood")) flood = await runFlood(kit, { seconds: FLOOD_SECONDS, connections: FLOOD_CONNECTIONS });

  // --- 7. listing at scale, SQLite and PostgreSQL ------------------------------------------------
  let listing;
  const listingOpts = { files: LISTING_FILES, requests: LISTING_REQUESTS, pagerSeconds: LISTING_SECONDS, backends: LISTING_BACKENDS_RUN, pgFsync: LISTING_PG_FSYNC === "on" };
  if (ONLY.has("listing")) listing = await runListing(kit, listingOpts);

  // --- 8. S3 (Ceph RGW) through the server vs the SDK straight ---------------------------------
  let s3;
  if (ONLY.has("s3")) s3 = await runS3(kit, { bytes: SIZE, runs: RUNS });

  // --- report -----------------------------------------------------------------------------------
  const med = (list, key) => (list.length ? median(list.map((r) => r[key])) : undefined);
  const worst = (list) => (list.length ? list.reduce((a, b) => (b.growth > a.growth ? b : a)) : undefined);
  const upS = med(up.server, "mbps");
  const upB = med(up.busboy, "mbps");
  const upBH = med(up.busboyHash, "mbps");
  const dnS = med(down.server, "mbps");
  const dnN = med(down.nginx, "mbps");
  const dnP = med(down.plain, "mbps");
  const GiB = 2 ** 30;
  const cpuPerGiB = (list) => (list.length ? median(list.map((r) => r.cpu / (r.bytes / GiB))) : undefined);
  const wUp = worst(up.server);
  const wDn = worst(down.server);
  const wUpB = worst(up.busboy);
  const wDnP = worst(down.plain);
  const ratio = (a, b) => (a !== undefined && b ? a / b : undefined);
  const rss = (r) => (r ? `${fmt(r.peak)} (idle ${fmt(r.idle)}, +${fmt(r.growth)})` : "–");
  // Each row is built only when its part ran (BENCH_ONLY).
  const allRows = [
    ["upload", () => ({
      metric: "Upload throughput, MB/s (median)",
      server: fmt(upS),
      baseline: `${fmt(upB)} (bare busboy + fsync)`,
      ratio: ratio(upS, upB),
      target: "≥ 0.90×",
      pass: upS / upB >= 0.9,
    })],
    ["upload", () => ({
      metric: "Upload throughput, MB/s (median), info",
      server: fmt(upS),
      baseline: `${fmt(upBH)} (bare busboy + sha256 + fsync)`,
      ratio: ratio(upS, upBH),
      target: "–",
      pass: undefined,
    })],
    ["download", () => ({
      metric: "Download throughput, MB/s (median)",
      server: fmt(dnS),
      baseline: nginx ? `${fmt(dnN)} (nginx sendfile)` : "skipped: nginx not installed",
      ratio: ratio(dnS, dnN),
      target: "≥ 0.95×",
      pass: nginx ? dnS / dnN >= 0.95 : undefined,
    })],
    ["download", () => ({
      metric: "Download throughput, MB/s (median), info",
      server: fmt(dnS),
      baseline: `${fmt(dnP)} (Node createReadStream.pipe)`,
      ratio: ratio(dnS, dnP),
      target: "–",
      pass: undefined,
    })],
    ["upload", () => ({
      metric: "CPU s per GiB uploaded (median), info",
      server: fmt(cpuPerGiB(up.server), 2),
      baseline: `${fmt(cpuPerGiB(up.busboy), 2)} (bare busboy); ${fmt(cpuPerGiB(up.busboyHash), 2)} (+ sha256)`,
      ratio: ratio(cpuPerGiB(up.server), cpuPerGiB(up.busboy)),
      target: "–",
      pass: undefined,
    })],
    ["download", () => ({
      metric: "CPU s per GiB downloaded (median), info",
      server: fmt(cpuPerGiB(down.server), 2),
      baseline: `${fmt(cpuPerGiB(down.plain), 2)} (node stream); ${fmt(cpuPerGiB(down.nginx), 2)} (nginx)`,
      ratio: ratio(cpuPerGiB(down.server), cpuPerGiB(down.plain)),
      target: "–",
      pass: undefined,
    })],
    ["upload", () => ({
      metric: "Peak RSS during upload, MB (worst run)",
      server: rss(wUp),
      baseline: `${rss(wUpB)} busboy`,
      ratio: undefined,
      target: `≤ idle + ${RSS_BUDGET_MB}`,
      pass: wUp.growth <= RSS_BUDGET_MB,
    })],
    ["download", () => ({
      metric: "Peak RSS during download, MB (worst run)",
      server: rss(wDn),
      baseline: `${rss(wDnP)} node stream`,
      ratio: undefined,
      target: `≤ idle + ${RSS_BUDGET_MB}`,
      pass: wDn.growth <= RSS_BUDGET_MB,
    })],
    ["rps", () => ({
      metric: `GET /api/v1/files req/s (${listed} items, ${RPS_CONNECTIONS} conns)`,
      server: `${fmt(rpsOn.rps)} (validation on)`,
      baseline: `${fmt(rpsOff.rps)} (validation off)`,
      ratio: ratio(rpsOn.rps, rpsOff.rps),
      target: "–",
      pass: undefined,
    })],
    // These parts' row counts depend on their results; when one did not run, a single `null`
    // stands for however many rows the previous results file has for it.
    ...["stalled", "flood", "listing", "s3"].flatMap((part) => {
      const result = { stalled, flood, listing, s3 }[part];
      if (!result) return [[part, null]];
      return { stalled: stalledRows, flood: floodRows, listing: listingRows, s3: s3Rows }[part](result, fmt).map((row) => [part, () => row]);
    }),
  ];

  // A partial run (BENCH_ONLY) keeps the other parts' rows and per-run lines from the existing
  // results file, in their places, and says which run each part comes from.
  const previous = ONLY.size < PARTS.length ? readPreviousResults(RESULTS) : undefined;
  const keptParts = PARTS.filter((p) => !ONLY.has(p) && previous?.rows.some(([part]) => part === p));
  const header = ["Metric", "Server", "Baseline", "Ratio", "Target", "Result"];
  const built = allRows.map(([part, row]) => [part, row && ONLY.has(part) ? row() : row]);
  const rows = built.filter(([part]) => ONLY.has(part)).map(([, row]) => row);
  const cells = rows.map((r) => [r.metric, r.server, r.baseline, r.ratio === undefined ? "–" : `${r.ratio.toFixed(2)}×`, r.target, verdict(r.pass)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => c.map((v, i) => v.padEnd(widths[i])).join("  ");
  const plainTable = [line(header), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
  const mdRow = (c) => `| ${c.map((v) => v.replace(/\|/g, "\\|")).join(" | ")} |`;
  const oldRows = Object.fromEntries(PARTS.map((p) => [p, (previous?.rows ?? []).filter(([part]) => part === p && !ONLY.has(p)).map(([, l]) => l)]));
  const mdLines = [];
  let cellIndex = 0;
  for (const [part, row] of built) {
    if (ONLY.has(part)) mdLines.push(mdRow(cells[cellIndex++]));
    else if (row === null) mdLines.push(...oldRows[part].splice(0));
    else if (oldRows[part].length) mdLines.push(oldRows[part].shift());
  }
  for (const part of PARTS) mdLines.push(...oldRows[part]);
  const mdTable = [`| ${header.join(" | ")} |`, `|${header.map((_, i) => (i >= 3 ? "---:" : "---")).join("|")}|`, ...mdLines].join("\n");

  const runLine = (r) =>
    `${fmt(r.mbps)} MB/s in ${fmt(r.seconds, 2)} s; RSS idle ${fmt(r.idle)} → peak ${fmt(r.peak)} MB (sampled ${fmt(r.peakSampled)}, VmHWM ${fmt(r.hwm)}); CPU ${fmt(r.cpu, 2)} s; all CPUs ${fmt(r.machineBusyPct)} % busy`;
  const detailsByPart = Object.fromEntries(PARTS.map((p) => [p, []]));
  const section = (part, title, list) => {
    if (!list.length) return;
    detailsByPart[part].push(`- ${title}:`);
    list.forEach((r, i) => detailsByPart[part].push(`  - run ${i + 1}: ${runLine(r)}`));
  };
  section("upload", "Upload, reference server", up.server);
  section("upload", "Upload, bare busboy + fsync", up.busboy);
  section("upload", "Upload, bare busboy + sha256 + fsync", up.busboyHash);
  section("download", "Download, reference server", down.server);
  section("download", "Download, nginx sendfile", down.nginx);
  section("download", "Download, Node createReadStream.pipe", down.plain);
  const rpsLine = (r) =>
    `${fmt(r.rps)} req/s, ${r.ok} responses, p50 ${fmt(r.p50, 1)} ms, p99 ${fmt(r.p99, 1)} ms${Object.keys(r.errors).length ? `, errors ${JSON.stringify(r.errors)}` : ""}`;
  if (rpsOff) detailsByPart.rps.push(`- GET /api/v1/files, validation off: ${rpsLine(rpsOff)}`);
  if (rpsOn) detailsByPart.rps.push(`- GET /api/v1/files, validation on: ${rpsLine(rpsOn)}`);
  if (stalled) detailsByPart.stalled.push(...stalledDetails(stalled, fmt));
  if (flood) detailsByPart.flood.push(...floodDetails(flood, fmt));
  if (listing) detailsByPart.listing.push(...listingDetails(listing, fmt));
  if (s3) detailsByPart.s3.push(...s3Details(s3, fmt));
  const details = PARTS.flatMap((p) => detailsByPart[p]);
  const mdDetails = PARTS.flatMap((p) => (ONLY.has(p) ? detailsByPart[p] : (previous?.details[p] ?? [])));

  process.stdout.write(`\n${plainTable}\n\n${details.join("\n")}\n\n`);

  // Where each part's figures come from: this run, or the run the previous file kept them from.
  const thisRun = { date: machine.date, machine: `${machine.nproc} × ${machine.model}, Node ${machine.node}, ${machine.nginx?.replace("nginx version: ", "") ?? "no nginx"}` };
  const provenance = Object.fromEntries(PARTS.map((p) => [p, ONLY.has(p) ? thisRun : keptParts.includes(p) ? previous.provenance[p] : undefined]).filter(([, v]) => v));
  const keptLine = keptParts.length
    ? `\n- Kept from earlier runs (BENCH_ONLY=${[...ONLY].join(",")} measured only those parts): ${keptParts
        .map((p) => `${p} (${provenance[p]?.date ?? "date unknown"}${provenance[p]?.machine ? `, ${provenance[p].machine}` : ""})`)
        .join("; ")}`
    : "";
  const transfers = ONLY.has("upload") || ONLY.has("download");
  const sizeLine = transfers
    ? `File size ${fmt(SIZE / MiB)} MiB (${SIZE} bytes), ${RUNS} runs per\ntransfer, median throughput reported`
    : previous?.sizeLine
      ? `Upload/download rows from an earlier run: ${previous.sizeLine}`
      : "No upload or download measured";

  const md = `# Benchmark results
<!-- bench-provenance ${JSON.stringify(provenance)} -->

Produced by \`npm run bench\` (bench/run.js). ${sizeLine}; MB = 10^6 bytes.

## Machine

- CPUs (\`nproc\`): ${machine.nproc}, ${machine.model}
- Memory: ${machine.memory}
- Node: ${machine.node}, kernel ${machine.kernel}
- ${machine.nginx ?? "nginx: not installed"}; client: ${CLIENT === "curl" ? machine.curl : "node:http"}
- Date: ${machine.date}${keptLine}
- Benchmark niceness: ${os.getPriority()}${os.getPriority() < 0 ? " (raised priority over the other work on the machine, children inherit it)" : ""}
- Other load: all CPUs ${fmt(busyBefore)} % busy in the second before the run (load average ${loadBefore});
  load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")} at the end. Each run below
  also gives how busy all CPUs were during it (the contender and the client included).

## Results

${mdTable}

## Per run

${mdDetails.join("\n")}

## Method

- Reference server${SERVER_ROOT !== ROOT ? ` (from ${SERVER_ROOT})` : ""}: \`node --import tsx server/main.ts\` (what \`npm start\` runs, minus the tsx CLI's
  wrapper process), NODE_ENV=production, VALIDATE_RESPONSES=false (production default; true for the
  second RPS figure), LOG_LEVEL=warn, RATE_LIMIT_PER_MINUTE=1000000000, fresh DATA_DIR on the same disk.
  Its other limits (${SERVER_LIMIT_ENV.join(", ")}) are
  left at the server's defaults, whatever the caller's environment holds, unless a part below sets them.
- Client: ${CLIENT === "curl" ? "`curl -F file=@…` (streams the file from disk; `Expect:` disabled); download `curl -o /dev/null`" : "node:http with a hand-built multipart body, the file streamed from disk in 1 MiB reads; downloads counted and discarded"}.
  Throughput = file bytes / time from request start to the end of the response (uploads include
  the server's fsync).
- Upload baseline: bench/baselines/busboy-upload.js (node:http + busboy → fs.createWriteStream,
  fsync, rename, then 201). The "+ sha256" variant also hashes every chunk on the main thread,
  as the server does.
- Download baselines: nginx (sendfile on, one worker, \`master_process off\`) and
  bench/baselines/stream-download.js, both serving the source file; the server serves its stored blob.
  Everything is in the page cache.
- Contenders run interleaved (server, baseline, server, …) with all processes up, the previous
  upload deleted between runs.
- CPU: user + system time of the contender's process (all its threads: libuv's file I/O and the
  kernel's socket and disk work done on its behalf) from /proc/<pid>/stat, per GiB moved. It is
  steadier than throughput when other work shares the CPUs.
- RSS: VmRSS of each contender's process sampled every ${SAMPLE_MS} ms, and VmHWM after a reset through
  /proc/<pid>/clear_refs; "idle" is VmRSS just before the transfer, after the warm-up requests.
- RPS: ${RPS_CONNECTIONS} keep-alive connections from the benchmark process (on the same ${machine.nproc} CPUs),
  ${RPS_WARMUP_SECONDS} s warm-up then ${RPS_SECONDS} s counted; page of ${listed !== undefined ? `${listed} files` : "the seeded files"} (default limit 50).
${stalledMethod(stalled?.opts ?? { connections: STALLED_CONNECTIONS, fileBytes: STALLED_FILE_BYTES }, fmt, SAMPLE_MS)}
${floodMethod(flood?.opts ?? { seconds: FLOOD_SECONDS, connections: FLOOD_CONNECTIONS }, fmt)}
${listingMethod(listing?.opts ?? listingOpts, fmt)}
${s3Method(s3?.opts ?? { bytes: SIZE, runs: RUNS }, fmt)}
`;
  writeFileSync(RESULTS, md);
  log(`wrote ${RESULTS}`);
}

main()
  .then(cleanup, async (err) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    for (const child of children) {
      if (child.stderr.trim()) process.stderr.write(`--- ${child.name} stderr ---\n${child.stderr.slice(-4000)}\n`);
    }
    await cleanup();
    process.exitCode = 1;
  });
