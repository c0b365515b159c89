// Type-level contract of aethercdn/client, checked by `tsc -p tests/types/tsconfig.json` (run by
// tests/types/types.test.ts inside `npm test`). Every `@ts-expect-error` must be needed (an unused
// one is itself an error) and every expectTypeOf must hold exactly.
import { expectTypeOf } from "vitest";
import * as browser from "../../client/index.js";
import {
  AetherApiError,
  AetherNetworkError,
  createAetherClient,
  type AetherFile,
  type AetherFolder,
  type AetherNodeClient,
  type Download,
  type DownloadOptions,
  type ErrorCode,
  type IterateFilesOptions,
  type Pagination,
  type RequestOptions,
  type UserStats,
  type components,
} from "../../client/node.js";

const aether = createAetherClient({ baseUrl: "http://127.0.0.1:8080", apiKey: "ak_x" });
const web = browser.createAetherClient({ baseUrl: "http://127.0.0.1:8080", apiKey: "ak_x", authHeader: "x-api-key" });
expectTypeOf(aether).toEqualTypeOf<AetherNodeClient>();
expectTypeOf(web).toEqualTypeOf<browser.AetherClient>();

// ── options ─────────────────────────────────────────────────────────────────────────────────────
// @ts-expect-error authHeader is "bearer" | "x-api-key"
createAetherClient({ baseUrl: "x", apiKey: "k", authHeader: "basic" });
// @ts-expect-error apiKey is required
createAetherClient({ baseUrl: "x" });
createAetherClient({ baseUrl: "x", apiKey: "k", retry: false });
createAetherClient({ baseUrl: "x", apiKey: "k", retry: { retries: 1, maxDelayMs: 10 } });
// @ts-expect-error unknown retry option
createAetherClient({ baseUrl: "x", apiKey: "k", retry: { attempts: 1 } });

export async function openapiFetchFace() {
  // ── paths and methods ─────────────────────────────────────────────────────────────────────────
  const list = await aether.GET("/api/v1/files", { params: { query: { limit: 10 } } });
  expectTypeOf(list.data).toEqualTypeOf<components["schemas"]["FileList"] | undefined>();
  if (list.data) {
    expectTypeOf(list.data.files).toEqualTypeOf<AetherFile[]>();
    expectTypeOf(list.data.pagination).toEqualTypeOf<Pagination>();
  }
  expectTypeOf(list.response).toEqualTypeOf<Response>();
  // The error side is the error envelope.
  if (list.error) expectTypeOf(list.error.error.code).toEqualTypeOf<ErrorCode>();

  // @ts-expect-error a path the spec does not have
  await aether.GET("/api/v1/nope", {});
  // @ts-expect-error no /api/v1 prefix
  await aether.GET("/files", {});
  // @ts-expect-error stats has no DELETE
  await aether.DELETE("/api/v1/user/stats", {});
  // @ts-expect-error files/{id} has no POST
  await aether.POST("/api/v1/files/{id}", { params: { path: { id: "file_x" } } });
  // @ts-expect-error folders has no PATCH
  await aether.PATCH("/api/v1/folders", { body: { name: "x" } });

  // ── parameters ────────────────────────────────────────────────────────────────────────────────
  // @ts-expect-error limit is a number, not a string
  await aether.GET("/api/v1/files", { params: { query: { limit: "10" } } });
  // @ts-expect-error unknown query parameter
  await aether.GET("/api/v1/files", { params: { query: { page: 2 } } });
  // @ts-expect-error the path parameter is required (no init at all)
  await aether.GET("/api/v1/files/{id}");
  // @ts-expect-error the path parameter is required (empty path object)
  await aether.GET("/api/v1/files/{id}", { params: { path: {} } });
  // @ts-expect-error the path parameter is a string
  await aether.GET("/api/v1/files/{id}", { params: { path: { id: 42 } } });
  const one = await aether.GET("/api/v1/files/{id}", { params: { path: { id: "file_x" } } });
  expectTypeOf(one.data).toEqualTypeOf<{ success: true; file: AetherFile } | undefined>();

  // ── bodies ────────────────────────────────────────────────────────────────────────────────────
  await aether.PATCH("/api/v1/files/{id}", { params: { path: { id: "file_x" } }, body: { name: "n.txt" } });
  // Known gap of openapi-fetch 0.17 (not of this client): the init object is inferred through a
  // generic parameter, so TypeScript's excess-property check does not run on a raw call's body and
  // `body: { nmae: "n.txt" }` compiles. The updateFile helper (below) does reject unknown fields.
  await aether.PATCH("/api/v1/files/{id}", { params: { path: { id: "file_x" } }, body: { nmae: "n.txt" } });
  // @ts-expect-error createFolder needs a name
  await aether.POST("/api/v1/folders", { body: {} });
  // @ts-expect-error tags are strings
  await aether.PATCH("/api/v1/files/{id}", { params: { path: { id: "file_x" } }, body: { tags: [1] } });

  const health = await aether.GET("/api/v1/health");
  expectTypeOf(health.data).toEqualTypeOf<components["schemas"]["Health"] | undefined>();
}

