/**
 * OpenAPI oracle: an independent judge of HTTP responses (and examples) against openapi.yaml.
 *
 * It knows nothing about the server, the client or the generated types; it reads the contract
 * and answers "what is wrong with this response?" as a list of violations (empty = conforms):
 *
 *   const oracle = await OpenApiOracle.load();            // ./openapi.yaml at the repo root
 *   const problems = oracle.checkResponse({
 *     method: "GET", path: "/api/v1/files/file_123",     // concrete path or path template
 *     status: res.status, headers: res.headers, body: await res.text(),
 *   });
 *   expect(problems).toEqual([]);
 *
 * What is checked:
 * - the path and method are in the spec (concrete paths are matched against templates, the
 *   template with the most literal segments wins);
 * - the status is declared for the operation (exact code, then `4XX`-style range, then `default`);
 * - the Content-Type is declared (exact media type, then `type/*`, then `* /*`) when there is a body
 *   or a Content-Type header; a body where the response declares no content is a violation;
 * - the body validates against the media type's schema (JSON media types are parsed from text or
 *   bytes; `text/*` is validated as a string; other media types, e.g. octet-stream, are not parsed);
 * - every header the response documents with `required: true` is present, and every documented
 *   header that is present validates against its schema (after simple-style coercion).
 * HEAD responses are checked for status and headers only (they never carry a body).
 *
 * Schemas are validated with Ajv's JSON Schema 2020-12 dialect (the OpenAPI 3.1 default) plus
 * ajv-formats, in strict mode. Deviations from Ajv's defaults, and why:
 * - `allowUnionTypes: true`: OpenAPI 3.1 spells "nullable" as `type: [T, "null"]`.
 * - OpenAPI's own schema keywords (`example`, `xml`, `externalDocs`, `discriminator`) and every
 *   `x-*` extension found in the document are registered as annotation keywords, so strict mode
 *   still rejects genuine typos (`minLenght`) and unknown formats.
 *
 * $ref handling: local refs only (`#/...`; bundle multi-file specs first, e.g. docs/openapi.yaml).
 * Refs to `#/components/schemas/...` are kept as Ajv refs (so recursive schemas work); every other
 * ref (parameters, responses, headers, examples, request bodies, ...) is inlined. Example values,
 * `default`, `const` and `enum` are data and are never rewritten.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import YAML from "yaml";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SPEC_PATH = path.join(REPO_ROOT, "openapi.yaml");

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

// Loose structural types: the oracle must cope with any spec, including broken ones.
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type Schema = JsonObject | boolean;

export interface OperationInfo {
  method: HttpMethod;
  /** Path template as written in the spec, e.g. `/api/v1/files/{id}`. */
  path: string;
  operationId: string | undefined;
  /** The operation object with all non-schema refs inlined. */
  operation: JsonObject;
  /** Path-level and operation-level parameters merged (operation wins on name + in). */
  parameters: JsonObject[];
  /** Effective security requirements (operation's, else the document's); `[]` = no auth. */
  security: JsonObject[];
  /** Response objects by status key (`200`, `4XX`, `default`), refs inlined. */
  responses: Record<string, JsonObject>;
}

export type ViolationCode =
  | "unknown-path"
  | "unknown-method"
  | "undeclared-status"
  | "missing-content-type"
  | "undeclared-content-type"
  | "unexpected-body"
  | "missing-body"
  | "invalid-json"
  | "body-schema"
  | "missing-header"
  | "header-schema";

export interface Violation {
  code: ViolationCode;
  message: string;
}

export type HeadersLike =
  | Headers
  | Map<string, string>
  | Record<string, string | string[] | number | undefined>
  | Iterable<[string, string]>;

export interface ResponseToCheck {
  method: string;
  /** Concrete path (`/api/v1/files/file_123`, query string allowed) or a path template. */
  path: string;
  status: number;
  headers?: HeadersLike;
  /**
   * The body: text, bytes, or an already-parsed JSON value. `undefined`, `null`, `""` and empty
   * bytes all mean "no body".
   */
  body?: unknown;
}

