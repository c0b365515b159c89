// The published package as a consumer gets it: `npm pack` (whose prepack step builds and drops the
// checkout's `prepare` script from the packed package.json), a fresh TypeScript project (strict,
// skipLibCheck false) that installs the tarball with typescript ~5.9 and @types/node 20,
// type-checks a small program using `aethercdn/client` and `aethercdn/types` under
// moduleResolution NodeNext and Bundler, and runs it with node against the reference server
// in-process. Also: the tarball holds only what a client user needs (no server code); an empty
// project installs it without a warning and gets a working `aether` bin; README's size figure is
// the measured one; the `./openapi.yaml` export.
//
// The pack runs on a staged copy of the repository (sources, no dist/, node_modules linked) so
// that the build does not rewrite the working tree's dist/ while other suites run. Prints the
// tarball's size and file count and how long `npm install` took.
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/openapi-oracle.js";
import { startServer, type TestServer } from "../support/server.js";

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function exec(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env, timeoutMs = 600_000): Promise<Result> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" }, (err, stdout, stderr) => {
      if (err && typeof err.code !== "number") return reject(Object.assign(err, { stdout, stderr }));
      resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

async function mustExec(file: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv, timeoutMs?: number): Promise<Result> {
  const res = await exec(file, args, cwd, env, timeoutMs);
  if (res.code !== 0) throw new Error(`${file} ${args.join(" ")} (in ${cwd}) exited ${res.code}\n${res.stdout}\n${res.stderr}`);
  return res;
}

/** npm with a quiet, offline-friendly environment. */
const NPM_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  npm_config_update_notifier: "false",
  npm_config_fund: "false",
  npm_config_audit: "false",
  npm_config_loglevel: "warn",
};
// Never the npm that runs this test's parent with its own config (npm_config_* of `npm test`).
for (const key of Object.keys(NPM_ENV)) if (/^npm_(lifecycle|package|config_(?!update_notifier|fund|audit|loglevel))/i.test(key)) delete NPM_ENV[key];

let root = "";
let consumer = "";
let srv: TestServer;
let packInfo: { filename: string; size: number; unpackedSize: number; entryCount: number; files: { path: string }[] };
let installMs = 0;
/** `npm install <tarball>` alone, in an empty project. */
let bare: { dir: string; install: Result };
let stagedManifest = "";

