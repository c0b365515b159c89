/**
 * `createApp(config, storage)` builds the Express app and never listens (server/main.ts does).
 * The pipeline: request id + log → security headers → CORS (preflights answered here, before the
 * validator would refuse OPTIONS) → docs and spec files → JSON parser → authenticate → per-key
 * rate limit → express-openapi-validator (security, multipart streamed into the blob store,
 * request validation, response validation when configured) → one route per operationId →
 * unknown routes → the error envelope.
 */
import cors from "cors";
import express, { type NextFunction, type Request, type Response } from "express";
import * as OpenApiValidator from "express-openapi-validator";
import type { Logger } from "pino";
import { pino } from "pino";
import type { ServerConfig } from "./config.js";
import { ApiError } from "./http/apiError.js";
import { authenticate, requireScopes, unauthorized } from "./http/authenticate.js";
import { errorHandler } from "./http/errorHandler.js";
import { rateLimitPerKey } from "./http/rateLimit.js";
import { requestLog } from "./http/requestLog.js";
import { strictIntegerQuery } from "./http/strictQuery.js";
import { blobStorageEngine } from "./http/uploadStorage.js";
import { operationHandlers } from "./operations/index.js";
import type { AppContext, OperationCall, OperationHandler, OperationId } from "./operations/types.js";
import { PROJECT_ROOT, loadBundledSpec, specOperations } from "./spec.js";
import type { Storage } from "./storage/index.js";

/** Options of {@link createApp} beyond the configuration. */
export interface AppOptions {
  /** Logger; defaults to pino at `config.logLevel`. */
  logger?: Logger;
}

/** Multipart form fields other than the file are small; this much on top of the file is allowed. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;
const UPLOAD_PATH = "/api/v1/files/upload";
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

function corsMiddleware(origins: string[]) {
  return cors({
    origin: origins.includes("*") ? true : origins,
    methods: ["GET", "HEAD", "POST", "PATCH", "DELETE"],
    allowedHeaders: ["Authorization", "X-API-Key", "Content-Type", "Range", "If-None-Match", "If-Range", "X-Request-Id"],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
}

/** Refuses an upload whose declared length is already over the limit, before reading any byte. */
function uploadLengthGuard(maxUploadBytes: number) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (req.method === "POST" && req.path === UPLOAD_PATH && req.principal?.scopes.includes("files:write")) {
      const length = Number(req.get("content-length"));
      if (Number.isFinite(length) && length > maxUploadBytes + FORM_OVERHEAD_BYTES) {
        throw new ApiError("payload_too_large", `File exceeds the upload limit of ${maxUploadBytes} bytes`);
      }
    }
    next();
  };
}

function route<Op extends OperationId>(handler: OperationHandler<Op>, secured: boolean, ctx: AppContext) {
  return async (req: Request, res: Response): Promise<void> => {
    if (secured && !req.principal) throw unauthorized();
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
  const ctx: AppContext = { config, storage, apiVersion: spec.info.version };
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.set("query parser", "simple");

  app.use(requestLog(log));
  app.use((_req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    next();
  });
  if (config.corsOrigins.length > 0) app.use(corsMiddleware(config.corsOrigins));

  const docsDir = `${PROJECT_ROOT}docs`;
  app.get("/", (_req, res) => res.redirect(302, "/docs/"));
  app.use("/docs", express.static(docsDir, { index: "index.html", fallthrough: true }));
  app.get("/openapi.yaml", (_req, res) => res.type("application/yaml").sendFile(`${docsDir}/openapi.yaml`));
  app.get("/openapi.json", (_req, res) => res.sendFile(`${docsDir}/openapi.json`));

  app.use(express.json({ limit: "100kb", type: ["application/json", "application/*+json"] }));
  app.use(authenticate(storage.metadata));
  app.use(rateLimitPerKey(config.rateLimitPerMinute));
  app.use(uploadLengthGuard(config.maxUploadBytes));
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
        storage: blobStorageEngine(storage.blobs, config.maxUploadBytes),
        limits: { files: 1, fields: 10, parts: 12, fieldSize: 64 * 1024, headerPairs: 100 },
        defParamCharset: "utf8",
        // Keep the client's filename as sent (busboy would turn "." into "" and multer would then
        // drop the part as "no file chosen"); sanitizeFileName takes the last path segment itself.
        preservePath: true,
      } as unknown as boolean,
      ignorePaths: (path: string) => !path.startsWith("/api/"),
    }),
  );

  for (const op of specOperations(spec)) {
    const handler = operationHandlers[op.operationId as OperationId] as OperationHandler<OperationId> | undefined;
    if (!handler) throw new Error(`No handler for operation ${op.operationId}`);
    const expressPath = op.path.replace(/\{([^}]+)\}/g, ":$1");
    app[op.method as "get"](expressPath, route(handler, op.secured, ctx));
  }

  app.use((req: Request) => {
    throw new ApiError("not_found", `No route ${req.method} ${req.path}`);
  });
  app.use(errorHandler(log));
  return app;
}
