/**
 * Integer query parameters must be written as plain decimal integers. The validator coerces
 * query strings with Ajv, which also takes `0x10`, `1e3` and a lone space (as 0); the contract
 * means `limit=16`. This runs before the validator, with the integer parameters of each
 * operation read from the spec.
 */
import type { NextFunction, Request, Response } from "express";
import type { OpenApiDocument } from "../spec.js";
import { HTTP_METHODS } from "../spec.js";
import { ApiError } from "./apiError.js";

interface IntegerParams {
  method: string;
  path: RegExp;
  names: string[];
}

function integerParams(doc: OpenApiDocument): IntegerParams[] {
  const out: IntegerParams[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    const path = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{[^}]+\\?\}/g, "[^/]+")}$`);
    for (const method of HTTP_METHODS) {
      const op = item[method] as { parameters?: { in?: string; name?: string; schema?: { type?: unknown } }[] } | undefined;
      const names = (op?.parameters ?? []).filter((p) => p.in === "query" && p.schema?.type === "integer").map((p) => String(p.name));
      if (names.length > 0) out.push({ method: method.toUpperCase(), path, names });
    }
  }
  return out;
}

const DECIMAL = /^-?\d+$/;

/** Middleware refusing a non-decimal value for an integer query parameter with 400. */
export function strictIntegerQuery(doc: OpenApiDocument) {
  const table = integerParams(doc);
  return (req: Request, _res: Response, next: NextFunction): void => {
    const entry = table.find((t) => t.method === req.method && t.path.test(req.path));
    for (const name of entry?.names ?? []) {
      const value = (req.query as Record<string, unknown>)[name];
      if (value === undefined) continue;
      if (typeof value !== "string" || !DECIMAL.test(value)) {
        throw new ApiError("bad_request", `request/query/${name} must be a decimal integer`);
      }
    }
    next();
  };
}
