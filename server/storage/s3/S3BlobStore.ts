/**
 * S3BlobStore — a `BlobStore` on any S3-compatible object store (AWS S3, Cloudflare R2, MinIO,
 * Ceph RADOS Gateway…), so that any number of server instances share one set of file bytes.
 *
 * Layout in the bucket, under an optional prefix `P` (`S3_PREFIX`, e.g. `aethercdn/`):
 *   P + "blobs/" + key     finished blobs; the key is server-generated (see ../blobKey.ts)
 * Nothing else under `P` + "blobs/" is ours: the sweep skips names that are not valid keys.
 *
 * Write path: the source is consumed chunk by chunk, hashed (SHA-256) and counted, and handed to
 * `@aws-sdk/lib-storage`'s `Upload`, which cuts it into parts of `partSize` bytes and keeps at
 * most `queueSize` parts in flight: memory per upload is about (queueSize + 1) × partSize,
 * whatever the file's size. At most `maxConcurrentWrites` writes hold such buffers at once; the
 * next waits for a slot before reading its source (the client's upload stalls under TCP
 * backpressure), so the process's upload memory is bounded whatever clients do. A blob smaller than one part is a single PutObject; a larger one a
 * multipart upload. Byte `maxBytes + 1` throws `PayloadTooLargeError` at once (the source is not
 * read further); that, a source error (client abort) or a store failure makes `Upload` abort the
 * multipart upload, and `write` deletes a completed object it could not return. So on any failure
 * nothing remains, and the original error is rethrown. The store's own ETag is never used (Ceph
 * RGW returns an empty one for multipart objects); the file's identity is our SHA-256.
 *
 * An object is reachable through the API only once a metadata row references its key. A crash
 * between upload and row commit, or between row delete and object delete, leaves an orphan;
 * `sweep` removes orphans and aborts incomplete multipart uploads once they are older than the
 * grace period, so it is safe while other instances upload.
 *
 * Reads are ranged GetObject requests streamed as they arrive: a slow reader stops the store's
 * socket through TCP backpressure, nothing is buffered. Errors from the store are not domain
 * errors (they become 500s); a missing object is `NotFoundError("blob")`.
 */
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { assertBlobKey, BLOB_KEY_PATTERN, newBlobKey } from "../blobKey.js";
import { InvalidInputError, NotFoundError, PayloadTooLargeError } from "../errors.js";
import { assertByteRange } from "../validation.js";
import type {
  BlobSource,
  BlobStore,
  BlobWriteOptions,
  BlobWriteResult,
  ByteRange,
  SweepOptions,
  SweepResult,
} from "../types.js";

/** Default `graceMs` of `sweep` (one hour, as for the disk store). */
const DEFAULT_SWEEP_GRACE_MS = 60 * 60 * 1000;
/** S3's smallest part (every part but the last) and largest part count. */
const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PARTS = 10_000;

/** Options of {@link S3BlobStore}. */
export interface S3BlobStoreOptions {
  /** A configured client (endpoint, region, credentials; see `createS3Client`). */
  client: S3Client;
  /** The bucket; it must exist. */
  bucket: string;
  /** Prefix of every object name, e.g. `aethercdn/` (default none). */
  prefix?: string;
  /** Bytes per multipart part (default 8 MiB, at least 5 MiB). */
  partSize?: number;
  /** Parts uploaded at once per blob (default 2, while a third fills). */
  queueSize?: number;
  /** Writes streaming at once; more wait for a slot (default 16). */
  maxConcurrentWrites?: number;
}

/** A counting semaphore: `acquire` resolves when one of `size` slots is free. */
class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];
  constructor(size: number) {
    this.#free = size;
  }
  async acquire(): Promise<() => void> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    };
  }
}

/** True for the store's "no such object" answers (GetObject: NoSuchKey; HeadObject: 404 NotFound). */
function isMissing(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  return error.name === "NoSuchKey" || error.name === "NotFound" || error.$metadata.httpStatusCode === 404;
}


