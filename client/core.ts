/**
 * `createAetherClient`: an openapi-fetch client for the generated `paths` (every call typed from
 * openapi.yaml) with the API key attached, 429s retried, plus task helpers that return the data
 * or throw `AetherApiError`. Browser-safe: no Node imports here (Node extras are in `./node.ts`).
 */
import createClient, { type Client } from "openapi-fetch";
import { fileNameFromContentDisposition } from "./contentDisposition.js";
import { apiErrorFrom, apiErrorFromResponse, networkError } from "./errors.js";
import { multipartBlob, multipartBody } from "./multipart.js";
import { withRateLimitRetry, type RetryOptions } from "./retry.js";
import type { AetherFile, AetherFolder, FileUpdate, FolderCreate, ListFilesQuery, Pagination, UserStats, paths } from "./types.js";

/** Options of {@link createAetherClient}. */
export interface AetherClientOptions {
  /** Origin of the API, e.g. `https://yoursite.com` or `http://localhost:8080` (paths carry `/api/v1`). */
  baseUrl: string;
  /** An `ak_…` key. */
  apiKey: string;
  /** Header that carries the key: `Authorization: Bearer` (default) or `X-API-Key`. */
  authHeader?: "bearer" | "x-api-key";
  /** A fetch implementation (default `globalThis.fetch`). */
  fetch?: (input: Request) => Promise<Response>;
  /** Retry of `rate_limited` answers; `false` turns it off. Uploads are never retried. */
  retry?: RetryOptions | false;
}

/** Request headers in any form `fetch` takes: a plain object, `[name, value]` pairs or `Headers`. */
export type RequestHeaders = NonNullable<RequestInit["headers"]>;

/** Per-call options every helper takes. */
export interface RequestOptions {
  /**
   * Headers for this call only, merged over the client's own (so they can even replace the API
   * key), e.g. `{ Prefer: "code=404" }` for the sandbox's error scenarios. An upload keeps its
   * multipart `Content-Type`.
   */
  headers?: RequestHeaders;
  /** Cancels the call: the promise rejects with the signal's reason (an `AbortError`). */
  signal?: AbortSignal;
}

/** Progress of a transfer. */
export interface TransferProgress {
  /** Bytes of file content sent or received so far. */
  loaded: number;
  /** Total bytes, when known. */
  total: number | undefined;
}

/** Input of `uploadFile`. */
export interface UploadFileInput<FileSource = Blob | ReadableStream<Uint8Array>> {
  /**
   * The content: a `Blob`/`File`, or a web `ReadableStream` (streamed, never read whole; browsers
   * stream request bodies only over HTTP/2 or later, and Firefox/Safari not at all: use a Blob there).
   */
  file: FileSource;
  /** File name (default: the `File`'s name, else `file`). */
  name?: string;
  /** Media type of the part (default: the `Blob`'s type; the server guesses from the name otherwise). */
  type?: string;
  /** Target folder. */
  folderId?: string;
  /** Description. */
  description?: string;
  /** Tags. */
  tags?: string[];
  /** Headers for this upload only (see {@link RequestOptions.headers}). */
  headers?: RequestHeaders;
  /** Cancels the upload. */
  signal?: AbortSignal;
  /**
   * Called as content bytes are sent. In the browser entry a `Blob` is sent as is and fetch reports
   * no upload progress: it is called once, with the full size, when the server has the file.
   */
  onProgress?: (progress: TransferProgress) => void;
}

/** Options of `downloadFile`. */
export interface DownloadOptions extends RequestOptions {
  /** One byte range: `{ start, end? }` (inclusive) or `{ suffix }` for the last bytes. */
  range?: { start: number; end?: number } | { suffix: number };
  /** Called as content bytes arrive (as the stream is read). */
  onProgress?: (progress: TransferProgress) => void;
}

