/**
 * Serving a stored file. Conditional requests and ranges are decided by Express's own
 * `req.fresh` (the `fresh` library) and `req.range` (`range-parser`), for every blob store; the
 * bytes are copied from a local blob with reused buffers, or piped from a store without local
 * files (an S3 backend). `If-Match`/`If-Unmodified-Since` are not part of the contract (it
 * declares no 412) and are not evaluated.
 * Every download is an attachment in a sandbox, so uploaded HTML or SVG never runs on the API's
 * origin. Bandwidth counts the body bytes the socket accepted (write callbacks), for every
 * response whatever the connection's state, added to the owner's counter when it closes.
 */
import { open, type FileHandle } from "node:fs/promises";
import { create as contentDisposition } from "content-disposition";
import type { Request, Response } from "express";
import { NotFoundError, type FileRecord, type Storage } from "../storage/index.js";
import { ApiError } from "./apiError.js";
import { allocSmall, borrowLarge, returnLarge } from "./downloadBuffers.js";
import type { UsageRecorder } from "./usage.js";

/** `Content-Disposition: attachment` with an ASCII `filename` and, when needed, `filename*`. */
export function attachmentHeader(name: string): string {
  const ascii = name.normalize("NFD").replace(/[^\x20-\x7e]/g, "").replace(/[%\\]/g, "_").trim();
  const fallback = ascii === "" || ascii.startsWith(".") ? `file${ascii}` : ascii;
  return contentDisposition(name, { type: "attachment", fallback });
}

function setEntityHeaders(res: Response, file: FileRecord): void {
  res.setHeader("Content-Type", file.mimeType);
  res.setHeader("Content-Disposition", attachmentHeader(file.name));
  res.setHeader("ETag", `"${file.sha256}"`);
  res.setHeader("Last-Modified", new Date(file.createdAt).toUTCString());
  res.setHeader("Cache-Control", "private, no-cache");
  res.setHeader("Accept-Ranges", "bytes");
  res.setHeader("Content-Security-Policy", "sandbox");
}

/** Body bytes of one response that the socket has accepted (write callbacks without error). */
interface Meter {
  bytes: number;
}

/**
 * Reports the response's metered bytes once, when it closes — however it ends (complete,
 * aborted, queued behind other pipelined responses on the same connection).
 */
function meterBody(res: Response, meter: Meter, report: (bytes: number) => void): void {
  res.once("close", () => {
    // Only file content counts: not a 416 (or any other) error envelope sent on this response.
    const content = res.statusCode === 200 || res.statusCode === 206;
    if (meter.bytes > 0 && content && res.req.method !== "HEAD") report(meter.bytes);
  });
}

/** Writes `chunk`; resolves once the socket has taken it (counted) or refused it (not counted). */
function writeCounted(res: Response, chunk: Buffer, meter: Meter): Promise<void> {
  return new Promise<void>((resolve) => {
    res.write(chunk, (err) => {
      if (!err) meter.bytes += chunk.byteLength;
      resolve();
    });
  });
}

function unsatisfiable(size: number): ApiError {
  return new ApiError("range_not_satisfiable", `Range not satisfiable: the file has ${size} bytes`, {
    "Content-Range": `bytes */${size}`,
  });
}

interface Slot {
  buffer: Buffer;
  pooled: boolean;
  /** A write from this buffer has not been taken by the socket yet. */
  busy: boolean;
  flushed: Promise<void>;
}

function takeSlots(): Slot[] {
  const slot = (buffer: Buffer, pooled: boolean): Slot => ({ buffer, pooled, busy: false, flushed: Promise.resolve() });
  const first = borrowLarge();
  if (!first) return [slot(allocSmall(), false)];
  const second = borrowLarge();
  return second ? [slot(first, true), slot(second, true)] : [slot(first, true)];
}

/** Pooled buffers go back once the socket no longer references them (at the latest on close). */
function releaseSlots(slots: Slot[], closed: Promise<void>): void {
  for (const s of slots) {
    if (!s.pooled) continue;
    if (s.busy) void closed.then(() => returnLarge(s.buffer));
    else returnLarge(s.buffer);
  }
}

/**
 * Copies bytes `start..end` (inclusive) of a local file to the response through reused buffers
 * (see downloadBuffers.ts): a buffer is refilled only once the socket has taken its last chunk.
 */
