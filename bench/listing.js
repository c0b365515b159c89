// The `listing` part of `npm run bench` (bench/run.js): GET /api/v1/files at scale, one user with
// LISTING_FILES (default 1,000,000) files, all in one folder, on each metadata backend (SQLite in
// DATA_DIR, then PostgreSQL 15 in a throwaway cluster).
//
// Per backend:
//  1. a server starts on a fresh DATA_DIR (and, for PostgreSQL, a fresh database) so that it
//     creates its schema, the first user and key; the folder is created through the API; the
//     server stops;
//  2. the files are inserted straight into the database (the API would take hours), with the
//     counters the server keeps (user_stats.total_files/total_size/root_files,
//     folders.file_count) moved by the same amounts and then checked against COUNT(*)/SUM(size);
//  3. the server starts again; one keep-alive client sends N requests back to back (after a
//     warm-up) for each of: the first page, the folder's first page, cursor pages deep in the
//     folder and in the unfiltered listing, GET /user/stats, and (info, fewer requests) offset
//     pages deep in the folder and in the unfiltered listing → p50/p99;
//  4. GET /api/v1/health every HEALTH_INTERVAL_MS from the same client, alone, then while
//     bench/listing-pager.js (a child process) walks the folder by cursor, limit=100, back to back
//     → p99.
// Deep cursors are built from the seeded rows (a cursor is base64url of `${createdAt}|${id}` of
// the previous page's last file, server/operations/listFiles.ts encodeCursor), not by walking
// 10,000 pages; each page's first answer is checked against the files it must hold.
import { execFile, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";

/** p50 budget, ms, of every page, cursor page and stats request. */
export const LISTING_TARGET_P50_MS = 5;
/** p99 budget, ms, of GET /health while another client pages by cursor. */
export const HEALTH_TARGET_P99_MS = 20;
const WARMUP_REQUESTS = 50;
/** The request figures are taken in this many interleaved rounds. */
const ROUNDS = 4;
/** Offset pages deep in a million rows cost hundreds of ms each: fewer of them. */
const OFFSET_REQUESTS = 20;
const OFFSET_WARMUP = 2;
const PAGER_LIMIT = 100;
const HEALTH_INTERVAL_MS = 10;
const HEALTH_IDLE_SECONDS = 5;
/** The pager runs this long before the health window opens. */
const PAGER_WARMUP_MS = 1000;
/** created_at of file i is BASE_TIME + i ms: unique, ISO-8601 with milliseconds. */
const BASE_TIME = Date.parse("2026-01-01T00:00:00.000Z");
/** Any 64 hex digits; listing never reads blobs. */
const SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const FOLDER_NAME = "listing-bench";
/** The server's page size when no limit is sent. */
const DEFAULT_LIMIT = 50;
export const LISTING_BACKENDS = ["sqlite", "postgres"];
const BACKEND_LABEL = { sqlite: "SQLite", postgres: "PostgreSQL" };
const DB_NAME = "aether_listing";
const asRoot = process.getuid?.() === 0;

const pad = (i) => String(i).padStart(20, "0");
const fileId = (i) => `file_${pad(i)}`;
const createdAt = (i) => new Date(BASE_TIME + i).toISOString();
const sizeOf = (i) => 1024 + (i % 4096);
const num = (n) => n.toLocaleString("en-US");
/** Cursor of the page after the first `k` files, newest first (file i is at position n − i). */
const cursorAfter = (n, k) => Buffer.from(`${createdAt(n - k + 1)}|${fileId(n - k + 1)}`, "utf8").toString("base64url");

// ---------------------------------------------------------------------------------------------
// Seeding.

function seedSqlite(dbPath, userId, folderId, n) {
  const db = new Database(dbPath);
  try {
    // This connection only: the server's own settings (WAL, synchronous=FULL) apply when it reopens.
    db.pragma("synchronous = OFF");
    db.pragma("foreign_keys = ON");
    const insert = db.prepare(
      `INSERT INTO files (id, user_id, folder_id, name, size, mime_type, description, tags, sha256, blob_key, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'text/plain', NULL, '[]', ?, ?, ?, ?)`,
    );
    let totalSize = 0;
    db.transaction(() => {
      for (let i = 1; i <= n; i++) {
        const at = createdAt(i);
        insert.run(fileId(i), userId, folderId, `listing-${String(i).padStart(7, "0")}.txt`, sizeOf(i), SHA256, `lb${pad(i)}`, at, at);
        totalSize += sizeOf(i);
      }
      db.prepare("UPDATE folders SET file_count = file_count + ? WHERE id = ? AND user_id = ?").run(n, folderId, userId);
      db.prepare("UPDATE user_stats SET total_files = total_files + ?, total_size = total_size + ? WHERE user_id = ?").run(n, totalSize, userId);
    })();
    const counters = db.prepare("SELECT total_files AS files, total_size AS size, root_files AS root FROM user_stats WHERE user_id = ?").get(userId);
    const folder = db.prepare("SELECT file_count AS n FROM folders WHERE id = ?").get(folderId).n;
    const actual = db
      .prepare("SELECT COUNT(*) AS files, COALESCE(SUM(size), 0) AS size, COALESCE(SUM(folder_id IS NULL), 0) AS root FROM files WHERE user_id = ?")
      .get(userId);
    const inFolder = db.prepare("SELECT COUNT(*) AS n FROM files WHERE folder_id = ?").get(folderId).n;
    checkCounters({ ...counters, folder }, { ...actual, folder: inFolder });
    db.pragma("wal_checkpoint(TRUNCATE)");
    return { totalSize };
  } finally {
    db.close();
  }
}

async function seedPostgres(cluster, userId, folderId, n) {
  const sql = (text, values) => cluster.sql(text, values, DB_NAME);
  // One statement: the rows, their indexes and every constraint (folder FK, NFC, sha256 shape).
  await sql(
    `INSERT INTO files (id, user_id, folder_id, name, size, mime_type, description, tags, sha256, blob_key, created_at, updated_at)
     SELECT 'file_' || lpad(i::text, 20, '0'), $1, $2, 'listing-' || lpad(i::text, 7, '0') || '.txt', 1024 + i % 4096,
            'text/plain', NULL, '{}', $3, 'lb' || lpad(i::text, 20, '0'),
            $4::timestamptz + i * interval '1 millisecond', $4::timestamptz + i * interval '1 millisecond'
     FROM generate_series(1, $5::int) AS i`,
    [userId, folderId, SHA256, createdAt(0), n],
  );
  let totalSize = 0;
  for (let i = 1; i <= n; i++) totalSize += sizeOf(i);
  await sql("UPDATE folders SET file_count = file_count + $1 WHERE id = $2 AND user_id = $3", [n, folderId, userId]);
  await sql("UPDATE user_stats SET total_files = total_files + $1, total_size = total_size + $2 WHERE user_id = $3", [n, totalSize, userId]);
  // What autovacuum would have done on a database that grew to this size over time: statistics
  // for the planner and an all-visible map (index-only scans).
  await sql("VACUUM (ANALYZE)");
  await sql("CHECKPOINT");
  const [counters] = await sql("SELECT total_files AS files, total_size AS size, root_files AS root FROM user_stats WHERE user_id = $1", [userId]);
  const [folder] = await sql("SELECT file_count AS n FROM folders WHERE id = $1", [folderId]);
  const [actual] = await sql(
    "SELECT count(*) AS files, COALESCE(sum(size), 0) AS size, count(*) FILTER (WHERE folder_id IS NULL) AS root FROM files WHERE user_id = $1",
    [userId],
  );
  const [inFolder] = await sql("SELECT count(*) AS n FROM files WHERE folder_id = $1", [folderId]);
  checkCounters({ ...counters, folder: folder.n }, { ...actual, folder: inFolder.n });
  const [size] = await sql("SELECT pg_database_size(current_database()) AS bytes");
  return { totalSize, dbBytes: Number(size.bytes) };
}

function checkCounters(counters, actual) {
  for (const key of ["files", "size", "root", "folder"]) {
    if (Number(counters[key]) !== Number(actual[key])) {
      throw new Error(`listing: after seeding, counter ${key} is ${counters[key]} but the rows say ${actual[key]}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL durability. The harness starts its cluster with fsync, synchronous_commit and
// full_page_writes off on the command line (which no ALTER SYSTEM can override). That is fine for
// the seeding; but every authenticated request also writes (the shared rate-limit store's upsert
// into rate_limit_hits), so for the measurements the cluster is restarted on the same data dir and
// port with PostgreSQL's defaults (all three on), unless BENCH_LISTING_PG_FSYNC=off.

/** The command line that runs a PostgreSQL binary, as `postgres` when we are root (as the harness does). */
function pgCommand(harness, binary, args) {
  const path = join(harness.POSTGRES_BIN, binary);
  return asRoot ? ["runuser", ["-u", "postgres", "--", path, ...args]] : [path, args];
}

function runPg(harness, binary, args) {
  const [command, argv] = pgCommand(harness, binary, args);
  return new Promise((resolveRun, reject) => {
    execFile(command, argv, { encoding: "utf8", timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${binary} failed: ${error.message}\n${stdout}${stderr}`));
      else resolveRun(stdout);
    });
  });
}

