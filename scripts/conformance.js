#!/usr/bin/env node
// `npm run conformance [vitest options]`: the conformance suite (tests/contract/conformance.test.ts)
// through vitest, in a process group of its own so that Ctrl-C can be waited out. On SIGINT or
// SIGTERM the signal is passed to the group (vitest and its worker); vitest's main process exits
// at once, while the worker stops sending, deletes everything the run created and exits. This
// script returns only then, and prints what the clean-up did. Exit code: vitest's, or 130/143
// after an interrupt.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const vitest = path.join(root, "node_modules", "vitest", "vitest.mjs");
const cleanupFile = path.join(tmpdir(), `aether-conformance-cleanup-${process.pid}.json`);
/** How long to wait for the clean-up after an interrupt before giving up on it. */
const CLEANUP_WAIT_MS = 10 * 60_000;

const child = spawn(process.execPath, [vitest, "run", "tests/contract/conformance.test.ts", "--reporter=dot", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
  detached: true,
  env: { ...process.env, CONFORMANCE_CLEANUP_FILE: cleanupFile },
});

/** True while a process of the group is alive (zombies left to an init that does not reap do not count). */
function groupAlive(pgid) {
  if (existsSync("/proc/self/stat")) {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      let stat;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      } catch {
        continue;
      }
      // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(pgrp) === pgid && state !== "Z" && state !== "X") return true;
    }
    return false;
  }
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}

let interrupted;
function forward(signal) {
  if (!interrupted) {
    interrupted = signal;
    process.stderr.write(`\nconformance: ${signal}: stopping the run and deleting what it created…\n`);
  }
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}
process.on("SIGINT", forward);
process.on("SIGTERM", forward);

child.on("exit", async (code, signal) => {
  const deadline = Date.now() + CLEANUP_WAIT_MS;
  while (interrupted && groupAlive(child.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (interrupted) {
    if (existsSync(cleanupFile)) {
      const c = JSON.parse(readFileSync(cleanupFile, "utf8"));
      const head = `conformance: clean-up of the run's folder "${c.folder.name}" (${c.folder.id}): deleted ${c.deletedFiles} file(s) and ${c.deletedFolders} folder(s)`;
      process.stderr.write(c.left.length === 0 ? `${head}; nothing left behind\n` : `${head}; LEFT BEHIND (delete by hand):\n${c.left.map((l) => `  ${l}\n`).join("")}`);
    } else {
      process.stderr.write("conformance: the run was stopped before it created anything, or its clean-up did not report back\n");
    }
  }
  rmSync(cleanupFile, { force: true });
  process.exit(interrupted ? (interrupted === "SIGINT" ? 130 : 143) : (code ?? (signal ? 1 : 0)));
});
