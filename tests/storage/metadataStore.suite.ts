/**
 * The conformance suite every `MetadataStore` backend runs (see sqlite.test.ts).
 * A backend supplies a factory that opens a fresh, empty store on the given clock, and a way to
 * open a second instance on the same database (the CLI and the server share one).
 */
import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect } from "vitest";
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  isId,
  newBlobKey,
  type EntityName,
  type MetadataStore,
  type NewFile,
} from "../../server/storage/index.js";
import { rejectionOf } from "./rejection.js";
import { skippableIt, type SkipEntry } from "./skip.js";

/** What a backend's factory hands to the suite. */
export interface MetadataStoreHarness {
  /** A fresh, empty store using the clock it was given. */
  store: MetadataStore;
  /** Opens another, independent instance on the same database (simulates CLI + server). */
  openPeer(): Promise<MetadataStore>;
  /** Closes every instance and deletes the backing data. */
  cleanup(): Promise<void>;
}

/** Opens a fresh store whose timestamps come from `now`. */
export type MetadataStoreFactory = (options: { now: () => Date }) => Promise<MetadataStoreHarness>;

/** A controllable clock: each reading is 1 ms after the previous one unless frozen. */
class TestClock {
  #ms = Date.parse("2026-01-01T00:00:00.000Z");
  /** When true, `now` keeps returning the same instant. */
  frozen = false;
  /** The current instant (then advances by 1 ms unless frozen). */
  now = (): Date => {
    const date = new Date(this.#ms);
    if (!this.frozen) this.#ms += 1;
    return date;
  };
  /** Jumps forward. */
  advance(ms: number): void {
    this.#ms += ms;
  }
}

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function fileInput(userId: string, overrides: Partial<NewFile> = {}): NewFile {
  const name = overrides.name ?? "notes.txt";
  return {
    userId,
    name,
    size: 10,
    mimeType: "text/plain",
    sha256: sha256(name),
    blobKey: newBlobKey(),
    ...overrides,
  };
}

async function expectNotFound(promise: Promise<unknown>, entity: EntityName): Promise<NotFoundError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(NotFoundError);
  expect((error as NotFoundError).kind).toBe("not_found");
  expect((error as NotFoundError).entity).toBe(entity);
  return error as NotFoundError;
}