/** Not copied to the stage: installed or generated things, and local state. */
const SKIP_DIRS = new Set(["node_modules", ".git", "dist", "data", "test-artifacts", ".tmp"]);

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "aether-consumer-"));
  const stage = path.join(root, "stage");
  await cp(REPO_ROOT, stage, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(REPO_ROOT, src);
      return !SKIP_DIRS.has(rel.split(path.sep)[0] ?? "");
    },
  });
  await symlink(path.join(REPO_ROOT, "node_modules"), path.join(stage, "node_modules"), "dir");

  const t0 = Date.now();
  const packed = await mustExec("npm", ["pack", "--json", "--pack-destination", root], stage, NPM_ENV);
  const json = packed.stdout.slice(packed.stdout.indexOf("["));
  packInfo = (JSON.parse(json) as (typeof packInfo)[])[0]!;
  stagedManifest = await readFile(path.join(stage, "package.json"), "utf8");
  console.log(
    `[consumer] npm pack (prepack: build, drop prepare): ${packInfo.filename}, ${packInfo.size} bytes packed, ` +
      `${packInfo.unpackedSize} bytes unpacked, ${packInfo.entryCount} files, ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );

  consumer = path.join(root, "consumer");
  await mkdir(consumer);
  await writeFile(path.join(consumer, "package.json"), JSON.stringify({ name: "aether-consumer", version: "1.0.0", private: true, type: "module" }, null, 2));
  const t1 = Date.now();
  await mustExec(
    "npm",
    ["install", path.join(root, packInfo.filename), "typescript@~5.9", "@types/node@20", "--prefer-offline", "--no-audit", "--no-fund"],
    consumer,
    NPM_ENV,
    900_000,
  );
  installMs = Date.now() - t1;
  console.log(`[consumer] npm install <tarball> typescript@~5.9 @types/node@20: ${(installMs / 1000).toFixed(1)} s`);
  const bareDir = path.join(root, "empty");
  await mkdir(bareDir);
  await writeFile(path.join(bareDir, "package.json"), JSON.stringify({ name: "empty", version: "1.0.0", private: true }));
  bare = { dir: bareDir, install: await exec("npm", ["install", path.join(root, packInfo.filename), "--prefer-offline", "--no-audit", "--no-fund"], bareDir, NPM_ENV) };
  srv = await startServer();
}, 1_200_000);

afterAll(async () => {
  await srv?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe("the tarball", () => {
  it("holds the built client (JS + .d.ts), the generated types, the `aether` CLI and the contract, and no server code, sources or tests", () => {
    const files = packInfo.files.map((f) => f.path);
    for (const f of [
      "package.json",
      "README.md",
      "openapi.yaml",
      "dist/client/index.js",
      "dist/client/index.d.ts",
      "dist/client/node.js",
      "dist/client/node.d.ts",
      "dist/client/types.js",
      "dist/client/types.d.ts",
      "dist/generated/openapi.d.ts",
      "dist/client/cli/main.js",
    ]) {
      expect(files, f).toContain(f);
    }
    expect(files.filter((f) => /(^|\/)server\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
    expect(files.filter((f) => /(^|\/)tests?\//.test(f))).toEqual([]);
    expect(packInfo.entryCount).toBe(files.length);
  });
});

const COMMON = `
import { readFile } from "node:fs/promises";
import { createAetherClient, AetherApiError, AetherNetworkError } from "aethercdn/client";
import type { AetherFile, ErrorCode, paths, components } from "aethercdn/types";

export async function common(baseUrl: string, apiKey: string) {
  const aether = createAetherClient({ baseUrl, apiKey });
  const uploaded: AetherFile = await aether.uploadFile({ file: new Blob(["hello consumer\\n"], { type: "text/plain" }), name: "consumer.txt", tags: ["pkg"] });
  const { data, error } = await aether.GET("/api/v1/files", { params: { query: { limit: 10 } } });
  if (error) throw new Error(error.error.message);
  const list: components["schemas"]["FileList"] | undefined = data;
  const ids: string[] = [];
  for await (const f of aether.iterateFiles({ pageSize: 1 })) ids.push(f.id);
  const down = await aether.downloadFile(uploaded.id, { range: { start: 0, end: 4 } });
  const head = await new Response(down.body).text();
  let code: ErrorCode | undefined;
  try {
    await aether.getFile("file_DoesNotExist000000");
  } catch (e) {
    if (e instanceof AetherApiError) code = e.code;
  }
  type Stats = paths["/api/v1/user/stats"]["get"]["responses"][200]["content"]["application/json"]["stats"];
  const stats: Stats = await aether.getUserStats();
  const x = createAetherClient({ baseUrl, apiKey, authHeader: "x-api-key", retry: { retries: 1 } });
  await x.deleteFile(uploaded.id);
  const isNetworkErrorClass = typeof AetherNetworkError === "function";
  const spec = await readFile(new URL(import.meta.resolve("aethercdn/openapi.yaml")), "utf8");
  return { listed: list?.files.map((f) => f.id) ?? [], iterated: ids, uploaded: uploaded.id, head, status: down.status, totalSize: down.totalSize, code, files: stats.totalFiles, isNetworkErrorClass, specStart: spec.slice(0, 12) };
}
`;

const NODE_MAIN = `
import { mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAetherClient, type AetherNodeClient } from "aethercdn/client";
import { common } from "./common.js";

const baseUrl = process.env.AETHER_BASE_URL!;
const apiKey = process.env.AETHER_API_KEY!;
const result = await common(baseUrl, apiKey);
// Node extras: a path upload and a download straight to disk.
const dir = await mkdtemp(join(tmpdir(), "consumer-"));
await writeFile(join(dir, "on-disk.txt"), "from a path\\n");
const aether: AetherNodeClient = createAetherClient({ baseUrl, apiKey });
const file = await aether.uploadFile({ file: join(dir, "on-disk.txt") });
await aether.downloadFileToPath(file.id, join(dir, "copy.txt"));
const copy = await readFile(join(dir, "copy.txt"), "utf8");
await aether.deleteFile(file.id);
console.log(JSON.stringify({ ...result, pathUpload: file.name, copy, dir: (await readdir(dir)).sort() }));
`;

const BUNDLER_MAIN = `
import { createAetherClient } from "aethercdn/client";
import { common } from "./common.js";

// Under the Bundler resolution there is no "node" condition: these are the browser entry's types.
export function browserTypesOnly() {
  const web = createAetherClient({ baseUrl: "http://127.0.0.1:8080", apiKey: "ak_x" });
  // @ts-expect-error the browser entry takes no file path
  void web.uploadFile({ file: "./report.pdf" });
  // @ts-expect-error nor has it downloadFileToPath
  void web.downloadFileToPath("file_x", "/tmp/x");
}

const result = await common(process.env.AETHER_BASE_URL!, process.env.AETHER_API_KEY!);
console.log(JSON.stringify(result));
`;

const MODES = {
  NodeNext: {
    compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", types: ["node"], lib: ["ES2022"] },
    main: NODE_MAIN,
  },
  Bundler: {
    // A frontend-style project: DOM lib; @types/node only for common.ts's file read.
    compilerOptions: { module: "ESNext", moduleResolution: "Bundler", types: ["node"], lib: ["ES2022", "DOM", "DOM.Iterable"] },
    main: BUNDLER_MAIN,
  },
  "Bundler + customConditions node": {
    // A Node script of a Bundler project (README, TypeScript settings): the "node" condition brings
    // back the Node entry's types, so the Node program compiles as under NodeNext.
    compilerOptions: { module: "ESNext", moduleResolution: "Bundler", customConditions: ["node"], types: ["node"], lib: ["ES2022"] },
    main: NODE_MAIN,
  },
} as const;

describe.each(Object.keys(MODES) as (keyof typeof MODES)[])("a consumer project, moduleResolution %s", (mode) => {
  const dir = () => path.join(consumer, mode.toLowerCase().replace(/[^a-z]+/g, "-"));

  it("type-checks (strict, skipLibCheck false) and compiles", { timeout: 180_000 }, async () => {
    await mkdir(path.join(dir(), "src"), { recursive: true });
    await writeFile(path.join(dir(), "src", "common.ts"), COMMON);
    await writeFile(path.join(dir(), "src", "main.ts"), MODES[mode].main);
    await writeFile(
      path.join(dir(), "tsconfig.json"),
      JSON.stringify(
        {
          compilerOptions: {
            target: "ES2022",
            strict: true,
            skipLibCheck: false,
            noUncheckedIndexedAccess: true,
            exactOptionalPropertyTypes: true,
            outDir: "out",
            rootDir: "src",
            ...MODES[mode].compilerOptions,
          },
          include: ["src"],
        },
        null,
        2,
      ),
    );
    const tsc = path.join(consumer, "node_modules", "typescript", "bin", "tsc");
    const res = await exec(process.execPath, [tsc, "-p", dir(), "--pretty", "false"], consumer);
    expect(`${res.stdout}${res.stderr}`.trim()).toBe("");
    expect(res.code).toBe(0);
  });

  it("runs with node against the reference server", { timeout: 60_000 }, async () => {
    const res = await exec(process.execPath, [path.join(dir(), "out", "main.js")], consumer, {
      ...process.env,
      AETHER_BASE_URL: srv.baseUrl,
      AETHER_API_KEY: srv.keys.full,
    });
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout.trim()) as Record<string, unknown>;
    expect(out).toMatchObject({ head: "hello", status: 206, totalSize: 15, code: "not_found", isNetworkErrorClass: true, specStart: "openapi: 3.1" });
    expect(out.listed).toContain(out.uploaded);
    expect(out.iterated).toContain(out.uploaded);
    if (MODES[mode].main === NODE_MAIN) expect(out).toMatchObject({ pathUpload: "on-disk.txt", copy: "from a path\n", dir: ["copy.txt", "on-disk.txt"] });
  });
});

describe("installing the tarball into an empty project", () => {
  it("prints no warning (no `prepare` script in the packed package.json), while the checkout keeps its `prepare`", async () => {
    expect(bare.install.code, bare.install.stderr).toBe(0);
    expect(bare.install.stderr).toBe("");
    const installed = JSON.parse(await readFile(path.join(bare.dir, "node_modules", "aethercdn", "package.json"), "utf8")) as { scripts?: Record<string, string> };
    expect(installed.scripts?.prepare).toBeUndefined();
    // postpack put the stage's package.json back as it was.
    expect((JSON.parse(stagedManifest) as { scripts: Record<string, string> }).scripts.prepare).toBe("npm run build");
    expect(stagedManifest).toBe(await readFile(path.join(REPO_ROOT, "package.json"), "utf8"));
  });

  it("gets a working `aether` with only the package's dependencies (commander, cli-progress, openapi-fetch)", { timeout: 60_000 }, async () => {
    const bin = path.join(bare.dir, "node_modules", ".bin", "aether");
    const env = { ...process.env, AETHER_BASE_URL: srv.baseUrl, AETHER_API_KEY: srv.keys.full };
    const stats = await exec(bin, ["stats", "--json"], bare.dir, env);
    expect(stats.stderr).toBe("");
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toHaveProperty("totalFiles");
    const installed = JSON.parse(await readFile(path.join(bare.dir, "node_modules", "aethercdn", "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(Object.keys(installed.dependencies).sort()).toEqual(["cli-progress", "commander", "openapi-fetch"]);
  });
});

describe("README", () => {
  it("states the tarball's size as measured (within 15 %)", async () => {
    const readme = await readFile(path.join(REPO_ROOT, "README.md"), "utf8");
    const stated = /`npm pack` gives a (\d+) kB tarball/.exec(readme);
    expect(stated, "README says: `npm pack` gives a NN kB tarball").not.toBeNull();
    const measuredKb = packInfo.size / 1000;
    expect(Math.abs(Number(stated![1]) - measuredKb) / measuredKb, `README says ${stated![1]} kB; npm pack measured ${measuredKb.toFixed(1)} kB: update README`).toBeLessThanOrEqual(0.15);
  });
});

describe("the installed aether bin (dist/client/cli/main.js)", () => {
  it("runs: --help, and files ls --json against the server", { timeout: 60_000 }, async () => {
    const bin = path.join(consumer, "node_modules", ".bin", "aether");
    const help = await exec(bin, ["--help"], consumer);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: aether/);
    const env = { ...process.env, AETHER_BASE_URL: srv.baseUrl, AETHER_API_KEY: srv.keys.full };
    const ls = await exec(bin, ["files", "ls", "--json"], consumer, env);
    expect(ls.stderr).toBe("");
    expect(ls.code).toBe(0);
    expect(Array.isArray(JSON.parse(ls.stdout))).toBe(true);
    const missing = await exec(bin, ["files", "rm", "file_DoesNotExist000000"], consumer, env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/not_found/);
  });
});
