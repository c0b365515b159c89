/**
 * Request plans derived from openapi.yaml (never hand-listed): for every operation, an arbitrary
 * of valid requests and arbitraries of invalid ones, each varying one location (a query, path
 * or header parameter, the JSON body, a form field, the media type).
 */
import fc from "fast-check";
import type { JsonObject, OpenApiOracle, OperationInfo, Schema } from "../support/openapi-oracle.js";
import { invalid, invalidParam, valid, validParam, type Overrides } from "./arbitraries.js";
import type { FilePartSpec, RequestSpec } from "./exchange.js";

/** Ids that exist on the target (or the spec's examples on a mock). */
export interface KnownIds {
  files: string[];
  folders: string[];
  /**
   * Values a response issued for parameters marked `x-value-from` (opaque cursors): the only
   * valid ones. Such a parameter is left out of positive requests when none is known.
   */
  cursors?: string[];
}

/** Placeholders resolved by the runner just before sending: a resource created for this request. */
export const FRESH = { file: "__FRESH_FILE__", folder: "__FRESH_FOLDER__" } as const;

/** One invalid-request family of an operation. */
export interface NegativePlan {
  /** What is broken, for the report. */
  label: string;
  requests: fc.Arbitrary<RequestSpec>;
}

/** Everything the runner needs to exercise an operation. */
export interface OperationPlan {
  op: OperationInfo;
  operationId: string;
  /** Scopes the operation requires (from its first security requirement), `[]` when open. */
  scopes: string[];
  secured: boolean;
  /** The multipart field that carries the file, for uploads. */
  binaryField?: string;
  /** Valid requests without credentials (the runner adds them). */
  positive: fc.Arbitrary<RequestSpec>;
  negatives: NegativePlan[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** `file` or `folder` when a schema is an id of that kind (by its pattern's prefix). */
export function idKind(oracle: OpenApiOracle, schema: Schema | undefined): "file" | "folder" | undefined {
  const s = oracle.derefSchema(schema);
  const pattern = isObj(s) && typeof s.pattern === "string" ? s.pattern : "";
  if (pattern.startsWith("^file_")) return "file";
  if (pattern.startsWith("^fld_")) return "folder";
  const branches = isObj(s) && Array.isArray(s.oneOf) ? (s.oneOf as Schema[]) : [];
  for (const b of branches) {
    const kind = idKind(oracle, b);
    if (kind) return kind;
  }
  return undefined;
}

function nullable(oracle: OpenApiOracle, schema: Schema | undefined): boolean {
  const s = oracle.derefSchema(schema);
  if (!isObj(s)) return false;
  if (s.type === "null" || (Array.isArray(s.type) && s.type.includes("null"))) return true;
  return Array.isArray(s.oneOf) && (s.oneOf as Schema[]).some((b) => nullable(oracle, b));
}

function idArbitrary(kind: "file" | "folder", known: KnownIds, allowNull: boolean): fc.Arbitrary<unknown> {
  const ids = kind === "file" ? known.files : known.folders;
  const base = fc.constantFrom(...ids);
  return allowNull ? fc.oneof(base, fc.constant(null)) : base;
}

function overridesFor(oracle: OpenApiOracle, schema: Schema | undefined, known: KnownIds): Overrides {
  const s = oracle.derefSchema(schema);
  const out: Overrides = {};
  if (!isObj(s) || !isObj(s.properties)) return out;
  for (const [name, sub] of Object.entries(s.properties as Record<string, Schema>)) {
    const kind = idKind(oracle, sub);
    if (kind) out[name] = idArbitrary(kind, known, nullable(oracle, sub));
  }
  return out;
}

function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ""));
}

function params(op: OperationInfo, location: string): JsonObject[] {
  return op.parameters.filter((p) => p.in === location);
}

function bodyMedia(op: OperationInfo): { mediaType: string; schema: Schema | undefined; required: boolean } | undefined {
  const body = op.operation.requestBody;
  if (!isObj(body) || !isObj(body.content)) return undefined;
  const [mediaType, media] = Object.entries(body.content)[0] ?? [];
  if (!mediaType || !isObj(media)) return undefined;
  return { mediaType, schema: media.schema as Schema | undefined, required: body.required === true };
}