/** One example found in the spec, with the schema it must satisfy. */
export interface ExampleCase {
  /** Human-readable location, e.g. `GET /api/v1/files › 200 › application/json › examples.page`. */
  location: string;
  kind: "media" | "parameter" | "header" | "schema";
  value: unknown;
  schema: Schema;
  /** Set for media-type examples of responses. */
  response?: { operation: OperationInfo; status: string; mediaType: string };
  /** Set when the example cannot be checked (e.g. `externalValue`). */
  unchecked?: string;
}

const COMPONENT_SCHEMA_PREFIX = "#/components/schemas/";
const SCHEMA_URN = "urn:aethercdn:openapi:schema:";
const DATA_KEYS = new Set(["example", "default", "const", "enum"]);
/** Keys whose object values are maps of user-chosen names (so no child key is a keyword). */
const NAME_MAP_KEYS = new Set([
  "properties",
  "patternProperties",
  "$defs",
  "definitions",
  "dependentSchemas",
  "paths",
  "webhooks",
  "schemas",
  "responses",
  "parameters",
  "requestBodies",
  "headers",
  "securitySchemes",
  "links",
  "callbacks",
  "pathItems",
  "content",
  "encoding",
  "variables",
  "mapping",
]);
const SUBSCHEMA_SINGLE = [
  "additionalProperties",
  "items",
  "contains",
  "not",
  "if",
  "then",
  "else",
  "propertyNames",
  "unevaluatedItems",
  "unevaluatedProperties",
  "contentSchema",
];
const SUBSCHEMA_ARRAY = ["allOf", "anyOf", "oneOf", "prefixItems"];
const SUBSCHEMA_MAP = ["properties", "patternProperties", "$defs", "dependentSchemas"];

function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function decodePointerToken(t: string): string {
  return decodeURIComponent(t).replace(/~1/g, "/").replace(/~0/g, "~");
}

export function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith("#")) throw new Error(`external $ref "${ref}" is not supported: bundle the spec first`);
  const tokens = ref.slice(1).split("/").slice(1).map(decodePointerToken);
  let node: unknown = doc;
  for (const t of tokens) {
    if (Array.isArray(node)) node = node[Number(t)];
    else if (isObject(node)) node = node[t];
    else node = undefined;
    if (node === undefined) throw new Error(`$ref "${ref}" does not resolve`);
  }
  return node;
}

/**
 * Returns a copy of the document where non-schema refs are inlined (memoised: one object per
 * ref target) and refs to component schemas point at Ajv ids.
 */
function processDocument(raw: JsonObject): JsonObject {
  const inlined = new Map<string, Json>();
  const inProgress = new Set<string>();

  const rewriteSchemaRef = (ref: string): string => {
    const rest = ref.slice(COMPONENT_SCHEMA_PREFIX.length);
    const slash = rest.indexOf("/");
    const name = decodePointerToken(slash === -1 ? rest : rest.slice(0, slash));
    const pointer = slash === -1 ? "" : rest.slice(slash);
    return `${SCHEMA_URN}${encodeURIComponent(name)}${pointer ? `#${pointer}` : ""}`;
  };

  const inline = (ref: string): Json => {
    const done = inlined.get(ref);
    if (done !== undefined) return done;
    if (inProgress.has(ref)) throw new Error(`cyclic non-schema $ref "${ref}"`);
    inProgress.add(ref);
    const target = resolvePointer(raw, ref) as Json;
    const result = walk(target, null);
    inProgress.delete(ref);
    inlined.set(ref, result);
    return result;
  };

  const walk = (node: Json, parentKey: string | null): Json => {
    if (Array.isArray(node)) return node.map((item) => walk(item, null));
    if (!isObject(node)) return node;
    const inNameMap = parentKey !== null && NAME_MAP_KEYS.has(parentKey);
    if (!inNameMap && typeof node.$ref === "string") {
      const ref = node.$ref;
      if (!ref.startsWith("#")) throw new Error(`external $ref "${ref}" is not supported: bundle the spec first`);
      const siblings = Object.entries(node).filter(([k]) => k !== "$ref");
      if (ref.startsWith(COMPONENT_SCHEMA_PREFIX)) {
        const out: JsonObject = { $ref: rewriteSchemaRef(ref) };
        for (const [k, v] of siblings) out[k] = DATA_KEYS.has(k) ? v : walk(v, k);
        return out;
      }
      const target = inline(ref);
      if (siblings.length === 0) return target;
      // OpenAPI 3.1 Reference Object: `summary` / `description` siblings override the target's.
      if (!isObject(target)) return target;
      const merged: JsonObject = { ...target };
      for (const [k, v] of siblings) merged[k] = v;
      return merged;
    }
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(node)) {
      if (!inNameMap && DATA_KEYS.has(k)) {
        out[k] = v;
      } else if (!inNameMap && k === "examples" && isObject(v)) {
        // Media type / parameter / header `examples`: a map of Example Objects (or refs to them).
        const map: JsonObject = {};
        for (const [name, ex] of Object.entries(v)) {
          if (isObject(ex) && typeof ex.$ref === "string") map[name] = inline(ex.$ref);
          else map[name] = ex;
        }
        out[k] = map;
      } else if (!inNameMap && k === "examples" && Array.isArray(v)) {
        out[k] = v; // schema `examples`: data
      } else {
        out[k] = walk(v, k);
      }
    }
    return out;
  };

  return walk(raw, null) as JsonObject;
}

