#!/usr/bin/env node
// Start-up time and idle memory of the reference server, by how it is started:
//   node bench/startup.js            (BENCH_STARTUP_RUNS, default 5 rounds; medians)
// For each command: a fresh DATA_DIR and a free port, the time from spawn to the first 200 on
// /api/v1/health (polled every 10 ms) and the CPU time the process tree used until then (user +
// system, from /proc: less sensitive than wall time to a busy machine), then, after 5 s idle, the
// RSS (VmRSS) of the process that listens and of its whole process tree (npm and the tsx watcher
// included). The commands take turns in each round. Needs dist/ (npm run build). Prints a
// Markdown table for README.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const runs = Number(process.env.BENCH_STARTUP_RUNS) || 5;
const IDLE_MS = 5000;

const COMMANDS = [
  { label: "`npm start` (node dist/server/main.js)", file: "npm", args: ["start"] },
  { label: "`node dist/server/main.js`", file: process.execPath, args: ["dist/server/main.js"] },
  { label: "`npm run dev` (tsx watch server/main.ts)", file: "npm", args: ["run", "dev"] },
  { label: "`tsx server/main.ts` (before: `npm start`)", file: path.join(root, "node_modules", ".bin", "tsx"), args: ["server/main.ts"] },
];

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const TICKS_PER_S = 100;

/** pid → { ppid, rssKb, cpuS } for every process. */
function processTable() {
  const table = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, "utf8");
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
      const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      // utime, stime, cutime, cstime (fields 14-17): children that exited count too.
      const cpuS = fields.slice(11, 15).reduce((n, f) => n + Number(f), 0) / TICKS_PER_S;
      table.set(Number(entry), { ppid, rssKb, cpuS });
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

/** RSS and CPU time of `pid`'s tree, and the RSS of its deepest process (the server itself, under npm/sh/tsx). */
function treeUsage(pid) {
  const table = processTable();
  let total = 0;
  let cpuS = 0;
  let leaf = { pid, depth: -1, rssKb: 0 };
  const walk = (p, depth) => {
    const info = table.get(p);
    if (!info) return;
    total += info.rssKb;
    cpuS += info.cpuS;
    if (depth > leaf.depth) leaf = { pid: p, depth, rssKb: info.rssKb };
    for (const [child, c] of table) if (c.ppid === p) walk(child, depth + 1);
  };
  walk(pid, 0);
  return { totalMb: total / 1024, serverMb: leaf.rssKb / 1024, cpuS };
}

async function once(command) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "aether-startup-"));
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command.file, command.args, {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: "warn" },
    stdio: "ignore",
    detached: true,
  });
  let ms;
  for (;;) {
    if (performance.now() - started > 60_000) throw new Error(`${command.label}: no 200 on /api/v1/health within 60 s`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/v1/health`).then((r) => r.status === 200, () => false);
    if (ok) {
      ms = performance.now() - started;
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const { cpuS } = treeUsage(child.pid);
  await new Promise((r) => setTimeout(r, IDLE_MS));
  const { totalMb, serverMb } = treeUsage(child.pid);
  process.kill(-child.pid, "SIGTERM");
  await new Promise((r) => child.once("exit", r));
  rmSync(dataDir, { recursive: true, force: true });
  return { ms, cpuS, totalMb, serverMb };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const results = COMMANDS.map(() => []);
// One warm-up round fills the page cache; then the commands take turns.
for (const command of COMMANDS) await once(command);
for (let i = 0; i < runs; i++) {
  for (const [j, command] of COMMANDS.entries()) results[j].push(await once(command));
}
console.log(`Node ${process.version}, ${runs} rounds (median; min in brackets), idle RSS ${IDLE_MS / 1000} s after the first 200`);
console.log("");
console.log("| command | first 200 on /api/v1/health, ms | CPU time until then, s | idle RSS of the server process, MB | idle RSS of the process tree, MB |");
console.log("|---|---:|---:|---:|---:|");
for (const [j, command] of COMMANDS.entries()) {
  const r = results[j];
  const ms = r.map((x) => x.ms);
  const cpu = r.map((x) => x.cpuS);
  console.log(
    `| ${command.label} | ${median(ms).toFixed(0)} (${Math.min(...ms).toFixed(0)}) | ${median(cpu).toFixed(2)} (${Math.min(...cpu).toFixed(2)}) | ${median(r.map((x) => x.serverMb)).toFixed(0)} | ${median(r.map((x) => x.totalMb)).toFixed(0)} |`,
  );
}