/** Stops the harness's cluster and starts it again with durability on; resolves to its stop function. */
async function restartDurable(harness, cluster) {
  await cluster.stop();
  const data = join(cluster.dir, "data");
  const options = `-p ${cluster.port} -k ${cluster.dir} -c listen_addresses=127.0.0.1`;
  await runPg(harness, "pg_ctl", ["-D", data, "-l", join(cluster.dir, "pg.log"), "-w", "-t", "60", "-o", options, "start"]);
  const onExit = () => spawnSync(...pgCommand(harness, "pg_ctl", ["-D", data, "-m", "immediate", "stop"]));
  process.once("exit", onExit);
  return async () => {
    process.removeListener("exit", onExit);
    await runPg(harness, "pg_ctl", ["-D", data, "-w", "-m", "fast", "stop"]);
  };
}

async function pgSettings(cluster) {
  const rows = await cluster.sql(
    "SELECT name, setting, unit FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers') ORDER BY name",
    [],
    DB_NAME,
  );
  // shared_buffers is in 8 kB pages.
  return rows.map((r) => `${r.name}=${r.unit === "8kB" ? `${(Number(r.setting) * 8) / 1024} MB` : r.setting}`).join(", ");
}

// ---------------------------------------------------------------------------------------------
// Clients.

