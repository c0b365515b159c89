// Child process of the `flood` part of `npm run bench` (bench/flood.js): FLOOD_CONNECTIONS
// keep-alive connections, each sending its next request as soon as the last answer ends (or the
// connection fails: the agent then opens a new one), with no key or an invalid one and a JSON
// body the server cannot parse cheaply. Runs in its own process so its work does not share the
// measuring client's event loop.
//
// Env: FLOOD_URL (required), FLOOD_METHOD (default POST), FLOOD_CONNECTIONS (default 20),
//      FLOOD_BODY_BYTES (default 100000: "[" repeated, Content-Type: application/json),
//      FLOOD_KEY (sent as "Authorization: Bearer …" when set), FLOOD_LOCAL_ADDRESS (source address).
// Prints "flooding" once started. SIGUSR2 restarts the counted window; SIGTERM prints one JSON line
// { window: {...}, total: {...} } with responses per status, failed requests per error code,
// connections opened and seconds, then exits.
import http from "node:http";

const url = process.env.FLOOD_URL;
if (!url) throw new Error("FLOOD_URL is required");
const method = process.env.FLOOD_METHOD ?? "POST";
const connections = Number(process.env.FLOOD_CONNECTIONS ?? 20);
const bodyBytes = Number(process.env.FLOOD_BODY_BYTES ?? 100_000);
const key = process.env.FLOOD_KEY || undefined;
const localAddress = process.env.FLOOD_LOCAL_ADDRESS || undefined;
const body = Buffer.alloc(bodyBytes, "[");
const headers = {
  "Content-Type": "application/json",
  "Content-Length": String(bodyBytes),
  ...(key ? { Authorization: `Bearer ${key}` } : {}),
};

const fresh = () => ({ started: process.hrtime.bigint(), responses: 0, statuses: {}, errors: {}, opened: 0 });
let windowStats = fresh();
const total = fresh();
const both = (f) => {
  f(windowStats);
  f(total);
};

class CountingAgent extends http.Agent {
  createConnection(...args) {
    both((s) => s.opened++);
    return super.createConnection(...args);
  }
}
const agent = new CountingAgent({ keepAlive: true, maxSockets: connections, ...(localAddress ? { localAddress } : {}) });

function one() {
  return new Promise((resolveOne) => {
    let done = false;
    const finish = (outcome) => {
      if (done) return;
      done = true;
      resolveOne(outcome);
    };
    const req = http.request(url, { method, agent, headers }, (res) => {
      res.resume();
      res.on("end", () => finish({ status: res.statusCode }));
      res.on("error", (err) => finish({ status: res.statusCode, late: err.code ?? "error" }));
      res.on("close", () => finish({ status: res.statusCode }));
    });
    req.setTimeout(30_000, () => req.destroy(Object.assign(new Error("no answer in 30 s"), { code: "timeout" })));
    req.on("error", (err) => finish({ error: err.code ?? "error" }));
    req.end(body);
  });
}

let stopping = false;
async function lane() {
  while (!stopping) {
    const r = await one();
    if (r.status !== undefined) {
      both((s) => {
        s.responses++;
        s.statuses[r.status] = (s.statuses[r.status] ?? 0) + 1;
      });
    } else {
      both((s) => (s.errors[r.error] = (s.errors[r.error] ?? 0) + 1));
    }
  }
}

const report = (s) => ({
  seconds: Number(process.hrtime.bigint() - s.started) / 1e9,
  responses: s.responses,
  statuses: s.statuses,
  errors: s.errors,
  opened: s.opened,
});

process.on("SIGUSR2", () => {
  windowStats = fresh();
});
process.on("SIGTERM", () => {
  stopping = true;
  process.stdout.write(`${JSON.stringify({ window: report(windowStats), total: report(total) })}\n`, () => process.exit(0));
});

for (let i = 0; i < connections; i++) void lane();
process.stdout.write("flooding\n");
