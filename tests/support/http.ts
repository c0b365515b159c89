/**
 * HTTP helpers shared by tests/server: auth headers, uploads (FormData and hand-built multipart),
 * the error-envelope assertion, blob-dir inspection and polling.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readdir } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { expect } from "vitest";
import { OpenApiOracle } from "./openapi-oracle.js";

let oracle: Promise<OpenApiOracle> | undefined;
/** The contract judge (tests/support/openapi-oracle.ts) on openapi.yaml, loaded once. */
export function contract(): Promise<OpenApiOracle> {
  oracle ??= OpenApiOracle.load();
  return oracle;
}

/**
 * Asserts that a response conforms to openapi.yaml for `method` and its URL: declared status,
 * content type, body schema and headers. `body` is the text already read (or undefined).
 */
export async function expectConforms(method: string, res: Response, body: string | undefined): Promise<void> {
  const url = new URL(res.url);
  const violations = (await contract()).checkResponse({
    method,
    path: url.pathname,
    status: res.status,
    headers: res.headers,
    body: body === "" ? undefined : body,
  });
  expect(violations, `${method} ${url.pathname} → ${res.status}`).toEqual([]);
}

/** `Authorization: Bearer <key>`. */
export function bearer(key: string): Record<string, string> {
  return { Authorization: `Bearer ${key}` };
}

/** Hex SHA-256 of some bytes. */
export function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** The API file object as the server returns it. */
export interface ApiFile {
  id: string;
  name: string;
  size: number;
  url: string;
  mimeType: string;
  folderId: string | null;
  description: string | null;
  tags: string[];
  sha256: string;
  createdAt: string;
  updatedAt: string;
}

/** The API folder object. */
export interface ApiFolder {
  id: string;
  name: string;
  parentId: string | null;
  createdAt: string;
}

/** The API stats object. */
export interface ApiStats {
  totalFiles: number;
  totalSize: number;
  totalFolders: number;
  storageUsed: string;
  bandwidthUsed: string;
  bandwidthUsedBytes: number;
}

/** The error envelope. */
export interface ErrorBody {
  success: false;
  error: { code: string; message: string; requestId?: string };
}

/** What `upload` sends. */
export interface UploadInput {
  /** File content (default: 16 random bytes). */
  data?: Uint8Array | string;
  /** Part filename (default `test.bin`). */
  name?: string;
  /** Part Content-Type; `""` sends none (FormData would say octet-stream: see `multipart`). */
  type?: string;
  description?: string;
  tags?: string;
  folderId?: string;
}

/** POSTs one file as multipart/form-data with fetch's FormData. */
export function upload(baseUrl: string, key: string, input: UploadInput = {}): Promise<Response> {
  const form = new FormData();
  if (input.folderId !== undefined) form.append("folderId", input.folderId);
  if (input.description !== undefined) form.append("description", input.description);
  if (input.tags !== undefined) form.append("tags", input.tags);
  const data = input.data ?? new Uint8Array(16).map(() => Math.floor(Math.random() * 256));
  const bytes = typeof data === "string" ? data : new Uint8Array(data); // an ArrayBuffer-backed copy, as Blob wants
  form.append("file", new Blob([bytes], input.type !== undefined ? { type: input.type } : {}), input.name ?? "test.bin");
  return fetch(`${baseUrl}/api/v1/files/upload`, { method: "POST", headers: bearer(key), body: form });
}

/** `upload` that must succeed; returns the stored file. */
export async function uploadOk(baseUrl: string, key: string, input: UploadInput = {}): Promise<ApiFile> {
  const res = await upload(baseUrl, key, input);
  const text = await res.text();
  expect(res.status, text).toBe(201);
  return (JSON.parse(text) as { file: ApiFile }).file;
}

/** One part of a hand-built multipart body. */
export interface RawPart {
  name: string;
  /** Quoted `filename="…"` as written (only `"` and `\` are backslash-escaped). */
  filename?: string;
  /** RFC 5987 `filename*=UTF-8''…` (percent-encoded here), e.g. to carry CR/LF or quotes. */
  filenameStar?: string;
  /** `filename*=UTF-8''…` with the value written as given (already percent-encoded, maybe wrongly). */
  filenameStarRaw?: string;
  contentType?: string;
  data: Uint8Array | string;
}