function get(agent, url, headers) {
  return new Promise((resolveOne) => {
    const t0 = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - t0) / 1e6;
    const req = http.get(url, { agent, headers }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolveOne({ status: res.statusCode, body: Buffer.concat(chunks), ms: elapsed() }));
      res.on("error", (err) => resolveOne({ status: err.code ?? "error", ms: elapsed() }));
    });
    req.setTimeout(60_000, () => req.destroy(Object.assign(new Error("no answer in 60 s"), { code: "timeout" })));
    req.on("error", (err) => resolveOne({ status: err.code ?? "error", ms: elapsed() }));
  });
}

function percentiles(latencies) {
  const l = [...latencies].sort((a, b) => a - b);
  const pct = (p) => l[Math.min(l.length - 1, Math.floor(p * l.length))];
  return { p50: pct(0.5), p99: pct(0.99), max: l.at(-1), n: l.length };
}

/**
 * The request figures, on one keep-alive connection, each request sent as soon as the last answer
 * ends: every case's warm-up first (its first answer's JSON goes to its `check`, which returns a
 * problem or undefined), then ROUNDS rounds, each running every case in turn for its share of
 * `requests`, so that drift (warm-up, other load) is spread over all cases alike. `beforeRound`
 * and `counted` come from the caller (waiting for quiet, counting CPU).
 */
