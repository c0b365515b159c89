// The `flood` part of `npm run bench` (bench/run.js): latency of an authenticated client while
// unauthenticated clients flood the server with large JSON bodies.
//
// For each variant (no key, an invalid `ak_` key), on a fresh server with its default settings
// (but the per-key rate limit lifted for the measuring client, as in every part):
//  1. idle: one keep-alive connection from 127.0.0.1 sends GET /api/v1/files?limit=10 with the
//     key, each request as soon as the last answer ends, for FLOOD_SECONDS → p50/p99;
//  2. flood: bench/flood-worker.js (a child process) opens FLOOD_CONNECTIONS keep-alive
//     connections from another loopback address, 127.0.0.2, sending POST /api/v1/folders with a
//     100 kB body of "[[[[…" as fast as the server answers; after a 1 s warm-up the same
//     authenticated client runs again for FLOOD_SECONDS → p50/p99, ratio to idle.
import http from "node:http";
import { join } from "node:path";

export const FLOOD_TARGET_RATIO = 3;
const FLOOD_BODY_BYTES = 100_000;
const FLOOD_WARMUP_MS = 1000;
const PROBE_WARMUP_S = 1;
const SEED_FILES = 10;
const FLOOD_ADDRESS = "127.0.0.2";
export const FLOOD_VARIANTS = [
  { name: "no key", key: undefined },
  // Well-formed (passes the key pattern), so the server has to look it up.
  { name: "invalid ak_ key", key: `ak_${"Zx9".repeat(11)}Q` },
];

class CountingAgent extends http.Agent {
  opened = 0;
  createConnection(...args) {
    this.opened++;
    return super.createConnection(...args);
  }
}

