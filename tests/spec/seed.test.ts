// The contract covers the seed description (aethercdn-developer-api.txt): its operations, fields,
// error codes and key format, and every operation is documented (summary, description, tag,
// curl + TypeScript samples) and declares the shared error envelopes.
//
// The seed facts are written down below (SEED) so the suite also runs on a clean clone; when the
// seed text is available (../shared/seed/ next to the repo, or SEED_FILE=...), a test parses it
// and checks that SEED still says what the text says.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type JsonObject, OpenApiOracle, REPO_ROOT, type Schema, SPEC_PATH, isJsonMediaType } from "../support/openapi-oracle.js";

const SEED = {
  origin: "https://yoursite.com",
  operations: [
    ["get", "/api/v1/files"],
    ["post", "/api/v1/files/upload"],
    ["get", "/api/v1/files/{id}/download"],
    ["get", "/api/v1/user/stats"],
  ] as const,
  listQuery: ["folderId", "limit", "offset"],
  listDefaults: { limit: 50, limitMax: 100, offset: 0 },
  uploadFields: ["file", "folderId", "description", "tags"],
  uploadRequired: ["file"],
  listFields: ["success", "files", "pagination"],
  paginationFields: ["total", "limit", "offset"],
  fileFields: ["id", "name", "size", "url"],
  statsFields: ["totalFiles", "totalSize", "totalFolders", "storageUsed", "bandwidthUsed"],
  errorCodes: ["unauthorized", "not_found", "bad_request", "rate_limited", "server_error"],
  scopes: ["files:read", "files:write", "user:read"],
  // The seed prints "Example: ak_BQf1JvG3nE0w7ZtP9xRk2aLmNcVyHsQdScopes": the key runs into the
  // next heading "Scopes". The key is ak_ + 32 characters.
  apiKeyExample: "ak_BQf1JvG3nE0w7ZtP9xRk2aLmNcVyHsQd",
  apiKeyLength: { min: 32, max: 64 },
  statsExample: {
    success: true,
    stats: { totalFiles: 150, totalSize: 1073741824, totalFolders: 12, storageUsed: "1.0 GB", bandwidthUsed: "500 MB" },
  },
  listExample: { success: true, files: [], pagination: { total: 150, limit: 50, offset: 0 } },
  errorExample: { success: false, error: { code: "unauthorized", message: "Invalid API key" } },
};

/** HTTP status → the envelope's error.code for the seed's five codes. */
const CODE_FOR_STATUS: Record<string, string> = {
  "400": "bad_request",
  "401": "unauthorized",
  "404": "not_found",
  "429": "rate_limited",
  "500": "server_error",
};

const SEED_CANDIDATES = [
  process.env.SEED_FILE,
  path.join(REPO_ROOT, "..", "shared", "seed", "aethercdn-developer-api.txt"),
  path.join(REPO_ROOT, "tests", "fixtures", "seed", "aethercdn-developer-api.txt"),
].filter((p): p is string => Boolean(p));
const SEED_FILE = SEED_CANDIDATES.find((p) => existsSync(p));

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

let oracle: OpenApiOracle;
let specText: string;
beforeAll(async () => {
  oracle = await OpenApiOracle.load();
  specText = readFileSync(SPEC_PATH, "utf8");
});

function op(method: string, template: string) {
  const found = oracle.findOperation(method, template);
  if (!found) throw new Error(`${method.toUpperCase()} ${template} is not in openapi.yaml`);
  return found;
}

function successSchema(method: string, template: string): Schema {
  const o = op(method, template);
  const status = Object.keys(o.responses).find((s) => /^2\d\d$/.test(s));
  if (!status) throw new Error(`${o.operationId}: no 2xx response`);
  const content = o.responses[status]!.content;
  const json = isObject(content) ? Object.entries(content).find(([mt]) => isJsonMediaType(mt)) : undefined;
  if (!json || !isObject(json[1])) throw new Error(`${o.operationId} ${status}: no JSON content`);
  return json[1].schema as Schema;
}

/**
 * The seed's sample values validate field by field against the spec's property schemas (the spec
 * may require more fields than the seed shows: it extends the seed's objects).
 */