function collectExtensionKeys(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) for (const item of node) collectExtensionKeys(item, into);
  else if (isObject(node))
    for (const [k, v] of Object.entries(node)) {
      if (k.startsWith("x-")) into.add(k);
      collectExtensionKeys(v, into);
    }
}

export function formatAjvErrors(errors: ErrorObject[] | null | undefined): string {
  if (!errors?.length) return "";
  return errors
    .map((e) => {
      const where = e.instancePath || "(root)";
      const extra =
        e.keyword === "additionalProperties"
          ? ` "${String((e.params as { additionalProperty?: string }).additionalProperty)}"`
          : e.keyword === "enum"
            ? ` ${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)}`
            : e.keyword === "const"
              ? ` ${JSON.stringify((e.params as { allowedValue?: unknown }).allowedValue)}`
              : "";
      return `${where} ${e.message ?? e.keyword}${extra}`;
    })
    .join("; ");
}

/** Lower-cased media type without parameters: `Application/JSON; charset=utf-8` → `application/json`. */
export function mediaTypeOf(contentType: string | null | undefined): string | undefined {
  if (!contentType) return undefined;
  const mt = contentType.split(";")[0]?.trim().toLowerCase();
  return mt || undefined;
}

export function isJsonMediaType(mt: string): boolean {
  return mt === "application/json" || /^[a-z0-9!#$&^_.-]+\/[a-z0-9!#$&^_.-]+\+json$/.test(mt);
}

function normaliseHeaders(h: HeadersLike | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!h) return out;
  const entries: Iterable<[string, unknown]> =
    h instanceof Headers || h instanceof Map
      ? (h as Iterable<[string, string]>)
      : Symbol.iterator in (h as object)
        ? (h as Iterable<[string, string]>)
        : Object.entries(h as Record<string, unknown>);
  for (const [k, v] of entries) {
    if (v === undefined) continue;
    const value = Array.isArray(v) ? v.join(", ") : String(v);
    const key = k.toLowerCase();
    out.set(key, out.has(key) ? `${out.get(key)}, ${value}` : value);
  }
  return out;
}

function schemaTypes(schema: Schema | undefined): string[] {
  if (!isObject(schema)) return [];
  const t = schema.type;
  if (typeof t === "string") return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === "string");
  return [];
}