/** A download: the bytes as a web stream and the metadata from the headers. */
export interface Download {
  /** The content (or the requested range). Read it or cancel it. */
  body: ReadableStream<Uint8Array>;
  /** File name, from `Content-Disposition`. */
  name: string | undefined;
  /** Bytes in `body`. */
  size: number | undefined;
  /** Full size of the file (differs from `size` for a range). */
  totalSize: number | undefined;
  /** Media type. */
  type: string | undefined;
  /** Strong ETag (quoted SHA-256). */
  etag: string | undefined;
  /** 200, or 206 for a range. */
  status: number;
}

/** Options of `iterateFiles`; `headers` and `signal` apply to every page's request. */
export interface IterateFilesOptions extends RequestOptions {
  /** Only the files directly inside this folder. */
  folderId?: string;
  /** Files per request (default 100). */
  pageSize?: number;
}

/**
 * The task helpers added to the openapi-fetch client. Each takes per-call `headers` and `signal`
 * ({@link RequestOptions}; in the upload's input and the download's options).
 */
export interface AetherHelpers {
  /** Uploads a file and returns it. Not retried on 429 (the body cannot be replayed). */
  uploadFile(input: UploadFileInput): Promise<AetherFile>;
  /** Opens a download. */
  downloadFile(id: string, options?: DownloadOptions): Promise<Download>;
  /** One file's metadata. */
  getFile(id: string, options?: RequestOptions): Promise<AetherFile>;
  /** Renames, describes, tags or moves a file. */
  updateFile(id: string, changes: FileUpdate, options?: RequestOptions): Promise<AetherFile>;
  /** Deletes a file. */
  deleteFile(id: string, options?: RequestOptions): Promise<void>;
  /** One page of files. */
  listFiles(query?: ListFilesQuery, options?: RequestOptions): Promise<{ files: AetherFile[]; pagination: Pagination }>;
  /** Every file (optionally of one folder), fetching page after page. */
  iterateFiles(options?: IterateFilesOptions): AsyncGenerator<AetherFile, void, undefined>;
  /** Every folder. */
  listFolders(options?: RequestOptions): Promise<AetherFolder[]>;
  /** Creates a folder. */
  createFolder(input: FolderCreate, options?: RequestOptions): Promise<AetherFolder>;
  /** Deletes an empty folder. */
  deleteFolder(id: string, options?: RequestOptions): Promise<void>;
  /** Account statistics. */
  getUserStats(options?: RequestOptions): Promise<UserStats>;
}

/** The client: an openapi-fetch `Client<paths>` plus {@link AetherHelpers}. */
export type AetherClient = Client<paths> & AetherHelpers;

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

function isAbort(err: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (err as { name?: string } | null)?.name === "AbortError";
}

/** Runs an openapi-fetch call: returns `data` on 2xx, throws `AetherApiError` otherwise. */
async function unwrap<T>(call: Promise<FetchResult<T>>, signal?: AbortSignal): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (err) {
    if (isAbort(err, signal)) throw err;
    throw networkError("Request", err);
  }
  if (!result.response.ok) throw apiErrorFrom(result.response, result.error);
  return result.data as T;
}

/**
 * The openapi-fetch init for per-call options (only what was given). Headers become a `Headers`:
 * openapi-fetch merges plain objects and `Headers`, but would misread `[name, value]` pairs.
 */
function init(options: RequestOptions | undefined): { headers?: Headers; signal?: AbortSignal } {
  return {
    ...(options?.headers !== undefined && { headers: new Headers(options.headers) }),
    ...(options?.signal !== undefined && { signal: options.signal }),
  };
}

/** The client's headers, then the call's, then the ones the request needs as they are. */
function requestHeaders(base: Record<string, string>, perCall: RequestHeaders | undefined, fixed: Record<string, string>): Headers {
  const headers = new Headers(base);
  if (perCall !== undefined) new Headers(perCall).forEach((value, name) => headers.set(name, value));
  for (const [name, value] of Object.entries(fixed)) headers.set(name, value);
  return headers;
}

function rangeHeader(range: DownloadOptions["range"]): string | undefined {
  if (!range) return undefined;
  if ("suffix" in range) return `bytes=-${range.suffix}`;
  return `bytes=${range.start}-${range.end ?? ""}`;
}

