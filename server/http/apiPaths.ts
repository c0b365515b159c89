/**
 * The one definition of "an API request", shared by the router, the validator and the scope
 * checks: a request whose path is exactly one of the spec's path templates, compared byte for
 * byte as it arrived (case-sensitive, no trailing or doubled slash, no percent-decoding of the
 * literal segments, no dot-segment resolution, no `;params`). A `{param}` matches one non-empty
 * segment without `/`; its value is then validated against the parameter's schema.
 *
 * `apiGate` runs before anything reads a body: a path that is no spec path answers 404
 * `not_found`, a spec path with a method it does not have answers 405 with `Allow`, and a match
 * is remembered on the request for the scope checks that follow.
 */
import type { NextFunction, Request, Response } from "express";
import type { SpecOperation } from "../spec.js";
import { ApiError } from "./apiError.js";

declare module "express-serve-static-core" {
  interface Request {
    /** The spec operation this request addresses, set by `apiGate`. */
    operation?: SpecOperation;
  }
}

interface PathEntry {
  template: string;
  pattern: RegExp;
  operations: Map<string, SpecOperation>;
}

function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith("{") ? "[^/]+" : part.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`);
}

/** The spec's paths, matched exactly. */
export class ApiPaths {
  readonly #entries: PathEntry[] = [];

  constructor(operations: readonly SpecOperation[]) {
    for (const op of operations) {
      let entry = this.#entries.find((e) => e.template === op.path);
      if (!entry) {
        entry = { template: op.path, pattern: templatePattern(op.path), operations: new Map() };
        this.#entries.push(entry);
      }
      entry.operations.set(op.method.toUpperCase(), op);
    }
    // Literal paths before templated ones: `/api/v1/files/upload` is not the file `upload`.
    this.#entries.sort((a, b) => Number(a.template.includes("{")) - Number(b.template.includes("{")));
  }

  /** True when `path` (raw, as in `req.path`) is exactly a spec path. */
  isApiPath(path: string): boolean {
    return this.#entries.some((e) => e.pattern.test(path));
  }

  /**
   * The operation for `method` on `path`; `{ allow }` when the path exists but not the method;
   * undefined when the path is no spec path. A GET operation also answers HEAD unless the spec
   * declares a HEAD operation of its own; `allow` lists the spec's methods only.
   */
  resolve(method: string, path: string): { operation: SpecOperation } | { allow: string[] } | undefined {
    const entry = this.#entries.find((e) => e.pattern.test(path));
    if (!entry) return undefined;
    const verb = method.toUpperCase();
    const operation = entry.operations.get(verb) ?? (verb === "HEAD" ? entry.operations.get("GET") : undefined);
    if (operation) return { operation };
    return { allow: [...entry.operations.keys()].sort() };
  }
}

/** Middleware: 404/405 for anything that is not exactly a spec operation; sets `req.operation`. */
export function apiGate(paths: ApiPaths) {
  return function apiGateMiddleware(req: Request, _res: Response, next: NextFunction): void {
    const found = paths.resolve(req.method, req.path);
    if (!found) throw new ApiError("not_found", `No route ${req.method} ${req.path}`);
    if ("allow" in found) {
      const allow = found.allow.join(", ");
      throw new ApiError("method_not_allowed", `${req.method} is not allowed here; use ${allow}`, { Allow: allow });
    }
    for (const segment of req.path.split("/")) {
      try {
        decodeURIComponent(segment);
      } catch {
        throw new ApiError("bad_request", "The path holds a malformed percent-encoding (not UTF-8)");
      }
    }
    req.operation = found.operation;
    next();
  };
}
