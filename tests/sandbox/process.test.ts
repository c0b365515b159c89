// The sandbox as a process: `server/sandbox/main.ts` prints its URL and the fixed keys (the same on
// every start, the same as README's), serves the seeded data, and deletes its temp dir when stopped
// by SIGINT or SIGTERM — also through `npm run sandbox`, what README tells people to run. Start-up
// failures are one line and exit code 1, leaving nothing behind. The child's TMPDIR is a private
// dir, so "nothing left" can be checked exactly (tsx keeps its compile cache there too: `tsx-*`).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_KEYS } from "../../server/sandbox/tenants.js";
import { bearer, json, type ApiFile } from "../support/http.js";
import { REPO_ROOT } from "../support/openapi-oracle.js";
import { printedKeys } from "../support/serverProcess.js";

interface Started {
  child: ChildProcess;
  baseUrl: string;
  banner: string;
  /** Milliseconds from spawn to the banner. */
  startMs: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

let tmp: string;
const running = new Set<ChildProcess>();
/** The sandbox's temp roots in `dir`. */
const roots = async (dir: string) => (await readdir(dir)).filter((d) => d.startsWith("aether-sandbox-"));

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "aether-sandbox-test-"));
});
afterAll(async () => {
  // A failed test may leave its child running: stop it (it then deletes its own data).
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 500));
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** Starts `command` with TMPDIR=`dir`; resolves on the banner, or rejects with the output. */
function start(command: string, args: string[], dir: string, env: NodeJS.ProcessEnv = {}): Promise<Started> {
  const t0 = performance.now();
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, TMPDIR: dir, SANDBOX_PORT: "0", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let out = "";
  let err = "";
  child.stdout!.setEncoding("utf8").on("data", (c: string) => (out += c));
  child.stderr!.setEncoding("utf8").on("data", (c: string) => (err += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal, stdout: out, stderr: err })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no banner in 60 s\n${out}\n${err}`));
    }, 60_000);
    const onData = () => {
      const m = /AetherCDN sandbox on (http:\/\/\S+)/.exec(out);
      if (!m || !out.includes("Scenarios:")) return;
      clearTimeout(timer);
      child.stdout!.off("data", onData);
      resolve({ child, baseUrl: m[1]!, banner: out, startMs: performance.now() - t0, exited });
    };
    child.stdout!.on("data", onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code ?? signal}) before the banner\n${out}\n${err}`));
    });
  });
}

const main = (dir: string, env: NodeJS.ProcessEnv = {}) => start(process.execPath, ["--import", "tsx", "server/sandbox/main.ts"], dir, env);

describe("server/sandbox/main.ts", { timeout: 120_000 }, () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`prints the fixed keys, serves the seed, and deletes its data on ${signal}`, async () => {
      const dir = await mkdtemp(join(tmp, "run-"));
      const run = await main(dir);
      process.stdout.write(`sandbox process: banner ${Math.round(run.startMs)} ms after spawn\n`);
      expect(printedKeys(run.banner)).toEqual(expect.arrayContaining(Object.values(SANDBOX_KEYS)));
      expect(run.banner).toContain(`export AETHER_BASE_URL=${run.baseUrl} AETHER_API_KEY=${SANDBOX_KEYS.full}`);
      expect(run.banner).toContain(`curl -X POST ${run.baseUrl}/__sandbox/reset`);
      expect(run.banner).not.toContain("YOUR_API_KEY");
      const { files } = await json<{ files: ApiFile[] }>(await fetch(`${run.baseUrl}/api/v1/files`, { headers: bearer(SANDBOX_KEYS.full) }));
      expect(files.length).toBeGreaterThan(0);
      expect(files[0]!.url.startsWith(`${run.baseUrl}/api/v1/files/`)).toBe(true);
      const data = await roots(dir);
      expect(data.length).toBe(1);
      expect(await readdir(join(dir, data[0]!))).toEqual(["seed-1"]);
      run.child.kill(signal);
      const end = await run.exited;
      expect(end.code, end.stderr).toBe(0);
      expect(await roots(dir)).toEqual([]);
    });
  }

  it("npm run sandbox: same banner; SIGTERM to npm stops it and deletes its data", async () => {
    const dir = await mkdtemp(join(tmp, "npm-"));
    const run = await start("npm", ["run", "--silent", "sandbox"], dir);
    process.stdout.write(`npm run sandbox: banner ${Math.round(run.startMs)} ms after spawn\n`);
    expect(printedKeys(run.banner)).toEqual(expect.arrayContaining(Object.values(SANDBOX_KEYS)));
    expect((await fetch(`${run.baseUrl}/api/v1/health`)).status).toBe(200);
    run.child.kill("SIGTERM");
    await run.exited;
    // npm may return before its child has finished cleaning up.
    for (let i = 0; i < 100 && (await roots(dir)).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await roots(dir)).toEqual([]);
  });

  it("a port in use: one line, exit code 1, nothing left", async () => {
    const dir = await mkdtemp(join(tmp, "busy-"));
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const end = await main(dir, { SANDBOX_PORT: String(port) }).then(
        (run) => {
          run.child.kill("SIGKILL");
          throw new Error("started on a busy port");
        },
        (err: Error) => err.message,
      );
      expect(end).toContain(`aethercdn sandbox: port ${port} is already in use; stop what holds it or set SANDBOX_PORT`);
      expect(await roots(dir)).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  it("a malformed SANDBOX_PORT names the variable", async () => {
    const dir = await mkdtemp(join(tmp, "bad-"));
    const message = await main(dir, { SANDBOX_PORT: "http" }).then(
      () => "started",
      (err: Error) => err.message,
    );
    expect(message).toContain('aethercdn sandbox: SANDBOX_PORT must be an integer from 0 to 65535, got "http"');
    expect(await roots(dir)).toEqual([]);
  });
});

describe("README", () => {
  it("lists the sandbox's keys, its port and the reset", async () => {
    const readme = await readFile(join(REPO_ROOT, "README.md"), "utf8");
    for (const key of Object.values(SANDBOX_KEYS)) expect(readme).toContain(key);
    expect(readme).toContain("npm run sandbox");
    expect(readme).toContain("127.0.0.1:4011");
    expect(readme).toContain("POST /__sandbox/reset");
  });
});
