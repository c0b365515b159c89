/**
 * `npm start` runs the compiled server (dist/, built by `npm install`'s prepare step), which finds
 * the contract and docs from dist/, and `npm run keys` manages its keys. Starting the real entry
 * point (`server/main.ts`) where it cannot run, and the CLI on the wrong
 * data dir: one line on stderr with a hint and a non-zero exit, never a stack; a second server
 * on a DATA_DIR in use never touches the first one's uploads in flight (the start-up sweep only
 * runs under the data dir's lock); secrets never appear in --help; a client that aborts an
 * upload is logged at info as aborted, not as a server error.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blobFiles, run, upload, waitFor, type ProcessResult } from "../support/http.js";
import { REPO_ROOT } from "../support/openapi-oracle.js";
import { freePort } from "../support/processes.js";
import { bareEnv, printedKeys, spawnServer, type ServerProcess } from "../support/serverProcess.js";

let root: string;
let first: ServerProcess;
let key: string;
const dataDir = () => join(root, "data");

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "aether-startup-"));
  first = await spawnServer(dataDir(), { LOG_LEVEL: "info" });
  key = printedKeys(first.stdout())[0]!;
});
afterAll(async () => {
  first?.child.kill("SIGKILL");
  await first?.exited;
  await rm(root, { recursive: true, force: true });
});

function main(env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  return run(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: "test", HOST: "127.0.0.1", LOG_LEVEL: "warn", ...env },
    timeoutMs: 30_000,
  });
}

/** The operator's command line (`npm run keys` runs it built), from source. */
function aetherServer(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ProcessResult> {
  return run(process.execPath, ["--import", "tsx", "server/cli/main.ts", ...args], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: "1", ...env }, timeoutMs: 30_000 });
}

/** The API user's `aether` command line (the package's bin), from source. */
function aether(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ProcessResult> {
  return run(process.execPath, ["--import", "tsx", "client/cli/main.ts", ...args], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: "1", ...env }, timeoutMs: 30_000 });
}

function expectOneLine(result: ProcessResult, pattern: RegExp): void {
  expect(result.code, result.stderr).not.toBe(0);
  const lines = result.stderr.trim().split("\n");
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

/** The command lines (argv) of `pid` and every process below it (Linux /proc). */
function processTree(pid: number): string[][] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
    try {
      parents.set(Number(entry), Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/status`, "utf8"))?.[1]));
    } catch {
      // exited meanwhile
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [p, parent] of parents) if (parent === tree[i]) tree.push(p);
  return tree.flatMap((p) => {
    try {
      return [readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0").filter(Boolean)];
    } catch {
      return [];
    }
  });
}

describe("npm start", { timeout: 120_000 }, () => {
  it("runs the compiled server (node dist/server/main.js, no tsx), which serves the contract and docs; npm run keys issues keys for it", async () => {
    const pkg = JSON.parse(await readFile(join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe("node dist/server/main.js");
    expect(pkg.scripts.dev).toBe("tsx watch server/main.ts");
    expect(pkg.scripts.prepare).toBe("npm run build");
    const dir = join(root, "npm-start");
    const port = await freePort();
    const child = spawn("npm", ["start"], { cwd: REPO_ROOT, env: bareEnv({ DATA_DIR: dir, PORT: String(port) }), stdio: ["ignore", "pipe", "pipe"], detached: true });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (out += c));
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      const base = `http://127.0.0.1:${port}`;
      const up = await waitFor(() => fetch(`${base}/api/v1/health`).then((r) => r.status === 200, () => false), 60_000, 100);
      expect(up, out).toBe(true);
      const argvs = processTree(child.pid!);
      expect(argvs.some((argv) => /(^|\/)node$/.test(argv[0] ?? "") && argv[1] === "dist/server/main.js"), JSON.stringify(argvs)).toBe(true);
      expect(argvs.flat().filter((a) => /tsx/.test(a)), JSON.stringify(argvs)).toEqual([]);
      // The bundled contract and the docs are found from dist/server/ (server/spec.ts).
      expect(await (await fetch(`${base}/openapi.yaml`)).text()).toMatch(/^openapi: 3\.1/);
      expect((await fetch(`${base}/docs/`)).status).toBe(200);
      const owner = printedKeys(out)[0]!;
      expect((await fetch(`${base}/api/v1/files`, { headers: { Authorization: `Bearer ${owner}` } })).status).toBe(200);

      const made = await run("npm", ["run", "--silent", "keys", "--", "create", "--user", "default", "--scopes", "files:read"], {
        cwd: REPO_ROOT,
        env: bareEnv({ DATA_DIR: dir }),
        timeoutMs: 60_000,
      });
      expect(made.code, made.stderr).toBe(0);
      const reader = made.stdout.trimEnd().split("\n").at(-1) ?? "";
      expect(reader).toMatch(/^ak_/);
      expect((await fetch(`${base}/api/v1/files`, { headers: { Authorization: `Bearer ${reader}` } })).status).toBe(200);
      expect((await upload(base, reader, { data: "x" })).status).toBe(403);
    } finally {
      process.kill(-child.pid!, "SIGTERM");
      await exited;
    }
  });
});