/** `BlobStore` keeping each blob as one object in an S3 bucket. */
export class S3BlobStore implements BlobStore {
  readonly client: S3Client;
  readonly bucket: string;
  /** Object-name prefix of every blob: `<S3_PREFIX>blobs/`. */
  readonly blobPrefix: string;
  readonly #partSize: number;
  readonly #queueSize: number;
  readonly #slots: Slots;
  #ping: Promise<void> | undefined;
  #pingAt = 0;

  constructor(options: S3BlobStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.blobPrefix = `${options.prefix ?? ""}blobs/`;
    this.#partSize = Math.max(MIN_PART_SIZE, options.partSize ?? 8 * 1024 * 1024);
    this.#queueSize = Math.max(1, options.queueSize ?? 2);
    this.#slots = new Slots(Math.max(1, options.maxConcurrentWrites ?? 16));
  }

  /** The object name of `key`, after the key guard. */
  objectName(key: string): string {
    assertBlobKey(key);
    return this.blobPrefix + key;
  }

  async write(source: BlobSource, options: BlobWriteOptions): Promise<BlobWriteResult> {
    const { maxBytes } = options;
    if (!(maxBytes >= 0)) throw new InvalidInputError("maxBytes", "The size limit must be zero or more bytes.");
    const release = await this.#slots.acquire();
    try {
      return await this.#write(source, maxBytes);
    } finally {
      release();
    }
  }

