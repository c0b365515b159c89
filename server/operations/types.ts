/**
 * Types that tie every handler to the spec: a handler for operation `Op` receives that
 * operation's path, query and JSON body types and can only return one of its 2xx JSON bodies
 * (from generated/openapi.ts), so a body the spec does not allow does not compile.
 */
import type { Request, Response } from "express";
import type { operations } from "../../generated/openapi.js";
import type { ServerConfig } from "../config.js";
import type { Principal } from "../http/authenticate.js";
import type { UsageRecorder } from "../http/usage.js";
import type { Storage } from "../storage/index.js";

/** Every operationId of openapi.yaml. */
export type OperationId = keyof operations;

type Responses<Op extends OperationId> = operations[Op]["responses"];
type SuccessStatus<Op extends OperationId> = Extract<keyof Responses<Op>, 200 | 201 | 202 | 204>;
type JsonOf<R> = R extends { content: { "application/json": infer B } } ? B : never;

/** A JSON success answer of `Op`: one of its declared 2xx statuses with that status's body. */
export type JsonReply<Op extends OperationId> = {
  [S in SuccessStatus<Op>]: { status: S; body: JsonOf<Responses<Op>[S]> };
}[SuccessStatus<Op>];

/** The handler wrote the response itself (downloads stream their bytes). */
export interface StreamedReply {
  status: "streamed";
}

/** What a handler for `Op` returns. */
export type Reply<Op extends OperationId> = [JsonReply<Op>] extends [never] ? StreamedReply : JsonReply<Op> | StreamedReply;

type Part<Op extends OperationId, K extends "path" | "query"> = NonNullable<operations[Op]["parameters"][K]>;
type JsonBody<Op extends OperationId> = operations[Op] extends { requestBody: { content: { "application/json": infer B } } }
  ? B
  : operations[Op] extends { requestBody?: { content: { "application/json": infer B } } }
    ? B | undefined
    : undefined;

/** Shared services every handler may use. */
export interface AppContext {
  /** Parsed configuration. */
  config: ServerConfig;
  /** Metadata and blob stores. */
  storage: Storage;
  /** The spec's `info.version`. */
  apiVersion: string;
  /** Batched key-use and bandwidth bookkeeping. */
  usage: UsageRecorder;
}

/** One call of operation `Op`, already authenticated and validated against the spec. */
export interface OperationCall<Op extends OperationId> {
  /** Path parameters (validated). */
  path: Part<Op, "path">;
  /** Query parameters (validated and coerced). */
  query: Part<Op, "query">;
  /** JSON request body (validated), when the operation takes one. */
  body: JsonBody<Op>;
  /** The authenticated caller; always set for operations with a security requirement. */
  principal: Principal;
  /** Services. */
  ctx: AppContext;
  /** The raw request, for handlers that need headers or the upload's stored parts. */
  req: Request;
  /** The raw response, for handlers that stream. */
  res: Response;
}

/** A handler for operation `Op`. Errors are thrown, never returned. */
export type OperationHandler<Op extends OperationId> = (call: OperationCall<Op>) => Promise<Reply<Op>>;