function expectSeedValues(schema: Schema | undefined, sample: Record<string, unknown>, where: string) {
  const shape = oracle.shape(schema);
  for (const [field, value] of Object.entries(sample)) {
    const prop = shape.properties[field];
    expect(prop, `${where}.${field} is declared`).toBeDefined();
    expect(oracle.validate(prop!, value), `${where}.${field} = ${JSON.stringify(value)}`).toBeUndefined();
  }
}

function expectFields(schema: Schema | undefined, fields: string[], where: string) {
  const shape = oracle.shape(schema);
  expect(Object.keys(shape.properties), `${where}: properties`).toEqual(expect.arrayContaining(fields));
  expect(shape.required, `${where}: required`).toEqual(expect.arrayContaining(fields));
  return shape;
}

describe.skipIf(!SEED_FILE)(`the seed text (${SEED_FILE ?? "not found"}) says what SEED says`, () => {
  const text = SEED_FILE ? readFileSync(SEED_FILE, "utf8") : "";

  it("operations", () => {
    const found = new Set<string>();
    for (const m of text.matchAll(/\b(GET|POST|PUT|PATCH|DELETE|HEAD)\s*\n?\s*(?:https:\/\/yoursite\.com)?(\/api\/v1\/[a-z0-9_{}/]+)/g))
      found.add(`${m[1]!.toLowerCase()} ${m[2]}`);
    expect([...found].sort()).toEqual(SEED.operations.map(([m, p]) => `${m} ${p}`).sort());
  });

  it("list query parameters and upload form fields", () => {
    // The text runs words together ("Filter by folder IDlimit(optional)"), so check that each
    // SEED name is marked and that there are no other marked names.
    const section = (from: string, to: string) => text.slice(text.indexOf(from), text.indexOf(to, text.indexOf(from)));
    const check = (s: string, names: string[], required: string[]) => {
      expect(s.match(/\((?:optional|required)\)/g)?.length, "number of parameters").toBe(names.length);
      for (const n of names) expect(s).toContain(`${n}(${required.includes(n) ? "required" : "optional"})`);
    };
    check(section("Query Parameters:", "Response:"), SEED.listQuery, []);
    check(section("Form Data:", "Response:"), SEED.uploadFields, SEED.uploadRequired);
    expect(text).toMatch(/default: 50, max: 100/);
    expect(text).toMatch(/Pagination offset \(default: 0\)/);
  });

  it("response fields", () => {
    for (const f of [...SEED.listFields, "pagination", ...SEED.paginationFields, ...SEED.fileFields, ...SEED.statsFields])
      expect(text, f).toContain(`"${f}"`);
    const stats = text.match(/\{\s*"success": true,\s*"stats": \{[^}]*\}\s*\}/);
    expect(stats, "stats JSON block").not.toBeNull();
    expect(JSON.parse(stats![0])).toEqual(SEED.statsExample);
  });

  it("error codes", () => {
    const codes = [...text.matchAll(/^\/\/ - (\w+):/gm)].map((m) => m[1]);
    expect(codes).toEqual(SEED.errorCodes);
    const envelope = text.match(/\{\s*"success": false,\s*"error": \{[^}]*\}\s*\}/);
    expect(JSON.parse(envelope![0])).toEqual(SEED.errorExample);
  });

  it("API key format and scopes", () => {
    const m = text.match(/Example:\s*(ak_[A-Za-z0-9]+?)Scopes/);
    expect(m?.[1]).toBe(SEED.apiKeyExample);
    expect(SEED.apiKeyExample.slice(3)).toHaveLength(32);
    expect(text).toMatch(/Prefix: ak_/);
    expect(text).toMatch(new RegExp(`Length: ${SEED.apiKeyLength.min}-${SEED.apiKeyLength.max} chars`));
    for (const s of SEED.scopes) expect(text).toContain(s);
  });
});

