/**
 * The conformance suite every `BlobStore` backend runs (see disk.test.ts). The harness lets the
 * suite look behind the interface (leftover temp files, stored blobs) so "nothing is left behind"
 * is checked on the backend itself, not just through `stat`.
 */
import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect } from "vitest";
import {
  BLOB_KEY_PATTERN,
  InvalidInputError,
  NotFoundError,
  PayloadTooLargeError,
  newBlobKey,
  type BlobStore,
} from "../../server/storage/index.js";
import { rejectionOf } from "./rejection.js";
import { skippableIt, type SkipEntry } from "./skip.js";

/** What a backend's factory hands to the suite. */
export interface BlobStoreHarness {
  /** A fresh, empty store. */
  store: BlobStore;
  /** Leftovers of unfinished writes (temp files, pending multipart uploads…), listed directly. */
  tempEntries(): Promise<string[]>;
  /** Keys of every stored blob, listed directly from the backend. */
  storedKeys(): Promise<string[]>;
  /** Leaves behind exactly what a crash in the middle of a write would. */
  plantTempLeftover(): Promise<void>;
  /** Deletes everything. */
  cleanup(): Promise<void>;
}

/** Opens a fresh, empty store. */
export type BlobStoreFactory = () => Promise<BlobStoreHarness>;

const MiB = 1024 * 1024;

function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** Yields `data` in chunks of `size` bytes. */
async function* chunked(data: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}