async function interleaved(cases, headers, { beforeRound, counted, log }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const state = cases.map((c) => ({ ...c, latencies: [], statuses: {}, problem: undefined }));
    for (const c of state) {
      log(`${c.what}: ${c.warmup} warm-up requests`);
      for (let i = 0; i < Math.max(1, c.warmup); i++) {
        const r = await get(agent, c.url, headers);
        if (i === 0) c.problem = r.status === 200 ? c.check(JSON.parse(r.body.toString("utf8"))) : `answered ${r.status}: ${r.body?.toString("utf8").slice(0, 200)}`;
      }
      if (c.problem) log(`${c.what}: WRONG ANSWER: ${c.problem}`);
    }
    for (let round = 0; round < ROUNDS; round++) {
      await beforeRound(round);
      log(`round ${round + 1}/${ROUNDS}: ${state.map((c) => share(c.requests, round)).join(" + ")} requests`);
      await counted(async () => {
        for (const c of state) {
          for (let i = 0; i < share(c.requests, round); i++) {
            const r = await get(agent, c.url, headers);
            c.statuses[r.status] = (c.statuses[r.status] ?? 0) + 1;
            if (r.status === 200) c.latencies.push(r.ms);
          }
        }
      });
    }
    return Object.fromEntries(
      state.map((c) => [
        c.name,
        { what: c.what, ...percentiles(c.latencies), statuses: c.statuses, requests: c.requests, problem: c.problem, ok: c.latencies.length === c.requests && c.problem === undefined },
      ]),
    );
  } finally {
    agent.destroy();
  }
}

/** Requests of round `round` out of `requests` over ROUNDS rounds. */
const share = (requests, round) => Math.floor(((round + 1) * requests) / ROUNDS) - Math.floor((round * requests) / ROUNDS);

