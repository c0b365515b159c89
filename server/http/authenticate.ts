/**
 * Authentication (who is calling) runs before the OpenAPI validator; authorisation (may this key
 * call this operation) is the validator's `validateSecurity`, fed by the spec's security
 * requirements. Either header works: `Authorization: Bearer ak_…` or `X-API-Key: ak_…`.
 */
import type { NextFunction, Request, Response } from "express";
import { verifyApiKey, type Scope } from "../auth/apiKeys.js";
import type { MetadataStore } from "../storage/index.js";
import { ApiError } from "./apiError.js";

/** The caller, once its key is verified. */
export interface Principal {
  /** Owner of the key: every file/folder operation acts for this user. */
  userId: string;
  /** The key's id (`key_…`), used as the rate-limit bucket. */
  keyId: string;
  /** Scopes granted to the key. */
  scopes: readonly string[];
}

declare module "express-serve-static-core" {
  interface Request {
    /** Set by `authenticate` when the request carries a valid, active key. */
    principal?: Principal;
  }
}

/** `WWW-Authenticate` value sent with every 401. */
export const WWW_AUTHENTICATE = 'Bearer realm="aethercdn"';

/** The key a request presents, from `Authorization: Bearer` first, then `X-API-Key`. */
export function presentedKey(req: Request): string | undefined {
  const authorization = req.get("authorization");
  if (authorization !== undefined) {
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
    return match?.[1] ?? "";
  }
  return req.get("x-api-key")?.trim();
}

/** Middleware: sets `req.principal` for a valid key; never answers by itself. */
export function authenticate(metadata: MetadataStore) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const secret = presentedKey(req);
    if (secret) {
      const record = await verifyApiKey(metadata, secret);
      if (record) {
        req.principal = { userId: record.userId, keyId: record.id, scopes: record.scopes };
        void metadata.touchApiKey(record.id, new Date()).catch(() => undefined);
      }
    }
    next();
  };
}

/** The 401 every missing, malformed, unknown or revoked key gets: identical in all four cases. */
export function unauthorized(): ApiError {
  return new ApiError("unauthorized", "Invalid or missing API key", { "WWW-Authenticate": WWW_AUTHENTICATE });
}

/** The 403 for a valid key that lacks `scopes`. */
export function forbidden(scopes: readonly string[]): ApiError {
  return new ApiError("forbidden", `This API key lacks the scope ${scopes.join(", ")}`);
}

/**
 * The validator's security handler, shared by both schemes: passes when the request has a
 * principal holding every scope the requirement lists.
 */
export function requireScopes(req: Request, scopes: string[]): true {
  if (!req.principal) throw Object.assign(unauthorized(), { status: 401 });
  const missing = scopes.filter((s) => !req.principal?.scopes.includes(s as Scope));
  if (missing.length > 0) throw Object.assign(forbidden(missing), { status: 403 });
  return true;
}
