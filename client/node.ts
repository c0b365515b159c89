/**
 * `aethercdn/client` in Node: everything of the browser entry, plus uploads from a file path or
 * a Node `Readable` (streamed: a path becomes a lazily read `fs.openAsBlob`) and
 * `downloadFileToPath` (streamed to a temp file beside the target, renamed when complete).
 */
import { openAsBlob } from "node:fs";
import { createWriteStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import { createClientWithTransport } from "./core.js";
import type { AetherClient, AetherClientOptions, Download, DownloadOptions, UploadFileInput } from "./core.js";

export * from "./index.js";

/** Upload sources accepted in Node. */
export type NodeFileSource = Blob | ReadableStream<Uint8Array> | Readable | string;

/** The Node client: uploads also take paths and `Readable`s; downloads can go straight to disk. */
export interface AetherNodeClient extends Omit<AetherClient, "uploadFile"> {
  /** Uploads from a `Blob`, a web `ReadableStream`, a Node `Readable` or a file path. */
  uploadFile(input: UploadFileInput<NodeFileSource>): ReturnType<AetherClient["uploadFile"]>;
  /** Downloads to `path` (written to a temp file, renamed when complete) and returns the metadata. */
  downloadFileToPath(id: string, path: string, options?: DownloadOptions): Promise<Omit<Download, "body">>;
}

async function toWebSource(file: NodeFileSource): Promise<{ source: Blob | ReadableStream<Uint8Array>; name?: string }> {
  if (typeof file === "string") {
    // openAsBlob alone reports a missing file as "Unable to open file as blob" (ERR_INVALID_ARG_VALUE),
    // without the path; stat first for the usual ENOENT/EISDIR-style error naming the path.
    const info = await stat(file);
    if (!info.isFile()) throw Object.assign(new Error(`EISDIR: not a regular file, open '${file}'`), { code: "EISDIR", path: file });
    return { source: await openAsBlob(file), name: basename(file) };
  }
  if (file instanceof Readable) return { source: Readable.toWeb(file) as unknown as ReadableStream<Uint8Array> };
  return { source: file };
}

/** Creates a Node client. See `AetherClientOptions`. */
export function createAetherClient(options: AetherClientOptions): AetherNodeClient {
  // Node's fetch streams request bodies over HTTP/1.1, so Blobs (and paths) are streamed too:
  // that gives per-chunk progress.
  const core = createClientWithTransport(options, { streamBlobs: true });
  const coreUpload = core.uploadFile.bind(core);
  return Object.assign(core, {
    async uploadFile(input: UploadFileInput<NodeFileSource>) {
      const { source, name } = await toWebSource(input.file);
      const resolvedName = input.name ?? name;
      return coreUpload({ ...input, file: source, ...(resolvedName !== undefined && { name: resolvedName }) });
    },
    async downloadFileToPath(id: string, path: string, opts: DownloadOptions = {}) {
      const { body, ...meta } = await core.downloadFile(id, opts);
      const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.part`);
      try {
        await pipeline(Readable.fromWeb(body as unknown as NodeWebReadableStream<Uint8Array>), createWriteStream(temp));
        await rename(temp, path);
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
      return meta;
    },
  }) as unknown as AetherNodeClient;
}