/** GET `url` every `intervalMs` (or as soon as the last answer ends, when it took longer) for `seconds`. */
async function paced(url, seconds, intervalMs, sleep) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    await get(agent, url, {}); // connect
    const latencies = [];
    const statuses = {};
    const deadline = Date.now() + seconds * 1000;
    let requests = 0;
    while (Date.now() < deadline) {
      const r = await get(agent, url, {});
      requests++;
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      if (r.status === 200) latencies.push(r.ms);
      if (r.ms < intervalMs) await sleep(intervalMs - r.ms);
    }
    return { ...percentiles(latencies), statuses, requests, ok: latencies.length === requests };
  } finally {
    agent.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// One backend.

async function loadPostgresHarness(kit) {
  // tests/support/postgres.ts is TypeScript: loaded through tsx, as the server is.
  const { tsImport } = await import("tsx/esm/api");
  return tsImport(pathToFileURL(join(kit.ROOT, "tests", "support", "postgres.ts")).href, import.meta.url);
}

async function oneBackend(kit, backend, opts) {
  const { log, sleep, fmt } = kit;
  const label = BACKEND_LABEL[backend];
  const n = opts.files;
  const dataDir = join(kit.tempRoot, `data-listing-${backend}`);
  // "" = the server's default: SQLite unless this part sets DATABASE_URL, whatever the caller's environment holds.
  const env = { DATABASE_URL: "", DATABASE_POOL_MAX: "" };
  let harness;
  let cluster;
  let stopDurable;
  let pgSet;
  let server;
  try {
    if (backend === "postgres") {
      harness = await loadPostgresHarness(kit);
      log(`listing (${label}): starting a throwaway PostgreSQL cluster (fsync off)`);
      cluster = await harness.startPostgres();
      env.DATABASE_URL = await cluster.createDatabase(DB_NAME);
    }
    log(`listing (${label}): first start on a fresh ${backend === "postgres" ? "database" : "DATA_DIR"} (schema, user, key), one folder`);
    server = await kit.startServer(`server (listing, ${label}, first start)`, dataDir, false, env);
    const key = server.key;
    if (!key) throw new Error(`listing (${label}): the server printed no initial API key`);
    const auth = { Authorization: `Bearer ${key}` };
    const made = await kit.request(`${server.origin}/api/v1/folders`, {
      method: "POST",
      headers: { ...auth, "Content-Type": "application/json" },
      body: JSON.stringify({ name: FOLDER_NAME }),
    });
    if (made.status !== 201) throw new Error(`listing: POST /folders answered ${made.status}: ${made.text}`);
    const folderId = made.json.folder.id;
    await kit.stopChild(server.child, 10_000);

    log(`listing (${label}): inserting ${num(n)} files into the database`);
    const t0 = Date.now();
    let seeded;
    if (backend === "sqlite") {
      const dbPath = join(dataDir, "aethercdn.db");
      const db = new Database(dbPath, { readonly: true });
      const userId = db.prepare("SELECT id FROM users WHERE name = 'default'").get()?.id;
      db.close();
      if (!userId) throw new Error("listing: no user named default in the SQLite database");
      seeded = seedSqlite(dbPath, userId, folderId, n);
      seeded.dbBytes = ["", "-wal"].reduce((s, suffix) => s + (existsSync(dbPath + suffix) ? statSync(dbPath + suffix).size : 0), 0);
    } else {
      const [user] = await cluster.sql("SELECT id FROM users WHERE name = 'default'", [], DB_NAME);
      if (!user) throw new Error("listing: no user named default in the PostgreSQL database");
      seeded = await seedPostgres(cluster, user.id, folderId, n);
      if (opts.pgFsync) {
        log(`listing (${label}): restarting the cluster with fsync, synchronous_commit and full_page_writes on`);
        stopDurable = await restartDurable(harness, cluster);
      }
      pgSet = await pgSettings(cluster);
      log(`listing (${label}): cluster settings ${pgSet}`);
    }
    const seedSeconds = (Date.now() - t0) / 1000;
    log(`listing (${label}): seeded in ${fmt(seedSeconds, 1)} s, ${fmt(seeded.dbBytes / 1e6)} MB on disk; starting the server again`);

    const t1 = Date.now();
    server = await kit.startServer(`server (listing, ${label})`, dataDir, false, env);
    const startSeconds = (Date.now() - t1) / 1000;
    const api = `${server.origin}/api/v1`;
    // Jiffies of all CPUs, busy and total, over the measured windows only (not the waits).
    const busy = [0, 0];
    const counted = async (measure) => {
      const a = kit.systemCpu();
      const result = await measure();
      const b = kit.systemCpu();
      busy[0] += b[0] - a[0];
      busy[1] += b[1] - a[1];
      return result;
    };

    const page = { requests: opts.requests, warmup: WARMUP_REQUESTS };
    const offsetRuns = { requests: Math.min(opts.requests, OFFSET_REQUESTS), warmup: OFFSET_WARMUP };
    const mid = Math.round(n / 2);
    const end = Math.max(0, n - DEFAULT_LIMIT);
    /** Checks the page after the first `k` files: total, first file, length, nextCursor. */
    const expectPage = (k) => (body) => {
      const left = n - k;
      const length = Math.min(DEFAULT_LIMIT, left);
      if (body.pagination?.total !== n) return `total ${body.pagination?.total}, expected ${n}`;
      if (body.files?.[0]?.id !== fileId(n - k)) return `first file ${body.files?.[0]?.id}, expected ${fileId(n - k)}`;
      if (body.files.length !== length) return `${body.files.length} files, expected ${length}`;
      if ((body.pagination.nextCursor !== null) !== left > DEFAULT_LIMIT) return `nextCursor ${body.pagination.nextCursor}, expected ${left > DEFAULT_LIMIT ? "a cursor" : "null"}`;
      return undefined;
    };
    const expectStats = (body) =>
      body.stats?.totalFiles === n && body.stats?.totalSize === seeded.totalSize ? undefined : `stats ${JSON.stringify(body.stats)}`;
    const inFolder = `${api}/files?folderId=${folderId}`;
    const cases = [
      ["first", "GET /files first page", `${api}/files`, page, expectPage(0)],
      ["folderFirst", "?folderId= first page", inFolder, page, expectPage(0)],
      ["cursorMid", `?folderId= cursor page after ${num(mid)}`, `${inFolder}&cursor=${cursorAfter(n, mid)}`, page, expectPage(mid)],
      ["cursorEnd", `?folderId= cursor page after ${num(end)}`, `${inFolder}&cursor=${cursorAfter(n, end)}`, page, expectPage(end)],
      ["cursorEndAll", `cursor page after ${num(end)}, no filter`, `${api}/files?cursor=${cursorAfter(n, end)}`, page, expectPage(end)],
      ["stats", "GET /user/stats", `${api}/user/stats`, page, expectStats],
      ["offsetMid", `?folderId= offset ${num(mid)}`, `${inFolder}&offset=${mid}`, offsetRuns, expectPage(mid)],
      ["offsetEndAll", `offset ${num(end)}, no filter`, `${api}/files?offset=${end}`, offsetRuns, expectPage(end)],
    ];
    await kit.waitQuiet(`listing (${label}, warm-up)`);
    const measures = await interleaved(
      cases.map(([name, what, url, runs, check]) => ({ name, what, url, check, ...runs })),
      auth,
      {
        beforeRound: (round) => kit.waitQuiet(`listing (${label}, round ${round + 1})`),
        counted,
        log: (m) => log(`listing (${label}): ${m}`),
      },
    );

    await kit.waitQuiet(`listing (${label}, health)`);
    log(`listing (${label}): GET /health every ${HEALTH_INTERVAL_MS} ms alone, ${HEALTH_IDLE_SECONDS} s`);
    const healthIdle = await counted(() => paced(`${api}/health`, HEALTH_IDLE_SECONDS, HEALTH_INTERVAL_MS, sleep));

    await kit.waitQuiet(`listing (${label}, health while paging)`);
    const pager = kit.spawnChild(`listing pager (${label})`, process.execPath, [join(kit.BENCH_DIR, "listing-pager.js")], {
      cwd: kit.BENCH_DIR,
      env: { ...process.env, PAGER_URL: `${inFolder}&limit=${PAGER_LIMIT}`, PAGER_KEY: key },
    });
    let healthPaging;
    let serverCpu;
    let pagerCpu;
    try {
      await kit.waitForOutput(pager, /^paging$/m, 30_000);
      await sleep(PAGER_WARMUP_MS);
      process.kill(pager.proc.pid, "SIGUSR2"); // counted window starts now
      const cpu0 = [kit.cpuSeconds(server.pid), kit.cpuSeconds(pager.proc.pid)];
      const tp = process.hrtime.bigint();
      log(`listing (${label}): GET /health every ${HEALTH_INTERVAL_MS} ms while the pager walks the folder by cursor, ${opts.pagerSeconds} s`);
      healthPaging = await counted(() => paced(`${api}/health`, opts.pagerSeconds, HEALTH_INTERVAL_MS, sleep));
      const elapsed = Number(process.hrtime.bigint() - tp) / 1e9;
      serverCpu = (kit.cpuSeconds(server.pid) - cpu0[0]) / elapsed;
      pagerCpu = (kit.cpuSeconds(pager.proc.pid) - cpu0[1]) / elapsed;
    } finally {
      await kit.stopChild(pager, 5000);
    }
    const summary = /^\{.*\}$/m.exec(pager.stdout)?.[0];
    if (!summary) throw new Error(`listing pager printed no summary; stderr: ${pager.stderr.slice(-2000)}`);
    const paging = JSON.parse(summary);
    const busyPct = busy[1] > 0 ? (100 * busy[0]) / busy[1] : NaN;
    return { backend, label, pgSettings: pgSet, files: n, seedSeconds, dbBytes: seeded.dbBytes, startSeconds, measures, healthIdle, healthPaging, paging, serverCpu, pagerCpu, busyPct };
  } finally {
    if (server && !server.child.exited) await kit.stopChild(server.child, 10_000);
    if (stopDurable) await stopDurable().catch((err) => log(`listing: stopping the cluster: ${err.message}`));
    if (cluster) await cluster.close();
  }
}

/** Runs each backend in turn. `opts`: { files, requests, pagerSeconds, backends }. */
export async function runListing(kit, opts) {
  const results = [];
  for (const backend of opts.backends) {
    if (backend === "postgres") {
      const harness = await loadPostgresHarness(kit);
      if (!harness.postgresInstalled()) {
        const reason = `PostgreSQL 15 is not installed (no ${harness.POSTGRES_BIN}/initdb; ${harness.POSTGRES_INSTALL_HINT})`;
        kit.log(`listing: SKIPPING PostgreSQL: ${reason}`);
        results.push({ backend, label: BACKEND_LABEL[backend], skipped: reason });
        continue;
      }
    }
    results.push(await oneBackend(kit, backend, opts));
  }
  return { results, opts };
}

/** ms with two decimals under 10, one above. */
const ms = (x, fmt) => (x === undefined ? "–" : fmt(x, x < 10 ? 2 : 1));
const counts = (o) =>
  Object.entries(o)
    .map(([k, v]) => `${k} ×${v}`)
    .join(", ");

/** Table rows (same shape as run.js's). */
export function listingRows(r, fmt) {
  const rows = [];
  for (const b of r.results) {
    const head = `Listing, ${b.label}`;
    if (b.skipped) {
      rows.push({ metric: `${head}: not measured`, server: `skipped: ${b.skipped}`, baseline: "–", ratio: undefined, target: "–", pass: undefined });
      continue;
    }
    const m = b.measures;
    const cell = (x) =>
      `${ms(x.p50, fmt)} (p99 ${ms(x.p99, fmt)})${x.problem ? `; WRONG: ${x.problem}` : ""}${x.n < x.requests ? `; not 200: ${counts(x.statuses)}` : ""}`;
    const targetRow = (name, suffix = "") => ({
      metric: `${head}: ${m[name].what} p50, ms${suffix}`,
      server: cell(m[name]),
      baseline: "–",
      ratio: undefined,
      target: `≤ ${LISTING_TARGET_P50_MS}`,
      pass: m[name].ok && m[name].p50 <= LISTING_TARGET_P50_MS,
    });
    rows.push(targetRow("first", ` (${num(b.files)} files, one folder)`));
    for (const name of ["folderFirst", "cursorMid", "cursorEnd", "cursorEndAll", "stats"]) rows.push(targetRow(name));
    const h = b.healthPaging;
    const w = b.paging.window;
    const pagerOk = w.pages > 0 && Object.keys(w.statuses).every((s) => s === "200") && Object.keys(w.errors).length === 0;
    rows.push({
      metric: `${head}: GET /health p99 while another client pages by cursor, ms`,
      server: `${ms(h.p99, fmt)} (p50 ${ms(h.p50, fmt)}, max ${ms(h.max, fmt)}; ${fmt(w.pages / w.seconds)} pages/s)${h.ok ? "" : `; not 200: ${counts(h.statuses)}`}${pagerOk ? "" : "; pager failed"}`,
      baseline: `${ms(b.healthIdle.p99, fmt)} idle (p50 ${ms(b.healthIdle.p50, fmt)})`,
      ratio: undefined,
      target: `≤ ${HEALTH_TARGET_P99_MS}`,
      pass: h.ok && pagerOk && h.p99 <= HEALTH_TARGET_P99_MS,
    });
    for (const name of ["offsetMid", "offsetEndAll"]) {
      rows.push({ metric: `${head}: ${m[name].what} p50, ms, info`, server: cell(m[name]), baseline: "–", ratio: undefined, target: "–", pass: undefined });
    }
  }
  return rows;
}

/** Per-run lines. */
export function listingDetails(r, fmt) {
  return r.results.map((b) => {
    if (b.skipped) return `- Listing, ${b.label}: skipped: ${b.skipped}`;
    const one = (x) =>
      `${x.what}: p50 ${ms(x.p50, fmt)}, p99 ${ms(x.p99, fmt)}, max ${ms(x.max, fmt)} ms (${counts(x.statuses)})${x.problem ? ` WRONG ANSWER: ${x.problem}` : ""}`;
    const h = (x) => `p50 ${ms(x.p50, fmt)}, p99 ${ms(x.p99, fmt)}, max ${ms(x.max, fmt)} ms (${counts(x.statuses)})`;
    const w = b.paging.window;
    return (
      `- Listing, ${b.label}: ${num(b.files)} files seeded in ${fmt(b.seedSeconds, 1)} s (database ${fmt(b.dbBytes / 1e6)} MB on disk), ` +
      `server up ${fmt(b.startSeconds, 1)} s after its restart${b.pgSettings ? `; PostgreSQL ${b.pgSettings}` : ""}; all CPUs ${fmt(b.busyPct)} % busy while measured. ` +
      `${Object.values(b.measures).map(one).join("; ")}. ` +
      `GET /health alone: ${h(b.healthIdle)}; while paging: ${h(b.healthPaging)}. ` +
      `Pager (by cursor in the folder, limit ${PAGER_LIMIT}): ${w.pages} pages in ${fmt(w.seconds, 1)} s (${fmt(w.pages / w.seconds)}/s, ${num(w.files)} files, ${w.walks} complete walks), ` +
      `page p50 ${ms(w.p50, fmt)}, p99 ${ms(w.p99, fmt)}, max ${ms(w.max, fmt)} ms (${counts(w.statuses)}${Object.keys(w.errors).length ? `; failed ${counts(w.errors)}` : ""}); ` +
      `CPU while paging: server ${fmt(100 * b.serverCpu)} %, pager ${fmt(100 * b.pagerCpu)} % of one core`
    );
  });
}

/** Method bullet. */
export function listingMethod(opts, fmt) {
  const n = num(opts?.files ?? 1_000_000);
  const r = opts?.requests ?? 200;
  const s = opts?.pagerSeconds ?? 10;
  const durable = opts?.pgFsync ?? true;
  return `- Listing: one user with ${n} files, all in one folder, on each backend in turn: SQLite
  (DATA_DIR/aethercdn.db), then PostgreSQL 15 (Debian's binaries) in a throwaway cluster started by
  tests/support/postgres.ts's \`startPostgres()\` (PostgreSQL's defaults, shared_buffers 128 MB, but
  \`fsync\`, \`synchronous_commit\` and \`full_page_writes\` off: fine for the seeding, which is not
  measured). ${
    durable
      ? `Before the measurements the cluster is restarted on the same data with those three on (PostgreSQL's
  defaults): the listings only read files, but every authenticated request on PostgreSQL also
  commits a write (the shared rate limit's upsert into rate_limit_hits), whose WAL flush a
  cluster without fsync would leave out.`
      : `The measurements ran on that cluster as it is (BENCH_LISTING_PG_FSYNC=off): only reads of files are
  measured, but every authenticated request on PostgreSQL also commits the shared rate limit's
  upsert into rate_limit_hits, whose WAL flush this cluster leaves out.`
  } A server started
  on a fresh DATA_DIR (and a fresh database) creates the schema, the user and its key; one folder is
  created through the API; the server stops and the files are inserted straight into its database
  (SQLite: better-sqlite3, one transaction, one prepared INSERT; PostgreSQL: one
  \`INSERT … SELECT … FROM generate_series\`, then \`VACUUM (ANALYZE)\` as autovacuum would have done;
  SQLite gets no ANALYZE, as the server runs none). File i has id \`file_<i in 20 digits>\` and
  created_at 2026-01-01T00:00:00.000Z + i ms; the counters (user_stats.total_files, total_size,
  root_files, folders.file_count) are moved by the same amounts and checked against COUNT(*) and
  SUM(size). The server then starts again and one keep-alive client sends, back to back, ${WARMUP_REQUESTS} warm-up
  requests for each figure, then ${r} measured ones, in ${ROUNDS} rounds that each run every figure in turn
  for a ${ROUNDS}th of its requests (so that drift hits all alike), at the default page size (${DEFAULT_LIMIT}); the
  first answer of each is checked (total, first file, page length, nextCursor). Deep cursors are built from the
  seeded rows (a cursor is base64url of \`createdAt|id\` of the previous page's last file, as
  server/operations/listFiles.ts encodes it) instead of walking there page by page. Offset pages
  (info) get ${OFFSET_WARMUP} + ${Math.min(r, OFFSET_REQUESTS)} requests: OFFSET still reads and skips every row before the page, so their
  cost grows with the offset; that is expected, and what cursors are for. Health: GET /api/v1/health
  every ${HEALTH_INTERVAL_MS} ms (or as soon as the last answer ends) on one keep-alive connection, ${HEALTH_IDLE_SECONDS} s alone, then
  ${s} s while bench/listing-pager.js (a child process, one keep-alive connection) walks the folder by
  cursor with limit=${PAGER_LIMIT}, each page requested as soon as the last ends, starting over after the last
  page; it starts ${PAGER_WARMUP_MS / 1000} s before the window. Targets: every p50 ≤ ${LISTING_TARGET_P50_MS} ms; health p99 while paging ≤
  ${HEALTH_TARGET_P99_MS} ms. The database is in the page cache (just written). With BENCH_WAIT_QUIET, each round and each health
  window waits for the machine to go quiet first; "all CPUs busy" in the per-run lines covers the measured windows
  only, the server, the clients and PostgreSQL included.`;
}
