// Self-test of tests/support/openapi-oracle.ts on a tiny inline spec: the oracle must catch each
// kind of violation (it is the independent judge of the conformance suite, so it must not be lax).
import { describe, expect, it } from "vitest";
import { OpenApiOracle, type ViolationCode } from "../support/openapi-oracle.js";

const SPEC = `
openapi: 3.1.0
info: { title: t, version: "1" }
paths:
  /api/v1/things:
    get:
      operationId: listThings
      responses:
        "200":
          description: ok
          headers:
            X-Count: { required: true, schema: { type: integer, minimum: 0 } }
          content:
            application/json:
              schema: { $ref: "#/components/schemas/List" }
        "4XX": { $ref: "#/components/responses/Error" }
  /api/v1/things/{id}:
    parameters:
      - { name: id, in: path, required: true, schema: { type: string } }
    get:
      operationId: getThing
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Node" }
        default: { $ref: "#/components/responses/Error" }
    head:
      operationId: headThing
      responses:
        "200":
          description: ok
          headers:
            ETag: { required: true, schema: { type: string } }
    delete:
      operationId: deleteThing
      responses:
        "204": { description: gone }
  /api/v1/things/special:
    get:
      operationId: getSpecial
      responses:
        "200":
          description: bytes
          content:
            application/octet-stream: { schema: { type: string, format: binary } }
            text/plain: { schema: { type: string, maxLength: 3 } }
components:
  schemas:
    List:
      type: object
      required: [items]
      additionalProperties: false
      properties:
        items: { type: array, items: { $ref: "#/components/schemas/Node" } }
        next: { type: [string, "null"], format: uri }
    Node:
      type: object
      required: [id]
      x-internal-note: extensions are fine
      properties:
        id: { type: string, example: n1 }
        children: { type: array, items: { $ref: "#/components/schemas/Node" } }
  responses:
    Error:
      description: error
      content:
        application/problem+json:
          schema:
            type: object
            required: [code]
            properties: { code: { type: string } }
`;

const oracle = OpenApiOracle.fromText(SPEC);
const codes = (r: Parameters<OpenApiOracle["checkResponse"]>[0]): ViolationCode[] => oracle.checkResponse(r).map((v) => v.code);
const json = { "content-type": "application/json; charset=utf-8" };