export async function helpers() {
  expectTypeOf(aether.getFile).returns.resolves.toEqualTypeOf<AetherFile>();
  expectTypeOf(aether.updateFile).returns.resolves.toEqualTypeOf<AetherFile>();
  expectTypeOf(aether.deleteFile).returns.resolves.toEqualTypeOf<void>();
  expectTypeOf(aether.listFiles).returns.resolves.toEqualTypeOf<{ files: AetherFile[]; pagination: Pagination }>();
  expectTypeOf(aether.iterateFiles).returns.toEqualTypeOf<AsyncGenerator<AetherFile, void, undefined>>();
  expectTypeOf(aether.listFolders).returns.resolves.toEqualTypeOf<AetherFolder[]>();
  expectTypeOf(aether.createFolder).returns.resolves.toEqualTypeOf<AetherFolder>();
  expectTypeOf(aether.deleteFolder).returns.resolves.toEqualTypeOf<void>();
  expectTypeOf(aether.getUserStats).returns.resolves.toEqualTypeOf<UserStats>();
  expectTypeOf(aether.downloadFile).returns.resolves.toEqualTypeOf<Download>();
  expectTypeOf<Download["body"]>().toEqualTypeOf<ReadableStream<Uint8Array>>();
  expectTypeOf(aether.downloadFileToPath).returns.resolves.toEqualTypeOf<Omit<Download, "body">>();

  // uploadFile returns the AetherFile, in both entries.
  expectTypeOf(aether.uploadFile).returns.resolves.toEqualTypeOf<AetherFile>();
  expectTypeOf(web.uploadFile).returns.resolves.toEqualTypeOf<AetherFile>();

  // @ts-expect-error unknown field on updateFile
  await aether.updateFile("file_x", { nmae: "x" });
  // @ts-expect-error wrong type of a known field
  await aether.updateFile("file_x", { description: 5 });
  await aether.updateFile("file_x", { folderId: null, tags: ["a"] });
  // @ts-expect-error listFiles' limit is a number
  await aether.listFiles({ limit: "10" });
  // @ts-expect-error iterateFiles takes folderId/pageSize, not limit
  aether.iterateFiles({ limit: 10 });
  // @ts-expect-error createFolder needs a name
  await aether.createFolder({});
  // @ts-expect-error a range needs a start (or a suffix)
  await aether.downloadFile("file_x", { range: { end: 10 } });

  // ── upload sources: Node takes paths and Readables, the browser entry does not ────────────────
  const { Readable } = await import("node:stream");
  await aether.uploadFile({ file: "./report.pdf", tags: ["q3"] });
  await aether.uploadFile({ file: Readable.from(["x"]) });
  await aether.uploadFile({ file: new Blob(["x"]) });
  await aether.uploadFile({ file: new ReadableStream<Uint8Array>() });
  await web.uploadFile({ file: new Blob(["x"]), onProgress: (p) => expectTypeOf(p.total).toEqualTypeOf<number | undefined>() });
  await web.uploadFile({ file: new ReadableStream<Uint8Array>() });
  // @ts-expect-error the browser client does not take a path
  await web.uploadFile({ file: "./report.pdf" });
  // @ts-expect-error the browser client does not take a Node Readable
  await web.uploadFile({ file: Readable.from(["x"]) });
  // @ts-expect-error the browser client has no downloadFileToPath
  await web.downloadFileToPath("file_x", "/tmp/x");
  // @ts-expect-error tags are an array
  await aether.uploadFile({ file: new Blob(["x"]), tags: "a,b" });
  // @ts-expect-error a number is no upload source
  await aether.uploadFile({ file: 42 });
}

