/**
 * One HTTP exchange of the suite, and its reproduction as a curl command. Requests are plain
 * data (`RequestSpec`) so fast-check can generate and shrink them and the report can print them.
 * A `429` is not a finding: the suite waits `Retry-After` (at most 60 s, three times) and retries.
 * A `raw` request is written with node:http, its request-target byte for byte: fetch (like every
 * WHATWG URL user) would resolve `.`/`..`/`%2e` segments before sending.
 */
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";

/** A multipart file part. */
export interface FilePartSpec {
  field: string;
  name: string;
  type: string;
  bytes: Uint8Array;
}

/** A request body. */
export type BodySpec =
  | { kind: "json"; value: unknown }
  | { kind: "raw"; contentType?: string; text: string }
  | { kind: "multipart"; fields: [string, string][]; file?: FilePartSpec };

/** A request, as data. */
export interface RequestSpec {
  method: string;
  /** Concrete path with `/api/v1`, already percent-encoded. */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: BodySpec;
  /**
   * Send `path` exactly as spelled (dot segments, `%2e`, `//` and all): node:http instead of fetch,
   * and `curl --path-as-is` in the reproduction.
   */
  raw?: boolean;
}

/** What came back. */
export interface Exchange {
  request: RequestSpec;
  status: number;
  headers: Headers;
  bytes: Uint8Array;
  text: string;
  /** Parsed JSON body, or undefined. */
  json: unknown;
}

const BOUNDARY = "----aetherconformance7MA4YWxkTrZu0gW";
const encoder = new TextEncoder();

function escapeName(value: string): string {
  return value.replace(/"/g, "%22").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Serialises a multipart body (small files only: the suite never sends big ones through here). */
export function multipartBytes(fields: [string, string][], file?: FilePartSpec): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const [name, value] of fields) {
    chunks.push(encoder.encode(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${escapeName(name)}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    chunks.push(
      encoder.encode(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${escapeName(file.field)}"; filename="${escapeName(file.name)}"\r\n` +
          `Content-Type: ${file.type}\r\n\r\n`,
      ),
    );
    chunks.push(file.bytes, encoder.encode("\r\n"));
  }
  chunks.push(encoder.encode(`--${BOUNDARY}--\r\n`));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

function url(baseUrl: string, req: RequestSpec): string {
  const qs = new URLSearchParams(req.query ?? {}).toString();
  return `${baseUrl}${req.path}${qs ? `?${qs}` : ""}`;
}

function encodeBody(body: BodySpec | undefined): { headers: Record<string, string>; payload?: Uint8Array | string } {
  if (!body) return { headers: {} };
  switch (body.kind) {
    case "json":
      return { headers: { "Content-Type": "application/json" }, payload: JSON.stringify(body.value) };
    case "raw":
      return { headers: body.contentType ? { "Content-Type": body.contentType } : {}, payload: body.text };
    case "multipart":
      return { headers: { "Content-Type": `multipart/form-data; boundary=${BOUNDARY}` }, payload: multipartBytes(body.fields, body.file) };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function responseHeaders(raw: IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) out.append(name, v);
  }
  return out;
}

/** One request through node:http(s), the request-target exactly `path` (+ query); no redirects followed. */
function sendRaw(baseUrl: string, req: RequestSpec, headers: Record<string, string>, payload?: Uint8Array | string): Promise<{ status: number; headers: Headers; bytes: Uint8Array }> {
  const origin = new URL(baseUrl);
  const target = url(origin.pathname.replace(/\/+$/, ""), req);
  const body = payload === undefined ? undefined : typeof payload === "string" ? Buffer.from(payload, "utf8") : Buffer.from(payload);
  const request = origin.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        protocol: origin.protocol,
        hostname: origin.hostname.replace(/^\[|\]$/g, ""),
        port: origin.port || undefined,
        method: req.method,
        path: target,
        headers: { ...headers, ...(body !== undefined && { "Content-Length": String(body.byteLength) }) },
        timeout: 60_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: responseHeaders(res.headers), bytes: new Uint8Array(Buffer.concat(chunks)) }));
      },
    );
    outgoing.on("timeout", () => outgoing.destroy(new Error(`no answer to ${req.method} ${target} within 60 s`)));
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** Sends `req` to `baseUrl` and reads the whole answer. */
export async function send(baseUrl: string, req: RequestSpec): Promise<Exchange> {
  const { headers: bodyHeaders, payload } = encodeBody(req.body);
  for (let attempt = 0; ; attempt++) {
    let response: { status: number; headers: Headers };
    let bytes: Uint8Array;
    if (req.raw) {
      const raw = await sendRaw(baseUrl, req, { ...bodyHeaders, ...req.headers }, payload);
      response = raw;
      bytes = raw.bytes;
    } else {
      const fetched = await fetch(url(baseUrl, req), {
        method: req.method,
        headers: { ...bodyHeaders, ...req.headers },
        ...(payload !== undefined && { body: payload as BodyInit }),
        redirect: "manual",
      });
      response = fetched;
      bytes = new Uint8Array(await fetched.arrayBuffer());
    }
    if (response.status === 429 && attempt < 3) {
      const wait = Number(response.headers.get("retry-after") ?? "1");
      await sleep(Math.min(60, Number.isFinite(wait) ? wait : 1) * 1000);
      continue;
    }
    const text = new TextDecoder().decode(bytes);
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { request: req, status: response.status, headers: response.headers, bytes, text, json };
  }
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A curl command that reproduces `req` against `baseUrl` (file parts are written with printf). */
export function toCurl(baseUrl: string, req: RequestSpec): string {
  const parts = ["curl", "-i", "-X", req.method];
  if (req.method === "HEAD") parts.splice(1, 3, "-I");
  if (req.raw) parts.splice(1, 0, "--path-as-is");
  for (const [name, value] of Object.entries(req.headers ?? {})) parts.push("-H", shellQuote(`${name}: ${value}`));
  const body = req.body;
  if (body?.kind === "json") parts.push("-H", shellQuote("Content-Type: application/json"), "--data-binary", shellQuote(JSON.stringify(body.value)));
  if (body?.kind === "raw") {
    if (body.contentType) parts.push("-H", shellQuote(`Content-Type: ${body.contentType}`));
    parts.push("--data-binary", shellQuote(body.text));
  }
  if (body?.kind === "multipart") {
    for (const [name, value] of body.fields) parts.push("--form-string", shellQuote(`${name}=${value}`));
    if (body.file) {
      const preview = new TextDecoder().decode(body.file.bytes.slice(0, 64));
      parts.push("-F", shellQuote(`${body.file.field}=@-;filename=${body.file.name};type=${body.file.type}`));
      parts.unshift(`printf %s ${shellQuote(preview)} |`);
    }
  }
  parts.push(shellQuote(url(baseUrl, req)));
  const truncated = body?.kind === "multipart" && body.file && body.file.bytes.byteLength > 64;
  return parts.join(" ") + (truncated ? `  # file part: first 64 of ${body.file?.bytes.byteLength} bytes shown` : "");
}