/** Declares the whole suite for one backend. */
export function runMetadataStoreSuite(
  name: string,
  factory: MetadataStoreFactory,
  options: { skip?: SkipEntry[] } = {},
): void {
  describe(`MetadataStore conformance: ${name}`, () => {
    const test = skippableIt(options.skip);
    let clock: TestClock;
    let harness: MetadataStoreHarness;
    let store: MetadataStore;

    beforeEach(async () => {
      clock = new TestClock();
      harness = await factory({ now: clock.now });
      store = harness.store;
    });
    afterEach(async () => {
      await harness.cleanup();
    });

    describe("ping", () => {
      test("answers while open and rejects once closed", async () => {
        await expect(store.ping()).resolves.toBeUndefined();
        await store.close();
        await expect(store.ping()).rejects.toThrow();
      });
    });

    describe("users", () => {
      test("creates users with server ids and finds them by id and name", async () => {
        const user = await store.createUser("alice");
        expect(isId("usr", user.id)).toBe(true);
        expect(user.createdAt).toMatch(ISO_MS);
        expect(await store.getUser(user.id)).toEqual(user);
        expect(await store.getUserByName("alice")).toEqual(user);
        expect(await store.getUserByName("bob")).toBeUndefined();
        expect(await store.getUser("usr_00000000000000000000")).toBeUndefined();
      });

      test("rejects a taken user name with ConflictError", async () => {
        await store.createUser("alice");
        const error = await rejectionOf(store.createUser("alice"));
        expect(error).toBeInstanceOf(ConflictError);
        expect(error).toMatchObject({ kind: "conflict", reason: "user_name_taken" });
      });

      test("rejects an empty user name with InvalidInputError", async () => {
        const error = await rejectionOf(store.createUser(""));
        expect(error).toBeInstanceOf(InvalidInputError);
        expect(error).toMatchObject({ kind: "invalid", field: "name" });
      });

      test("starts a new user at zero and rejects stats of an unknown user", async () => {
        const user = await store.createUser("alice");
        expect(await store.getStats(user.id)).toEqual({
          totalFiles: 0,
          totalSize: 0,
          totalFolders: 0,
          bandwidthBytes: 0,
        });
        await expectNotFound(store.getStats("usr_missing"), "user");
      });
    });

    describe("api keys", () => {
      test("creates, finds by hash and lists keys per user", async () => {
        const alice = await store.createUser("alice");
        const bob = await store.createUser("bob");
        const key = await store.createApiKey({
          userId: alice.id,
          label: "laptop",
          prefix: "ak_BQf1J",
          hash: sha256("secret-a"),
          scopes: ["files:read", "files:write"],
        });
        expect(isId("key", key.id)).toBe(true);
        expect(key).toMatchObject({ userId: alice.id, label: "laptop", revokedAt: null, lastUsedAt: null });
        const other = await store.createApiKey({ userId: bob.id, prefix: "ak_zzzzz", hash: sha256("b"), scopes: [] });
        expect(other.label).toBeNull();

        expect(await store.findApiKeyByHash(sha256("secret-a"))).toEqual(key);
        expect(await store.findApiKeyByHash(sha256("nope"))).toBeUndefined();
        expect(await store.listApiKeys(alice.id)).toEqual([key]);
        expect((await store.listApiKeys()).map((k) => k.id)).toEqual([key.id, other.id]);
      });

      test("rejects a key for an unknown user and a duplicate hash", async () => {
        await expectNotFound(
          store.createApiKey({ userId: "usr_missing", prefix: "ak_x", hash: sha256("x"), scopes: [] }),
          "user",
        );
        const alice = await store.createUser("alice");
        await store.createApiKey({ userId: alice.id, prefix: "ak_x", hash: sha256("x"), scopes: [] });
        const error = await rejectionOf(
          store.createApiKey({ userId: alice.id, prefix: "ak_x", hash: sha256("x"), scopes: [] }),
        );
        expect(error).toMatchObject({ kind: "conflict", reason: "key_hash_in_use" });
      });

      test("revokes keys idempotently; revoked keys are still found by hash", async () => {
        const alice = await store.createUser("alice");
        const key = await store.createApiKey({ userId: alice.id, prefix: "ak_x", hash: sha256("x"), scopes: [] });
        const revoked = await store.revokeApiKey(key.id);
        expect(revoked.revokedAt).toMatch(ISO_MS);
        expect((await store.findApiKeyByHash(key.hash))?.revokedAt).toBe(revoked.revokedAt);
        clock.advance(5_000);
        expect((await store.revokeApiKey(key.id)).revokedAt).toBe(revoked.revokedAt);
        await expectNotFound(store.revokeApiKey("key_missing"), "key");
      });

      test("does not let another user revoke a key", async () => {
        const alice = await store.createUser("alice");
        const bob = await store.createUser("bob");
        const key = await store.createApiKey({ userId: alice.id, prefix: "ak_x", hash: sha256("x"), scopes: [] });
        const missing = await expectNotFound(store.revokeApiKey("key_missing", bob.id), "key");
        const foreign = await expectNotFound(store.revokeApiKey(key.id, bob.id), "key");
        expect(foreign.message).toBe(missing.message);
        expect((await store.findApiKeyByHash(key.hash))?.revokedAt).toBeNull();
        expect((await store.revokeApiKey(key.id, alice.id)).revokedAt).not.toBeNull();
      });

      test("touchApiKey records use at most once a minute", async () => {
        const alice = await store.createUser("alice");
        const key = await store.createApiKey({ userId: alice.id, prefix: "ak_x", hash: sha256("x"), scopes: [] });
        const t0 = new Date("2026-02-01T10:00:00.000Z");
        await store.touchApiKey(key.id, t0);
        expect((await store.findApiKeyByHash(key.hash))?.lastUsedAt).toBe(t0.toISOString());
        await store.touchApiKey(key.id, new Date(t0.getTime() + 30_000));
        expect((await store.findApiKeyByHash(key.hash))?.lastUsedAt).toBe(t0.toISOString());
        const t2 = new Date(t0.getTime() + 61_000);
        await store.touchApiKey(key.id, t2);
        expect((await store.findApiKeyByHash(key.hash))?.lastUsedAt).toBe(t2.toISOString());
      });
    });

    describe("files", () => {
      test("creates a file with server id, timestamps and counters, and reads it back", async () => {
        const alice = await store.createUser("alice");
        const input = fileInput(alice.id, { size: 1234, tags: ["b", "a"], description: "hello" });
        const file = await store.createFile(input);
        expect(isId("file", file.id)).toBe(true);
        expect(file).toMatchObject({
          userId: alice.id,
          folderId: null,
          name: input.name,
          size: 1234,
          mimeType: "text/plain",
          description: "hello",
          tags: ["b", "a"],
          sha256: input.sha256,
          blobKey: input.blobKey,
        });
        expect(file.createdAt).toMatch(ISO_MS);
        expect(file.updatedAt).toBe(file.createdAt);
        expect(await store.getFile(alice.id, file.id)).toEqual(file);
        expect(await store.isBlobKeyReferenced(input.blobKey)).toBe(true);
        expect(await store.isBlobKeyReferenced(newBlobKey())).toBe(false);
        expect(await store.getStats(alice.id)).toMatchObject({ totalFiles: 1, totalSize: 1234 });
      });

      test("defaults description to null and tags to an empty list", async () => {
        const alice = await store.createUser("alice");
        const file = await store.createFile(fileInput(alice.id));
        expect(file.description).toBeNull();
        expect(file.tags).toEqual([]);
      });

      test("rejects invalid file input without counting anything", async () => {
        const alice = await store.createUser("alice");
        for (const bad of [{ size: -1 }, { size: 1.5 }, { sha256: "XYZ" }, { name: "" }, { blobKey: "../x" }]) {
          expect(await rejectionOf(store.createFile(fileInput(alice.id, bad)))).toBeInstanceOf(InvalidInputError);
        }
        expect(await store.getStats(alice.id)).toMatchObject({ totalFiles: 0, totalSize: 0 });
      });

      test("rejects a reused blob key and an unknown owner", async () => {
        const alice = await store.createUser("alice");
        const first = await store.createFile(fileInput(alice.id));
        const error = await rejectionOf(store.createFile(fileInput(alice.id, { blobKey: first.blobKey })));
        expect(error).toMatchObject({ kind: "conflict", reason: "blob_key_in_use" });
        await expectNotFound(store.createFile(fileInput("usr_missing")), "user");
        expect(await store.getStats(alice.id)).toMatchObject({ totalFiles: 1, totalSize: 10 });
      });

      test("lists newest first with a stable id tie-break for equal timestamps", async () => {
        const alice = await store.createUser("alice");
        const early = await store.createFile(fileInput(alice.id, { name: "early" }));
        clock.advance(1_000);
        clock.frozen = true;
        const tied = [];
        for (let i = 0; i < 6; i++) tied.push(await store.createFile(fileInput(alice.id, { name: `tied-${i}` })));
        clock.frozen = false;
        clock.advance(1_000);
        const late = await store.createFile(fileInput(alice.id, { name: "late" }));

        expect(new Set(tied.map((f) => f.createdAt)).size).toBe(1);
        const tiedByIdDesc = tied.map((f) => f.id).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
        const { files } = await store.listFiles(alice.id, { limit: 100, offset: 0 });
        expect(files.map((f) => f.id)).toEqual([late.id, ...tiedByIdDesc, early.id]);
      });

      test("paginates with a total that counts every match", async () => {
        const alice = await store.createUser("alice");
        const created = [];
        for (let i = 0; i < 7; i++) created.push(await store.createFile(fileInput(alice.id, { name: `f${i}` })));
        const seen: string[] = [];
        for (let offset = 0; offset < 9; offset += 3) {
          const page = await store.listFiles(alice.id, { limit: 3, offset });
          expect(page.total).toBe(7);
          seen.push(...page.files.map((f) => f.id));
        }
        expect(seen).toEqual(created.map((f) => f.id).reverse());
        const beyond = await store.listFiles(alice.id, { limit: 3, offset: 50 });
        expect(beyond).toEqual({ files: [], total: 7, hasMore: false });
        expect(await rejectionOf(store.listFiles(alice.id, { limit: -1, offset: 0 }))).toBeInstanceOf(
          InvalidInputError,
        );
      });

      test("pages by keyset: each page starts after the last file of the previous one, ties included", async () => {
        const alice = await store.createUser("alice");
        const docs = await store.createFolder(alice.id, { name: "docs" });
        clock.frozen = true;
        const created = [];
        for (let i = 0; i < 7; i++) created.push(await store.createFile(fileInput(alice.id, { name: `t${i}`, folderId: i % 2 ? docs.id : null })));
        clock.frozen = false;
        for (const folderId of [undefined, null, docs.id]) {
          const expected = (await store.listFiles(alice.id, { folderId, limit: 100, offset: 0 })).files.map((f) => f.id);
          const seen: string[] = [];
          let after: { createdAt: string; id: string } | undefined;
          for (let guard = 0; guard < 10; guard++) {
            const page = await store.listFiles(alice.id, { folderId, limit: 2, offset: 0, ...(after && { after }) });
            expect(page.total).toBe(expected.length);
            seen.push(...page.files.map((f) => f.id));
            const last = page.files.at(-1);
            if (!page.hasMore || !last) break;
            after = { createdAt: last.createdAt, id: last.id };
          }
          expect(seen).toEqual(expected);
        }
        // A position whose file is gone still works: it is only a place in the order.
        const all = (await store.listFiles(alice.id, { limit: 100, offset: 0 })).files;
        const middle = all[3]!;
        await store.deleteFile(alice.id, middle.id);
        const rest = await store.listFiles(alice.id, { limit: 100, offset: 0, after: { createdAt: middle.createdAt, id: middle.id } });
        expect(rest.files.map((f) => f.id)).toEqual(all.slice(4).map((f) => f.id));
        expect(await rejectionOf(store.listFiles(alice.id, { limit: 2, offset: 1, after: { createdAt: middle.createdAt, id: middle.id } }))).toBeInstanceOf(InvalidInputError);
        expect(await rejectionOf(store.listFiles(alice.id, { limit: 2, offset: 0, after: { createdAt: "yesterday", id: middle.id } }))).toBeInstanceOf(InvalidInputError);
      });

      test("keeps per-folder totals through creates, moves and deletes", async () => {
        const alice = await store.createUser("alice");
        const a = await store.createFolder(alice.id, { name: "a" });
        const b = await store.createFolder(alice.id, { name: "b" });
        const total = async (folderId: string | null) => (await store.listFiles(alice.id, { folderId, limit: 0, offset: 0 })).total;
        const f1 = await store.createFile(fileInput(alice.id, { folderId: a.id }));
        const f2 = await store.createFile(fileInput(alice.id, { folderId: a.id }));
        await store.createFile(fileInput(alice.id));
        expect([await total(a.id), await total(b.id), await total(null)]).toEqual([2, 0, 1]);
        await store.updateFile(alice.id, f1.id, { folderId: b.id });
        await store.updateFile(alice.id, f2.id, { folderId: null });
        await store.updateFile(alice.id, f2.id, { name: "same place" });
        expect([await total(a.id), await total(b.id), await total(null)]).toEqual([0, 1, 2]);
        await store.deleteFile(alice.id, f1.id);
        expect([await total(a.id), await total(b.id), await total(null)]).toEqual([0, 0, 2]);
        expect((await store.getStats(alice.id)).totalFiles).toBe(2);
      });

      test("filters by folder and by root, with matching totals", async () => {
        const alice = await store.createUser("alice");
        const docs = await store.createFolder(alice.id, { name: "docs" });
        const inDocs = await store.createFile(fileInput(alice.id, { folderId: docs.id }));
        const atRoot1 = await store.createFile(fileInput(alice.id));
        const atRoot2 = await store.createFile(fileInput(alice.id));

        const folderPage = await store.listFiles(alice.id, { folderId: docs.id, limit: 10, offset: 0 });
        expect(folderPage).toEqual({ files: [inDocs], total: 1, hasMore: false });
        const rootPage = await store.listFiles(alice.id, { folderId: null, limit: 1, offset: 0 });
        expect(rootPage).toEqual({ files: [atRoot2], total: 2, hasMore: true });
        const all = await store.listFiles(alice.id, { limit: 10, offset: 0 });
        expect(all.files.map((f) => f.id)).toEqual([atRoot2.id, atRoot1.id, inDocs.id]);
        expect(all.total).toBe(3);
        await expectNotFound(store.listFiles(alice.id, { folderId: "fld_missing", limit: 10, offset: 0 }), "folder");
      });

      test("updates metadata, bumps updatedAt and checks the target folder", async () => {
        const alice = await store.createUser("alice");
        const docs = await store.createFolder(alice.id, { name: "docs" });
        const file = await store.createFile(fileInput(alice.id, { description: "old", tags: ["x"] }));
        clock.advance(10_000);
        const moved = await store.updateFile(alice.id, file.id, {
          name: "renamed.txt",
          tags: ["y", "z"],
          folderId: docs.id,
        });
        expect(moved).toMatchObject({ name: "renamed.txt", tags: ["y", "z"], folderId: docs.id, description: "old" });
        expect(moved.createdAt).toBe(file.createdAt);
        expect(moved.updatedAt > file.updatedAt).toBe(true);
        expect(await store.getFile(alice.id, file.id)).toEqual(moved);

        const back = await store.updateFile(alice.id, file.id, { folderId: null, description: null });
        expect(back).toMatchObject({ folderId: null, description: null, name: "renamed.txt" });

        await expectNotFound(store.updateFile(alice.id, file.id, { folderId: "fld_missing" }), "folder");
        await expectNotFound(store.updateFile(alice.id, "file_missing", { name: "x" }), "file");
        expect(await store.getFile(alice.id, file.id)).toEqual(back);
      });

      test("deletes a file, returns it and takes it off the counters", async () => {
        const alice = await store.createUser("alice");
        const file = await store.createFile(fileInput(alice.id, { size: 500 }));
        expect(await store.deleteFile(alice.id, file.id)).toEqual(file);
        await expectNotFound(store.getFile(alice.id, file.id), "file");
        await expectNotFound(store.deleteFile(alice.id, file.id), "file");
        expect(await store.isBlobKeyReferenced(file.blobKey)).toBe(false);
        expect(await store.getStats(alice.id)).toMatchObject({ totalFiles: 0, totalSize: 0 });
      });

      test("keeps counters equal to the listed files after mixed creates and deletes", async () => {
        const alice = await store.createUser("alice");
        const bob = await store.createUser("bob");
        const folder = await store.createFolder(alice.id, { name: "f" });
        const live = new Map<string, number>();
        for (let i = 0; i < 30; i++) {
          const size = (i * 7919) % 1000;
          const file = await store.createFile(fileInput(alice.id, { size, folderId: i % 3 === 0 ? folder.id : null }));
          live.set(file.id, size);
          await store.createFile(fileInput(bob.id, { size: 1 }));
          if (i % 4 === 1) {
            const victim = [...live.keys()][Math.floor(live.size / 2)];
            if (victim !== undefined) {
              await store.deleteFile(alice.id, victim);
              live.delete(victim);
            }
          }
        }
        const { files, total } = await store.listFiles(alice.id, { limit: 1000, offset: 0 });
        const stats = await store.getStats(alice.id);
        expect(total).toBe(live.size);
        expect(stats.totalFiles).toBe(files.length);
        expect(stats.totalSize).toBe(files.reduce((sum, f) => sum + f.size, 0));
        expect(stats.totalSize).toBe([...live.values()].reduce((a, b) => a + b, 0));
        expect(await store.getStats(bob.id)).toMatchObject({ totalFiles: 30, totalSize: 30 });
      });
    });

    describe("folders", () => {
      test("creates nested folders and lists them by name, then id", async () => {
        const alice = await store.createUser("alice");
        const b = await store.createFolder(alice.id, { name: "b" });
        const a1 = await store.createFolder(alice.id, { name: "a" });
        const a2 = await store.createFolder(alice.id, { name: "a", parentId: b.id });
        expect(isId("fld", b.id)).toBe(true);
        expect(a2).toMatchObject({ parentId: b.id, userId: alice.id, name: "a" });
        expect(await store.getFolder(alice.id, a2.id)).toEqual(a2);
        const [first, second] = [a1, a2].sort((x, y) => (x.id < y.id ? -1 : 1));
        expect(await store.listFolders(alice.id)).toEqual([first, second, b]);
        expect((await store.getStats(alice.id)).totalFolders).toBe(3);
        await expectNotFound(store.createFolder(alice.id, { name: "x", parentId: "fld_missing" }), "folder");
      });

      test("refuses to delete a folder that holds a file or a sub-folder", async () => {
        const alice = await store.createUser("alice");
        const parent = await store.createFolder(alice.id, { name: "parent" });
        const child = await store.createFolder(alice.id, { name: "child", parentId: parent.id });
        const file = await store.createFile(fileInput(alice.id, { folderId: child.id }));

        for (const id of [parent.id, child.id]) {
          const error = await rejectionOf(store.deleteFolder(alice.id, id));
          expect(error).toBeInstanceOf(ConflictError);
          expect(error).toMatchObject({ kind: "conflict", reason: "folder_not_empty" });
        }
        expect((await store.getStats(alice.id)).totalFolders).toBe(2);

        await store.deleteFile(alice.id, file.id);
        expect(await store.deleteFolder(alice.id, child.id)).toEqual(child);
        expect(await store.deleteFolder(alice.id, parent.id)).toEqual(parent);
        expect(await store.listFolders(alice.id)).toEqual([]);
        expect((await store.getStats(alice.id)).totalFolders).toBe(0);
        await expectNotFound(store.deleteFolder(alice.id, parent.id), "folder");
      });
    });

    describe("tenant isolation", () => {
      test("another user's ids behave exactly like missing ids", async () => {
        const alice = await store.createUser("alice");
        const bob = await store.createUser("bob");
        const folder = await store.createFolder(alice.id, { name: "private" });
        const file = await store.createFile(fileInput(alice.id, { folderId: folder.id, size: 42 }));
        const bobsFile = await store.createFile(fileInput(bob.id));

        const pairs: Array<[EntityName, () => Promise<unknown>, () => Promise<unknown>]> = [
          ["file", () => store.getFile(bob.id, file.id), () => store.getFile(bob.id, "file_missing")],
          [
            "file",
            () => store.updateFile(bob.id, file.id, { name: "pwned" }),
            () => store.updateFile(bob.id, "file_missing", { name: "pwned" }),
          ],
          ["file", () => store.deleteFile(bob.id, file.id), () => store.deleteFile(bob.id, "file_missing")],
          ["folder", () => store.getFolder(bob.id, folder.id), () => store.getFolder(bob.id, "fld_missing")],
          [
            "folder",
            () => store.listFiles(bob.id, { folderId: folder.id, limit: 10, offset: 0 }),
            () => store.listFiles(bob.id, { folderId: "fld_missing", limit: 10, offset: 0 }),
          ],
          [
            "folder",
            () => store.createFolder(bob.id, { name: "x", parentId: folder.id }),
            () => store.createFolder(bob.id, { name: "x", parentId: "fld_missing" }),
          ],
          ["folder", () => store.deleteFolder(bob.id, folder.id), () => store.deleteFolder(bob.id, "fld_missing")],
          [
            "folder",
            () => store.createFile(fileInput(bob.id, { folderId: folder.id })),
            () => store.createFile(fileInput(bob.id, { folderId: "fld_missing" })),
          ],
          [
            "folder",
            () => store.updateFile(bob.id, bobsFile.id, { folderId: folder.id }),
            () => store.updateFile(bob.id, bobsFile.id, { folderId: "fld_missing" }),
          ],
        ];
        for (const [entity, foreign, missing] of pairs) {
          const a = await expectNotFound(foreign(), entity);
          const b = await expectNotFound(missing(), entity);
          expect(a.message).toBe(b.message);
        }

        expect(await store.getFile(alice.id, file.id)).toEqual(file);
        expect(await store.getFolder(alice.id, folder.id)).toEqual(folder);
        expect(await store.getFile(bob.id, bobsFile.id)).toEqual(bobsFile);
        expect(await store.listFiles(bob.id, { limit: 10, offset: 0 })).toEqual({ files: [bobsFile], total: 1, hasMore: false });
        expect(await store.listFolders(bob.id)).toEqual([]);
        expect(await store.getStats(alice.id)).toMatchObject({ totalFiles: 1, totalSize: 42, totalFolders: 1 });
        expect(await store.getStats(bob.id)).toMatchObject({ totalFiles: 1, totalSize: 10, totalFolders: 0 });
      });
    });

    describe("bandwidth", () => {
      test("adds to the bandwidth counter and validates input", async () => {
        const alice = await store.createUser("alice");
        await store.addBandwidth(alice.id, 1_000);
        await store.addBandwidth(alice.id, 2_345);
        await store.addBandwidth(alice.id, 0);
        expect((await store.getStats(alice.id)).bandwidthBytes).toBe(3_345);
        expect(await rejectionOf(store.addBandwidth(alice.id, -5))).toBeInstanceOf(InvalidInputError);
        await expectNotFound(store.addBandwidth("usr_missing", 5), "user");
        expect((await store.getStats(alice.id)).bandwidthBytes).toBe(3_345);
      });
    });

    describe("shared database", () => {
      test("two instances on one database see each other's writes", async () => {
        const peer = await harness.openPeer();
        const alice = await store.createUser("alice");
        expect(await peer.getUserByName("alice")).toEqual(alice);
        const fromPeer = await peer.createFile(fileInput(alice.id, { size: 7 }));
        const fromStore = await store.createFile(fileInput(alice.id, { size: 5 }));
        expect(await store.getFile(alice.id, fromPeer.id)).toEqual(fromPeer);
        await peer.deleteFile(alice.id, fromStore.id);
        await store.addBandwidth(alice.id, 3);
        await peer.addBandwidth(alice.id, 4);
        const expected = { totalFiles: 1, totalSize: 7, totalFolders: 0, bandwidthBytes: 7 };
        expect(await store.getStats(alice.id)).toEqual(expected);
        expect(await peer.getStats(alice.id)).toEqual(expected);
        await expect(store.createUser("alice")).rejects.toBeInstanceOf(ConflictError);
      });
    });

    test.assertAllSkipsUsed();
  });
}
