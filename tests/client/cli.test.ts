// The `aether` command line (client/cli/main.ts from source, through node_modules/.bin/tsx) against
// the reference server in-process: files upload/ls/download/info/rm, folders create/ls/rm, stats,
// configuration from the environment or flags, and failures (exit code 1, the error envelope's
// message and code on stderr).
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AetherFile, AetherFolder } from "../../client/node.js";
import { run, type ProcessResult } from "../support/http.js";
import { REPO_ROOT } from "../support/openapi-oracle.js";
import { freePort } from "../support/processes.js";
import { startServer, type TestServer } from "../support/server.js";

const TSX = path.join(REPO_ROOT, "node_modules", ".bin", "tsx");
const MAIN = path.join(REPO_ROOT, "client", "cli", "main.ts");

let srv: TestServer;
let work: string;
const sha256 = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");

beforeAll(async () => {
  srv = await startServer();
  work = await mkdtemp(path.join(tmpdir(), "aether-cli-"));
});
afterAll(async () => {
  await srv?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Runs `aether …` in `work` with the server's URL and full key in the environment (unless `env` overrides). */
function aether(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ProcessResult> {
  const base: NodeJS.ProcessEnv = { ...process.env, AETHER_BASE_URL: srv.baseUrl, AETHER_API_KEY: srv.keys.full, NO_COLOR: "1" };
  const merged = { ...base, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete merged[k];
  return run(TSX, [MAIN, ...args], { cwd: work, env: merged, timeoutMs: 60_000 });
}

/** `aether …` that must succeed. */
async function ok(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const res = await aether(args, env);
  expect(res.code, `aether ${args.join(" ")}\n${res.stderr}`).toBe(0);
  return res.stdout;
}

describe("aether files / folders / stats", { timeout: 120_000 }, () => {
  const photo = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7) % 256));
  const notes = "first line\nsecond line ✓\n";
  let uploaded: AetherFile[] = [];

  it("files upload: two paths with --tags and --description (table line per file, then --json)", async () => {
    await writeFile(path.join(work, "photo.jpg"), photo);
    await writeFile(path.join(work, "notes.txt"), notes);
    const out = await ok(["files", "upload", "photo.jpg", "notes.txt", "--tags", "holiday,2026", "--description", "Two files"]);
    const lines = out.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^file_\w+\s+photo\.jpg\s+49 KB$/);
    expect(lines[1]).toMatch(/^file_\w+\s+notes\.txt\s+\d+ B$/);
    const ids = lines.map((l) => l.split(/\s+/)[0]!);

    const listed = JSON.parse(await ok(["files", "ls", "--json"])) as AetherFile[];
    uploaded = ids.map((id) => listed.find((f) => f.id === id)!);
    expect(uploaded[0]).toMatchObject({ name: "photo.jpg", size: photo.length, mimeType: "image/jpeg", description: "Two files", sha256: sha256(photo) });
    expect(uploaded[1]).toMatchObject({ name: "notes.txt", size: Buffer.byteLength(notes), mimeType: "text/plain", sha256: sha256(notes) });
    for (const f of uploaded) expect([...f.tags].sort()).toEqual(["2026", "holiday"]);

    // --json on upload prints the stored files.
    const again = JSON.parse(await ok(["files", "upload", "notes.txt", "--json"])) as AetherFile[];
    expect(again).toHaveLength(1);
    expect(again[0]!.sha256).toBe(sha256(notes));
    await ok(["files", "rm", again[0]!.id]);
  });

  it("files ls: a table with a header and one row per file, newest first", async () => {
    const out = await ok(["files", "ls"]);
    const [header, ...rows] = out.trim().split("\n");
    expect(header).toMatch(/^ID\s+NAME\s+SIZE\s+TYPE\s+FOLDER\s+CREATED$/);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain(uploaded[1]!.id);
    expect(rows[0]).toMatch(/notes\.txt\s+\d+ B\s+text\/plain\s+-\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(rows[1]).toContain(uploaded[0]!.id);
  });

  it("files download: -o PATH, -o DIR, its own name, -o - (stdout); bytes identical, no temp file left", async () => {
    const [photoFile, notesFile] = uploaded as [AetherFile, AetherFile];
    const dir = await mkdtemp(path.join(work, "dl-"));
    const out = await ok(["files", "download", photoFile.id, "-o", path.join(dir, "copy.jpg")]);
    expect(out.trim()).toBe(`${path.join(dir, "copy.jpg")}  49 KB`);
    expect(sha256(await readFile(path.join(dir, "copy.jpg")))).toBe(sha256(photo));

    await ok(["files", "download", notesFile.id, "-o", dir]);
    expect(await readFile(path.join(dir, "notes.txt"), "utf8")).toBe(notes);
    expect((await readdir(dir)).sort()).toEqual(["copy.jpg", "notes.txt"]);

    const sub = await mkdtemp(path.join(work, "own-"));
    const res = await run(TSX, [MAIN, "files", "download", photoFile.id], {
      cwd: sub,
      env: { ...process.env, AETHER_BASE_URL: srv.baseUrl, AETHER_API_KEY: srv.keys.full },
    });
    expect(res.code, res.stderr).toBe(0);
    expect(await readdir(sub)).toEqual(["photo.jpg"]);
    expect(sha256(await readFile(path.join(sub, "photo.jpg")))).toBe(sha256(photo));

    // A name chosen by the server never silently replaces a local file; --force does.
    await writeFile(path.join(sub, "photo.jpg"), "mine");
    const env = { ...process.env, AETHER_BASE_URL: srv.baseUrl, AETHER_API_KEY: srv.keys.full };
    const again = await run(TSX, [MAIN, "files", "download", photoFile.id], { cwd: sub, env });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/photo\.jpg already exists: pass --force/);
    expect(await readFile(path.join(sub, "photo.jpg"), "utf8")).toBe("mine");
    const forced = await run(TSX, [MAIN, "files", "download", photoFile.id, "--force"], { cwd: sub, env });
    expect(forced.code, forced.stderr).toBe(0);
    expect(sha256(await readFile(path.join(sub, "photo.jpg")))).toBe(sha256(photo));
    expect(await readdir(sub)).toEqual(["photo.jpg"]);

    expect((await ok(["files", "download", notesFile.id, "-o", "-"]))).toBe(notes);

    const asJson = JSON.parse(await ok(["files", "download", notesFile.id, "-o", path.join(dir, "n2.txt"), "--json"])) as Record<string, unknown>;
    expect(asJson).toMatchObject({ id: notesFile.id, name: "notes.txt", size: Buffer.byteLength(notes), path: path.join(dir, "n2.txt") });
  });

  it("files info: the metadata, human and --json", async () => {
    const f = uploaded[0]!;
    const out = await ok(["files", "info", f.id]);
    expect(out).toMatch(new RegExp(`^id\\s+${f.id}$`, "m"));
    expect(out).toMatch(/^name\s+photo\.jpg$/m);
    expect(out).toMatch(/^size\s+49 KB \(50000 bytes\)$/m);
    expect(out).toMatch(/^tags\s+(holiday, 2026|2026, holiday)$/m);
    expect(out).toMatch(new RegExp(`^sha256\\s+${f.sha256}$`, "m"));
    expect(JSON.parse(await ok(["files", "info", f.id, "--json"]))).toEqual(f);
  });

  it("folders create / ls / rm, and files ls --folder", async () => {
    const created = await ok(["folders", "create", "Holidays"]);
    const [folderId, name] = created.trim().split(/\s+/);
    expect(folderId).toMatch(/^fld_\w+$/);
    expect(name).toBe("Holidays");
    const child = JSON.parse(await ok(["folders", "create", "Beach", "--parent", folderId!, "--json"])) as AetherFolder;
    expect(child).toMatchObject({ name: "Beach", parentId: folderId });

    const table = await ok(["folders", "ls"]);
    expect(table).toMatch(/^ID\s+NAME\s+PARENT\s+CREATED$/m);
    expect(table).toMatch(new RegExp(`^${folderId}\\s+Holidays\\s+-\\s+`, "m"));
    expect(table).toMatch(new RegExp(`^${child.id}\\s+Beach\\s+${folderId}\\s+`, "m"));
    const listed = JSON.parse(await ok(["folders", "ls", "--json"])) as AetherFolder[];
    expect(listed.map((f) => f.id).sort()).toEqual([folderId, child.id].sort());

    await writeFile(path.join(work, "in-folder.txt"), "inside");
    const up = JSON.parse(await ok(["files", "upload", "in-folder.txt", "--folder", child.id, "--json"])) as AetherFile[];
    expect(up[0]!.folderId).toBe(child.id);
    const inFolder = JSON.parse(await ok(["files", "ls", "--folder", child.id, "--json"])) as AetherFile[];
    expect(inFolder.map((f) => f.id)).toEqual([up[0]!.id]);
    expect(await ok(["files", "ls", "--folder", folderId!])).toBe("No files.\n");

    expect((await ok(["files", "rm", up[0]!.id])).trim()).toBe(`Deleted ${up[0]!.id}.`);
    expect((await ok(["folders", "rm", child.id])).trim()).toBe(`Deleted ${child.id}.`);
    expect(JSON.parse(await ok(["folders", "rm", folderId!, "--json"]))).toEqual({ deleted: folderId });
    expect(await ok(["folders", "ls"])).toBe("No folders.\n");
  });

  it("stats: human and --json", async () => {
    const out = await ok(["stats"]);
    expect(out).toMatch(/^files\s+2$/m);
    expect(out).toMatch(/^folders\s+0$/m);
    expect(out).toMatch(new RegExp(`^storage\\s+.+ \\(${photo.length + Buffer.byteLength(notes)} bytes\\)$`, "m"));
    expect(out).toMatch(/^bandwidth\s+.+ \(\d+ bytes\)$/m);
    const json = JSON.parse(await ok(["stats", "--json"])) as Record<string, unknown>;
    expect(json).toMatchObject({ totalFiles: 2, totalFolders: 0, totalSize: photo.length + Buffer.byteLength(notes) });
  });

  it("files rm, then the file is gone", async () => {
    const f = uploaded[1]!;
    expect((await ok(["files", "rm", f.id])).trim()).toBe(`Deleted ${f.id}.`);
    const listed = JSON.parse(await ok(["files", "ls", "--json"])) as AetherFile[];
    expect(listed.map((x) => x.id)).toEqual([uploaded[0]!.id]);
  });

  it("--base-url and --api-key instead of the environment", async () => {
    const out = await ok(["stats", "--json", "--base-url", srv.baseUrl, "--api-key", srv.keys.full], { AETHER_BASE_URL: undefined, AETHER_API_KEY: undefined });
    expect(JSON.parse(out)).toMatchObject({ totalFiles: 1 });
  });
});

