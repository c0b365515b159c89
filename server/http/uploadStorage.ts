/**
 * Streams multipart file parts straight into the blob store. express-openapi-validator parses
 * multipart bodies with multer (after its security check, before request validation); this is
 * the multer StorageEngine it is given, so no byte is buffered in memory and the SHA-256 is
 * computed while streaming. Every stored blob is remembered on the request until the handler
 * marks it committed; `discardUploads` deletes the rest (a refused, invalid or aborted upload
 * leaves nothing behind).
 */
import type { Request } from "express";
import type { StorageEngine } from "multer";
import { PayloadTooLargeError, type BlobStore } from "../storage/index.js";

/** What multer records for each stored file part (`req.files[i]`). */
export interface StoredPart {
  /** Form field name of the part. */
  fieldname: string;
  /** File name sent by the client (multer decodes it as UTF-8). */
  originalname: string;
  /** Content-Type of the part. */
  mimetype: string;
  /** Key of the stored blob. */
  blobKey: string;
  /** Bytes stored. */
  size: number;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
}

interface UploadState {
  parts: StoredPart[];
  committed: Set<string>;
  failure?: unknown;
  blobs: BlobStore;
  /** Blob writes still running (settled once the blob is stored or its temp file removed). */
  pending: Promise<void>[];
}

const STATE = Symbol("aethercdn.upload");
type WithState = Request & { [STATE]?: UploadState };

function state(req: Request, blobs: BlobStore): UploadState {
  const r = req as WithState;
  r[STATE] ??= { parts: [], committed: new Set(), blobs, pending: [] };
  return r[STATE];
}

/**
 * The part's bytes, refusing byte `maxBytes + 1`. The failure is recorded on the request before
 * the part's stream is torn down: multer then aborts with a generic AbortError, and without the
 * record the client would get a 500 instead of the 413.
 */
async function* limited(stream: NodeJS.ReadableStream, maxBytes: number, s: UploadState, hooks: UploadHooks): AsyncGenerator<Uint8Array> {
  let size = 0;
  let checkedAt = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : (chunk as Uint8Array);
    size += bytes.byteLength;
    if (size > maxBytes) {
      const err = new PayloadTooLargeError(maxBytes);
      s.failure ??= err;
      hooks.onRefused();
      throw err;
    }
    if (size - checkedAt >= SPACE_CHECK_BYTES) {
      checkedAt = size;
      try {
        await hooks.checkSpace();
      } catch (err) {
        s.failure ??= err;
        hooks.onRefused();
        throw err;
      }
    }
    yield bytes;
  }
}

/** How often (in bytes received) a streaming upload checks the volume's free space. */
const SPACE_CHECK_BYTES = 8 * 1024 * 1024;

/** Callbacks of {@link blobStorageEngine}. */
export interface UploadHooks {
  /** The upload is refused while it streams (byte `maxBytes + 1` arrived, or space ran short). */
  onRefused(): void;
  /** Called every 8 MiB received; throws (a `StorageFullError`) to stop the upload. */
  checkSpace(): Promise<void>;
}

/**
 * The multer engine writing parts to `blobs`, each at most `maxBytes` long, checking free space
 * as it goes (`checkSpace`: a declared length cannot be trusted, chunked uploads have none, and
 * uploads run side by side). `onRefused` runs the moment byte `maxBytes + 1` arrives or space runs short: multer would only report the failure once the
 * whole body has been read (it drains the request first), so the caller answers 413 right away
 * and closes the connection instead.
 */
export function blobStorageEngine(blobs: BlobStore, maxBytes: number, hooks: (req: Request) => UploadHooks): StorageEngine {
  return {
    _handleFile(req, file, callback) {
      const s = state(req, blobs);
      const writing = blobs.write(limited(file.stream, maxBytes, s, hooks(req)), { maxBytes }).then(
        (stored) => {
          const part: StoredPart = {
            fieldname: file.fieldname,
            originalname: file.originalname,
            mimetype: file.mimetype,
            blobKey: stored.key,
            size: stored.size,
            sha256: stored.sha256,
          };
          s.parts.push(part);
          callback(null, part);
        },
        (err: unknown) => {
          s.failure ??= err;
          file.stream.resume();
          callback(err as Error);
        },
      );
      s.pending.push(writing);
    },
    _removeFile(req, file, callback) {
      const key = (file as unknown as Partial<StoredPart>).blobKey;
      if (!key) return callback(null);
      blobs.delete(key).then(() => callback(null), (err: unknown) => callback(err as Error));
    },
  };
}

/** The stored parts of this request (empty when it carried no file). */
export function storedParts(req: Request): readonly StoredPart[] {
  return (req as WithState)[STATE]?.parts ?? [];
}

/** The error that stopped the upload stream (limit, abort, disk), if any: it explains multer's failure. */
export function uploadFailure(req: Request): unknown {
  return (req as WithState)[STATE]?.failure;
}

/** Resolves once every blob write of the request has finished or failed (never rejects). */
export async function settleUploads(req: Request): Promise<void> {
  const s = (req as WithState)[STATE];
  if (s) await Promise.allSettled(s.pending);
}

/** Marks a stored part as owned by a committed file row: `discardUploads` keeps it. */
export function commitUpload(req: Request, part: StoredPart): void {
  (req as WithState)[STATE]?.committed.add(part.blobKey);
}

/**
 * Deletes every stored part of the request that no committed row owns, once the writes still
 * running have settled (a refused upload's temp file is gone before the answer). Idempotent.
 */
export async function discardUploads(req: Request): Promise<void> {
  const s = (req as WithState)[STATE];
  if (!s) return;
  await Promise.allSettled(s.pending);
  const doomed = s.parts.filter((p) => !s.committed.has(p.blobKey));
  s.parts = s.parts.filter((p) => s.committed.has(p.blobKey));
  await Promise.all(doomed.map((p) => s.blobs.delete(p.blobKey)));
}
