/**
 * The conformance kit as a new user runs it: a reference server started with its defaults (only
 * `DATA_DIR` and a free `PORT` set, as `npm start` in a fresh shell), an account holding some
 * files of its own, and `npm run conformance` with nothing but `AETHER_BASE_URL` and
 * `AETHER_API_KEY` (the first-start key). The run must pass (exit 0: checks that need an optional
 * key or the upload limit are skipped with the reason) and leave the account exactly as it found
 * it: the same files and folders, the same stats (only the download bandwidth grows). A run
 * interrupted with Ctrl-C (SIGINT to its process group, as a terminal sends it) must clean up too.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFolder, getJson, stats, uploadOk, type ApiFile, type ApiFolder, type ApiStats } from "../support/http.js";
import { REPO_ROOT } from "../support/openapi-oracle.js";
import { freePort } from "../support/processes.js";
import { bareEnv, printedKeys, spawnServer, type ServerProcess } from "../support/serverProcess.js";

let dataDir = "";
let server: ServerProcess | undefined;
let key = "";

/** What the user sees of the account: files and folders as listed, and the stats but bandwidth. */
async function account(): Promise<{ files: ApiFile[]; folders: ApiFolder[]; stats: Omit<ApiStats, "bandwidthUsed" | "bandwidthUsedBytes"> }> {
  const baseUrl = server!.baseUrl;
  const files: ApiFile[] = [];
  for (let cursor: string | null = ""; cursor !== null; ) {
    const page: { files: ApiFile[]; pagination: { nextCursor: string | null } } = await getJson(
      `${baseUrl}/api/v1/files?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      key,
    );
    files.push(...page.files);
    cursor = page.pagination.nextCursor;
  }
  const { folders } = await getJson<{ folders: ApiFolder[] }>(`${baseUrl}/api/v1/folders`, key);
  const { bandwidthUsed, bandwidthUsedBytes, ...rest } = await stats(baseUrl, key);
  void bandwidthUsed;
  void bandwidthUsedBytes;
  return { files, folders, stats: rest };
}

interface KitRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/**
 * `npm run conformance` in a process group of its own (a terminal's foreground job), with only
 * the two variables. `interruptWhen` (polled every 500 ms) sends SIGINT to the group once true.
 */
function runKit(interruptWhen?: () => Promise<boolean>): Promise<KitRun> {
  const child = spawn("npm", ["run", "conformance"], {
    cwd: REPO_ROOT,
    env: bareEnv({ AETHER_BASE_URL: server!.baseUrl, AETHER_API_KEY: key, NO_COLOR: "1" }),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (c: string) => (output += c));
  child.stderr!.setEncoding("utf8").on("data", (c: string) => (output += c));
  let poll: NodeJS.Timeout | undefined;
  if (interruptWhen) {
    const tick = async () => {
      if (await interruptWhen().catch(() => false)) process.kill(-child.pid!, "SIGINT");
      else poll = setTimeout(() => void tick(), 500);
    };
    poll = setTimeout(() => void tick(), 500);
  }
  return new Promise((resolve) =>
    child.once("exit", (code, signal) => {
      clearTimeout(poll);
      resolve({ code, signal, output });
    }),
  );
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "aether-default-"));
  server = await spawnServer(dataDir, { PORT: String(await freePort()) }, 60_000, { bare: true });
  key = printedKeys(server.stdout())[0] ?? "";
  expect(key, server.stdout()).toMatch(/^ak_/);
  // The user's own things, which the kit must leave alone.
  const photos = await createFolder(server.baseUrl, key, "Photos");
  await uploadOk(server.baseUrl, key, { data: "a photo", name: "beach.jpg", folderId: photos.id });
  await uploadOk(server.baseUrl, key, { data: "notes\n", name: "notes.txt" });
}, 90_000);

afterAll(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill("SIGTERM");
    await server.exited;
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("npm run conformance against a default npm start, with only AETHER_BASE_URL and AETHER_API_KEY", () => {
  it("interrupted with Ctrl-C mid-run, still deletes what it created", async () => {
    const before = await account();
    // Interrupt once the run has created a good number of things.
    const run = await runKit(async () => (await stats(server!.baseUrl, key)).totalFiles >= before.stats.totalFiles + 20);
    expect(run.output).toMatch(/SIGINT: stopping the run/);
    expect(run.output).toMatch(/clean-up of the run's folder "aether-conformance-[^"]+" \(fld_\w+\): deleted [1-9]\d* file\(s\) and [1-9]\d* folder\(s\); nothing left behind/);
    expect(run.code, run.output).not.toBe(0);
    expect(await account()).toEqual(before);
  }, 600_000);

  it("passes (exit 0), names what it skipped and why, and leaves the account as it was", async () => {
    const before = await account();
    const run = await runKit();
    expect(run.code, run.output.slice(-6000)).toBe(0);
    expect(run.output).toMatch(/scopes +\| 0 +\| 0 +\| 0 +\| needs a key with fewer scopes \(AETHER_API_KEY_READONLY\)/);
    expect(run.output).toMatch(/tenant_isolation +\| 0 +\| 0 +\| 0 +\| needs a second tenant's key \(AETHER_API_KEY_2\)/);
    expect(run.output).toMatch(/^ {2}forbidden: needs a key with fewer scopes/m);
    expect(run.output).toMatch(/^ {2}payload_too_large: needs the target's upload limit \(AETHER_MAX_UPLOAD_BYTES\)/m);
    expect(run.output).toMatch(/deleted [1-9]\d* file\(s\) and [1-9]\d* folder\(s\); nothing left behind/);
    const after = await account();
    expect(after).toEqual(before);
    expect(after.files.map((f) => f.name).sort()).toEqual(["beach.jpg", "notes.txt"]);
  }, 900_000);
});