/** Declares the whole suite for one backend. */
export function runBlobStoreSuite(
  name: string,
  factory: BlobStoreFactory,
  options: {
    skip?: SkipEntry[];
    /** Bytes the backend holds by design while writing (an object store's part buffers), on top of the 40 MB streaming bound. */
    bufferedBytes?: number;
  } = {},
): void {
  describe(`BlobStore conformance: ${name}`, () => {
    const test = skippableIt(options.skip);
    let harness: BlobStoreHarness;
    let store: BlobStore;

    beforeEach(async () => {
      harness = await factory();
      store = harness.store;
    });
    afterEach(async () => {
      await harness.cleanup();
    });

    async function expectNothingLeft(): Promise<void> {
      expect(await harness.tempEntries()).toEqual([]);
      expect(await harness.storedKeys()).toEqual([]);
    }

    test("writes, stats and reads back a blob, with the SHA-256 of its bytes", async () => {
      const data = randomBytes(300_000);
      const result = await store.write(chunked(data, 65_536), { maxBytes: 1 * MiB });
      expect(result.key).toMatch(BLOB_KEY_PATTERN);
      expect(result.size).toBe(data.length);
      expect(result.sha256).toBe(sha256(data));
      expect(await store.stat(result.key)).toEqual({ size: data.length });
      expect((await readAll(await store.createReadStream(result.key))).equals(data)).toBe(true);
      expect(await harness.storedKeys()).toEqual([result.key]);
      expect(await harness.tempEntries()).toEqual([]);
    });

    test("writes an empty blob", async () => {
      const result = await store.write(chunked(Buffer.alloc(0), 10), { maxBytes: 0 });
      expect(result).toMatchObject({ size: 0, sha256: sha256(Buffer.alloc(0)) });
      expect(await store.stat(result.key)).toEqual({ size: 0 });
      expect((await readAll(await store.createReadStream(result.key))).length).toBe(0);
    });

    test("accepts a Node Readable, including string chunks, as the source", async () => {
      const result = await store.write(Readable.from(["héllo ", Buffer.from("world")]), { maxBytes: 100 });
      const expected = Buffer.from("héllo world", "utf8");
      expect(result).toMatchObject({ size: expected.length, sha256: sha256(expected) });
      expect((await readAll(await store.createReadStream(result.key))).equals(expected)).toBe(true);
    });

    test("generates a distinct key for every write, also when writes overlap", async () => {
      const payloads = Array.from({ length: 8 }, (_, i) => randomBytes(10_000 + i));
      const results = await Promise.all(payloads.map((p) => store.write(chunked(p, 1_000), { maxBytes: MiB })));
      expect(new Set(results.map((r) => r.key)).size).toBe(payloads.length);
      for (const [i, result] of results.entries()) {
        const payload = payloads[i] as Buffer;
        expect((await readAll(await store.createReadStream(result.key))).equals(payload)).toBe(true);
      }
    });

    test("accepts a blob of exactly maxBytes", async () => {
      const data = randomBytes(4_096);
      const result = await store.write(chunked(data, 1_000), { maxBytes: 4_096 });
      expect(result.size).toBe(4_096);
    });

    test("rejects maxBytes + 1, stops reading and leaves nothing behind", async () => {
      let pulled = 0;
      let finished = false;
      async function* endless(): AsyncGenerator<Uint8Array> {
        try {
          for (let i = 0; i < 10_000; i++) {
            pulled++;
            yield Buffer.alloc(1_024, 7);
          }
        } finally {
          finished = true;
        }
      }
      const error = await rejectionOf(store.write(endless(), { maxBytes: 1_500 }));
      expect(error).toBeInstanceOf(PayloadTooLargeError);
      expect(error).toMatchObject({ kind: "payload_too_large", limitBytes: 1_500 });
      expect(pulled).toBeLessThanOrEqual(3);
      expect(finished).toBe(true);

      const exact = randomBytes(4_097);
      const stream = Readable.from(chunked(exact, 4_097));
      expect(await rejectionOf(store.write(stream, { maxBytes: 4_096 }))).toBeInstanceOf(PayloadTooLargeError);
      expect(stream.destroyed).toBe(true);
      await expectNothingLeft();
    });

    test("rethrows a source error midway and leaves nothing behind", async () => {
      const boom = new Error("client went away");
      async function* failing(): AsyncGenerator<Uint8Array> {
        yield randomBytes(70_000);
        yield randomBytes(70_000);
        throw boom;
      }
      expect(await rejectionOf(store.write(failing(), { maxBytes: MiB }))).toBe(boom);
      await expectNothingLeft();
    });

    test("rethrows when a Node stream source is destroyed (aborted upload) and leaves nothing behind", async () => {
      const aborted = new Error("aborted");
      const source = new Readable({ read() {} });
      source.push(randomBytes(100_000));
      setTimeout(() => source.destroy(aborted), 20);
      expect(await rejectionOf(store.write(source, { maxBytes: MiB }))).toBe(aborted);
      await expectNothingLeft();
    });

    test("reads inclusive byte ranges", async () => {
      const { key } = await store.write(chunked(Buffer.from("0123456789"), 3), { maxBytes: 100 });
      expect((await readAll(await store.createReadStream(key, { start: 2, end: 5 }))).toString()).toBe("2345");
      expect((await readAll(await store.createReadStream(key, { start: 7 }))).toString()).toBe("789");
      expect((await readAll(await store.createReadStream(key, { end: 0 }))).toString()).toBe("0");
      expect(await rejectionOf(store.createReadStream(key, { start: -1 }))).toBeInstanceOf(InvalidInputError);
    });

    test("treats missing blobs as absent: stat undefined, read NotFoundError, delete idempotent", async () => {
      const missing = newBlobKey();
      expect(await store.stat(missing)).toBeUndefined();
      const error = await rejectionOf(store.createReadStream(missing));
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ entity: "blob" });
      await store.delete(missing);

      const { key } = await store.write(chunked(Buffer.from("x"), 1), { maxBytes: 10 });
      await store.delete(key);
      await store.delete(key);
      expect(await store.stat(key)).toBeUndefined();
      await expectNothingLeft();
    });

    test("rejects malformed keys before touching storage", async () => {
      const bad = ["../x", "../../../../etc/passwd", "aaaaaaaaaa/../b", "", "short", "x".repeat(65), "abc.defghijk"];
      for (const key of bad) {
        for (const call of [() => store.stat(key), () => store.createReadStream(key), () => store.delete(key)]) {
          const error = await rejectionOf(call());
          expect(error).toBeInstanceOf(InvalidInputError);
          expect(error).toMatchObject({ kind: "invalid", field: "key" });
        }
      }
    });

    test("sweep removes temp leftovers and unreferenced blobs but keeps referenced ones", async () => {
      await harness.plantTempLeftover();
      const kept = await store.write(chunked(Buffer.from("keep me"), 4), { maxBytes: 100 });
      const orphan = await store.write(chunked(Buffer.from("orphan"), 4), { maxBytes: 100 });
      expect(await harness.tempEntries()).toHaveLength(1);

      const result = await store.sweep(async (key) => key === kept.key, { graceMs: 0 });
      expect(result).toEqual({ removedTemp: 1, removedOrphans: 1 });
      expect(await harness.tempEntries()).toEqual([]);
      expect(await harness.storedKeys()).toEqual([kept.key]);
      expect((await readAll(await store.createReadStream(kept.key))).toString()).toBe("keep me");
      expect(await store.stat(orphan.key)).toBeUndefined();
    });

    test("sweep leaves recent leftovers alone during the grace period", async () => {
      await harness.plantTempLeftover();
      const fresh = await store.write(chunked(Buffer.from("uploading in another process"), 8), { maxBytes: 100 });
      expect(await store.sweep(() => false)).toEqual({ removedTemp: 0, removedOrphans: 0 });
      expect(await store.stat(fresh.key)).toBeDefined();
      expect(await harness.tempEntries()).toHaveLength(1);
    });

    test(
      "streams a 50 MB upload without buffering it (RSS growth stays under 40 MB plus the backend's declared part buffers)",
      async () => {
        const total = 50 * MiB;
        // A few distinct chunks, yielded round-robin and never mutated: the test itself makes no
        // garbage, so RSS growth measures the store (an implementation that collects the chunks
        // and concatenates them grows by 50 MB+).
        const pool = Array.from({ length: 4 }, () => randomBytes(64 * 1024));
        const expected = createHash("sha256");
        const base = process.memoryUsage.rss();
        let peak = base;
        async function* generated(): AsyncGenerator<Uint8Array> {
          for (let i = 0; i * 64 * 1024 < total; i++) {
            const chunk = pool[i % pool.length] as Buffer;
            expected.update(chunk);
            if (i % 64 === 0) peak = Math.max(peak, process.memoryUsage.rss());
            yield chunk;
          }
        }
        const result = await store.write(generated(), { maxBytes: total });
        peak = Math.max(peak, process.memoryUsage.rss());
        const digest = expected.digest("hex");
        expect(result).toMatchObject({ size: total, sha256: digest });
        expect(peak - base).toBeLessThan(40 * MiB + (options.bufferedBytes ?? 0));

        const readBack = createHash("sha256");
        for await (const chunk of await store.createReadStream(result.key)) readBack.update(chunk as Buffer);
        expect(readBack.digest("hex")).toBe(digest);
      },
      60_000,
    );

    test.assertAllSkipsUsed();
  });
}
