/**
 * Runs the shared BlobStore suite against DiskBlobStore in a temp dir, plus checks that only make
 * sense for local files (layout, localPath, foreign files).
 */
import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DiskBlobStore, InvalidInputError, newBlobKey } from "../../server/storage/index.js";
import { runBlobStoreSuite } from "./blobStore.suite.js";

async function listFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

runBlobStoreSuite("disk", async () => {
  const root = await mkdtemp(join(tmpdir(), "aether-blobs-"));
  const store = new DiskBlobStore(root);
  return {
    store,
    tempEntries: async () => (await listFiles(store.tmpDir)).map((path) => relative(store.tmpDir, path)),
    storedKeys: async () => (await listFiles(store.blobsDir)).map((path) => path.split(sep).at(-1) ?? ""),
    async plantTempLeftover() {
      await mkdir(store.tmpDir, { recursive: true });
      await writeFile(join(store.tmpDir, `${newBlobKey()}.part`), "half an upload");
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
});

describe("DiskBlobStore specifics", () => {
  let root: string;
  let store: DiskBlobStore;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "aether-blobs-"));
    store = new DiskBlobStore(join(root, "nested", "blobs"));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("creates its root and stores blobs sharded by key under blobs/", async () => {
    const { key } = await store.write([Buffer.from("abc")], { maxBytes: 10 });
    const path = store.localPath(key);
    expect(path).toBe(join(root, "nested", "blobs", "blobs", key.slice(0, 2), key.slice(2, 4), key));
    expect(await readFile(path, "utf8")).toBe("abc");
  });

  it("localPath applies the same path guard", () => {
    for (const key of ["../x", "..", "a/b/c/d/e/f", "%2e%2e%2fetc"]) {
      expect(() => store.localPath(key)).toThrow(InvalidInputError);
    }
  });

  it("accepts a file read stream as the source", async () => {
    const source = join(root, "source.bin");
    await writeFile(source, Buffer.alloc(200_000, 3));
    const result = await store.write(createReadStream(source, { highWaterMark: 16_384 }), { maxBytes: 200_000 });
    expect(result.size).toBe(200_000);
    expect((await readFile(store.localPath(result.key))).equals(Buffer.alloc(200_000, 3))).toBe(true);
  });

  it("sweep leaves files that are not valid blobs where they are", async () => {
    await store.write([Buffer.from("x")], { maxBytes: 10 });
    const foreign = join(store.blobsDir, "ab", "cd", "README");
    const misplaced = join(store.blobsDir, "zz", "zz", newBlobKey());
    for (const path of [foreign, misplaced]) {
      await mkdir(join(path, ".."), { recursive: true });
      await writeFile(path, "not ours");
    }
    expect(await store.sweep(() => false, { graceMs: 0 })).toEqual({ removedTemp: 0, removedOrphans: 1 });
    expect(await readFile(foreign, "utf8")).toBe("not ours");
    expect(await readFile(misplaced, "utf8")).toBe("not ours");
  });

  it("rejects a negative size limit before creating anything", async () => {
    await expect(store.write([Buffer.from("x")], { maxBytes: -1 })).rejects.toBeInstanceOf(InvalidInputError);
    expect(await listFiles(root)).toEqual([]);
  });
});
