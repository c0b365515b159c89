// The `stalled` part of `npm run bench` (bench/run.js): memory held by downloads whose clients
// stop reading. One file is uploaded, then STALLED_CONNECTIONS raw TCP connections each send
// GET /api/v1/files/{id}/download with a valid key, read the first chunk of the answer (status
// line and headers) and then never read again. The server's RSS is sampled until it stops growing;
// the figure is peak RSS minus the RSS just before the connections were opened.
//
// Two runs, each on a fresh server: the server's per-key download and per-address connection
// caps lifted to 1000 (the buffer design's worst case: every connection gets its download), then
// the server's defaults (how many are turned away, and what the rest cost).
import { randomFillSync } from "node:crypto";
import { readFileSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";

/** Settled: no new RSS peak of more than SETTLE_STEP_MB for SETTLE_MS. */
const SETTLE_MS = 2000;
const SETTLE_STEP_MB = 1;
/** Give up waiting for RSS to settle after this long; well under the server's 30 s idle timeout. */
const SETTLE_MAX_MS = 15_000;
/** Wait at most this long for every connection's status line. */
const ANSWER_MAX_MS = 10_000;
/** RSS budget, MB (10^6 bytes) on top of idle, for the stalled connections together. */
export const STALLED_BUDGET_MB = 64;
/** Caps given to the server for the first run; names are the server's environment variables. */
export const LIFTED_CAPS = { MAX_DOWNLOADS_PER_KEY: "1000", MAX_CONNECTIONS_PER_ADDRESS: "1000" };

/** MB (10^6 bytes) the kernel holds in TCP buffers, all sockets of the machine (pages of 4 KiB). */
function kernelTcpMB() {
  try {
    const pages = Number(/^TCP:.* mem (\d+)/m.exec(readFileSync("/proc/net/sockstat", "utf8"))?.[1]);
    return (pages * 4096) / 1e6;
  } catch {
    return NaN;
  }
}

/**
 * Opens `count` connections to `origin`, each sending one GET for `path` and pausing after the
 * first chunk of the answer. Resolves once every connection has an answer or was closed (or after
 * ANSWER_MAX_MS) with the sockets and what each got.
 */
async function openStalled(origin, path, key, count) {
  const { hostname, port } = new URL(origin);
  const head = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${key}\r\n\r\n`);
  const conns = [];
  let settled = 0;
  let wake;
  const allSettled = new Promise((r) => (wake = r));
  const settle = (c, outcome) => {
    if (c.outcome !== undefined) return;
    c.outcome = outcome;
    if (++settled === count) wake();
  };
  for (let i = 0; i < count; i++) {
    const socket = net.connect({ host: hostname, port: Number(port) });
    const c = { socket, outcome: undefined, closedEarly: false, first: Buffer.alloc(0) };
    conns.push(c);
    socket.on("connect", () => socket.write(head));
    const onData = (chunk) => {
      c.first = Buffer.concat([c.first, chunk]);
      const line = c.first.toString("latin1", 0, Math.min(c.first.length, 200));
      const m = /^HTTP\/1\.1 (\d{3})/.exec(line);
      if (m || c.first.length >= 200) {
        // Status line in hand: stop reading. The socket keeps what it has read (up to its
        // high-water mark) and Node stops reading from the kernel; the server's writes back up.
        socket.off("data", onData);
        socket.pause();
        settle(c, m ? Number(m[1]) : "garbled");
        if (m && m[1] !== "200") c.message = /"message":"([^"]{0,80})/.exec(c.first.toString("utf8"))?.[1];
      }
    };
    socket.on("data", onData);
    socket.on("error", (err) => {
      c.error = err.code ?? String(err);
    });
    socket.on("close", () => {
      c.closedEarly = !c.destroyedByUs;
      settle(c, c.error ? `closed (${c.error})` : "closed without an answer");
    });
  }
  await Promise.race([allSettled, new Promise((r) => setTimeout(r, ANSWER_MAX_MS))]);
  for (const c of conns) if (c.outcome === undefined) c.outcome = "no answer in time";
  return conns;
}

async function oneRun(kit, label, extraEnv, opts) {
  const { log, sleep, fmt } = kit;
  const dataDir = join(kit.tempRoot, `data-stalled-${label.replace(/\W+/g, "-")}`);
  log(`stalled (${label}): starting a server${Object.keys(extraEnv).length ? ` with ${Object.entries(extraEnv).map(([k, v]) => `${k}=${v}`).join(" ")}` : " with default caps"}`);
  const server = await kit.startServer(`server (stalled, ${label})`, dataDir, false, extraEnv);
  let conns = [];
  try {
    const auth = { Authorization: `Bearer ${server.key}` };
    const api = `${server.origin}/api/v1`;
    const data = randomFillSync(Buffer.alloc(opts.fileBytes));
    const up = await kit.uploadBuffer(`${api}/files/upload`, auth, "stalled.bin", data);
    if (up.status !== 201) throw new Error(`stalled: upload answered ${up.status}: ${up.text}`);
    const id = up.json.file.id;
    const path = `/api/v1/files/${id}/download`;
    // Warm-up: one complete download loads the download path before anything is measured.
    const warm = await kit.download(`${server.origin}${path}`, auth);
    if (warm.status !== 200 || warm.bytes !== opts.fileBytes) throw new Error(`stalled: warm-up download got ${warm.status}, ${warm.bytes} bytes`);

    await sleep(500);
    const idle = kit.procStatus(server.pid).rss;
    const tcpIdle = kernelTcpMB();
    const hwmReset = kit.resetHwm(server.pid);
    let peakSampled = idle;
    let lastGrowthAt = Date.now();
    const sample = () => {
      const rss = kit.procStatus(server.pid).rss;
      if (rss > peakSampled + SETTLE_STEP_MB) lastGrowthAt = Date.now();
      peakSampled = Math.max(peakSampled, rss);
      return rss;
    };
    const timer = setInterval(sample, kit.SAMPLE_MS);
    const opened = Date.now();
    let settledIn;
    try {
      log(`stalled (${label}): opening ${opts.connections} connections that stop reading`);
      conns = await openStalled(server.origin, path, server.key, opts.connections);
      const answeredIn = (Date.now() - opened) / 1000;
      lastGrowthAt = Date.now(); // settle is counted from the last answer at the earliest
      while (Date.now() - lastGrowthAt < SETTLE_MS && Date.now() - opened < SETTLE_MAX_MS) await sleep(kit.SAMPLE_MS);
      settledIn = (Date.now() - opened) / 1000;
      log(`stalled (${label}): answers after ${fmt(answeredIn, 1)} s, RSS settled after ${fmt(settledIn, 1)} s`);
    } finally {
      clearInterval(timer);
    }
    const held = kit.procStatus(server.pid);
    const tcpHeld = kernelTcpMB();
    sample();
    const peak = hwmReset ? Math.max(peakSampled, held.hwm) : peakSampled;
    const outcomes = {};
    for (const c of conns) outcomes[c.outcome] = (outcomes[c.outcome] ?? 0) + 1;
    const closedByServer = conns.filter((c) => c.closedEarly).length;
    const messages = {};
    for (const c of conns) if (c.message) messages[c.message] = (messages[c.message] ?? 0) + 1;
    const clientBytes = conns.reduce((n, c) => n + c.socket.bytesRead, 0);
    for (const c of conns) {
      c.destroyedByUs = true;
      c.socket.destroy();
    }
    const heldSeconds = (Date.now() - opened) / 1000;
    await sleep(2000);
    const after = kit.procStatus(server.pid).rss;
    return {
      label,
      env: extraEnv,
      connections: opts.connections,
      fileBytes: opts.fileBytes,
      idle,
      held: held.rss,
      peakSampled,
      hwm: hwmReset ? held.hwm : undefined,
      peak,
      added: peak - idle,
      after,
      outcomes,
      messages,
      closedByServer,
      kernelTcp: tcpHeld - tcpIdle,
      clientKiB: clientBytes / 1024 / opts.connections,
      settledIn,
      settled: settledIn * 1000 < SETTLE_MAX_MS,
      heldSeconds,
    };
  } finally {
    for (const c of conns) c.socket.destroy(); // already done unless something failed
    await kit.stopChild(server.child, 10_000);
  }
}

/** Runs both cases. `opts`: { connections, fileBytes }. */
export async function runStalled(kit, opts) {
  const lifted = await oneRun(kit, "caps lifted", LIFTED_CAPS, opts);
  const defaults = await oneRun(kit, "default caps", {}, opts);
  return { lifted, defaults, opts };
}

const outcomeText = (outcomes) =>
  Object.entries(outcomes)
    .sort(([a], [b]) => String(a).localeCompare(String(b)))
    .map(([k, v]) => `${k} ×${v}`)
    .join(", ");

/** Table rows (same shape as run.js's). */
export function stalledRows(r, fmt) {
  const l = r.lifted;
  const d = r.defaults;
  const sizeText = `${fmt(r.opts.fileBytes / 2 ** 20)} MiB`;
  return [
    {
      metric: `Stalled downloads: RSS added by ${l.connections} × ${sizeText}, MB (caps lifted)`,
      server: `+${fmt(l.added)} (idle ${fmt(l.idle)}, peak ${fmt(l.peak)}, ${fmt(l.after)} after close)`,
      baseline: "–",
      ratio: undefined,
      target: `≤ idle + ${STALLED_BUDGET_MB}`,
      // Every connection must have been served for the figure to mean what it says.
      pass: l.added <= STALLED_BUDGET_MB && (l.outcomes["200"] ?? 0) === l.connections,
    },
    {
      metric: `Stalled downloads: ${d.connections} × ${sizeText}, default caps, info`,
      server: `+${fmt(d.added)} MB; ${outcomeText(d.outcomes)}`,
      baseline: "–",
      ratio: undefined,
      target: "–",
      pass: undefined,
    },
  ];
}

/** Per-run lines. */
export function stalledDetails(r, fmt) {
  const line = (x) =>
    `RSS idle ${fmt(x.idle)} → peak ${fmt(x.peak)} MB (+${fmt(x.added)}; sampled ${fmt(x.peakSampled)}, VmHWM ${fmt(x.hwm)}), ` +
    `${fmt(x.held)} MB when the sockets were destroyed, ${fmt(x.after)} MB 2 s later; answers: ${outcomeText(x.outcomes)}; ` +
    `RSS ${x.settled ? "settled" : "still growing"} after ${fmt(x.settledIn, 1)} s, sockets held ${fmt(x.heldSeconds, 1)} s` +
    `${x.closedByServer ? `, ${x.closedByServer} closed by the server before that` : ""}; ` +
    `client buffered ${fmt(x.clientKiB)} KiB per connection; kernel TCP buffers (both ends, not in RSS) +${fmt(x.kernelTcp)} MB` +
    (Object.keys(x.messages).length ? `; refusals: ${Object.entries(x.messages).map(([m, n]) => `${n} × "${m}"`).join(", ")}` : "");
  return [`- Stalled downloads, caps lifted (${Object.entries(r.lifted.env).map(([k, v]) => `${k}=${v}`).join(", ")}): ${line(r.lifted)}`, `- Stalled downloads, default caps: ${line(r.defaults)}`];
}

/** Method bullet. */
export function stalledMethod(opts, fmt, sampleMs) {
  const n = opts?.connections ?? 400;
  const size = opts ? `${fmt(opts.fileBytes / 2 ** 20)} MiB (${opts.fileBytes} bytes)` : "20 MiB";
  const caps = Object.entries(LIFTED_CAPS).map(([k, v]) => `${k}=${v}`).join(" and ");
  return `- Stalled downloads: one ${size} file is uploaded and downloaded once (warm-up); then ${n}
  raw TCP connections from the benchmark process each send \`GET /api/v1/files/{id}/download\` with
  the key, read the first chunk (status line and headers) and never read again. "Added" is the
  server's peak RSS (VmRSS sampled every ${sampleMs} ms, and VmHWM) minus its RSS just before the
  connections opened, once RSS has not grown by more than ${SETTLE_STEP_MB} MB for ${SETTLE_MS / 1000} s after the last answer (at
  most ${SETTLE_MAX_MS / 1000} s, inside the server's 30 s idle timeout); then the sockets are destroyed. The kernel's TCP
  buffers (/proc/net/sockstat, both ends) are in the per-run lines, not in RSS. Two fresh servers:
  one with ${caps}, the caps lifted so that every connection gets its download (the
  buffer design's worst case; the target row also requires all ${n} answered 200), and one with the
  server's default caps (info: how many are turned away, and what the rest cost).`;
}
