/**
 * Runs the shared MetadataStore suite against SqliteMetadataStore (on a temp file, so a second
 * instance can share it), plus a few checks only a SQLite backend can make.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteMetadataStore, openEmbeddedStorage, type MetadataStore } from "../../server/storage/index.js";
import { MIGRATIONS } from "../../server/storage/sqlite/schema.js";
import { runMetadataStoreSuite } from "./metadataStore.suite.js";

runMetadataStoreSuite("sqlite", async ({ now }) => {
  const dir = await mkdtemp(join(tmpdir(), "aether-sqlite-"));
  const file = join(dir, "test.db");
  const opened: MetadataStore[] = [new SqliteMetadataStore(file, { now })];
  return {
    store: opened[0] as MetadataStore,
    async openPeer() {
      const peer = new SqliteMetadataStore(file, { now });
      opened.push(peer);
      return peer;
    },
    async cleanup() {
      for (const store of opened) await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe("SqliteMetadataStore specifics", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "aether-sqlite-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("uses WAL, records the schema version and works in memory", async () => {
    const file = join(dir, "x.db");
    const store = new SqliteMetadataStore(file);
    await store.createUser("alice");
    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(raw.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    } finally {
      raw.close();
      await store.close();
    }
    const memory = new SqliteMetadataStore(":memory:");
    expect((await memory.createUser("bob")).name).toBe("bob");
    await memory.close();
  });

  it("reopens an existing database without re-running migrations", async () => {
    const file = join(dir, "x.db");
    const first = new SqliteMetadataStore(file);
    const alice = await first.createUser("alice");
    await first.close();
    const second = new SqliteMetadataStore(file);
    expect(await second.getUserByName("alice")).toEqual(alice);
    await second.close();
  });

  it("refuses a database from a newer version of the program", async () => {
    const file = join(dir, "x.db");
    const raw = new Database(file);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => new SqliteMetadataStore(file)).toThrow(/newer than this program supports/);
  });

  it("serves list pages and stats from indexes, never a scan or a sort", async () => {
    const file = join(dir, "x.db");
    const store = new SqliteMetadataStore(file);
    await store.close();
    const raw = new Database(file, { readonly: true });
    try {
      const plan = (sql: string): string =>
        raw
          .prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .all()
          .map((row) => (row as { detail: string }).detail)
          .join(" | ");
      const newest = plan("SELECT * FROM files WHERE user_id = 'u' ORDER BY created_at DESC, id DESC LIMIT 10");
      expect(newest).toContain("files_by_user_newest");
      expect(newest).not.toContain("TEMP B-TREE");
      const inFolder = plan(
        "SELECT * FROM files WHERE user_id = 'u' AND folder_id = 'f' ORDER BY created_at DESC, id DESC LIMIT 10",
      );
      expect(inFolder).toContain("files_by_user_folder_newest");
      expect(inFolder).not.toContain("TEMP B-TREE");
      expect(plan("SELECT * FROM api_keys WHERE hash = 'h'")).toMatch(/USING INDEX/);
      expect(plan("SELECT * FROM user_stats WHERE user_id = 'u'")).toMatch(/PRIMARY KEY|USING INDEX/);
    } finally {
      raw.close();
    }
  });

  it("openEmbeddedStorage lays out the data dir for the server and the CLI", async () => {
    const dataDir = join(dir, "data");
    const { metadata, blobs } = await openEmbeddedStorage(dataDir);
    const alice = await metadata.createUser("alice");
    const blob = await blobs.write([Buffer.from("hello")], { maxBytes: 100 });
    await metadata.createFile({
      userId: alice.id,
      name: "hello.txt",
      mimeType: "text/plain",
      size: blob.size,
      sha256: blob.sha256,
      blobKey: blob.key,
    });
    expect((await readdir(dataDir)).sort()).toEqual(expect.arrayContaining(["aethercdn.db", "blobs"]));
    expect(await blobs.sweep((key) => metadata.isBlobKeyReferenced(key), { graceMs: 0 })).toEqual({
      removedTemp: 0,
      removedOrphans: 0,
    });
    expect(await blobs.stat(blob.key)).toEqual({ size: 5 });
    await metadata.close();
  });
});
