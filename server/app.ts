/**
 * `createApp(config, storage)` builds the Express app and never listens (server/main.ts does).
 * The pipeline: request id + log → security headers → CORS (preflights answered here, before the
 * validator would refuse OPTIONS) → docs and spec files → apiGate (exactly a spec path, else
 * 404/405) → authenticate → per-address limit without a key → per-key limit (a refused call
 * spends budget too) → authorize (401/403, scopes from the spec) → concurrent downloads → upload guards (413/507 from the declared length) — no body has
 * been read up to here — → JSON parser → well-formed Unicode → express-openapi-validator
 * (security again, multipart streamed into the blob store, request validation, response
 * validation when configured) → one route per operationId (scopes checked a third time) →
 * the error envelope. Routing is case-sensitive and strict, like apiGate. A server built on the
 * app (the sandbox) may add routes before apiGate and a step after authorize
 * (`AppOptions.extensions`); `npm start` adds none.
 */
import cors from "cors";
import express, { type Request, type RequestHandler, type Response } from "express";
import type { Store } from "express-rate-limit";
import * as OpenApiValidator from "express-openapi-validator";
import type { Logger } from "pino";
import { pino } from "pino";
import type { ServerConfig } from "./config.js";
import { ApiError } from "./http/apiError.js";
import { ApiPaths, apiGate } from "./http/apiPaths.js";
import { authenticate, authorize, requireScopes, scopeRefusal } from "./http/authenticate.js";
import { assertFreeSpace, continueAfterChecks, uploadGuards, wellFormedJson } from "./http/bodyGuards.js";
import { answerNow, errorHandler } from "./http/errorHandler.js";
import { concurrentDownloadsPerKey, concurrentUploadsPerKey, rateLimitPerKey, rateLimitUnauthenticated } from "./http/rateLimit.js";
import { requestLog } from "./http/requestLog.js";
import { UsageRecorder } from "./http/usage.js";
import { strictIntegerQuery } from "./http/strictQuery.js";
import { blobStorageEngine, uploadFailure } from "./http/uploadStorage.js";
import { operationHandlers } from "./operations/index.js";
import type { AppContext, OperationCall, OperationHandler, OperationId } from "./operations/types.js";
import { PROJECT_ROOT, loadBundledSpec, specOperations, type SpecOperation } from "./spec.js";
import type { Storage } from "./storage/index.js";

/** Options of {@link createApp} beyond the configuration. */
export interface AppOptions {
  /** Logger; defaults to pino at `config.logLevel`. */
  logger?: Logger;
  /**
   * Where key use and bandwidth are gathered; the caller flushes it with `close()` at shutdown.
   * Default: one of the app's own (flushed every second; what a shutdown leaves is at most 1 s).
   */
  usage?: UsageRecorder;
  /** A rate-limit store shared by every instance (named by `prefix`); default: in memory. */
  rateLimitStore?: (prefix: string) => Store;
  /** Additions of a server built on this app (the sandbox); `npm start` passes none. */
  extensions?: AppExtensions;
}

/** Hooks for a server built on the app (server/sandbox/); each is optional. */
export interface AppExtensions {
  /** Mounted after CORS and the docs, before the API gate: routes outside the spec's paths. */
  routes?: RequestHandler;
  /**
   * Runs for every API request once it is authenticated, authorised and within its rate limits,
   * before any body is read (`req.operation` and `req.principal` are set).
   */
  afterAuthorize?: RequestHandler;
  /** More request headers browsers may send cross-origin (`Access-Control-Allow-Headers`). */
  corsRequestHeaders?: readonly string[];
}

const EXPOSED_HEADERS = [
  "X-Request-Id",
  "Content-Disposition",
  "Content-Length",
  "Content-Range",
  "ETag",
  "Last-Modified",
  "Retry-After",
  "RateLimit-Limit",
  "RateLimit-Remaining",
  "RateLimit-Reset",
];