describe("aether failures", { timeout: 120_000 }, () => {
  it("rm of an unknown id: exit 1, the envelope's message and not_found on stderr", async () => {
    const res = await aether(["files", "rm", "file_DoesNotExist000000"]);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe("");
    expect(res.stderr).toMatch(/^aether: File not found \(not_found, HTTP 404, request req_\w+\)\n$/);
  });

  it("the other failures: bad key (401), read-only key (403), invalid input (400), no key, unreachable server, missing path", async () => {
    const closedPort = await freePort();
    const [badKey, readOnly, invalid, noKey, down, missing] = await Promise.all([
      aether(["files", "ls"], { AETHER_API_KEY: "ak_ThisKeyDoesNotExist00000000000" }),
      aether(["folders", "create", "Nope"], { AETHER_API_KEY: srv.keys.readOnly }),
      aether(["folders", "create", ""]),
      aether(["stats"], { AETHER_API_KEY: undefined }),
      aether(["stats"], { AETHER_BASE_URL: `http://127.0.0.1:${closedPort}` }),
      aether(["files", "upload", "does-not-exist.bin"]),
    ]);
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toMatch(/^aether: .+ \(unauthorized, HTTP 401, request req_\w+\)$/m);
    expect(readOnly.code).toBe(1);
    expect(readOnly.stderr).toMatch(/^aether: .+ \(forbidden, HTTP 403, request req_\w+\)$/m);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^aether: .+ \(bad_request, HTTP 400, request req_\w+\)$/m);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/no API key: pass --api-key or set AETHER_API_KEY/);
    expect(down.code).toBe(1);
    // The root cause, not just fetch's "fetch failed".
    expect(down.stderr).toBe(`aether: Request failed: fetch failed: connect ECONNREFUSED 127.0.0.1:${closedPort}\n`);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/ENOENT.*does-not-exist\.bin/);
    for (const r of [badKey, readOnly, invalid, noKey, down, missing]) expect(r.stderr).not.toMatch(/\n\s+at /); // no stack traces
  });
});