/**
 * A multipart/form-data body built byte by byte, for what FormData cannot send (a part without
 * Content-Type, raw quotes, RFC 5987 names, text fields named `file`).
 */
export function multipart(parts: RawPart[]): { body: Uint8Array<ArrayBuffer>; contentType: string } {
  const boundary = `----aethertest${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let disposition = `form-data; name="${part.name}"`;
    if (part.filename !== undefined) disposition += `; filename="${part.filename.replace(/(["\\])/g, "\\$1")}"`;
    if (part.filenameStar !== undefined) {
      const encoded = encodeURIComponent(part.filenameStar).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
      disposition += `; filename*=UTF-8''${encoded}`;
    }
    if (part.filenameStarRaw !== undefined) disposition += `; filename*=UTF-8''${part.filenameStarRaw}`;
    let head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n`;
    if (part.contentType !== undefined) head += `Content-Type: ${part.contentType}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`, "utf8"), Buffer.from(part.data), Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: new Uint8Array(Buffer.concat(chunks)), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** POSTs a hand-built multipart body to the upload endpoint. */
export function uploadRaw(baseUrl: string, key: string, parts: RawPart[]): Promise<Response> {
  const { body, contentType } = multipart(parts);
  return fetch(`${baseUrl}/api/v1/files/upload`, {
    method: "POST",
    headers: { ...bearer(key), "Content-Type": contentType },
    body,
  });
}

/** Substrings that betray a stack trace or a server path in an error message. */
const LEAKS = [/\bat [\w.<>]+ \(/, /\n\s+at /, /\/work\//, /node_modules/, /\.ts:\d+/, /\.js:\d+/, /SqliteError|TypeError|ReferenceError/];

/**
 * Asserts the error envelope: status, JSON content type, `{success:false,error:{code,message,
 * requestId}}`, `X-Request-Id` equal to `error.requestId`, no HTML, no stack trace or paths.
 * With `method`, the response must also conform to that operation in openapi.yaml.
 */
export async function expectError(res: Response, status: number, code: string, method?: string): Promise<ErrorBody> {
  const text = await res.text();
  expect(res.status, `${res.url} → ${text}`).toBe(status);
  if (method !== undefined) await expectConforms(method, res, text);
  expect(res.headers.get("content-type") ?? "").toMatch(/^application\/json\b/);
  expect(text).not.toMatch(/<html|<!doctype|<pre>/i);
  const body = JSON.parse(text) as ErrorBody;
  expect(Object.keys(body).sort()).toEqual(["error", "success"]);
  expect(body.success).toBe(false);
  expect(Object.keys(body.error).sort()).toEqual(["code", "message", "requestId"]);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe("string");
  expect(body.error.message.length).toBeGreaterThan(0);
  for (const leak of LEAKS) expect(body.error.message).not.toMatch(leak);
  expect(body.error.requestId).toBeTruthy();
  expect(res.headers.get("x-request-id")).toBe(body.error.requestId);
  return body;
}

/** An error body without its request id, to compare two answers. */
export function withoutRequestId(body: ErrorBody): ErrorBody {
  return { success: body.success, error: { code: body.error.code, message: body.error.message } };
}

/** Reads a JSON success body, asserting the status. */
export async function json<T>(res: Response, status = 200): Promise<T> {
  const text = await res.text();
  expect(res.status, `${res.url} → ${text}`).toBe(status);
  expect(res.headers.get("content-type") ?? "").toMatch(/^application\/json\b/);
  return JSON.parse(text) as T;
}

/** GET with a key, as JSON. */
export async function getJson<T>(url: string, key: string): Promise<T> {
  return json<T>(await fetch(url, { headers: bearer(key) }));
}

/** The caller's stats. */
export async function stats(baseUrl: string, key: string): Promise<ApiStats> {
  return (await getJson<{ stats: ApiStats }>(`${baseUrl}/api/v1/user/stats`, key)).stats;
}

/** Every file of the caller, all pages. */
export async function listAll(baseUrl: string, key: string, query = ""): Promise<ApiFile[]> {
  const out: ApiFile[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = await getJson<{ files: ApiFile[]; pagination: { total: number } }>(
      `${baseUrl}/api/v1/files?limit=100&offset=${offset}${query}`,
      key,
    );
    out.push(...page.files);
    if (page.files.length < 100) return out;
  }
}

/** PATCH a file with a JSON body. */
export function patchFile(baseUrl: string, key: string, id: string, body: unknown): Promise<Response> {
  return fetch(`${baseUrl}/api/v1/files/${id}`, {
    method: "PATCH",
    headers: { ...bearer(key), "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** POST /folders with a JSON body. */
export function postFolder(baseUrl: string, key: string, body: unknown): Promise<Response> {
  return fetch(`${baseUrl}/api/v1/folders`, {
    method: "POST",
    headers: { ...bearer(key), "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** Creates a folder that must succeed. */
export async function createFolder(baseUrl: string, key: string, name: string, parentId?: string): Promise<ApiFolder> {
  return (await json<{ folder: ApiFolder }>(await postFolder(baseUrl, key, parentId ? { name, parentId } : { name }), 201)).folder;
}

/** Files under `${dataDir}/blobs`, split into temp files (`tmp/`) and stored blobs (`blobs/`). */
export async function blobFiles(dataDir: string): Promise<{ temp: string[]; blobs: string[]; all: string[] }> {
  const root = join(dataDir, "blobs");
  let entries: string[] = [];
  try {
    entries = (await readdir(root, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(root.length + 1));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  return {
    temp: entries.filter((p) => p.startsWith("tmp/")),
    blobs: entries.filter((p) => p.startsWith("blobs/")),
    all: entries,
  };
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns the last result. */
export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 2000, stepMs = 25): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** Polls the stats until `bandwidthUsedBytes` reaches `expected` (metering ends after the response), then returns it. */
export async function settledBandwidth(baseUrl: string, key: string, expected: number): Promise<number> {
  let last = -1;
  await waitFor(async () => {
    last = (await stats(baseUrl, key)).bandwidthUsedBytes;
    return last >= expected;
  }, 2000);
  // A little longer, so that a late over-count is seen too.
  await new Promise((r) => setTimeout(r, 50));
  return (await stats(baseUrl, key)).bandwidthUsedBytes;
}

/** A raw HTTP/1.1 exchange with node:http (bodies fetch refuses to send, or to inspect exactly). */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string | number>; body?: Buffer | string },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? "GET", headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

/** Result of a child process. */
export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command (no shell), never rejecting on a non-zero exit. */
export function run(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeoutMs ?? 30_000, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== "number") return reject(err);
        resolve({ code: err ? (err.code as number) : 0, stdout, stderr });
      },
    );
  });
}

/** Runs a shell command line (`sh -c`), e.g. a documented curl example exactly as written. */
export function shell(line: string, options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ProcessResult> {
  return run("/bin/sh", ["-c", line], options);
}

/** The parts of a `Content-Disposition` header (RFC 6266), parsed independently of the server's library. */
export interface Disposition {
  type: string;
  /** The plain `filename` parameter (token or quoted-string, unescaped). */
  filename?: string;
  /** The decoded RFC 8187 `filename*` (UTF-8 only). */
  filenameStar?: string;
}

/** Parses a `Content-Disposition` header; throws on syntax the RFCs do not allow. */
export function parseDisposition(header: string): Disposition {
  const token = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
  const param = new RegExp(`^;\\s*(${token})\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|(${token}))\\s*`);
  const typeMatch = new RegExp(`^(${token})\\s*`).exec(header);
  if (!typeMatch) throw new Error(`bad disposition type: ${header}`);
  const out: Disposition = { type: typeMatch[1]!.toLowerCase() };
  let rest = header.slice(typeMatch[0].length);
  while (rest.length > 0) {
    const m = param.exec(rest);
    if (!m) throw new Error(`bad disposition parameter at: ${rest}`);
    const name = m[1]!.toLowerCase();
    const value = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : m[3]!;
    if (name === "filename") out.filename = value;
    if (name === "filename*") {
      const ext = /^UTF-8'[^']*'(.*)$/i.exec(value);
      if (!ext) throw new Error(`filename* is not UTF-8: ${value}`);
      out.filenameStar = decodeURIComponent(ext[1]!);
    }
    rest = rest.slice(m[0].length);
  }
  return out;
}