async function pumpLocalFile(res: Response, path: string, start: number, end: number, meter: Meter): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new NotFoundError("blob");
    throw err;
  }
  const closed = new Promise<void>((resolve) => res.once("close", resolve));
  const slots = takeSlots();
  try {
    for (let position = start, i = 0; position <= end; i = (i + 1) % slots.length) {
      const slot = slots[i] as Slot;
      await Promise.race([slot.flushed, closed]);
      if (res.destroyed) return;
      const { bytesRead } = await handle.read(slot.buffer, 0, Math.min(slot.buffer.byteLength, end - position + 1), position);
      if (bytesRead === 0) throw new Error(`blob ${path} is shorter than its metadata says`);
      position += bytesRead;
      slot.busy = true;
      slot.flushed = writeCounted(res, slot.buffer.subarray(0, bytesRead), meter).then(() => {
        slot.busy = false;
      });
    }
    await Promise.race([Promise.all(slots.map((s) => s.flushed)), closed]);
    if (!res.destroyed) res.end();
  } finally {
    releaseSlots(slots, closed);
    await handle.close();
  }
}

/**
 * Copies a blob stream (a store without local files) with the socket's backpressure: chunks are
 * written while the response buffers less than its high-water mark, then reading waits for
 * `drain`, so a slow client stops the store's stream (and its TCP connection) instead of filling
 * memory. Each chunk is counted in its write callback, once the socket has taken it.
 */
async function pumpBlobStream(req: Request, res: Response, file: FileRecord, storage: Storage, start: number, end: number, meter: Meter): Promise<void> {
  const body = await storage.blobs.createReadStream(file.blobKey, { start, end });
  const closed = new Promise<void>((resolve) => res.once("close", resolve));
  const drained = () => new Promise<void>((resolve) => res.once("drain", resolve));
  try {
    for await (const chunk of body) {
      const bytes = chunk as Buffer;
      const room = res.write(bytes, (err) => {
        if (!err) meter.bytes += bytes.byteLength;
      });
      if (!room) await Promise.race([drained(), closed]);
      if (res.destroyed) return;
    }
    res.end();
  } catch (err) {
    req.log?.error({ err }, "blob read failed mid-download");
    res.destroy(err as Error);
  } finally {
    body.destroy();
  }
}

/**
 * Answers a download once the entity headers are set: `304` when `If-None-Match` /
 * `If-Modified-Since` still match (Express's `req.fresh`), one byte range as `206` (Express's
 * `req.range`, honouring `If-Range` with the ETag), `416` for a range outside the file, else `200`.
 */
async function sendContent(req: Request, res: Response, file: FileRecord, storage: Storage, meter: Meter): Promise<void> {
  if (req.fresh) {
    for (const name of ["Content-Type", "Content-Disposition", "Content-Security-Policy"]) res.removeHeader(name);
    res.status(304).end();
    return;
  }
  const ifRange = req.get("if-range");
  const ranges = ifRange === undefined || ifRange === res.getHeader("ETag") ? req.range(file.size, { combine: true }) : undefined;
  if (ranges === -1) throw unsatisfiable(file.size);
  const range = Array.isArray(ranges) && ranges.length === 1 && ranges.type === "bytes" ? ranges[0] : undefined;
  const start = range?.start ?? 0;
  const end = range?.end ?? file.size - 1;
  if (range) {
    res.status(206);
    res.setHeader("Content-Range", `bytes ${start}-${end}/${file.size}`);
  }
  res.setHeader("Content-Length", String(Math.max(0, end - start + 1)));
  if (req.method === "HEAD" || file.size === 0) {
    res.end();
    return;
  }
  const local = storage.blobs.localPath(file.blobKey);
  if (local) await pumpLocalFile(res, local, start, end, meter);
  else await pumpBlobStream(req, res, file, storage, start, end, meter);
}

/** Sends `file`'s content (or its headers for `HEAD`, or `304`/`206`/`416`) and meters bandwidth. */
export async function sendFileContent(req: Request, res: Response, file: FileRecord, storage: Storage, usage: UsageRecorder): Promise<void> {
  setEntityHeaders(res, file);
  delete req.headers["if-match"];
  delete req.headers["if-unmodified-since"];
  // `Cache-Control: no-cache` in a request is addressed to caches (RFC 9111 §5.2.1.4); an origin
  // still evaluates If-None-Match (RFC 9110 §13.1.2). `fresh` (used by send and req.fresh) would
  // ignore it, and fetch() adds that header to every request carrying If-None-Match.
  delete req.headers["cache-control"];
  const meter: Meter = { bytes: 0 };
  meterBody(res, meter, (bytes) => usage.bandwidth(file.userId, bytes));
  await sendContent(req, res, file, storage, meter);
}
