// Child process of the `listing` part of `npm run bench` (bench/listing.js): one keep-alive
// connection walking a listing by cursor, each request sent as soon as the last answer ends:
// PAGER_URL, then PAGER_URL&cursor=<nextCursor> until nextCursor is null, then from the start
// again. Runs in its own process so its JSON parsing does not share the measuring client's event
// loop.
//
// Env: PAGER_URL (required, with its query string, e.g. …/api/v1/files?folderId=…&limit=100),
//      PAGER_KEY (sent as "Authorization: Bearer …").
// Prints "paging" after the first page. SIGUSR2 restarts the counted window; SIGTERM prints one
// JSON line { window: {...}, total: {...} } (pages, files, statuses, failures, walks completed,
// page latency p50/p99/max, seconds) and exits.
import http from "node:http";

const base = process.env.PAGER_URL;
if (!base) throw new Error("PAGER_URL is required");
const headers = process.env.PAGER_KEY ? { Authorization: `Bearer ${process.env.PAGER_KEY}` } : {};
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

const fresh = () => ({ started: process.hrtime.bigint(), pages: 0, files: 0, walks: 0, statuses: {}, errors: {}, latencies: [] });
let windowStats = fresh();
const total = fresh();
const both = (f) => {
  f(windowStats);
  f(total);
};

function get(url) {
  return new Promise((resolveOne) => {
    const t0 = process.hrtime.bigint();
    const req = http.get(url, { agent, headers }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolveOne({ status: res.statusCode, body: Buffer.concat(chunks), ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
      res.on("error", (err) => resolveOne({ error: err.code ?? "error" }));
    });
    req.setTimeout(30_000, () => req.destroy(Object.assign(new Error("no answer in 30 s"), { code: "timeout" })));
    req.on("error", (err) => resolveOne({ error: err.code ?? "error" }));
  });
}

const summary = (s) => {
  const l = [...s.latencies].sort((a, b) => a - b);
  const pct = (p) => l[Math.min(l.length - 1, Math.floor(p * l.length))];
  const { latencies, started, ...rest } = s;
  return { ...rest, seconds: Number(process.hrtime.bigint() - started) / 1e9, p50: pct(0.5), p99: pct(0.99), max: l.at(-1) };
};

let stopping = false;
process.on("SIGUSR2", () => {
  windowStats = fresh();
});
process.on("SIGTERM", () => {
  stopping = true;
  process.stdout.write(`${JSON.stringify({ window: summary(windowStats), total: summary(total) })}\n`, () => process.exit(0));
});

let cursor = null;
let announced = false;
while (!stopping) {
  const r = await get(cursor === null ? base : `${base}&cursor=${encodeURIComponent(cursor)}`);
  if (r.error) {
    both((s) => (s.errors[r.error] = (s.errors[r.error] ?? 0) + 1));
    cursor = null;
    await new Promise((resolveWait) => setTimeout(resolveWait, 10));
    continue;
  }
  both((s) => (s.statuses[r.status] = (s.statuses[r.status] ?? 0) + 1));
  if (r.status !== 200) {
    cursor = null;
    continue;
  }
  const page = JSON.parse(r.body.toString("utf8"));
  both((s) => {
    s.pages++;
    s.files += page.files.length;
    s.latencies.push(r.ms);
  });
  cursor = page.pagination.nextCursor;
  if (cursor === null) both((s) => s.walks++);
  if (!announced) {
    announced = true;
    process.stdout.write("paging\n");
  }
}