const fileBytes = fc.uint8Array({ maxLength: 4096 });
const fileName = fc.oneof(
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }),
  fc.constantFrom("example.jpg", "report.pdf", "../../etc/passwd", "a\r\nb.txt", 'quote".txt', "\u202Etxt.exe", "😀.png", "海.jpg", "e\u0301.txt", ".", ".."),
);
const partType = fc.constantFrom("image/jpeg", "text/plain", "application/octet-stream", "application/pdf", "");

function binaryField(oracle: OpenApiOracle, schema: Schema | undefined): string | undefined {
  const s = oracle.derefSchema(schema);
  if (!isObj(s) || !isObj(s.properties)) return undefined;
  return Object.entries(s.properties as Record<string, Schema>).find(([, sub]) => {
    const d = oracle.derefSchema(sub);
    return isObj(d) && d.format === "binary";
  })?.[0];
}

/** Builds the plan of one operation. */
export function planFor(oracle: OpenApiOracle, op: OperationInfo, known: KnownIds): OperationPlan {
  const operationId = op.operationId ?? `${op.method} ${op.path}`;
  const requirement = op.security[0] ?? {};
  const scopes = (Object.values(requirement)[0] as string[] | undefined) ?? [];
  const consumes = op.method === "delete";

  const pathParams = params(op, "path");
  const pathArb: fc.Arbitrary<Record<string, string>> = fc.record(
    Object.fromEntries(
      pathParams.map((p) => {
        const kind = idKind(oracle, p.schema as Schema);
        const arb = kind
          ? consumes
            ? fc.constant(FRESH[kind])
            : (idArbitrary(kind, known, false) as fc.Arbitrary<string>)
          : validParam(oracle, p.schema as Schema);
        return [String(p.name), arb];
      }),
    ),
  );
  const queryParams = params(op, "query").filter((p) => !("x-value-from" in p) || (known.cursors?.length ?? 0) > 0);
  const conflicts = queryParams.flatMap((p) => (Array.isArray(p["x-conflicts-with"]) ? (p["x-conflicts-with"] as string[]).map((other) => [String(p.name), other] as const) : []));
  const queryArb = (
    fc.record(
      Object.fromEntries(
        queryParams.map((p) => {
          const kind = idKind(oracle, p.schema as Schema);
          if ("x-value-from" in p) return [String(p.name), fc.constantFrom(...(known.cursors ?? []))];
          return [String(p.name), kind ? (idArbitrary(kind, known, false) as fc.Arbitrary<string>) : validParam(oracle, p.schema as Schema)];
        }),
      ),
      { requiredKeys: queryParams.filter((p) => p.required === true).map((p) => String(p.name)) },
    ) as fc.Arbitrary<Record<string, string>>
  ).map((query) => {
    // A parameter that excludes another (`x-conflicts-with`) wins; the valid request sends one.
    const out = { ...query };
    for (const [name, other] of conflicts) if (name in out) delete out[other];
    return out;
  });
  const headerParams = params(op, "header");
  const headerArb = fc.record(
    Object.fromEntries(
      headerParams.map((p) => [String(p.name), validParam(oracle, p.schema as Schema).map((v) => v.replace(/[^\x21-\x7e ]/g, "").trim())]),
    ),
    { requiredKeys: headerParams.filter((p) => p.required === true).map((p) => String(p.name)) },
  ) as fc.Arbitrary<Record<string, string>>;

  const media = bodyMedia(op);
  const binary = media?.mediaType === "multipart/form-data" ? binaryField(oracle, media.schema) : undefined;
  let bodyArb: fc.Arbitrary<RequestSpec["body"]> = fc.constant(undefined);
  const negatives: NegativePlan[] = [];
  const base = fc.record({ path: pathArb, query: queryArb, headers: headerArb });
  const build = (parts: { path: Record<string, string>; query: Record<string, string>; headers: Record<string, string> }, body: RequestSpec["body"]): RequestSpec => ({
    method: op.method.toUpperCase(),
    path: fillPath(op.path, parts.path),
    query: parts.query,
    headers: parts.headers,
    ...(body !== undefined && { body }),
  });

  if (media && media.mediaType === "application/json") {
    const overrides = overridesFor(oracle, media.schema, known);
    bodyArb = valid(oracle, media.schema, overrides).map((value) => ({ kind: "json" as const, value }));
    negatives.push(
      { label: "body violates the schema", requests: fc.tuple(base, invalid(oracle, media.schema)).map(([p, value]) => build(p, { kind: "json", value })) },
      { label: "malformed JSON", requests: base.map((p) => build(p, { kind: "raw", contentType: "application/json", text: '{"name": "x",' })) },
      { label: "wrong media type", requests: base.map((p) => build(p, { kind: "raw", contentType: "text/plain", text: "hello" })) },
    );
    if (media.required) negatives.push({ label: "no body", requests: base.map((p) => build(p, undefined)) });
  } else if (media && binary) {
    const s = oracle.derefSchema(media.schema) as Obj;
    const props = Object.entries((s.properties ?? {}) as Record<string, Schema>).filter(([name]) => name !== binary);
    const overrides = overridesFor(oracle, media.schema, known);
    const fieldsArb = fc.record(
      Object.fromEntries(props.map(([name, sub]) => [name, overrides[name] ?? valid(oracle, sub)])),
      { requiredKeys: [] },
    ).map((o) => Object.entries(o).map(([k, v]) => [k, String(v)] as [string, string]));
    const fileArb: fc.Arbitrary<FilePartSpec> = fc.record({ field: fc.constant(binary), name: fileName, type: partType, bytes: fileBytes });
    bodyArb = fc.tuple(fieldsArb, fileArb).map(([fields, file]) => ({ kind: "multipart" as const, fields, file }));
    negatives.push(
      { label: "no file part", requests: fc.tuple(base, fieldsArb).map(([p, fields]) => build(p, { kind: "multipart", fields })) },
      {
        label: "file sent as a text field",
        requests: fc.tuple(base, fieldsArb).map(([p, fields]) => build(p, { kind: "multipart", fields: [...fields, [binary, "not a file"]] })),
      },
      {
        label: "file under another field name",
        requests: fc.tuple(base, fileArb).map(([p, file]) => build(p, { kind: "multipart", fields: [], file: { ...file, field: "photo" } })),
      },
      {
        label: "broken multipart body",
        requests: base.map((p) => build(p, { kind: "raw", contentType: "multipart/form-data; boundary=xyz", text: "--xyz\r\nContent-Disposition: form-da" })),
      },
      { label: "wrong media type", requests: base.map((p) => build(p, { kind: "json", value: { file: "x" } })) },
      ...props.map(([name, sub]) => ({
        label: `invalid form field ${name}`,
        requests: fc
          .tuple(base, invalidParam(oracle, sub), fileArb)
          .map(([p, bad, file]) => build(p, { kind: "multipart", fields: [[name, bad]], file })),
      })),
    );
  }
  for (const p of queryParams) {
    negatives.push({
      label: `invalid query ${String(p.name)}`,
      requests: fc.tuple(base, bodyArb, invalidParam(oracle, p.schema as Schema)).map(([parts, body, bad]) =>
        build({ ...parts, query: { ...parts.query, [String(p.name)]: bad } }, body),
      ),
    });
  }
  negatives.push({
    label: "unknown query parameter",
    requests: fc.tuple(base, bodyArb).map(([parts, body]) => build({ ...parts, query: { ...parts.query, unexpected: "1" } }, body)),
  });
  for (const p of pathParams) {
    negatives.push({
      label: `odd path ${String(p.name)}`,
      // An empty, "." or ".." segment is a different URL (another route), not an odd id.
      requests: fc.tuple(base, bodyArb, invalidParam(oracle, p.schema as Schema).filter((v) => !["", ".", ".."].includes(v))).map(([parts, body, bad]) =>
        build({ ...parts, path: { ...parts.path, [String(p.name)]: bad } }, body),
      ),
    });
  }
  return {
    op,
    operationId,
    scopes,
    secured: op.security.length > 0,
    ...(binary !== undefined && { binaryField: binary }),
    positive: fc.tuple(base, bodyArb).map(([parts, body]) => build(parts, body)),
    negatives,
  };
}
