/**
 * Runs the shared MetadataStore suite against PostgresMetadataStore on a throwaway PostgreSQL 15
 * cluster (tests/support/postgres.ts; one cluster for this file, the suite's database emptied by
 * TRUNCATE around each test), plus what only a networked backend has to prove: concurrent
 * migrations, counters and lock order under concurrent writers, one-line connection errors,
 * surviving a database restart, statement timeouts, index-served pages, database-enforced
 * guarantees, a real full disk (a tablespace on a small tmpfs; needs root, as CI has).
 *
 * Needs /usr/lib/postgresql/15/bin (`apt-get install -y --no-install-recommends postgresql`).
 * Without it the file is skipped with that reason, except under CI=true, where it fails.
 */
import { execFileSync } from "node:child_process";
import { chown, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidInputError, StorageFullError, newBlobKey, type MetadataStore, type NewFile } from "../../server/storage/index.js";
import { PostgresMetadataStore } from "../../server/storage/postgres/index.js";
import { MIGRATIONS, migrate, schemaVersion } from "../../server/storage/postgres/schema.js";
import * as sql from "../../server/storage/postgres/sql.js";
import { listFilesQuery } from "../../server/storage/postgres/sql.js";
import {
  POSTGRES_BIN,
  POSTGRES_INSTALL_HINT,
  freePort,
  postgresGid,
  postgresInstalled,
  postgresUid,
  startPostgres,
  type PostgresCluster,
} from "../support/postgres.js";
import { runMetadataStoreSuite } from "./metadataStore.suite.js";
import { rejectionOf } from "./rejection.js";

const inCI = process.env.CI === "true";
/** The suite's database: migrated once, emptied by TRUNCATE around every test. */
const SUITE_DB = "suite";
const SUITE_TABLES = "users, user_stats, api_keys, folders, files";
/** A password that must never appear in an error message. */
const SECRET = "hunter2-do-not-print";