export async function perCallOptions() {
  // ── per-call headers and signal on every helper, in both entries ──────────────────────────────
  const options: RequestOptions = { headers: { Prefer: "code=404" }, signal: AbortSignal.timeout(1000) };
  expectTypeOf<browser.RequestOptions>().toEqualTypeOf<RequestOptions>();
  expectTypeOf(aether.getFile).parameter(1).toEqualTypeOf<RequestOptions | undefined>();
  expectTypeOf(web.getFile).parameter(1).toEqualTypeOf<RequestOptions | undefined>();
  expectTypeOf(aether.updateFile).parameter(2).toEqualTypeOf<RequestOptions | undefined>();
  expectTypeOf(aether.deleteFile).parameter(1).toEqualTypeOf<RequestOptions | undefined>();
  expectTypeOf(aether.listFiles).parameter(1).toEqualTypeOf<RequestOptions | undefined>();
  expectTypeOf(aether.listFolders).parameter(0).toEqualTypeOf<RequestOptions | undefined>();
  expectTypeOf(aether.createFolder).parameter(1).toEqualTypeOf<RequestOptions | undefined>();
  expectTypeOf(aether.deleteFolder).parameter(1).toEqualTypeOf<RequestOptions | undefined>();
  expectTypeOf(aether.getUserStats).parameter(0).toEqualTypeOf<RequestOptions | undefined>();
  expectTypeOf<DownloadOptions>().toExtend<RequestOptions>();
  expectTypeOf<IterateFilesOptions>().toExtend<RequestOptions>();
  await aether.getFile("file_x", options);
  await web.listFiles({ limit: 5 }, options);
  await aether.downloadFile("file_x", { range: { start: 0 }, ...options });
  await aether.downloadFileToPath("file_x", "/tmp/x", { headers: { Prefer: "delay=500" } });
  await aether.uploadFile({ file: "./a.txt", headers: { Prefer: "code=413" }, signal: AbortSignal.timeout(1000) });
  await web.uploadFile({ file: new Blob(["x"]), headers: new Headers({ Prefer: "code=507" }) });
  aether.iterateFiles({ pageSize: 10, headers: [["Prefer", "delay=100"]] });
  // Headers in any form fetch takes.
  await aether.getUserStats({ headers: new Headers() });
  await aether.getUserStats({ headers: [["Prefer", "code=500"]] });
  // @ts-expect-error headers are names to strings, not numbers
  await aether.getUserStats({ headers: { Prefer: 500 } });
  // @ts-expect-error the option is `headers`
  await aether.getFile("file_x", { header: { Prefer: "code=404" } });
  // @ts-expect-error a signal is an AbortSignal
  await aether.listFolders({ signal: "stop" });
  // @ts-expect-error createFolder's options come after its input
  await aether.createFolder({ headers: {} });
}

export function errors(err: unknown) {
  if (err instanceof AetherApiError) {
    // Tight: exactly the spec's ErrorCode enum, not string.
    expectTypeOf(err.code).toEqualTypeOf<ErrorCode>();
    expectTypeOf(err.code).toEqualTypeOf<
      | "bad_request"
      | "unauthorized"
      | "forbidden"
      | "not_found"
      | "method_not_allowed"
      | "conflict"
      | "payload_too_large"
      | "unsupported_media_type"
      | "range_not_satisfiable"
      | "rate_limited"
      | "server_error"
      | "insufficient_storage"
    >();
    expectTypeOf(err.code).not.toEqualTypeOf<string>();
    expectTypeOf(err.status).toEqualTypeOf<number>();
    expectTypeOf(err.requestId).toEqualTypeOf<string | undefined>();
    expectTypeOf(err.message).toEqualTypeOf<string>();
    // @ts-expect-error not a code of the spec
    if (err.code === "not_founnd") return;
  }
  if (err instanceof AetherNetworkError) expectTypeOf(err.cause).toEqualTypeOf<unknown>();
  // Same classes from both entries.
  expectTypeOf(browser.AetherApiError).toEqualTypeOf<typeof AetherApiError>();
}
