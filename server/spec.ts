/**
 * The bundled contract the server runs on: `docs/openapi.json`, which `npm run docs` bundles
 * from openapi.yaml with Redocly (one document, no external `$ref`s — the validator mis-handles
 * those) and which a test keeps fresh. Each call returns a new deep copy, since the validator
 * annotates the document it is given.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The nearest folder above `from` that holds package.json: the checkout's root, whether this
 * module runs from source (`server/spec.ts` under tsx) or compiled (`dist/server/spec.js`).
 */
export function projectRootFrom(from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}: cannot find the project's docs/ and openapi.yaml`);
  }
}

/** Root of the checkout (where package.json, openapi.yaml and docs/ live), with a trailing separator. */
export const PROJECT_ROOT = `${projectRootFrom(fileURLToPath(new URL(".", import.meta.url)))}${path.sep}`;
/** The bundled spec published with the docs. */
export const BUNDLED_SPEC_PATH = path.join(PROJECT_ROOT, "docs", "openapi.json");

/** Minimal view of an OpenAPI document, as far as the server walks it. */
export interface OpenApiDocument {
  openapi: string;
  info: { version: string; title: string };
  paths: Record<string, Record<string, { operationId?: string; security?: Record<string, string[]>[] } | unknown>>;
  [key: string]: unknown;
}

let cached: string | undefined;

/** A fresh copy of the bundled document. */
export function loadBundledSpec(): OpenApiDocument {
  cached ??= readFileSync(BUNDLED_SPEC_PATH, "utf8");
  return JSON.parse(cached) as OpenApiDocument;
}

/** HTTP methods an OpenAPI path item can hold. */
export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** One operation of the spec. */
export interface SpecOperation {
  operationId: string;
  method: (typeof HTTP_METHODS)[number];
  /** OpenAPI path template, e.g. `/api/v1/files/{id}`. */
  path: string;
  /** True when the operation needs an API key. */
  secured: boolean;
  /**
   * The scopes of each security requirement the operation accepts (OpenAPI: any one
   * requirement suffices; every scope it lists is needed). Empty when the operation is public.
   */
  scopeSets: string[][];
}

/** Every operation of `doc`, in document order. */
export function specOperations(doc: OpenApiDocument): SpecOperation[] {
  const out: SpecOperation[] = [];
  const globalSecurity = (doc.security as unknown[] | undefined) ?? [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method] as { operationId?: string; security?: Record<string, string[]>[] } | undefined;
      if (!op?.operationId) continue;
      const security = (op.security ?? globalSecurity) as Record<string, string[]>[];
      const scopeSets = security.map((requirement) => [...new Set(Object.values(requirement).flat())]);
      const secured = security.length > 0 && scopeSets.every((_, i) => Object.keys(security[i] ?? {}).length > 0);
      out.push({ operationId: op.operationId, method, path, secured, scopeSets });
    }
  }
  return out;
}