function corsMiddleware(origins: string[], extraHeaders: readonly string[] = []) {
  return cors({
    origin: origins.includes("*") ? true : origins,
    methods: ["GET", "HEAD", "POST", "PATCH", "DELETE"],
    allowedHeaders: ["Authorization", "X-API-Key", "Content-Type", "Range", "If-None-Match", "If-Range", "X-Request-Id", ...extraHeaders],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
}

/**
 * The route for one operation. The scope check runs here again, from the spec, whatever ran
 * before: a handler is never reached without the operation's scopes.
 */
function route<Op extends OperationId>(handler: OperationHandler<Op>, op: SpecOperation, ctx: AppContext) {
  return async (req: Request, res: Response): Promise<void> => {
    if (req.operation?.path !== op.path) throw new ApiError("not_found", `No route ${req.method} ${req.path}`);
    const refusal = scopeRefusal(req.principal, op.secured, op.scopeSets);
    if (refusal) throw refusal;
    const call = {
      path: req.params,
      query: req.query,
      body: req.body,
      principal: req.principal,
      ctx,
      req,
      res,
    } as unknown as OperationCall<Op>;
    const reply = (await handler(call)) as { status: number | "streamed"; body?: unknown };
    if (reply.status === "streamed") return;
    res.setHeader("Cache-Control", "no-store");
    res.status(reply.status).json(reply.body);
  };
}

/** Builds the app. It does not listen and does not own `storage` (the caller closes it). */
export function createApp(config: ServerConfig, storage: Storage, options: AppOptions = {}): express.Express {
  const log = options.logger ?? pino({ level: config.logLevel });
  const spec = loadBundledSpec();
  const operations = specOperations(spec);
  const apiPaths = new ApiPaths(operations);
  const usage = options.usage ?? new UsageRecorder(storage.metadata, { log });
  const ctx: AppContext = { config, storage, apiVersion: spec.info.version, usage };
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.set("query parser", "simple");
  app.set("case sensitive routing", true);
  app.set("strict routing", true);

  app.use(requestLog(log));
  app.use((_req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    next();
  });
  const extensions = options.extensions ?? {};
  if (config.corsOrigins.length > 0) app.use(corsMiddleware(config.corsOrigins, extensions.corsRequestHeaders));

  const docsDir = `${PROJECT_ROOT}docs`;
  app.get("/", (_req, res) => res.redirect(302, "/docs/"));
  app.use("/docs", express.static(docsDir, { index: "index.html", fallthrough: true }));
  app.get("/openapi.yaml", (_req, res) => res.type("application/yaml").sendFile(`${docsDir}/openapi.yaml`));
  app.get("/openapi.json", (_req, res) => res.sendFile(`${docsDir}/openapi.json`));
  if (extensions.routes) app.use(extensions.routes);

  // Everything below is the API: exactly the spec's paths, authorised before any body is read.
  app.use(apiGate(apiPaths));
  app.use(authenticate(storage.metadata, usage));
  app.use(rateLimitUnauthenticated(config.rateLimitUnauthenticatedPerMinute, options.rateLimitStore?.("addr:")));
  app.use(rateLimitPerKey(config.rateLimitPerMinute, options.rateLimitStore?.("key:")));
  app.use(authorize());
  if (extensions.afterAuthorize) app.use(extensions.afterAuthorize);
  app.use(concurrentDownloadsPerKey(config.maxDownloadsPerKey));
  app.use(concurrentUploadsPerKey(config.maxUploadsPerKey));
  app.use(uploadGuards(storage.blobs, config.maxUploadBytes, config.minFreeBytes));
  app.use(continueAfterChecks());
  app.use(express.json({ limit: "100kb", type: ["application/json", "application/*+json"] }));
  app.use(wellFormedJson());
  app.use(strictIntegerQuery(spec));
  if (config.validateResponses) {
    // Content negotiation is not part of the contract; without this the response validator
    // would answer 406 (a status no operation declares) to an unusual Accept header.
    app.use((req, _res, next) => {
      delete req.headers.accept;
      next();
    });
  }
  app.use(
    OpenApiValidator.middleware({
      apiSpec: spec as unknown as string,
      validateApiSpec: true,
      // Parameters are always coerced from strings; `coerceTypes: false` keeps JSON bodies strict ({"name": 1e21} is not a name).
      validateRequests: { allowUnknownQueryParameters: false, coerceTypes: false },
      validateResponses: config.validateResponses ? { removeAdditional: false } : false,
      validateSecurity: { handlers: { bearerAuth: requireScopes, apiKeyAuth: requireScopes } },
      fileUploader: {
        storage: blobStorageEngine(storage.blobs, config.maxUploadBytes, (req) => ({
          onRefused: () => answerNow(req, uploadFailure(req)),
          checkSpace: () => assertFreeSpace(storage.blobs, config.minFreeBytes, 0),
        })),
        limits: { files: 1, fields: 10, parts: 12, fieldSize: 64 * 1024, headerPairs: 100 },
        defParamCharset: "utf8",
        // Keep the client's filename as sent (busboy would turn "." into "" and multer would then
        // drop the part as "no file chosen"); sanitizeFileName takes the last path segment itself.
        preservePath: true,
      } as unknown as boolean,
      // The same definition of an API path as apiGate's: nothing reaches a route unvalidated.
      ignorePaths: (path: string) => !apiPaths.isApiPath(path),
    }),
  );

  for (const op of operations) {
    const handler = operationHandlers[op.operationId as OperationId] as OperationHandler<OperationId> | undefined;
    if (!handler) throw new Error(`No handler for operation ${op.operationId}`);
    const expressPath = op.path.replace(/\{([^}]+)\}/g, ":$1");
    app[op.method as "get"](expressPath, route(handler, op, ctx));
  }

  app.use((req: Request) => {
    throw new ApiError("not_found", `No route ${req.method} ${req.path}`);
  });
  app.use(errorHandler(log));
  return app;
}
