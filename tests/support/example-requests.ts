/**
 * Builds a valid HTTP request for an operation from the spec's own examples: path parameters
 * from parameter examples, required query/header parameters likewise, a JSON body from the
 * request body's first example, a multipart body (binary fields as small Blobs, text fields from
 * the example), and the API key as `Authorization: Bearer …` or `X-API-Key`.
 */
import type { JsonObject, OpenApiOracle, OperationInfo, Schema } from "./openapi-oracle.js";

/** The seed's example key (ak_ + 32 letters and digits). */
export const EXAMPLE_API_KEY = "ak_BQf1JvG3nE0w7ZtP9xRk2aLmNcVyHsQd";

export interface ExampleRequest {
  method: string;
  /** Concrete path with query string, e.g. `/api/v1/files/file_abc`. */
  path: string;
  headers: Record<string, string>;
  body?: string | FormData;
}

export interface ExampleRequestOptions {
  /** How to send the key; "none" sends no credentials. Default: "bearer". */
  auth?: "bearer" | "apiKey" | "none";
  apiKey?: string;
  /** Include optional query/header parameters that have examples. Default: false. */
  optionalParameters?: boolean;
}

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

function firstExample(holder: JsonObject | undefined): { found: boolean; value: unknown } {
  if (!holder) return { found: false, value: undefined };
  if ("example" in holder) return { found: true, value: holder.example };
  if (isObject(holder.examples)) {
    for (const ex of Object.values(holder.examples)) if (isObject(ex) && "value" in ex) return { found: true, value: ex.value };
  }
  return { found: false, value: undefined };
}

/** An example value for a parameter: its own example, else its schema's examples/default/enum. */
export function parameterExample(oracle: OpenApiOracle, p: JsonObject): unknown {
  const own = firstExample(p);
  if (own.found) return own.value;
  const schema = oracle.derefSchema(p.schema as Schema | undefined);
  if (isObject(schema)) {
    if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
    if ("default" in schema) return schema.default;
    if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  }
  throw new Error(`parameter ${String(p.in)}.${String(p.name)} has no example to build a request from`);
}

function isBinary(oracle: OpenApiOracle, s: Schema | undefined): boolean {
  const d = oracle.derefSchema(s);
  return isObject(d) && (d.format === "binary" || typeof d.contentMediaType === "string");
}

export function buildExampleRequest(oracle: OpenApiOracle, op: OperationInfo, options: ExampleRequestOptions = {}): ExampleRequest {
  const auth = options.auth ?? "bearer";
  const apiKey = options.apiKey ?? EXAMPLE_API_KEY;
  const headers: Record<string, string> = {};
  let path = op.path;
  const query = new URLSearchParams();

  for (const p of op.parameters) {
    const required = p.required === true || p.in === "path";
    if (!required && !options.optionalParameters) continue;
    let value: unknown;
    try {
      value = parameterExample(oracle, p);
    } catch (err) {
      if (!required) continue;
      throw err;
    }
    const text = Array.isArray(value) ? value.map(String).join(",") : String(value);
    if (p.in === "path") path = path.replace(`{${String(p.name)}}`, encodeURIComponent(text));
    else if (p.in === "query") query.append(String(p.name), text);
    else if (p.in === "header") headers[String(p.name)] = text;
  }

  if (op.security.length > 0 && auth !== "none") {
    if (auth === "bearer") headers.Authorization = `Bearer ${apiKey}`;
    else headers["X-API-Key"] = apiKey;
  }

  let body: string | FormData | undefined;
  const rb = op.operation.requestBody;
  if (isObject(rb) && isObject(rb.content)) {
    const content = rb.content;
    const json = Object.keys(content).find((mt) => mt === "application/json" || mt.endsWith("+json"));
    if (json) {
      const ex = firstExample(content[json] as JsonObject);
      if (!ex.found) throw new Error(`${op.operationId}: the ${json} request body has no example`);
      body = JSON.stringify(ex.value);
      headers["Content-Type"] = json;
    } else if ("multipart/form-data" in content) {
      const media = content["multipart/form-data"] as JsonObject;
      const shape = oracle.shape(media.schema as Schema);
      const ex = firstExample(media);
      const sample = isObject(ex.value) ? ex.value : {};
      const form = new FormData();
      for (const [name, propSchema] of Object.entries(shape.properties)) {
        if (isBinary(oracle, propSchema)) {
          form.append(name, new Blob(["Hello from AetherCDN!\n"], { type: "text/plain" }), "hello.txt");
        } else if (name in sample) {
          const v = sample[name];
          form.append(name, Array.isArray(v) ? v.map(String).join(",") : String(v));
        } else if (shape.required.includes(name)) {
          throw new Error(`${op.operationId}: required form field ${name} has no example`);
        }
      }
      body = form; // fetch sets the multipart Content-Type with its boundary
    } else {
      throw new Error(`${op.operationId}: cannot build a body for ${Object.keys(content).join(", ")}`);
    }
  }

  const qs = query.toString();
  return { method: op.method.toUpperCase(), path: qs ? `${path}?${qs}` : path, headers, ...(body !== undefined ? { body } : {}) };
}
