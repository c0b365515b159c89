/**
 * Runs the shared BlobStore suite against S3BlobStore on a real S3 implementation: a throwaway
 * Ceph RADOS Gateway (tests/support/ceph.ts, one per file; each test gets its own prefix in one
 * bucket), plus what only an object store has to prove: multipart uploads refused or failed
 * midway leave no incomplete upload, the prefix is honoured, foreign objects are left alone,
 * an unreachable store fails the write and leaves nothing once it is back.
 *
 * Needs Debian's radosgw, ceph-mon and ceph-osd; skipped with that reason without them, except
 * under CI=true, where it fails.
 */
import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import {
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
  AbortMultipartUploadCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, expect, it } from "vitest";
import { PayloadTooLargeError, newBlobKey } from "../../server/storage/index.js";
import { S3BlobStore } from "../../server/storage/s3/index.js";
import { CEPH, startGateway, type Gateway } from "../support/ceph.js";
import { describeWithEngine } from "../support/engines.js";
import { runBlobStoreSuite } from "./blobStore.suite.js";
import { rejectionOf } from "./rejection.js";

const MiB = 1024 * 1024;
const BUCKET = "aether-blob-suite";

let gateway: Gateway;
let counter = 0;

async function objectNames(prefix: string): Promise<string[]> {
  const page = await gateway.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (page.Contents ?? []).map((o) => o.Key ?? "").sort();
}

async function pendingUploads(prefix: string): Promise<{ Key: string; UploadId: string }[]> {
  const page = await gateway.client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: prefix }));
  return (page.Uploads ?? []).map((u) => ({ Key: u.Key ?? "", UploadId: u.UploadId ?? "" }));
}

async function emptyPrefix(prefix: string): Promise<void> {
  for (const u of await pendingUploads(prefix)) {
    await gateway.client.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, ...u }));
  }
  const names = await objectNames(prefix);
  if (names.length > 0) {
    await gateway.client.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: names.map((Key) => ({ Key })) } }));
  }
}

/** A store on a prefix no other test uses. */
function freshStore(): { store: S3BlobStore; prefix: string } {
  const prefix = `t${++counter}-${Date.now()}/`;
  return { store: new S3BlobStore({ client: gateway.client, bucket: BUCKET, prefix, partSize: 5 * MiB }), prefix };
}

async function* chunks(total: number, size = 256 * 1024): AsyncGenerator<Uint8Array> {
  const block = randomBytes(size);
  for (let sent = 0; sent < total; sent += size) yield block.subarray(0, Math.min(size, total - sent));
}