/** One keep-alive connection, requests back to back for `seconds`: latency of the 200s, and every status. */
async function probe(url, headers, seconds) {
  const agent = new CountingAgent({ keepAlive: true, maxSockets: 1 });
  const latencies = [];
  const statuses = {};
  const deadline = Date.now() + seconds * 1000;
  const started = process.hrtime.bigint();
  while (Date.now() < deadline) {
    const r = await new Promise((resolveOne) => {
      const t0 = process.hrtime.bigint();
      const req = http.get(url, { agent, headers }, (res) => {
        res.resume();
        res.on("end", () => resolveOne({ status: res.statusCode, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
      });
      req.setTimeout(30_000, () => req.destroy(Object.assign(new Error("no answer in 30 s"), { code: "timeout" })));
      req.on("error", (err) => resolveOne({ status: err.code ?? "error", ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
    });
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    if (r.status === 200) latencies.push(r.ms);
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  const requests = Object.values(statuses).reduce((a, b) => a + b, 0);
  return { p50: pct(0.5), p99: pct(0.99), max: latencies.at(-1), ok: latencies.length, requests, rps: requests / elapsed, statuses, opened: agent.opened };
}

async function oneVariant(kit, variant, opts) {
  const { log, sleep } = kit;
  const dataDir = join(kit.tempRoot, `data-flood-${variant.name.replace(/\W+/g, "-")}`);
  log(`flood (${variant.name}): starting a server with default settings`);
  const server = await kit.startServer(`server (flood, ${variant.name})`, dataDir, false);
  try {
    const auth = { Authorization: `Bearer ${server.key}` };
    const api = `${server.origin}/api/v1`;
    for (let i = 0; i < SEED_FILES; i++) {
      const r = await kit.uploadBuffer(`${api}/files/upload`, auth, `flood-seed-${i}.txt`, Buffer.from(`seed file ${i}\n`.repeat(100)));
      if (r.status !== 201) throw new Error(`flood: seed upload answered ${r.status}: ${r.text}`);
    }
    const listUrl = `${api}/files?limit=10`;
    await probe(listUrl, auth, PROBE_WARMUP_S);
    log(`flood (${variant.name}): authenticated client alone, ${opts.seconds} s`);
    const idle = await probe(listUrl, auth, opts.seconds);

    const worker = kit.spawnChild(`flood worker (${variant.name})`, process.execPath, [join(kit.BENCH_DIR, "flood-worker.js")], {
      cwd: kit.BENCH_DIR,
      env: {
        ...process.env,
        FLOOD_URL: `${api}/folders`,
        FLOOD_METHOD: "POST",
        FLOOD_CONNECTIONS: String(opts.connections),
        FLOOD_BODY_BYTES: String(FLOOD_BODY_BYTES),
        FLOOD_LOCAL_ADDRESS: FLOOD_ADDRESS,
        ...(variant.key ? { FLOOD_KEY: variant.key } : {}),
      },
    });
    let flooded;
    let serverCpu;
    let workerCpu;
    try {
      await kit.waitForOutput(worker, /^flooding$/m, 10_000);
      await sleep(FLOOD_WARMUP_MS);
      process.kill(worker.proc.pid, "SIGUSR2"); // counted window starts now
      const cpu0 = [kit.cpuSeconds(server.pid), kit.cpuSeconds(worker.proc.pid)];
      const t0 = process.hrtime.bigint();
      log(`flood (${variant.name}): ${opts.connections} flooding connections + the authenticated client, ${opts.seconds} s`);
      flooded = await probe(listUrl, auth, opts.seconds);
      const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
      serverCpu = (kit.cpuSeconds(server.pid) - cpu0[0]) / elapsed;
      workerCpu = (kit.cpuSeconds(worker.proc.pid) - cpu0[1]) / elapsed;
    } finally {
      await kit.stopChild(worker, 5000);
    }
    const summary = /^\{.*\}$/m.exec(worker.stdout)?.[0];
    if (!summary) throw new Error(`flood worker printed no summary; stderr: ${worker.stderr.slice(-2000)}`);
    const floodStats = JSON.parse(summary);
    return {
      variant: variant.name,
      idle,
      flooded,
      ratio: flooded.p50 / idle.p50,
      flood: floodStats,
      floodRps: floodStats.window.responses / floodStats.window.seconds,
      serverCpu,
      workerCpu,
    };
  } finally {
    await kit.stopChild(server.child, 10_000);
  }
}

/** Runs every variant. `opts`: { seconds, connections }. */
export async function runFlood(kit, opts) {
  const variants = [];
  for (const variant of FLOOD_VARIANTS) variants.push(await oneVariant(kit, variant, opts));
  return { variants, opts };
}

const counts = (o) =>
  Object.entries(o)
    .map(([k, v]) => `${k} ×${v}`)
    .join(", ") || "none";
const allOk = (p) => p.ok === p.requests;

/** Table rows (same shape as run.js's). */
export function floodRows(r, fmt) {
  const rows = [];
  for (const v of r.variants) {
    rows.push({
      metric: `Flood: authenticated GET /files p50, ms (${r.opts.connections} conns, ${v.variant})`,
      server: `${fmt(v.flooded.p50, 1)} (p99 ${fmt(v.flooded.p99, 1)})${allOk(v.flooded) ? "" : `; not 200: ${counts(notOk(v.flooded.statuses))}`}`,
      baseline: `${fmt(v.idle.p50, 1)} idle (p99 ${fmt(v.idle.p99, 1)})`,
      ratio: v.ratio,
      target: `≤ ${FLOOD_TARGET_RATIO}.00×`,
      pass: v.ratio <= FLOOD_TARGET_RATIO && allOk(v.flooded),
    });
  }
  for (const v of r.variants) {
    rows.push({
      metric: `Flood: unauthenticated answers, ${v.variant}, info`,
      server: `${fmt(v.floodRps)} req/s; ${counts(v.flood.total.statuses)}${Object.keys(v.flood.total.errors).length ? `; failed ${counts(v.flood.total.errors)}` : ""}`,
      baseline: "–",
      ratio: undefined,
      target: "–",
      pass: undefined,
    });
  }
  return rows;
}

const notOk = (statuses) => Object.fromEntries(Object.entries(statuses).filter(([k]) => k !== "200"));

/** Per-run lines. */
export function floodDetails(r, fmt) {
  const p = (x) => `p50 ${fmt(x.p50, 2)} ms, p99 ${fmt(x.p99, 2)} ms, max ${fmt(x.max, 1)} ms, ${x.requests} requests (${fmt(x.rps)}/s; ${counts(x.statuses)}), ${x.opened} connection(s) opened`;
  return r.variants.map((v) => {
    const w = v.flood.window;
    const t = v.flood.total;
    return (
      `- Flood, ${v.variant}: idle ${p(v.idle)}; during the flood ${p(v.flooded)}; ratio ${fmt(v.ratio, 2)}×. ` +
      `Flood: ${fmt(v.floodRps)} answers/s while measured (${w.responses} in ${fmt(w.seconds, 1)} s${Object.keys(w.errors).length ? `, failed ${counts(w.errors)}` : ""}, ${w.opened} connections opened); ` +
      `whole flood ${fmt(t.seconds, 1)} s: ${counts(t.statuses)}${Object.keys(t.errors).length ? `, failed ${counts(t.errors)}` : ""}, ${t.opened} connections opened; ` +
      `CPU while measured: server ${fmt(100 * v.serverCpu)} %, flood worker ${fmt(100 * v.workerCpu)} % of one core`
    );
  });
}

/** Method bullet. */
export function floodMethod(opts, fmt) {
  const s = opts?.seconds ?? 10;
  const n = opts?.connections ?? 20;
  return `- Flood: a fresh server per variant with its default settings (per-key rate limit lifted as
  everywhere). The authenticated client is one keep-alive connection from 127.0.0.1 in the benchmark
  process sending \`GET /api/v1/files?limit=10\` (${SEED_FILES} files) back to back: ${PROBE_WARMUP_S} s warm-up, ${s} s alone, then
  ${s} s during the flood. The flood is bench/flood-worker.js, a child process: ${n} keep-alive connections
  from 127.0.0.2 sending \`POST /api/v1/folders\` with ${fmt(FLOOD_BODY_BYTES / 1000)} kB of \`[[[[…\` (application/json) as
  fast as the server answers, reconnecting when the server closes a connection, either with no
  key or with a well-formed but unknown \`ak_\` key; it starts ${FLOOD_WARMUP_MS / 1000} s before the second measurement.
  Target: p50 during the flood ≤ ${FLOOD_TARGET_RATIO}× p50 alone, and every authenticated request answered 200.
  The flood's status counts cover its whole run, its rate the measured window. The worker shares
  the machine's CPUs with the server and the client; the per-run lines give the server's and the worker's CPU.`;
}