/** Simple-style (RFC 6570 `{x}`) coercion of a header string to the schema's type. */
function coerceHeader(value: string, schema: Schema | undefined): unknown {
  const types = schemaTypes(schema);
  const trimmed = value.trim();
  if ((types.includes("integer") || types.includes("number")) && trimmed !== "" && !Number.isNaN(Number(trimmed)))
    return Number(trimmed);
  if (types.includes("boolean") && (trimmed === "true" || trimmed === "false")) return trimmed === "true";
  if (types.includes("array") && !types.includes("string")) return trimmed === "" ? [] : trimmed.split(",").map((s) => s.trim());
  return value;
}

interface PathMatcher {
  template: string;
  regex: RegExp;
  literalSegments: number;
}

function compilePathTemplate(template: string): PathMatcher {
  const segments = template.split("/");
  let literalSegments = 0;
  const pattern = segments
    .map((seg) => {
      if (!seg.includes("{")) {
        literalSegments++;
        return seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      }
      return seg
        .split(/(\{[^}]+\})/)
        .map((part) => (/^\{[^}]+\}$/.test(part) ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
        .join("");
    })
    .join("/");
  return { template, regex: new RegExp(`^${pattern}$`), literalSegments };
}

export class OpenApiOracle {
  /** The document as parsed (refs untouched). */
  readonly raw: JsonObject;
  /** The processed document (non-schema refs inlined, schema refs pointing at Ajv ids). */
  readonly doc: JsonObject;
  readonly ajv: Ajv2020;
  private readonly ops: OperationInfo[];
  private readonly matchers: PathMatcher[];
  private readonly compiled = new WeakMap<object, ValidateFunction>();