function countingStream(
  body: ReadableStream<Uint8Array>,
  total: number | undefined,
  onProgress: ((p: TransferProgress) => void) | undefined,
): ReadableStream<Uint8Array> {
  if (!onProgress) return body;
  let loaded = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        loaded += chunk.byteLength;
        onProgress({ loaded, total });
        controller.enqueue(chunk);
      },
    }),
  );
}

/** How uploads are sent; the Node entry streams Blobs too (for progress), browsers cannot. */
export interface UploadTransport {
  /** Send a `Blob` as a streamed body (per-chunk progress) instead of as a `Blob`. */
  streamBlobs: boolean;
}

/** Creates a client. See {@link AetherClientOptions}. */
export function createAetherClient(options: AetherClientOptions): AetherClient {
  return createClientWithTransport(options, { streamBlobs: false });
}

/** `createAetherClient` with an explicit upload transport (used by the Node entry). */
export function createClientWithTransport(options: AetherClientOptions, transport: UploadTransport): AetherClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const rawFetch = options.fetch ?? ((input: Request) => globalThis.fetch(input));
  const authHeaders: Record<string, string> =
    options.authHeader === "x-api-key" ? { "X-API-Key": options.apiKey } : { Authorization: `Bearer ${options.apiKey}` };
  const api = createClient<paths>({
    baseUrl,
    headers: authHeaders,
    fetch: options.retry === false ? rawFetch : withRateLimitRetry(rawFetch, options.retry),
  });

  const helpers: AetherHelpers = {
    async uploadFile(input) {
      const source = input.file;
      const isBlob = typeof Blob !== "undefined" && source instanceof Blob;
      const name = input.name ?? (isBlob && "name" in source && typeof source.name === "string" ? source.name : "file");
      const type = input.type ?? (isBlob && source.type ? source.type : "application/octet-stream");
      const total = isBlob ? source.size : undefined;
      const fields: [string, string][] = [];
      if (input.folderId !== undefined) fields.push(["folderId", input.folderId]);
      if (input.description !== undefined) fields.push(["description", input.description]);
      if (input.tags !== undefined) fields.push(["tags", input.tags.join(",")]);
      let request: Request;
      if (isBlob && !transport.streamBlobs) {
        // A Blob goes as a Blob: browsers stream a request body only over HTTP/2 or later (Chromium
        // fails an HTTP/1.1 upload with ERR_ALPN_NEGOTIATION_FAILED; Firefox and Safari have no
        // request streams at all). fetch reports no upload progress for it: onProgress is called
        // once the server has taken the whole file.
        const { body, contentType } = multipartBlob(fields, { field: "file", name, type, blob: source });
        request = new Request(`${baseUrl}/api/v1/files/upload`, {
          method: "POST",
          headers: requestHeaders(authHeaders, input.headers, { "Content-Type": contentType }),
          body,
          signal: input.signal ?? null,
        });
      } else {
        let loaded = 0;
        const { body, contentType } = multipartBody(
          fields,
          { field: "file", name, type, stream: isBlob ? source.stream() : (source as ReadableStream<Uint8Array>) },
          (bytes) => {
            loaded += bytes;
            input.onProgress?.({ loaded, total });
          },
          input.signal,
        );
        request = new Request(`${baseUrl}/api/v1/files/upload`, {
          method: "POST",
          headers: requestHeaders(authHeaders, input.headers, { "Content-Type": contentType }),
          body,
          signal: input.signal ?? null,
          duplex: "half",
          // A streamed body cannot follow a redirect anyway, and with redirect "error" plus no
          // window the Fetch standard sends the request itself instead of a clone. Cloning tees the
          // body, and Node 20's undici then keeps every chunk of the upload in the unread branch
          // (nodejs/undici#4058): a 200 MB upload cost 200 MB of RSS.
          redirect: "error",
          window: null,
        } as RequestInit);
      }
      let response: Response;
      try {
        response = await rawFetch(request);
      } catch (err) {
        if (isAbort(err, input.signal)) throw err;
        throw networkError("Upload", err);
      }
      if (!response.ok) throw await apiErrorFromResponse(response);
      const data = (await response.json()) as { file: AetherFile };
      if (isBlob && !transport.streamBlobs) input.onProgress?.({ loaded: source.size, total: source.size });
      return data.file;
    },

    async downloadFile(id, opts = {}) {
      const range = rangeHeader(opts.range);
      let result: FetchResult<ReadableStream<Uint8Array> | null>;
      try {
        result = await api.GET("/api/v1/files/{id}/download", {
          params: { path: { id }, ...(range && { header: { Range: range } }) },
          parseAs: "stream",
          ...init(opts),
        });
      } catch (err) {
        if (isAbort(err, opts.signal)) throw err;
        throw networkError("Download", err);
      }
      const { response } = result;
      if (!response.ok) throw apiErrorFrom(response, result.error);
      const headers = response.headers;
      const length = headers.get("content-length");
      const size = length === null ? undefined : Number(length);
      const totalMatch = /\/(\d+)$/.exec(headers.get("content-range") ?? "");
      const totalSize = totalMatch?.[1] !== undefined ? Number(totalMatch[1]) : size;
      const body = result.data ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
      return {
        body: countingStream(body, size, opts.onProgress),
        name: fileNameFromContentDisposition(headers.get("content-disposition")),
        size,
        totalSize,
        type: headers.get("content-type") ?? undefined,
        etag: headers.get("etag") ?? undefined,
        status: response.status,
      };
    },

    async getFile(id, options) {
      return (await unwrap(api.GET("/api/v1/files/{id}", { params: { path: { id } }, ...init(options) }), options?.signal)).file;
    },
    async updateFile(id, changes, options) {
      return (await unwrap(api.PATCH("/api/v1/files/{id}", { params: { path: { id } }, body: changes, ...init(options) }), options?.signal)).file;
    },
    async deleteFile(id, options) {
      await unwrap(api.DELETE("/api/v1/files/{id}", { params: { path: { id } }, ...init(options) }), options?.signal);
    },
    async listFiles(query = {}, options) {
      const data = await unwrap(api.GET("/api/v1/files", { params: { query }, ...init(options) }), options?.signal);
      return { files: data.files, pagination: data.pagination };
    },
    async *iterateFiles(opts = {}) {
      const limit = opts.pageSize ?? 100;
      // Cursor pages: no file is skipped or repeated when files are added or deleted meanwhile.
      // A server that sends no `nextCursor` (the original API) is paged by offset instead.
      let cursor: string | undefined;
      let offset = 0;
      for (;;) {
        const { files, pagination } = await helpers.listFiles(
          {
            limit,
            ...(cursor !== undefined ? { cursor } : offset > 0 && { offset }),
            ...(opts.folderId !== undefined && { folderId: opts.folderId }),
          },
          opts,
        );
        yield* files;
        if (files.length === 0) return;
        if (pagination.nextCursor === undefined) {
          offset += files.length;
          if (offset >= pagination.total) return;
        } else {
          // null ends the walk; the cursor just sent coming back means a server that does not move.
          if (pagination.nextCursor === null || pagination.nextCursor === cursor) return;
          cursor = pagination.nextCursor;
        }
      }
    },
    async listFolders(options) {
      return (await unwrap(api.GET("/api/v1/folders", init(options)), options?.signal)).folders;
    },
    async createFolder(input, options) {
      return (await unwrap(api.POST("/api/v1/folders", { body: input, ...init(options) }), options?.signal)).folder;
    },
    async deleteFolder(id, options) {
      await unwrap(api.DELETE("/api/v1/folders/{id}", { params: { path: { id } }, ...init(options) }), options?.signal);
    },
    async getUserStats(options) {
      return (await unwrap(api.GET("/api/v1/user/stats", init(options)), options?.signal)).stats;
    },
  };
  return Object.assign(api, helpers);
}
