// The Prism mock (scripts/mock.js) serves every operation of openapi.yaml, and what it answers
// conforms to the spec (judged by the oracle): the success response of every operation, every
// declared status through `Prefer: code=N`, the 401 envelope without a key or with a malformed one
// (answered by the script's front: Prism itself accepts any value), and the 400 envelope (not
// Prism's problem+json) for an invalid parameter.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildExampleRequest, EXAMPLE_API_KEY, type ExampleRequest } from "../support/example-requests.js";
import { OpenApiOracle, type OperationInfo } from "../support/openapi-oracle.js";
import { startPrism, type PrismProcess } from "../support/prism.js";

const oracle = await OpenApiOracle.load();
const ops = oracle.operations();

/** The envelope's error.code for each status (the seed's five codes plus the spec's own). */
const CODE_FOR_STATUS: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  416: "range_not_satisfiable",
  429: "rate_limited",
  500: "server_error",
};

let mock: PrismProcess | undefined;
let base = "";

beforeAll(async () => {
  mock = await startPrism({ script: true });
  base = mock.baseUrl;
}, 60_000);

afterAll(async () => {
  await mock?.close();
});

interface Answer {
  status: number;
  headers: Headers;
  bytes: Uint8Array;
  json: unknown;
}

async function send(req: ExampleRequest, extraHeaders: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(base + req.path, {
    method: req.method,
    headers: { ...req.headers, ...extraHeaders },
    ...(req.body !== undefined ? { body: req.body } : {}),
    signal: AbortSignal.timeout(15_000),
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, bytes, json };
}

/**
 * The oracle's verdict, plus Prism's own: for a valid request Prism reports any violation it sees
 * (request or its own response) in an `sl-violations` header, which must then be absent.
 * Not for HEAD: Prism validates its empty HEAD body against the GET representation's `*\/*`
 * string schema and always reports "received media type "" / body must be string".
 */
function judge(op: OperationInfo, req: ExampleRequest, a: Answer, { validRequest = true } = {}) {
  const problems = oracle
    .checkResponse({ method: req.method, path: req.path, status: a.status, headers: a.headers, body: a.bytes })
    .map((v) => v.message);
  const sl = a.headers.get("sl-violations");
  if (validRequest && op.method !== "head" && sl) problems.push(`Prism sl-violations: ${sl}`);
  return problems;
}

function expectEnvelope(a: Answer, status: number, where: string) {
  expect(a.headers.get("content-type") ?? "", `${where}: content type`).toMatch(/^application\/json/);
  const body = a.json as { success?: unknown; error?: { code?: unknown; message?: unknown } } | undefined;
  expect(body?.success, `${where}: success`).toBe(false);
  expect(typeof body?.error?.message, `${where}: error.message`).toBe("string");
  const code = CODE_FOR_STATUS[status];
  if (code) expect(body?.error?.code, `${where}: error.code`).toBe(code);
}

const declared = (op: OperationInfo) => Object.keys(op.responses).filter((s) => /^\d{3}$/.test(s)).map(Number);
const successStatus = (op: OperationInfo) => Math.min(...declared(op).filter((s) => s >= 200 && s < 300));

describe("npm run mock (Prism) answers every operation as the spec says", () => {
  it("the script says where it listens", () => {
    expect(mock?.output()).toMatch(new RegExp(`listening on ${base.replace(/[.]/g, "\\.")}`));
  });

  it.each(ops.map((o) => [o.operationId ?? `${o.method} ${o.path}`, o] as const))(
    "%s: example request → success response that conforms",
    { timeout: 30_000 },
    async (_id, op) => {
      const req = buildExampleRequest(oracle, op);
      const a = await send(req);
      expect(a.status, Buffer.from(a.bytes).toString("utf8").slice(0, 500)).toBe(successStatus(op));
      expect(judge(op, req, a)).toEqual([]);
      if (op.method === "head") expect(a.bytes.length).toBe(0);
    },
  );

  const preferCases = ops.flatMap((op) =>
    declared(op).map((status) => [`${op.operationId} Prefer: code=${status}`, op, status] as const),
  );
  it.each(preferCases)("%s", { timeout: 30_000 }, async (_name, op, status) => {
    const req = buildExampleRequest(oracle, op);
    const a = await send(req, { Prefer: `code=${status}` });
    expect(a.status).toBe(status);
    expect(judge(op, req, a)).toEqual([]);
    if (status >= 400 && op.method !== "head") expectEnvelope(a, status, `${op.operationId} ${status}`);
  });

  const secured = ops.filter((o) => o.security.length > 0);
  it.each(secured.map((o) => [o.operationId, o] as const))("%s without an API key → 401 envelope", { timeout: 30_000 }, async (_id, op) => {
    const req = buildExampleRequest(oracle, op, { auth: "none" });
    const a = await send(req);
    expect(a.status).toBe(401);
    expect(judge(op, req, a, { validRequest: false })).toEqual([]);
    if (op.method !== "head") expectEnvelope(a, 401, `${op.operationId} without key`);
  });

  const malformed: [string, Record<string, string>][] = [
    ["Bearer hello", { Authorization: "Bearer hello" }],
    ["Bearer ak_short", { Authorization: "Bearer ak_short" }],
    ["a key one character too long", { Authorization: `Bearer ak_${"a".repeat(62)}` }],
    ["X-API-Key not-a-key", { "X-API-Key": "not-a-key" }],
    ["Basic credentials only", { Authorization: "Basic dXNlcjpwYXNz" }],
  ];
  const malformedCases = secured.flatMap((op) => malformed.map(([label, headers]) => [`${op.operationId}: ${label}`, op, headers] as const));
  it.each(malformedCases)("%s → 401 envelope", { timeout: 30_000 }, async (_name, op, headers) => {
    const req = buildExampleRequest(oracle, op, { auth: "none" });
    const a = await send({ ...req, headers: { ...req.headers, ...headers } });
    expect(a.status).toBe(401);
    expect(a.headers.get("www-authenticate")).toBe('Bearer realm="aethercdn"');
    expect(judge(op, req, a, { validRequest: false })).toEqual([]);
    if (op.method !== "head") expectEnvelope(a, 401, `${op.operationId} with ${JSON.stringify(headers)}`);
    else expect(a.bytes.length).toBe(0);
  });

  it("a well-formed key in either header passes the front, whatever the other header holds", async () => {
    const op = oracle.operationById("listFiles");
    const req = buildExampleRequest(oracle, op, { auth: "none" });
    const variants: Record<string, string>[] = [
      { "X-API-Key": EXAMPLE_API_KEY, Authorization: "Basic dXNlcjpwYXNz" },
      { Authorization: `Bearer ${EXAMPLE_API_KEY}`, "X-API-Key": "not-a-key" },
      { Authorization: `Bearer ak_${"a".repeat(61)}` },
    ];
    for (const headers of variants) {
      const a = await send({ ...req, headers: { ...req.headers, ...headers } });
      expect(a.status, JSON.stringify(headers)).toBe(200);
    }
  });

  it.each(secured.map((o) => [o.operationId, o] as const))("%s with X-API-Key → success", { timeout: 30_000 }, async (_id, op) => {
    const req = buildExampleRequest(oracle, op, { auth: "apiKey" });
    const a = await send(req);
    expect(a.status).toBe(successStatus(op));
    expect(judge(op, req, a)).toEqual([]);
  });

  it("GET /api/v1/files?limit=500 → 400 envelope (not problem+json)", async () => {
    const op = oracle.operationById("listFiles");
    const req = { ...buildExampleRequest(oracle, op), path: "/api/v1/files?limit=500" };
    const a = await send(req);
    expect(a.status).toBe(400);
    expect(judge(op, req, a, { validRequest: false })).toEqual([]);
    expectEnvelope(a, 400, "limit=500");
  });
});