  async #write(source: BlobSource, maxBytes: number): Promise<BlobWriteResult> {
    const key = newBlobKey();
    const hash = createHash("sha256");
    let size = 0;
    async function* counted(): AsyncGenerator<Buffer> {
      for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
        const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        size += bytes.byteLength;
        if (size > maxBytes) throw new PayloadTooLargeError(maxBytes);
        hash.update(bytes);
        yield bytes;
      }
    }
    await this.#upload(key, counted(), maxBytes);
    return { key, size, sha256: hash.digest("hex") };
  }

  /**
   * Streams `source` to the object of `key` through lib-storage (parts of `partSize`, grown when
   * `maxBytes` would need more than 10,000 of them); on failure the multipart upload is aborted,
   * the source destroyed and the error rethrown.
   */
  async #upload(key: string, source: AsyncIterable<Uint8Array>, maxBytes: number, metadata?: Record<string, string>): Promise<void> {
    const body = Readable.from(source, { objectMode: true, highWaterMark: 1 });
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: this.objectName(key), Body: body, ContentType: "application/octet-stream", ...(metadata && { Metadata: metadata }) },
      partSize: Math.max(this.#partSize, Math.ceil(maxBytes / MAX_PARTS)),
      queueSize: this.#queueSize,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      body.destroy();
      throw error;
    }
  }

  /**
   * Stores `source` under a given key (moving data in from another store: `aether migrate`),
   * then reads the object back and checks its size and SHA-256 against `expected`; on a mismatch
   * the object is deleted and an error thrown. The digest is kept as object metadata
   * (`x-amz-meta-sha256`), which {@link importedDigest} reads.
   */
  async importBlob(key: string, source: BlobSource, expected: { size: number; sha256: string }): Promise<void> {
    await this.#upload(key, source as AsyncIterable<Uint8Array>, expected.size, { sha256: expected.sha256 });
    const stored = await this.digestOf(key);
    if (stored.size !== expected.size || stored.sha256 !== expected.sha256) {
      await this.delete(key);
      throw new Error(`blob ${key}: the store holds ${stored.size} bytes with SHA-256 ${stored.sha256}, expected ${expected.size} bytes with ${expected.sha256}`);
    }
  }

  /** Size and SHA-256 of the stored bytes, read back in full. `NotFoundError("blob")` if absent. */
  async digestOf(key: string): Promise<{ size: number; sha256: string }> {
    const hash = createHash("sha256");
    let size = 0;
    for await (const chunk of await this.createReadStream(key)) {
      size += (chunk as Buffer).byteLength;
      hash.update(chunk as Buffer);
    }
    return { size, sha256: hash.digest("hex") };
  }

  /** The digest recorded by {@link importBlob} and the object's size, or undefined when there is no object. */
  async importedDigest(key: string): Promise<{ size: number; sha256: string | undefined } | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectName(key) }));
      return { size: head.ContentLength ?? 0, sha256: head.Metadata?.sha256 };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /** The first stored blob key for which `isKnown` is false, or undefined when there is none. */
  async firstForeignKey(isKnown: (key: string) => boolean): Promise<string | undefined> {
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.blobPrefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const key = object.Key?.slice(this.blobPrefix.length) ?? "";
        if (!isKnown(key)) return key;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return undefined;
  }

  async stat(key: string): Promise<{ size: number } | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectName(key) }));
      return { size: head.ContentLength ?? 0 };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  localPath(key: string): undefined {
    assertBlobKey(key);
    return undefined;
  }

  async createReadStream(key: string, range: ByteRange = {}): Promise<Readable> {
    const name = this.objectName(key);
    assertByteRange(range);
    const { start, end } = range;
    const header = start === undefined && end === undefined ? undefined : `bytes=${start ?? 0}-${end ?? ""}`;
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: name, Range: header }));
      const body = object.Body;
      if (body instanceof Readable) return body;
      if (body === undefined) return Readable.from([]);
      throw new Error("the S3 client returned a body that is not a Node stream");
    } catch (error) {
      if (isMissing(error)) throw new NotFoundError("blob");
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectName(key) }));
  }

  /** An object store has no free-space figure the server could trust. */
  async freeBytes(): Promise<undefined> {
    return undefined;
  }

  /**
   * Resolves when the bucket answers (HeadBucket); rejects when the store is unreachable or denies
   * access. Calls within a second of a success, or while one is in flight, share it: the health
   * endpoint needs no key and is not rate limited, so a flood of it must not become one to the store.
   */
  ping(): Promise<void> {
    if (this.#ping && Date.now() - this.#pingAt < 1_000) return this.#ping;
    this.#pingAt = Date.now();
    const ping = this.client.send(new HeadBucketCommand({ Bucket: this.bucket })).then(() => undefined);
    this.#ping = ping;
    ping.catch(() => {
      if (this.#ping === ping) this.#ping = undefined; // a failure is not remembered: the next call asks again
    });
    return ping;
  }

  /** Closes the client's connections. The store must not be used afterwards. */
  async close(): Promise<void> {
    this.client.destroy();
  }

  async sweep(isReferenced: (key: string) => boolean | Promise<boolean>, options: SweepOptions = {}): Promise<SweepResult> {
    const cutoff = Date.now() - (options.graceMs ?? DEFAULT_SWEEP_GRACE_MS);
    const isOld = (date: Date | undefined): boolean => date !== undefined && date.getTime() <= cutoff;

    let removedTemp = 0;
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      const page = await this.client.send(
        new ListMultipartUploadsCommand({ Bucket: this.bucket, Prefix: this.blobPrefix, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }),
      );
      for (const pending of page.Uploads ?? []) {
        if (!pending.Key || !pending.UploadId || !isOld(pending.Initiated)) continue;
        if (!BLOB_KEY_PATTERN.test(pending.Key.slice(this.blobPrefix.length))) continue;
        await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: pending.Key, UploadId: pending.UploadId }));
        removedTemp++;
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
    } while (keyMarker !== undefined);

    let removedOrphans = 0;
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.blobPrefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        const key = object.Key?.slice(this.blobPrefix.length) ?? "";
        if (!BLOB_KEY_PATTERN.test(key) || !isOld(object.LastModified)) continue;
        if (await isReferenced(key)) continue;
        await this.delete(key);
        removedOrphans++;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return { removedTemp, removedOrphans };
  }
}