describeWithEngine("S3BlobStore on Ceph RGW", CEPH, () => {
  beforeAll(async () => {
    gateway = await startGateway();
    await gateway.createBucket(BUCKET);
  }, 60_000);
  afterAll(async () => {
    await gateway?.close();
  });

  runBlobStoreSuite("s3 (Ceph RGW)", async () => {
    const { store, prefix } = freshStore();
    return {
      store,
      tempEntries: async () => (await pendingUploads(prefix)).map((u) => u.Key),
      storedKeys: async () => (await objectNames(store.blobPrefix)).map((name) => name.slice(store.blobPrefix.length)),
      async plantTempLeftover() {
        const Key = store.objectName(newBlobKey());
        const { UploadId } = await gateway.client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key }));
        await gateway.client.send(new UploadPartCommand({ Bucket: BUCKET, Key, UploadId, PartNumber: 1, Body: Buffer.from("half an upload") }));
      },
      cleanup: () => emptyPrefix(prefix),
    };
  }, { bufferedBytes: 3 * 5 * MiB }); // freshStore: 5 MiB parts, two in flight and one filling

  it("keeps every object under S3_PREFIX + blobs/ and returns its own SHA-256, not the store's ETag", async () => {
    const { store, prefix } = freshStore();
    const data = randomBytes(12 * MiB);
    const result = await store.write(Readable.from([data.subarray(0, 7 * MiB), data.subarray(7 * MiB)]), { maxBytes: 20 * MiB });
    expect(result.sha256).toBe(createHash("sha256").update(data).digest("hex"));
    expect(await objectNames(prefix)).toEqual([`${prefix}blobs/${result.key}`]);
    await emptyPrefix(prefix);
  });

  it("a multipart upload refused at maxBytes + 1 after parts were stored leaves no part and no object", async () => {
    const { store, prefix } = freshStore();
    let pulled = 0;
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const chunk of chunks(40 * MiB)) {
        pulled += chunk.byteLength;
        yield chunk;
      }
    }
    const error = await rejectionOf(store.write(counted(), { maxBytes: 17 * MiB }));
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect(pulled).toBeLessThanOrEqual(17 * MiB + 256 * 1024);
    expect(await pendingUploads(prefix)).toEqual([]);
    expect(await objectNames(prefix)).toEqual([]);
  });

  it("a source that fails after several parts aborts the multipart upload and rethrows the source's error", async () => {
    const { store, prefix } = freshStore();
    const boom = new Error("client went away");
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield* chunks(16 * MiB);
      throw boom;
    }
    expect(await rejectionOf(store.write(failing(), { maxBytes: 100 * MiB }))).toBe(boom);
    expect(await pendingUploads(prefix)).toEqual([]);
    expect(await objectNames(prefix)).toEqual([]);
  });

  it("at most maxConcurrentWrites writes stream at once: the next does not read its source until a slot frees", async () => {
    const prefix = `slots-${Date.now()}/`;
    const store = new S3BlobStore({ client: gateway.client, bucket: BUCKET, prefix, maxConcurrentWrites: 1 });
    let finishFirst!: () => void;
    const gate = new Promise<void>((resolve) => (finishFirst = resolve));
    async function* held(): AsyncGenerator<Uint8Array> {
      yield Buffer.from("first, ");
      await gate;
      yield Buffer.from("done");
    }
    let secondPulled = false;
    async function* second(): AsyncGenerator<Uint8Array> {
      secondPulled = true;
      yield Buffer.from("second");
    }
    const a = store.write(held(), { maxBytes: 100 });
    const b = store.write(second(), { maxBytes: 100 });
    await new Promise((r) => setTimeout(r, 300));
    expect(secondPulled).toBe(false);
    finishFirst();
    const [ra, rb] = await Promise.all([a, b]);
    expect(secondPulled).toBe(true);
    expect([ra.size, rb.size]).toEqual([11, 6]);
    await emptyPrefix(prefix);
  });

  it("ping: 100 calls at once (a health-check flood) send one request to the store", async () => {
    const { createS3Client } = await import("../../server/storage/s3/index.js");
    const { GATEWAY_CREDENTIALS } = await import("../support/ceph.js");
    const client = createS3Client({ endpoint: gateway.endpoint, forcePathStyle: true, credentials: GATEWAY_CREDENTIALS });
    let sent = 0;
    client.middlewareStack.add((next) => (args) => {
      sent++;
      return next(args);
    }, { step: "initialize" });
    const store = new S3BlobStore({ client, bucket: BUCKET });
    await Promise.all(Array.from({ length: 100 }, () => store.ping()));
    await store.ping();
    expect(sent).toBe(1);
    client.destroy();
  });

  it("sweep leaves objects under the prefix that are not blob keys, and other prefixes, alone", async () => {
    const { store, prefix } = freshStore();
    const other = freshStore();
    const foreign = [`${prefix}blobs/README`, `${prefix}notes.txt`];
    for (const Key of foreign) await gateway.client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: "not ours" }));
    const neighbour = await other.store.write([Buffer.from("another deployment")], { maxBytes: 100 });
    const orphan = await store.write([Buffer.from("orphan")], { maxBytes: 100 });
    expect(await store.sweep(() => false, { graceMs: 0 })).toEqual({ removedTemp: 0, removedOrphans: 1 });
    expect(await store.stat(orphan.key)).toBeUndefined();
    expect(await objectNames(prefix)).toEqual(foreign.sort());
    expect(await other.store.stat(neighbour.key)).toEqual({ size: 18 });
    await emptyPrefix(prefix);
    await emptyPrefix(other.prefix);
  });

  it("ping fails for a missing bucket and while the gateway is down; writes fail cleanly and work again once it is back", async () => {
    const missing = new S3BlobStore({ client: gateway.client, bucket: "no-such-bucket-here" });
    await expect(missing.ping()).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });

    const { store, prefix } = freshStore();
    await store.ping();
    await gateway.stop();
    try {
      await expect(store.ping()).rejects.toBeDefined();
      await expect(store.write(chunks(MiB), { maxBytes: 10 * MiB })).rejects.toBeDefined();
    } finally {
      await gateway.start();
    }
    await store.ping();
    const after = await store.write([Buffer.from("back")], { maxBytes: 100 });
    expect(await store.stat(after.key)).toEqual({ size: 4 });
    expect(await pendingUploads(prefix)).toEqual([]);
    await emptyPrefix(prefix);
  }, 150_000);
});