  constructor(raw: JsonObject) {
    this.raw = raw;
    if (typeof raw.openapi !== "string" || !raw.openapi.startsWith("3.1")) {
      throw new Error(`expected an OpenAPI 3.1 document, got openapi: ${JSON.stringify(raw.openapi)}`);
    }
    this.doc = processDocument(raw);
    this.ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true, validateFormats: true });
    addFormatsModule.default(this.ajv);
    const extensions = new Set<string>();
    collectExtensionKeys(raw, extensions);
    for (const k of ["example", "xml", "externalDocs", "discriminator", ...extensions]) {
      if (!this.ajv.getKeyword(k)) this.ajv.addKeyword(k);
    }
    const schemas = isObject(this.doc.components) ? this.doc.components.schemas : undefined;
    if (isObject(schemas)) {
      for (const [name, schema] of Object.entries(schemas)) {
        const withId = isObject(schema) ? { ...schema, $id: `${SCHEMA_URN}${encodeURIComponent(name)}` } : schema;
        this.ajv.addSchema(withId as JsonObject, isObject(schema) ? undefined : `${SCHEMA_URN}${encodeURIComponent(name)}`);
      }
    }
    this.ops = this.collectOperations();
    this.matchers = Object.keys(isObject(this.doc.paths) ? this.doc.paths : {})
      .map(compilePathTemplate)
      .sort((a, b) => b.literalSegments - a.literalSegments);
  }

  /** Loads openapi.yaml (or a given YAML/JSON file) from disk. */
  static async load(specPath: string = SPEC_PATH): Promise<OpenApiOracle> {
    const text = await readFile(specPath, "utf8");
    return OpenApiOracle.fromText(text);
  }

  static fromText(text: string): OpenApiOracle {
    const parsed: unknown = YAML.parse(text, { maxAliasCount: -1 });
    if (!isObject(parsed)) throw new Error("the spec is not a YAML/JSON object");
    return new OpenApiOracle(parsed);
  }

  private collectOperations(): OperationInfo[] {
    const out: OperationInfo[] = [];
    const paths = isObject(this.doc.paths) ? this.doc.paths : {};
    const docSecurity = Array.isArray(this.doc.security) ? (this.doc.security.filter(isObject) as JsonObject[]) : [];
    for (const [template, item] of Object.entries(paths)) {
      if (!isObject(item)) continue;
      const pathParams = Array.isArray(item.parameters) ? item.parameters.filter(isObject) : [];
      for (const method of HTTP_METHODS) {
        const op = item[method];
        if (!isObject(op)) continue;
        const opParams = Array.isArray(op.parameters) ? op.parameters.filter(isObject) : [];
        const key = (p: JsonObject) => `${String(p.in)}:${String(p.name)}`;
        const merged = new Map<string, JsonObject>();
        for (const p of pathParams) merged.set(key(p), p);
        for (const p of opParams) merged.set(key(p), p);
        const responses: Record<string, JsonObject> = {};
        if (isObject(op.responses))
          for (const [status, r] of Object.entries(op.responses)) if (isObject(r)) responses[status] = r;
        out.push({
          method,
          path: template,
          operationId: typeof op.operationId === "string" ? op.operationId : undefined,
          operation: op,
          parameters: [...merged.values()],
          security: Array.isArray(op.security) ? (op.security.filter(isObject) as JsonObject[]) : docSecurity,
          responses,
        });
      }
    }
    return out;
  }

  /** Every operation, in document order. */
  operations(): OperationInfo[] {
    return [...this.ops];
  }

  operationById(operationId: string): OperationInfo {
    const op = this.ops.find((o) => o.operationId === operationId);
    if (!op) throw new Error(`no operation with operationId "${operationId}"`);
    return op;
  }

  /** Path template for a concrete path (or the template itself); undefined when none matches. */
  matchPath(pathOrTemplate: string): string | undefined {
    const p = pathOrTemplate.split("?")[0]!.split("#")[0]!;
    const paths = isObject(this.doc.paths) ? this.doc.paths : {};
    if (p in paths) return p;
    return this.matchers.find((m) => m.regex.test(p))?.template;
  }

  findOperation(method: string, pathOrTemplate: string): OperationInfo | undefined {
    const template = this.matchPath(pathOrTemplate);
    const m = method.toLowerCase();
    return this.ops.find((o) => o.path === template && o.method === m);
  }

  /** The response object for a status: exact code, then `NXX` range, then `default`. */
  responseFor(op: OperationInfo, status: number): { key: string; response: JsonObject } | undefined {
    const exact = String(status);
    const range = `${String(status)[0]}XX`;
    for (const key of [exact, range, range.toLowerCase(), "default"]) {
      const response = op.responses[key];
      if (response) return { key, response };
    }
    return undefined;
  }

  /** Follows `$ref`s to component schemas until a schema without a `$ref` (siblings are dropped). */
  derefSchema(schema: Schema | undefined): Schema | undefined {
    let current = schema;
    for (let hops = 0; hops < 32 && isObject(current) && typeof current.$ref === "string"; hops++) {
      const ref = current.$ref;
      if (!ref.startsWith(SCHEMA_URN)) throw new Error(`unexpected schema $ref ${ref}`);
      const [name = "", pointer = ""] = ref.slice(SCHEMA_URN.length).split("#");
      const schemas = isObject(this.doc.components) && isObject(this.doc.components.schemas) ? this.doc.components.schemas : {};
      const base = schemas[decodeURIComponent(name)];
      current = (pointer ? resolvePointer(base, `#${pointer}`) : base) as Schema | undefined;
    }
    return current;
  }

  /**
   * The object shape a schema declares: its properties and required names, following `$ref`s and
   * merging `allOf` branches. For structural assertions (e.g. "stats has totalFiles, required").
   */
  shape(schema: Schema | undefined): { properties: Record<string, Schema>; required: string[] } {
    const properties: Record<string, Schema> = {};
    const required = new Set<string>();
    const visit = (s: Schema | undefined, depth: number) => {
      const d = this.derefSchema(s);
      if (!isObject(d) || depth > 16) return;
      if (isObject(d.properties)) for (const [k, v] of Object.entries(d.properties)) properties[k] ??= v as Schema;
      if (Array.isArray(d.required)) for (const r of d.required) if (typeof r === "string") required.add(r);
      if (Array.isArray(d.allOf)) for (const sub of d.allOf) visit(sub as Schema, depth + 1);
    };
    visit(schema, 0);
    return { properties, required: [...required] };
  }

  /** Compiles (and caches) an Ajv validator for a processed schema node. */
  validator(schema: Schema): ValidateFunction {
    if (typeof schema === "boolean") return this.ajv.compile(schema);
    let fn = this.compiled.get(schema);
    if (!fn) {
      fn = this.ajv.compile(schema);
      this.compiled.set(schema, fn);
    }
    return fn;
  }

  /** Validates a value against a processed schema; returns a readable error or undefined. */
  validate(schema: Schema, value: unknown): string | undefined {
    const fn = this.validator(schema);
    return fn(value) ? undefined : formatAjvErrors(fn.errors) || "invalid";
  }

  /** The schema of a response body, by operation (id or method + path), status and media type. */
  responseSchema(op: OperationInfo, status: number, mediaType: string): Schema | undefined {
    const content = this.responseFor(op, status)?.response.content;
    if (!isObject(content)) return undefined;
    const media = this.pickMediaType(content, mediaType);
    return media ? (content[media] as JsonObject).schema as Schema | undefined : undefined;
  }

  private pickMediaType(content: JsonObject, mediaType: string): string | undefined {
    const declared = Object.keys(content);
    const lower = new Map(declared.map((d) => [mediaTypeOf(d) ?? d.toLowerCase(), d]));
    const [type] = mediaType.split("/");
    return lower.get(mediaType) ?? lower.get(`${type}/*`) ?? lower.get("*/*");
  }

  /** The list of ways `res` violates the spec (empty when it conforms). */
  checkResponse(res: ResponseToCheck): Violation[] {
    const violations: Violation[] = [];
    const method = res.method.toLowerCase();
    const label = `${res.method.toUpperCase()} ${res.path.split("?")[0]} → ${res.status}`;
    const template = this.matchPath(res.path);
    if (!template) return [{ code: "unknown-path", message: `${label}: path is not in the spec` }];
    const op = this.ops.find((o) => o.path === template && o.method === method);
    if (!op) return [{ code: "unknown-method", message: `${label}: ${method.toUpperCase()} is not declared for ${template}` }];
    const name = op.operationId ?? `${method.toUpperCase()} ${template}`;
    const found = this.responseFor(op, res.status);
    if (!found) {
      return [
        {
          code: "undeclared-status",
          message: `${label}: status ${res.status} is not declared for ${name} (declared: ${Object.keys(op.responses).join(", ")})`,
        },
      ];
    }
    const { response } = found;
    const headers = normaliseHeaders(res.headers);

    // Headers documented on the response.
    if (isObject(response.headers)) {
      for (const [headerName, header] of Object.entries(response.headers)) {
        if (!isObject(header)) continue;
        const lower = headerName.toLowerCase();
        if (lower === "content-type") continue; // described by `content`, ignored by OpenAPI
        const value = headers.get(lower);
        if (value === undefined) {
          if (header.required === true)
            violations.push({ code: "missing-header", message: `${label}: required header ${headerName} is missing (${name})` });
          continue;
        }
        const schema = (header.schema ?? undefined) as Schema | undefined;
        if (schema !== undefined) {
          const err = this.validate(schema, coerceHeader(value, schema));
          if (err) violations.push({ code: "header-schema", message: `${label}: header ${headerName}: ${JSON.stringify(value)}: ${err}` });
        }
      }
    }

    if (method === "head") return violations;

    // Body and content type.
    const body = res.body;
    const bodyText =
      typeof body === "string"
        ? body
        : body instanceof Uint8Array
          ? Buffer.from(body).toString("utf8")
          : body instanceof ArrayBuffer
            ? Buffer.from(body).toString("utf8")
            : undefined;
    const isParsed = body !== undefined && body !== null && bodyText === undefined;
    const hasBody = isParsed || (bodyText !== undefined && bodyText.length > 0);
    const contentTypeHeader = headers.get("content-type");
    const mediaType = mediaTypeOf(contentTypeHeader);
    const content = isObject(response.content) ? response.content : undefined;
    const declared = content ? Object.keys(content) : [];

    if (declared.length === 0) {
      if (hasBody) violations.push({ code: "unexpected-body", message: `${label}: the response declares no content but has a body (${name})` });
      return violations;
    }
    if (!mediaType) {
      if (hasBody) violations.push({ code: "missing-content-type", message: `${label}: body without a Content-Type (declared: ${declared.join(", ")})` });
      else if (declared.some((d) => isJsonMediaType(mediaTypeOf(d) ?? "")))
        violations.push({ code: "missing-body", message: `${label}: no body; the response declares ${declared.join(", ")}` });
      return violations;
    }
    const picked = this.pickMediaType(content!, mediaType);
    if (!picked) {
      violations.push({
        code: "undeclared-content-type",
        message: `${label}: Content-Type ${mediaType} is not declared for ${name} ${found.key} (declared: ${declared.join(", ")})`,
      });
      return violations;
    }
    const media = content![picked] as JsonObject;
    const schema = media.schema as Schema | undefined;
    if (isJsonMediaType(mediaType)) {
      if (!hasBody) {
        violations.push({ code: "missing-body", message: `${label}: empty body; expected ${mediaType}` });
        return violations;
      }
      let value: unknown = body;
      if (!isParsed) {
        try {
          value = JSON.parse(bodyText!);
        } catch (err) {
          violations.push({ code: "invalid-json", message: `${label}: body is not JSON: ${(err as Error).message}` });
          return violations;
        }
      }
      if (schema !== undefined) {
        const err = this.validate(schema, value);
        if (err) violations.push({ code: "body-schema", message: `${label}: body does not match the ${picked} schema of ${name} ${found.key}: ${err}` });
      }
    } else if (mediaType.startsWith("text/") && schema !== undefined && bodyText !== undefined) {
      const err = this.validate(schema, bodyText);
      if (err) violations.push({ code: "body-schema", message: `${label}: body does not match the ${picked} schema of ${name} ${found.key}: ${err}` });
    }
    return violations;
  }

  /** Every example in the document (operations and components), with the schema it must satisfy. */
  examples(): ExampleCase[] {
    const out: ExampleCase[] = [];
    const seenSchemas = new Set<object>();

    const fromExamplesMap = (
      holder: JsonObject,
      schema: Schema | undefined,
      location: string,
      kind: ExampleCase["kind"],
      response?: ExampleCase["response"],
    ) => {
      if (schema === undefined) return;
      if ("example" in holder)
        out.push({ location: `${location} › example`, kind, value: holder.example, schema, ...(response ? { response } : {}) });
      if (isObject(holder.examples)) {
        for (const [name, ex] of Object.entries(holder.examples)) {
          if (!isObject(ex)) continue;
          if ("externalValue" in ex && !("value" in ex)) {
            out.push({ location: `${location} › examples.${name}`, kind, value: undefined, schema, unchecked: `externalValue ${String(ex.externalValue)}`, ...(response ? { response } : {}) });
            continue;
          }
          out.push({ location: `${location} › examples.${name}`, kind, value: ex.value, schema, ...(response ? { response } : {}) });
        }
      }
    };

    const walkSchema = (schema: Json | undefined, location: string) => {
      if (!isObject(schema) || seenSchemas.has(schema)) return;
      seenSchemas.add(schema);
      if (Array.isArray(schema.examples))
        schema.examples.forEach((value, i) => out.push({ location: `${location} › examples[${i}]`, kind: "schema", value, schema }));
      if ("example" in schema) out.push({ location: `${location} › example`, kind: "schema", value: schema.example, schema });
      for (const k of SUBSCHEMA_SINGLE) walkSchema(schema[k], `${location}.${k}`);
      for (const k of SUBSCHEMA_ARRAY) {
        const arr = schema[k];
        if (Array.isArray(arr)) arr.forEach((s, i) => walkSchema(s, `${location}.${k}[${i}]`));
      }
      for (const k of SUBSCHEMA_MAP) {
        const map = schema[k];
        if (isObject(map)) for (const [n, s] of Object.entries(map)) walkSchema(s, `${location}.${k}.${n}`);
      }
    };

    const walkParamOrHeader = (p: JsonObject, location: string, kind: "parameter" | "header") => {
      if (p.schema !== undefined) {
        fromExamplesMap(p, p.schema as Schema, location, kind);
        walkSchema(p.schema, `${location} › schema`);
      }
      if (isObject(p.content))
        for (const [mt, media] of Object.entries(p.content))
          if (isObject(media)) {
            fromExamplesMap(media, media.schema as Schema | undefined, `${location} › ${mt}`, kind);
            walkSchema(media.schema, `${location} › ${mt} › schema`);
          }
    };

    const walkResponse = (r: JsonObject, location: string, response?: { operation: OperationInfo; status: string }) => {
      if (isObject(r.headers))
        for (const [h, header] of Object.entries(r.headers))
          if (isObject(header)) walkParamOrHeader(header, `${location} › header ${h}`, "header");
      if (isObject(r.content))
        for (const [mt, media] of Object.entries(r.content))
          if (isObject(media)) {
            fromExamplesMap(media, media.schema as Schema | undefined, `${location} › ${mt}`, "media", response ? { ...response, mediaType: mt } : undefined);
            walkSchema(media.schema, `${location} › ${mt} › schema`);
          }
    };

    for (const op of this.ops) {
      const label = `${op.method.toUpperCase()} ${op.path}`;
      for (const p of op.parameters) walkParamOrHeader(p, `${label} › parameter ${String(p.in)}.${String(p.name)}`, "parameter");
      const rb = op.operation.requestBody;
      if (isObject(rb) && isObject(rb.content))
        for (const [mt, media] of Object.entries(rb.content))
          if (isObject(media)) {
            fromExamplesMap(media, media.schema as Schema | undefined, `${label} › requestBody › ${mt}`, "media");
            walkSchema(media.schema, `${label} › requestBody › ${mt} › schema`);
          }
      for (const [status, r] of Object.entries(op.responses)) walkResponse(r, `${label} › ${status}`, { operation: op, status });
    }

    const components = isObject(this.doc.components) ? this.doc.components : {};
    if (isObject(components.schemas))
      for (const [name, s] of Object.entries(components.schemas)) {
        if (!isObject(s)) continue;
        // Validate component-level examples through the registered (id'd) schema.
        const ref: JsonObject = { $ref: `${SCHEMA_URN}${encodeURIComponent(name)}` };
        if (Array.isArray(s.examples)) s.examples.forEach((value, i) => out.push({ location: `#/components/schemas/${name} › examples[${i}]`, kind: "schema", value, schema: ref }));
        if ("example" in s) out.push({ location: `#/components/schemas/${name} › example`, kind: "schema", value: s.example, schema: ref });
        seenSchemas.add(s);
        for (const k of SUBSCHEMA_SINGLE) walkSchema(s[k], `#/components/schemas/${name}.${k}`);
        for (const k of SUBSCHEMA_ARRAY) {
          const arr = s[k];
          if (Array.isArray(arr)) arr.forEach((x, i) => walkSchema(x, `#/components/schemas/${name}.${k}[${i}]`));
        }
        for (const k of SUBSCHEMA_MAP) {
          const map = s[k];
          if (isObject(map)) for (const [n, x] of Object.entries(map)) walkSchema(x, `#/components/schemas/${name}.${k}.${n}`);
        }
      }
    for (const kind of ["parameters", "headers"] as const) {
      const map = components[kind];
      if (isObject(map))
        for (const [name, p] of Object.entries(map))
          if (isObject(p)) walkParamOrHeader(p, `#/components/${kind}/${name}`, kind === "parameters" ? "parameter" : "header");
    }
    if (isObject(components.responses))
      for (const [name, r] of Object.entries(components.responses)) if (isObject(r)) walkResponse(r, `#/components/responses/${name}`);
    if (isObject(components.requestBodies))
      for (const [name, rb] of Object.entries(components.requestBodies))
        if (isObject(rb) && isObject(rb.content))
          for (const [mt, media] of Object.entries(rb.content))
            if (isObject(media)) fromExamplesMap(media, media.schema as Schema | undefined, `#/components/requestBodies/${name} › ${mt}`, "media");

    return out;
  }
}