describe("one server per DATA_DIR", { timeout: 60_000 }, () => {
  it("a second server exits naming the holder's pid, and the first one's upload in flight still completes", async () => {
    const port = new URL(first.baseUrl).port;
    const boundary = "xlock";
    const data = randomBytes(256 * 1024);
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.bin"\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const answer = new Promise<number>((resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port, method: "POST", path: "/api/v1/files/upload", headers: { Authorization: `Bearer ${key}`, "Content-Type": `multipart/form-data; boundary=${boundary}`, "Content-Length": head.length + data.length + tail.length } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.write(head);
      req.write(data.subarray(0, 1000));
      void waitFor(async () => (await blobFiles(dataDir())).temp.length > 0, 5000).then(async () => {
        const second = await main({ DATA_DIR: dataDir(), PORT: "0" });
        expectOneLine(second, new RegExp(`in use by another server \\(pid ${first.child.pid}\\)`));
        req.end(Buffer.concat([data.subarray(1000), tail]));
      });
    });
    expect(await answer).toBe(201);
  });
});

describe("start-up failures are one line with a hint", { timeout: 60_000 }, () => {
  it("a port in use", async () => {
    const port = new URL(first.baseUrl).port;
    const result = await main({ DATA_DIR: join(root, "other"), PORT: port });
    expectOneLine(result, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use; stop what holds it or set PORT`));
  });

  it("a first start that fails (port in use) creates no key it never shows; the next start prints one", async () => {
    const fresh = join(root, "fresh");
    const failed = await main({ DATA_DIR: fresh, PORT: new URL(first.baseUrl).port });
    expect(failed.code).not.toBe(0);
    expect(printedKeys(failed.stdout)).toEqual([]);
    const next = await spawnServer(fresh);
    try {
      expect(printedKeys(next.stdout())).toHaveLength(1);
    } finally {
      next.child.kill("SIGTERM");
      await next.exited;
    }
  });

  it("a DATA_DIR that is a file", async () => {
    const file = join(root, "a-file");
    await writeFile(file, "x");
    const result = await main({ DATA_DIR: file, PORT: "0" });
    expectOneLine(result, /DATA_DIR .*a-file cannot be used as a directory/);
  });
});

describe("the command lines", { timeout: 60_000 }, () => {
  it("`aether-server keys list` on a DATA_DIR without a database says so, exits non-zero and creates nothing", async () => {
    const typo = join(root, "dta");
    const result = await aetherServer(["keys", "list"], { DATA_DIR: typo });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/no database in .*dta/);
    expect(existsSync(typo)).toBe(false);
  });

  it("`aether` is the API user's command (files, folders, stats); keys are the server's", async () => {
    const client = await aether(["--help"]);
    expect(client.code).toBe(0);
    expect(client.stdout).toMatch(/Usage: aether /);
    for (const group of ["files", "folders", "stats"]) expect(client.stdout).toMatch(new RegExp(`^\\s+${group}\\b`, "m"));
    expect(client.stdout).not.toMatch(/^\s+keys\b/m);
    const unknown = await aether(["keys", "list"]);
    expect(unknown.code).not.toBe(0);
    const server = await aetherServer(["--help"]);
    expect(server.stdout).toMatch(/Usage: aether-server /);
    expect(server.stdout).toMatch(/^\s+keys\b/m);
  });

  it("--help never prints the API key from the environment", async () => {
    const secret = `ak_${"S".repeat(32)}`;
    for (const group of ["files", "folders", "stats"]) {
      const result = await aether([group, "--help"], { AETHER_API_KEY: secret });
      expect(result.stdout + result.stderr).toContain("--api-key");
      expect(result.stdout + result.stderr).not.toContain(secret);
    }
  });
});

describe("a client aborting an upload", { timeout: 60_000 }, () => {
  it("is logged at info as aborted, with no status, and no error line", async () => {
    const port = new URL(first.baseUrl).port;
    const before = first.stdout().length;
    await new Promise<void>((resolve) => {
      const req = request({ host: "127.0.0.1", port, method: "POST", path: "/api/v1/files/upload", headers: { Authorization: `Bearer ${key}`, "Content-Type": "multipart/form-data; boundary=b", "Content-Length": 1_000_000 } });
      req.on("error", () => resolve());
      req.write(`--b\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n\r\n${"z".repeat(10_000)}`);
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 300);
    });
    expect(await waitFor(() => first.stdout().slice(before).includes('"request aborted"'), 5000)).toBe(true);
    const lines = first.stdout().slice(before).trim().split("\n").map((l) => JSON.parse(l) as { level: number; msg: string; status?: unknown; aborted?: boolean });
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    const logged = lines.find((l) => l.msg === "request aborted");
    expect(logged).toMatchObject({ level: 30, aborted: true, status: null });
    expect(await waitFor(async () => (await blobFiles(dataDir())).temp.length === 0, 3000)).toBe(true);
  });
});