if (!postgresInstalled()) {
  describe("PostgresMetadataStore", () => {
    if (inCI) {
      it("PostgreSQL 15 is installed (CI=true)", () => {
        throw new Error(`${POSTGRES_BIN} is missing: run \`${POSTGRES_INSTALL_HINT}\` (the .ci/run script does)`);
      });
    } else {
      console.warn(`postgres.test.ts: skipped, ${POSTGRES_BIN} is missing (${POSTGRES_INSTALL_HINT})`);
      it.skip(`skipped: PostgreSQL 15 is missing — install it with \`${POSTGRES_INSTALL_HINT}\``, () => {});
    }
  });
} else {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgres();
    // One database for the whole suite, emptied by TRUNCATE (~10 ms) rather than a database per
    // test (CREATE DATABASE costs ~130 ms here, even from a template). Each test still opens its
    // own stores, which run `migrate` and find nothing to do.
    await (await PostgresMetadataStore.open(await cluster.createDatabase(SUITE_DB))).close();
  });
  afterAll(async () => {
    await cluster?.close();
  });

  runMetadataStoreSuite("postgres", async ({ now }) => {
    const url = cluster.url(SUITE_DB);
    await cluster.sql(`TRUNCATE ${SUITE_TABLES}`, [], SUITE_DB);
    const opened: MetadataStore[] = [await PostgresMetadataStore.open(url, { now, poolMax: 4 })];
    return {
      store: opened[0] as MetadataStore,
      async openPeer() {
        const peer = await PostgresMetadataStore.open(url, { now, poolMax: 4 });
        opened.push(peer);
        return peer;
      },
      async cleanup() {
        for (const store of opened) await store.close();
        await cluster.sql(`TRUNCATE ${SUITE_TABLES}`, [], SUITE_DB);
      },
    };
  });

  describe("PostgresMetadataStore specifics", () => {
    it("applies each migration exactly once when five stores open an empty database at once", async () => {
      const url = await cluster.createDatabase("race");
      const stores = await Promise.all(Array.from({ length: 5 }, () => PostgresMetadataStore.open(url, { poolMax: 2 })));
      try {
        const applied = await cluster.sql("SELECT version, count(*)::int AS n FROM schema_version GROUP BY version ORDER BY version", [], "race");
        expect(applied).toEqual(MIGRATIONS.map((_, i) => ({ version: i + 1, n: 1 })));
        await Promise.all(stores.map((store, i) => store.createUser(`user${i}`)));
        expect(await cluster.sql("SELECT count(*)::int AS n FROM users", [], "race")).toEqual([{ n: 5 }]);
      } finally {
        for (const store of stores) await store.close();
      }
    });

    it("holds the migration lock through a slow step: five racing runners apply each step once", async () => {
      const url = await cluster.createDatabase("race_slow");
      const steps = ["CREATE TABLE probe (step int); SELECT pg_sleep(0.3); INSERT INTO probe VALUES (1)", "INSERT INTO probe VALUES (2)"];
      const clients = Array.from({ length: 5 }, () => new pg.Client({ connectionString: url }));
      await Promise.all(clients.map((client) => client.connect()));
      try {
        await Promise.all(clients.map((client) => migrate(client, steps)));
        expect(await cluster.sql("SELECT step FROM probe ORDER BY step", [], "race_slow")).toEqual([{ step: 1 }, { step: 2 }]);
        expect(await schemaVersion(clients[0]!)).toBe(2);
      } finally {
        await Promise.all(clients.map((client) => client.end()));
      }
    });

    it("refuses a database whose schema is newer than the code", async () => {
      const url = await cluster.createDatabase("newer");
      await (await PostgresMetadataStore.open(url)).close();
      const newer = MIGRATIONS.length + 1;
      await cluster.sql("INSERT INTO schema_version (version) VALUES ($1)", [newer], "newer");
      expect(messageOf(await rejectionOf(PostgresMetadataStore.open(url)))).toBe(
        `cannot set up the metadata schema in PostgreSQL at 127.0.0.1:${cluster.port}/newer: ` +
          `The metadata database has schema version ${newer}, newer than this program supports (${MIGRATIONS.length}).`,
      );
    });

    it("reports an unreachable server, a missing database, a wrong password, a bad URL on one line without the password", async () => {
      // A role that must give a password (the cluster trusts everyone else).
      await cluster.sql("DROP ROLE IF EXISTS pwuser");
      await cluster.sql("CREATE ROLE pwuser LOGIN PASSWORD 'right-password'");
      const hba = join(cluster.dir, "data", "pg_hba.conf");
      await writeFile(hba, `host all pwuser 127.0.0.1/32 scram-sha-256\n${await readFile(hba, "utf8")}`);
      await cluster.sql("SELECT pg_reload_conf()");
      const port = await freePort();
      const cases: Array<[string, RegExp]> = [
        [`postgresql://aether:${SECRET}@127.0.0.1:${port}/aether`, new RegExp(`^cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port}/aether: connect ECONNREFUSED`)],
        [`postgresql://postgres:${SECRET}@127.0.0.1:${cluster.port}/nope`, /^cannot reach PostgreSQL at 127\.0\.0\.1:\d+\/nope: database "nope" does not exist$/],
        [`postgresql://pwuser:${SECRET}@127.0.0.1:${cluster.port}/postgres`, /^cannot reach PostgreSQL at 127\.0\.0\.1:\d+\/postgres: password authentication failed for user "pwuser"$/],
        [`http://user:${SECRET}@example.com/db`, /^invalid PostgreSQL URL: expected postgresql:\/\/user:password@host:port\/database$/],
      ];
      expect(messageOf(await rejectionOf(PostgresMetadataStore.open(cluster.url("postgres"), { poolMax: 0 })))).toBe(
        "PostgreSQL option poolMax must be a positive integer, not 0",
      );
      for (const [url, expected] of cases) {
        let message = "";
        // pg_reload_conf() only signals the server: give it a moment to read pg_hba.conf.
        for (let attempt = 0; attempt < 20; attempt++) {
          message = await PostgresMetadataStore.open(url, { connectTimeoutMs: 2_000 }).then(
            async (store) => (await store.close(), "opened"),
            (error: unknown) => messageOf(error),
          );
          if (expected.test(message)) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(message).toMatch(expected);
        expect(message).not.toContain("\n");
        expect(message).not.toContain(SECRET);
      }
    });

    it("keeps counters equal to the rows under concurrent creates, deletes and moves from three stores", async () => {
      const url = await cluster.createDatabase("concurrency");
      const stores = await Promise.all([1, 2, 3].map(() => PostgresMetadataStore.open(url, { poolMax: 5 })));
      try {
        const first = stores[0]!;
        const alice = await first.createUser("alice");
        const bob = await first.createUser("bob");
        const a = await first.createFolder(alice.id, { name: "a" });
        const b = await first.createFolder(alice.id, { name: "b" });
        const c = await first.createFolder(alice.id, { name: "c", parentId: a.id });
        const places = [null, a.id, b.id, c.id];
        const random = mulberry32(20261201);
        const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
        const seeded: string[] = [];
        for (let i = 0; i < 30; i++) seeded.push((await first.createFile(file(alice.id, { size: 1 + i, folderId: pick(places) }))).id);

        let bandwidth = 0;
        const operations: Array<() => Promise<unknown>> = [];
        for (let i = 0; i < 80; i++) {
          const store = stores[i % stores.length]!;
          const target = pick(seeded);
          const place = pick(places);
          const size = Math.floor(random() * 1000);
          switch (i % 5) {
            case 0:
              operations.push(() => store.createFile(file(alice.id, { size, folderId: place })));
              break;
            case 1:
              operations.push(() => store.deleteFile(alice.id, target));
              break;
            case 2:
            case 3:
              operations.push(() => store.updateFile(alice.id, target, { folderId: place, name: `moved-${i}` }));
              break;
            default:
              bandwidth += size;
              operations.push(() => Promise.all([store.createFile(file(bob.id, { size })), store.addBandwidth(alice.id, size)]));
          }
        }
        const results = await Promise.allSettled(operations.map((operation) => operation()));
        // The only acceptable failure: a file deleted by a concurrent call (no deadlock, no check violation).
        for (const result of results) {
          if (result.status === "rejected") expect(result.reason).toMatchObject({ kind: "not_found", entity: "file" });
        }
        expect(results.filter((result) => result.status === "fulfilled").length).toBeGreaterThan(60);

        for (const user of [alice, bob]) {
          const real = await cluster.sql(
            `SELECT count(*)::int AS files, coalesce(sum(size), 0)::int AS size, (count(*) FILTER (WHERE folder_id IS NULL))::int AS root,
                    (SELECT count(*)::int FROM folders WHERE user_id = $1) AS folders
             FROM files WHERE user_id = $1`,
            [user.id],
            "concurrency",
          );
          const counted = await cluster.sql(
            "SELECT total_files::int AS files, total_size::int AS size, root_files::int AS root, total_folders::int AS folders FROM user_stats WHERE user_id = $1",
            [user.id],
            "concurrency",
          );
          expect(counted).toEqual(real);
        }
        const folders = await cluster.sql<{ counted: number; real: number }>(
          "SELECT file_count::int AS counted, (SELECT count(*)::int FROM files WHERE folder_id = f.id) AS real FROM folders f",
          [],
          "concurrency",
        );
        for (const row of folders) expect(row.counted).toBe(row.real);
        for (const folderId of [undefined, ...places]) {
          const page = await stores[1]!.listFiles(alice.id, { folderId, limit: 1000, offset: 0 });
          expect(page.total).toBe(page.files.length);
        }
        expect((await stores[2]!.getStats(alice.id)).bandwidthBytes).toBe(bandwidth);
      } finally {
        for (const store of stores) await store.close();
      }
    });

    it("never deadlocks when a move or delete of a file races the deletion of its folder", async () => {
      const url = await cluster.createDatabase("folder_race");
      const [one, two] = await Promise.all([1, 2].map(() => PostgresMetadataStore.open(url, { poolMax: 2 })));
      try {
        const alice = await one!.createUser("alice");
        for (let round = 0; round < 30; round++) {
          const folder = await one!.createFolder(alice.id, { name: `f${round}` });
          const inside = await one!.createFile(file(alice.id, { folderId: folder.id }));
          const leave = round % 2 ? one!.updateFile(alice.id, inside.id, { folderId: null }) : one!.deleteFile(alice.id, inside.id);
          const [left, removed] = await Promise.allSettled([leave, two!.deleteFolder(alice.id, folder.id)]);
          expect(left.status, String(left.status === "rejected" && left.reason)).toBe("fulfilled");
          if (removed.status === "rejected") expect(removed.reason).toMatchObject({ kind: "conflict", reason: "folder_not_empty" });
        }
        const stats = await one!.getStats(alice.id);
        expect(stats.totalFolders).toBe((await one!.listFolders(alice.id)).length);
        expect(stats.totalFiles).toBe((await one!.listFiles(alice.id, { limit: 100, offset: 0 })).files.length);
      } finally {
        await one?.close();
        await two?.close();
      }
    });

    it("rejects calls while the database is down and serves again once it is back, with the same store", async () => {
      const url = await cluster.createDatabase("restart");
      const store = await PostgresMetadataStore.open(url, { poolMax: 3, connectTimeoutMs: 1_000 });
      try {
        const alice = await store.createUser("alice");
        await Promise.all([1, 2, 3].map(() => store.getStats(alice.id))); // warm, now idle, connections
        await cluster.stop();
        const calls: Record<string, () => Promise<unknown>> = {
          ping: () => store.ping(),
          getUser: () => store.getUser(alice.id),
          createFile: () => store.createFile(file(alice.id)),
          listFiles: () => store.listFiles(alice.id, { limit: 10, offset: 0 }),
          addBandwidth: () => store.addBandwidth(alice.id, 1),
        };
        for (const [name, call] of Object.entries(calls)) {
          const started = performance.now();
          await expect(call(), name).rejects.toThrow();
          expect(performance.now() - started, name).toBeLessThan(3_000);
        }
        await cluster.start();
        await expect(store.ping()).resolves.toBeUndefined();
        const created = await store.createFile(file(alice.id, { size: 5 }));
        expect(await store.getFile(alice.id, created.id)).toEqual(created);
        expect(await store.getStats(alice.id)).toEqual({ totalFiles: 1, totalSize: 5, totalFolders: 0, bandwidthBytes: 0 });
      } finally {
        await store.close();
      }
    });

    it("cancels a call stuck behind a lock after the statement timeout, rolling its transaction back", async () => {
      const url = await cluster.createDatabase("stuck");
      const store = await PostgresMetadataStore.open(url, { queryTimeoutMs: 300 });
      const blocker = new pg.Client({ connectionString: url });
      await blocker.connect();
      try {
        const alice = await store.createUser("alice");
        await blocker.query("BEGIN");
        await blocker.query("SELECT 1 FROM user_stats WHERE user_id = $1 FOR UPDATE", [alice.id]);
        for (const call of [() => store.addBandwidth(alice.id, 5), () => store.createFile(file(alice.id))]) {
          const started = performance.now();
          expect(await rejectionOf(call())).toMatchObject({ code: "57014" }); // query_canceled
          expect(performance.now() - started).toBeLessThan(3_000);
        }
        await blocker.query("ROLLBACK");
        await store.addBandwidth(alice.id, 5);
        expect(await store.getStats(alice.id)).toEqual({ totalFiles: 0, totalSize: 0, totalFolders: 0, bandwidthBytes: 5 });
      } finally {
        await blocker.end();
        await store.close();
      }
    });

    it("serves pages from ordered index scans (no sort below the LIMIT) and lookups from indexes", async () => {
      const url = await cluster.createDatabase("plans");
      await (await PostgresMetadataStore.open(url)).close();
      const db = (text: string, values: unknown[] = []) => cluster.sql(text, values, "plans");
      const user = (n: string) => `'usr_' || lpad((${n})::text, 20, '0')`;
      const folder = (u: string, f: string) => `'fld_' || lpad((${u})::text, 10, '0') || lpad((${f})::text, 10, '0')`;
      // 1,000 users with 10 folders and a key each; user 1 owns half of 20,000 files.
      const owner = "CASE WHEN n % 2 = 0 THEN 1 ELSE n % 1000 + 1 END";
      await db(`INSERT INTO users SELECT ${user("u")}, 'user' || u, now() FROM generate_series(1, 1000) u`);
      await db("INSERT INTO user_stats (user_id) SELECT id FROM users");
      await db(`INSERT INTO folders (id, user_id, name, created_at) SELECT ${folder("u", "f")}, ${user("u")}, 'f' || f, now() FROM generate_series(1, 1000) u, generate_series(1, 10) f`);
      await db(`INSERT INTO files (id, user_id, folder_id, name, size, mime_type, sha256, blob_key, created_at, updated_at)
        SELECT 'file_' || lpad(n::text, 20, '0'), ${user(owner)}, CASE WHEN n % 3 = 0 THEN NULL ELSE ${folder(owner, "n % 10 + 1")} END,
               'n', n, 'text/plain', repeat('a', 64), 'blob' || n, now() - n * interval '1 second', now()
        FROM generate_series(1, 20000) n`);
      await db(`INSERT INTO api_keys (id, user_id, prefix, hash, scopes, created_at)
        SELECT 'key_' || u, ${user("u")}, 'ak_x', encode(sha256(u::text::bytea), 'hex'), '{}', now() FROM generate_series(1, 1000) u`);
      await db("ANALYZE");
      const someone = "usr_00000000000000000001";
      const after = { createdAt: "2026-01-01T00:00:00.000Z", id: "file_00000000000000000500" };
      const places: Array<[string | null | undefined, string]> = [
        [undefined, "files_by_user_newest"],
        [null, "files_at_root_newest"],
        ["fld_00000000010000000003", "files_by_user_folder_newest"], // ~1,300 files,
      ];
      for (const [folderId, index] of places) {
        for (const keyset of [undefined, after]) {
          const query = listFilesQuery({ user: someone, folderId, limit: 21, offset: keyset ? 0 : 40, after: keyset });
          const plan = await explain(db, query.text, query.values);
          const limits = nodes(plan).filter((node) => node["Node Type"] === "Limit");
          expect(limits.length, query.text).toBe(1);
          const scan = limits[0]!.Plans?.[0];
          expect(scan, query.text).toMatchObject({ "Node Type": "Index Scan", "Index Name": index, "Scan Direction": "Backward" });
          // The keyset position is where the scan starts, not a filter over skipped rows.
          if (keyset) expect(scan?.["Index Cond"], query.text).toMatch(/ROW\(created_at, id\) < ROW\(/);
          expect(nodes(plan).filter((node) => node["Node Type"] === "Seq Scan")).toEqual([]);
        }
      }
      // Lookups: an index, never a scan. (listFolders returns every folder of the user, so a sort of
      // those rows is fine there.)
      const lookups: Array<[string, unknown[], string[]]> = [
        [sql.KEY_BY_HASH, ["a".repeat(64)], ["api_keys_hash_key"]],
        [sql.BLOB_KEY_USED, ["blob1"], ["files_blob_key_key"]],
        [sql.STATS, [someone], ["user_stats_pkey"]],
        [sql.FILE, ["file_00000000000000000002", someone], ["files_pkey"]],
        [sql.FOLDERS_OF_USER, [someone], ["folders_by_user_name", "folders_by_parent"]],
      ];
      for (const [text, values, indexes] of lookups) {
        const plan = await explain(db, text, values);
        expect(nodes(plan).some((node) => indexes.includes(node["Index Name"] ?? "")), text).toBe(true);
        expect(nodes(plan).filter((node) => node["Node Type"] === "Seq Scan"), text).toEqual([]);
      }
    });

    it("lets the database refuse foreign folders, negative counters and non-NFC names; refuses NUL in descriptions and impossible cursor times", async () => {
      const url = await cluster.createDatabase("guarantees");
      const store = await PostgresMetadataStore.open(url);
      try {
        const alice = await store.createUser("alice");
        const bob = await store.createUser("bob");
        const alicesFolder = await store.createFolder(alice.id, { name: "private" });
        const violation = (text: string, values: unknown[]) => rejectionOf(cluster.sql(text, values, "guarantees"));
        expect(
          await violation(
            "INSERT INTO files (id, user_id, folder_id, name, size, mime_type, sha256, blob_key, created_at, updated_at) VALUES ('file_x', $1, $2, 'x', 1, 'a/b', repeat('a', 64), 'blobkeyxxxx', now(), now())",
            [bob.id, alicesFolder.id],
          ),
        ).toMatchObject({ code: "23503", constraint: "files_folder_fkey" });
        expect(await violation("INSERT INTO folders (id, user_id, name, parent_id, created_at) VALUES ('fld_x', $1, 'x', $2, now())", [bob.id, alicesFolder.id])).toMatchObject({
          code: "23503",
          constraint: "folders_parent_fkey",
        });
        expect(await violation("UPDATE user_stats SET total_files = total_files - 1 WHERE user_id = $1", [alice.id])).toMatchObject({ code: "23514" });
        expect(await violation("UPDATE folders SET file_count = file_count - 1 WHERE id = $1", [alicesFolder.id])).toMatchObject({ code: "23514" });

        const decomposed = "Cafe\u0301.txt"; // "Café.txt" in NFD
        const existing = await store.createFile(file(alice.id, { name: decomposed.normalize("NFC") }));
        for (const call of [
          () => store.createFile(file(alice.id, { name: decomposed })),
          () => store.createFolder(alice.id, { name: decomposed }),
          () => store.updateFile(alice.id, existing.id, { name: decomposed }),
        ]) {
          const error = await rejectionOf(call());
          expect(error).toBeInstanceOf(InvalidInputError);
          expect(error).toMatchObject({ field: "name" });
        }
        for (const call of [
          () => store.createFile(file(alice.id, { description: "a\u0000b" })),
          () => store.updateFile(alice.id, existing.id, { description: "a\u0000b" }),
        ]) {
          expect(await rejectionOf(call())).toMatchObject({ kind: "invalid", field: "description" });
        }
        // Cursor times PostgreSQL could not store are invalid cursors, not database errors.
        for (const createdAt of ["2026-02-30T00:00:00.000Z", "2026-13-01T00:00:00.000Z", "0000-01-01T00:00:00.000Z"]) {
          const after = { createdAt, id: existing.id };
          expect(await rejectionOf(store.listFiles(alice.id, { limit: 1, offset: 0, after }))).toMatchObject({ kind: "invalid", field: "cursor" });
        }
        expect(await store.getStats(alice.id)).toMatchObject({ totalFiles: 1, totalFolders: 1 });
        expect(await store.getFile(alice.id, existing.id)).toEqual(existing);
      } finally {
        await store.close();
      }
    });

    it("turns a full disk (SQLSTATE 53100) into StorageFullError and works again once space is freed", async (ctx) => {
      const mountPoint = await mkdtemp(join(tmpdir(), "aether-pgfull-"));
      let mounted = false;
      let store: PostgresMetadataStore | undefined;
      try {
        try {
          execFileSync("mount", ["-t", "tmpfs", "-o", "size=24m", "tmpfs", mountPoint], { stdio: "pipe" });
          mounted = true;
        } catch (error) {
          const reason = String((error as { stderr?: Buffer }).stderr ?? error).trim();
          if (inCI) throw new Error(`cannot mount a tmpfs under CI=true: ${reason}`);
          ctx.skip(`needs root to mount a tmpfs (${reason})`);
        }
        if (process.getuid?.() === 0) await chown(mountPoint, postgresUid(), postgresGid());
        await cluster.sql(`CREATE TABLESPACE tiny LOCATION '${mountPoint}'`);
        await cluster.sql("CREATE DATABASE full_disk TABLESPACE tiny STRATEGY FILE_COPY");
        store = await PostgresMetadataStore.open(cluster.url("full_disk"));
        const alice = await store.createUser("alice");
        try {
          execFileSync("dd", ["if=/dev/zero", `of=${join(mountPoint, "filler")}`, "bs=1M"], { stdio: "pipe" });
        } catch {
          // dd ends with "No space left on device": that is the point.
        }
        let refusal: unknown;
        let created = 0;
        while (refusal === undefined && created < 5_000) {
          try {
            await store.createFile(file(alice.id));
            created++;
          } catch (error) {
            refusal = error;
          }
        }
        expect(refusal).toBeInstanceOf(StorageFullError);
        await rm(join(mountPoint, "filler"));
        await store.createFile(file(alice.id));
        expect((await store.getStats(alice.id)).totalFiles).toBe(created + 1);
        expect((await store.listFiles(alice.id, { limit: 0, offset: 0 })).total).toBe(created + 1);
      } finally {
        await store?.close();
        if (mounted) {
          await cluster.sql("DROP DATABASE IF EXISTS full_disk WITH (FORCE)");
          await cluster.sql("DROP TABLESPACE IF EXISTS tiny");
          execFileSync("umount", ["-l", mountPoint]);
        }
        await rm(mountPoint, { recursive: true, force: true });
      }
    });
  });
}

/** What `EXPLAIN (FORMAT JSON)` returns for one plan node (the fields the tests read). */
interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Scan Direction"?: string;
  "Index Cond"?: string;
  Plans?: PlanNode[];
}

async function explain(db: (text: string, values?: unknown[]) => Promise<Array<Record<string, unknown>>>, text: string, values: unknown[]): Promise<PlanNode> {
  const [row] = await db(`EXPLAIN (FORMAT JSON) ${text}`, values);
  return (row?.["QUERY PLAN"] as Array<{ Plan: PlanNode }>)[0]!.Plan;
}

/** Every node of a plan tree, depth first. */
function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** Input of a file whose blob key and digest are fresh each time. */
function file(userId: string, overrides: Partial<NewFile> = {}): NewFile {
  return { userId, name: "f.txt", size: 10, mimeType: "text/plain", sha256: "a".repeat(64), blobKey: newBlobKey(), ...overrides };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A small seeded PRNG, so the concurrent mix is the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
