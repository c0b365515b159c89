/**
 * Serving a stored file. Ranges, `If-None-Match`/`If-Modified-Since`/`If-Range`, `304`, `416` and
 * `HEAD` are Express's `res.sendFile` (the `send` library) on a local blob. A blob store without
 * local files (an S3 backend) is streamed with Express's own `req.fresh` / `req.range`.
 * Every download is an attachment in a sandbox, so uploaded HTML or SVG never runs on the API's
 * origin. Bytes actually sent are added to the owner's bandwidth counter when the response ends.
 */
import { create as contentDisposition } from "content-disposition";
import type { Request, Response } from "express";
import { NotFoundError, type FileRecord, type Storage } from "../storage/index.js";
import { ApiError } from "./apiError.js";

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
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Content-Security-Policy", "sandbox");
}

/** Counts body bytes handed to the kernel for this response, then reports them once. */
function meterBody(res: Response, report: (bytes: number) => void): void {
  const socket = res.socket;
  if (!socket) return;
  const before = socket.bytesWritten;
  res.once("close", () => {
    const header = (res as unknown as { _header?: string | null })._header ?? "";
    const sent = socket.bytesWritten - socket.writableLength - before - Buffer.byteLength(header, "latin1");
    const declared = Number(res.getHeader("Content-Length") ?? 0);
    const body = Math.max(0, Math.min(sent, Number.isFinite(declared) ? declared : 0));
    // Only file content counts: not a 416 (or any other) error envelope sent on this response.
    const content = res.statusCode === 200 || res.statusCode === 206;
    if (body > 0 && content && res.req.method !== "HEAD") report(body);
  });
}

function unsatisfiable(size: number): ApiError {
  return new ApiError("range_not_satisfiable", `Range not satisfiable: the file has ${size} bytes`, {
    "Content-Range": `bytes */${size}`,
  });
}

function sendLocal(req: Request, res: Response, path: string, size: number): Promise<void> {
  return new Promise((resolve, reject) => {
    res.sendFile(path, { etag: false, lastModified: false, cacheControl: false, acceptRanges: true, dotfiles: "allow" }, (err) => {
      if (!err) return resolve();
      const status = (err as { status?: number }).status;
      const code = (err as NodeJS.ErrnoException).code;
      if (status === 416) return reject(unsatisfiable(size));
      if (code === "ECONNABORTED" || req.destroyed) return resolve();
      // The row exists but its bytes do not: an integrity failure (500, logged), not "no such route".
      if (code === "ENOENT" || status === 404) return reject(new NotFoundError("blob"));
      reject(err);
    });
  });
}

async function sendStreamed(req: Request, res: Response, file: FileRecord, storage: Storage): Promise<void> {
  if (req.fresh) {
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
  const body = await storage.blobs.createReadStream(file.blobKey, { start, end });
  await new Promise<void>((resolve) => {
    body.once("error", (err) => {
      req.log?.error({ err }, "blob read failed mid-download");
      res.destroy(err);
      resolve();
    });
    res.once("close", () => {
      body.destroy();
      resolve();
    });
    body.pipe(res);
  });
}

/** Sends `file`'s content (or its headers for `HEAD`, or `304`/`206`/`416`) and meters bandwidth. */
export async function sendFileContent(req: Request, res: Response, file: FileRecord, storage: Storage): Promise<void> {
  setEntityHeaders(res, file);
  delete req.headers["if-match"];
  delete req.headers["if-unmodified-since"];
  // `Cache-Control: no-cache` in a request is addressed to caches (RFC 9111 §5.2.1.4); an origin
  // still evaluates If-None-Match (RFC 9110 §13.1.2). `fresh` (used by send and req.fresh) would
  // ignore it, and fetch() adds that header to every request carrying If-None-Match.
  delete req.headers["cache-control"];
  meterBody(res, (bytes) => {
    storage.metadata.addBandwidth(file.userId, bytes).catch((err: unknown) => req.log?.error({ err }, "bandwidth not counted"));
  });
  const local = storage.blobs.localPath(file.blobKey);
  if (local) await sendLocal(req, res, local, file.size);
  else await sendStreamed(req, res, file, storage);
}