describe("openapi.yaml covers the seed", () => {
  it("servers are origins only, including the seed's", () => {
    const servers = (oracle.raw.servers as JsonObject[] | undefined) ?? [];
    const urls = servers.map((s) => String(s.url));
    expect(urls).toContain(SEED.origin);
    for (const u of urls) expect(new URL(u).pathname, `${u} must be an origin (paths carry /api/v1)`).toBe("/");
  });

  it.each(SEED.operations)("%s %s is an operation", (method, template) => {
    expect(oracle.findOperation(method, template)).toBeDefined();
  });

  it("GET /api/v1/files: folderId, limit (default 50, max 100), offset (default 0), all optional", () => {
    const o = op("get", "/api/v1/files");
    const q = new Map(o.parameters.filter((p) => p.in === "query").map((p) => [String(p.name), p]));
    expect([...q.keys()]).toEqual(expect.arrayContaining(SEED.listQuery));
    for (const name of SEED.listQuery) expect(q.get(name)!.required ?? false, `${name} is optional`).toBe(false);
    const limit = oracle.derefSchema(q.get("limit")!.schema as Schema) as JsonObject;
    expect(limit.default).toBe(SEED.listDefaults.limit);
    expect(limit.maximum).toBe(SEED.listDefaults.limitMax);
    const offset = oracle.derefSchema(q.get("offset")!.schema as Schema) as JsonObject;
    expect(offset.default).toBe(SEED.listDefaults.offset);
    expect(offset.minimum).toBe(0);
  });

  it("GET /api/v1/files answers success, files[], pagination{total,limit,offset}", () => {
    const shape = expectFields(successSchema("get", "/api/v1/files"), SEED.listFields, "listFiles 200");
    expectFields(shape.properties.pagination, SEED.paginationFields, "pagination");
    const files = oracle.derefSchema(shape.properties.files) as JsonObject;
    expect(files.type).toBe("array");
    expectFields(files.items as Schema, SEED.fileFields, "files[]");
    expectSeedValues(successSchema("get", "/api/v1/files"), SEED.listExample, "listFiles 200");
  });

  it("POST /api/v1/files/upload takes multipart file (required), folderId, description, tags", () => {
    const o = op("post", "/api/v1/files/upload");
    const body = o.operation.requestBody as JsonObject;
    expect(body.required).toBe(true);
    const content = body.content as JsonObject;
    expect(Object.keys(content)).toContain("multipart/form-data");
    const schema = (content["multipart/form-data"] as JsonObject).schema as Schema;
    const shape = oracle.shape(schema);
    expect(Object.keys(shape.properties)).toEqual(expect.arrayContaining(SEED.uploadFields));
    expect(shape.required).toEqual(expect.arrayContaining(SEED.uploadRequired));
    const file = oracle.derefSchema(shape.properties.file) as JsonObject;
    expect(file.format === "binary" || typeof file.contentMediaType === "string", "file is binary").toBe(true);
  });

  it("POST /api/v1/files/upload answers success and file{id,name,size,url}", () => {
    const shape = expectFields(successSchema("post", "/api/v1/files/upload"), ["success", "file"], "uploadFile 2xx");
    expectFields(shape.properties.file, SEED.fileFields, "file");
  });

  it("GET /api/v1/files/{id}/download returns bytes with download headers", () => {
    const o = op("get", "/api/v1/files/{id}/download");
    expect(o.parameters.some((p) => p.in === "path" && p.name === "id" && p.required === true)).toBe(true);
    const ok = o.responses["200"];
    expect(ok, "200 response").toBeDefined();
    const types = Object.keys((ok!.content as JsonObject | undefined) ?? {});
    expect(types.some((t) => !isJsonMediaType(t)), `non-JSON content in ${types.join(", ")}`).toBe(true);
    const headers = Object.keys((ok!.headers as JsonObject | undefined) ?? {}).map((h) => h.toLowerCase());
    expect(headers).toContain("content-disposition");
  });

  it("GET /api/v1/user/stats answers success and stats{totalFiles,totalSize,totalFolders,storageUsed,bandwidthUsed}", () => {
    const shape = expectFields(successSchema("get", "/api/v1/user/stats"), ["success", "stats"], "getUserStats 200");
    expectFields(shape.properties.stats, SEED.statsFields, "stats");
    expectSeedValues(successSchema("get", "/api/v1/user/stats"), { success: true }, "getUserStats 200");
    expectSeedValues(shape.properties.stats, SEED.statsExample.stats, "stats");
  });

  it("error envelope accepts the seed's five codes and the seed's example", () => {
    const o = op("get", "/api/v1/files");
    const err = o.responses["401"];
    const schema = (err!.content as JsonObject)["application/json"] as JsonObject;
    for (const code of SEED.errorCodes)
      expect(oracle.validate(schema.schema as Schema, { success: false, error: { code, message: "m" } }), code).toBeUndefined();
    expect(oracle.validate(schema.schema as Schema, SEED.errorExample)).toBeUndefined();
  });

  it("bearerAuth (http bearer) or apiKeyAuth (X-API-Key header) on every operation but getHealth, with the seed's scopes", () => {
    const schemes = (oracle.raw.components as JsonObject).securitySchemes as JsonObject;
    expect(schemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(schemes.apiKeyAuth).toMatchObject({ type: "apiKey", in: "header", name: "X-API-Key" });
    const problems: string[] = [];
    for (const o of oracle.operations()) {
      if (o.operationId === "getHealth") {
        if (o.security.length !== 0) problems.push("getHealth must need no API key (security: [])");
        continue;
      }
      const alternatives = o.security.map((req) => Object.keys(req).sort().join("+")).sort();
      if (alternatives.join(",") !== "apiKeyAuth,bearerAuth")
        problems.push(`${o.operationId}: security alternatives are [${alternatives.join(", ")}], expected bearerAuth or apiKeyAuth`);
      for (const req of o.security)
        for (const scopes of Object.values(req))
          for (const scope of Array.isArray(scopes) ? scopes : [])
            if (!SEED.scopes.includes(String(scope))) problems.push(`${o.operationId}: unknown scope ${String(scope)}`);
    }
    expect(problems).toEqual([]);
  });

  it("the ak_ key pattern accepts the seed's example key and enforces the 32–64 length", () => {
    // Wherever the spec states the key pattern: a schema `pattern`, or `^ak_…$` in backticks in a
    // description (security schemes cannot carry a schema).
    const patterns = new Set<string>();
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (isObject(n))
        for (const [k, v] of Object.entries(n)) {
          if (k === "pattern" && typeof v === "string" && v.includes("ak_")) patterns.add(v);
          else if (typeof v === "string") for (const m of v.matchAll(/`(\^ak_[^`]*\$)`/g)) patterns.add(m[1]!);
          else walk(v);
        }
    };
    walk(oracle.raw);
    expect(patterns.size, "an ak_ key pattern in the spec").toBeGreaterThan(0);
    for (const p of patterns) {
      const re = new RegExp(p, "u");
      expect(re.test(SEED.apiKeyExample), `${p} accepts ${SEED.apiKeyExample}`).toBe(true);
      expect(re.test("ak_short"), `${p} rejects ak_short`).toBe(false);
      expect(re.test(`ak_${"a".repeat(70)}`), `${p} rejects a 73-char key`).toBe(false);
      expect(re.test(SEED.apiKeyExample.replace("ak_", "sk_")), `${p} needs the ak_ prefix`).toBe(false);
    }
    // The key in the spec's prose is the seed's.
    expect(specText).toContain(SEED.apiKeyExample);
  });

  it("the seed's scopes are documented", () => {
    for (const s of SEED.scopes) expect(specText, s).toContain(s);
  });
});

describe("every operation is documented", () => {
  const ops = () => oracle.operations();

  it("has the expected operationIds", () => {
    const ids = ops().map((o) => o.operationId);
    expect(ids).toEqual(
      expect.arrayContaining([
        "listFiles",
        "uploadFile",
        "getFile",
        "updateFile",
        "deleteFile",
        "downloadFile",
        "listFolders",
        "createFolder",
        "deleteFolder",
        "getUserStats",
        "getHealth",
      ]),
    );
    expect(new Set(ids).size, "operationIds are unique").toBe(ids.length);
    expect(ids.every((id) => typeof id === "string" && id.length > 0), "every operation has an operationId").toBe(true);
  });

  it("summary, description, declared tag, x-codeSamples with curl and TypeScript", () => {
    const declaredTags = new Set(((oracle.raw.tags as JsonObject[] | undefined) ?? []).map((t) => String(t.name)));
    const problems: string[] = [];
    for (const o of ops()) {
      const name = `${o.operationId} (${o.method.toUpperCase()} ${o.path})`;
      const x = o.operation;
      if (typeof x.summary !== "string" || !x.summary.trim()) problems.push(`${name}: no summary`);
      if (typeof x.description !== "string" || !x.description.trim()) problems.push(`${name}: no description`);
      const tags = Array.isArray(x.tags) ? x.tags : [];
      if (tags.length === 0) problems.push(`${name}: no tag`);
      for (const t of tags) if (!declaredTags.has(String(t))) problems.push(`${name}: tag ${String(t)} is not declared in top-level tags`);
      const samples = (Array.isArray(x["x-codeSamples"]) ? x["x-codeSamples"] : []).filter(isObject);
      const curl = samples.find((s) => /^(curl|shell|bash|sh)$/i.test(String(s.lang)) && /\bcurl\b/.test(String(s.source)));
      const tsSample = samples.find((s) => /^typescript$/i.test(String(s.lang)) && String(s.source ?? "").trim() !== "");
      if (!curl) problems.push(`${name}: no curl x-codeSample`);
      else {
        const src = String(curl.source);
        if (!src.includes("/api/v1/")) problems.push(`${name}: curl sample does not call /api/v1/...`);
        if (o.security.length > 0 && !/Authorization: Bearer|X-API-Key/i.test(src))
          problems.push(`${name}: curl sample sends no API key`);
      }
      if (!tsSample) problems.push(`${name}: no TypeScript x-codeSample`);
    }
    expect(problems).toEqual([]);
  });

  it("error statuses are declared as applicable, through shared components/responses", () => {
    const problems: string[] = [];
    const rawPaths = oracle.raw.paths as JsonObject;
    for (const o of ops()) {
      const name = `${o.operationId} (${o.method.toUpperCase()} ${o.path})`;
      const statuses = Object.keys(o.responses);
      const authed = o.security.length > 0;
      const hasInput = o.parameters.length > 0 || o.operation.requestBody !== undefined;
      const hasPathParams = o.parameters.some((p) => p.in === "path");
      const expected = [
        ...(hasInput ? ["400"] : []),
        ...(authed ? ["401", "429"] : []),
        ...(hasPathParams ? ["404"] : []),
        "500",
      ];
      for (const s of expected) if (!statuses.includes(s)) problems.push(`${name}: does not declare ${s}`);
      const rawOp = (rawPaths[o.path] as JsonObject)[o.method] as JsonObject;
      const rawResponses = rawOp.responses as JsonObject;
      for (const s of statuses.filter((x) => /^[45]/.test(x))) {
        const raw = rawResponses[s];
        if (!isObject(raw) || typeof raw.$ref !== "string" || !raw.$ref.startsWith("#/components/responses/"))
          problems.push(`${name} ${s}: not a $ref to #/components/responses/*`);
        const content = o.responses[s]!.content;
        if (!isObject(content) || !isObject(content["application/json"])) {
          if (o.method !== "head") problems.push(`${name} ${s}: no application/json envelope`);
          continue;
        }
        const media = content["application/json"] as JsonObject;
        const shape = oracle.shape(media.schema as Schema);
        if (!shape.required.includes("success") || !shape.required.includes("error"))
          problems.push(`${name} ${s}: schema is not the {success, error} envelope`);
        const examples = isObject(media.examples) ? Object.entries(media.examples) : [];
        if (examples.length === 0) problems.push(`${name} ${s}: no named examples`);
        const code = CODE_FOR_STATUS[s];
        for (const [exName, ex] of examples) {
          const value = isObject(ex) ? ex.value : undefined;
          if (!isObject(value) || value.success !== false) problems.push(`${name} ${s} example ${exName}: success is not false`);
          else if (code && isObject(value.error) && value.error.code !== code)
            problems.push(`${name} ${s} example ${exName}: error.code ${JSON.stringify(value.error.code)}, expected ${code}`);
        }
      }
      // RFC 9110 §15.5.2: a 401 carries WWW-Authenticate.
      if (authed && o.responses["401"]) {
        const h = Object.keys((o.responses["401"].headers as JsonObject | undefined) ?? {}).map((k) => k.toLowerCase());
        if (!h.includes("www-authenticate")) problems.push(`${name} 401: no WWW-Authenticate header documented`);
      }
    }
    expect(problems).toEqual([]);
  });
});