describe("OpenApiOracle", () => {
  it("accepts conforming responses (text, bytes or parsed bodies; recursive schemas)", () => {
    const body = { items: [{ id: "a", children: [{ id: "b" }] }], next: null };
    expect(oracle.checkResponse({ method: "GET", path: "/api/v1/things?x=1", status: 200, headers: { ...json, "x-count": "1" }, body })).toEqual([]);
    expect(oracle.checkResponse({ method: "get", path: "/api/v1/things", status: 200, headers: new Headers({ ...json, "X-Count": "1" }), body: JSON.stringify(body) })).toEqual([]);
    expect(oracle.checkResponse({ method: "GET", path: "/api/v1/things", status: 200, headers: { ...json, "x-count": "1" }, body: new TextEncoder().encode(JSON.stringify(body)) })).toEqual([]);
    expect(oracle.checkResponse({ method: "DELETE", path: "/api/v1/things/a", status: 204 })).toEqual([]);
    expect(oracle.checkResponse({ method: "HEAD", path: "/api/v1/things/a", status: 200, headers: { etag: '"x"' } })).toEqual([]);
  });

  it("matches concrete paths to templates, literal segments first", () => {
    expect(oracle.matchPath("/api/v1/things/special")).toBe("/api/v1/things/special");
    expect(oracle.matchPath("/api/v1/things/abc")).toBe("/api/v1/things/{id}");
    expect(oracle.matchPath("/api/v1/things/abc/more")).toBeUndefined();
    expect(oracle.findOperation("GET", "/api/v1/things/special")?.operationId).toBe("getSpecial");
  });

  it("flags unknown paths and methods", () => {
    expect(codes({ method: "GET", path: "/api/v1/nope", status: 200 })).toEqual(["unknown-path"]);
    expect(codes({ method: "PUT", path: "/api/v1/things", status: 200 })).toEqual(["unknown-method"]);
  });

  it("flags undeclared statuses, honours NXX ranges and default", () => {
    expect(codes({ method: "GET", path: "/api/v1/things", status: 500, headers: json, body: "{}" })).toEqual(["undeclared-status"]);
    expect(codes({ method: "GET", path: "/api/v1/things", status: 404, headers: { "content-type": "application/problem+json" }, body: { code: "x" } })).toEqual([]);
    expect(codes({ method: "GET", path: "/api/v1/things/a", status: 503, headers: { "content-type": "application/problem+json" }, body: { code: "x" } })).toEqual([]);
    expect(codes({ method: "DELETE", path: "/api/v1/things/a", status: 200 })).toEqual(["undeclared-status"]);
  });

  it("flags content types and bodies that do not match", () => {
    const ok = { "x-count": "0" };
    expect(codes({ method: "GET", path: "/api/v1/things", status: 200, headers: { ...ok, "content-type": "text/html" }, body: "<p>" })).toEqual(["undeclared-content-type"]);
    expect(codes({ method: "GET", path: "/api/v1/things", status: 200, headers: ok, body: "{}" })).toEqual(["missing-content-type"]);
    expect(codes({ method: "GET", path: "/api/v1/things", status: 200, headers: { ...ok, ...json }, body: "" })).toEqual(["missing-body"]);
    expect(codes({ method: "GET", path: "/api/v1/things", status: 200, headers: { ...ok, ...json }, body: "{nope" })).toEqual(["invalid-json"]);
    expect(codes({ method: "GET", path: "/api/v1/things", status: 200, headers: { ...ok, ...json }, body: { items: [{}] } })).toEqual(["body-schema"]);
    expect(codes({ method: "GET", path: "/api/v1/things", status: 200, headers: { ...ok, ...json }, body: { items: [], extra: 1 } })).toEqual(["body-schema"]);
    expect(codes({ method: "GET", path: "/api/v1/things", status: 200, headers: { ...ok, ...json }, body: { items: [], next: "not a uri" } })).toEqual(["body-schema"]);
    expect(codes({ method: "DELETE", path: "/api/v1/things/a", status: 204, body: "x" })).toEqual(["unexpected-body"]);
    expect(codes({ method: "GET", path: "/api/v1/things/special", status: 200, headers: { "content-type": "application/octet-stream" }, body: new Uint8Array([1, 2]) })).toEqual([]);
    expect(codes({ method: "GET", path: "/api/v1/things/special", status: 200, headers: { "content-type": "text/plain" }, body: "toolong" })).toEqual(["body-schema"]);
  });

  it("flags missing required headers and invalid documented header values", () => {
    expect(codes({ method: "GET", path: "/api/v1/things", status: 200, headers: json, body: { items: [] } })).toEqual(["missing-header"]);
    expect(codes({ method: "GET", path: "/api/v1/things", status: 200, headers: { ...json, "x-count": "-1" }, body: { items: [] } })).toEqual(["header-schema"]);
    expect(codes({ method: "HEAD", path: "/api/v1/things/a", status: 200 })).toEqual(["missing-header"]);
  });

  it("lists schema examples, and the schemas reject what they should", () => {
    const ex = oracle.examples();
    expect(ex.some((e) => e.kind === "schema" && e.value === "n1")).toBe(true);
    for (const e of ex) expect(oracle.validate(e.schema, e.value), e.location).toBeUndefined();
  });

  it("rejects external refs and non-3.1 documents with a clear message", () => {
    expect(() => OpenApiOracle.fromText(SPEC.replace('"#/components/schemas/List"', '"./list.yaml"'))).toThrow(/external \$ref/);
    expect(() => OpenApiOracle.fromText(SPEC.replace("3.1.0", "3.0.3"))).toThrow(/OpenAPI 3.1/);
  });

  it("strict mode still rejects schema typos", () => {
    expect(() => OpenApiOracle.fromText(SPEC.replace("maxLength: 3", "maxLenght: 3")).validate({ type: "string", maxLenght: 3 } as never, "x")).toThrow(/unknown keyword/);
  });
});
