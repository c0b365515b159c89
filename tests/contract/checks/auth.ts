/** `ignored_auth`, `missing_required_header` and `scopes`. */
import fc from "fast-check";
import type { RequestSpec } from "../exchange.js";
import type { OperationPlan } from "../plans.js";
import type { RunContext } from "../runner.js";

function sample(ctx: RunContext, plan: OperationPlan): RequestSpec {
  return fc.sample(plan.positive, { seed: ctx.session.seed, numRuns: 1 })[0] as RequestSpec;
}

function withoutCredentials(req: RequestSpec): RequestSpec {
  const headers = Object.fromEntries(Object.entries(req.headers ?? {}).filter(([k]) => !/^(authorization|x-api-key)$/i.test(k)));
  return { ...req, headers };
}

/** Every secured operation refuses a missing, malformed, unknown and revoked key alike: 401 + WWW-Authenticate. */
export async function ignoredAuth(ctx: RunContext, plan: OperationPlan): Promise<void> {
  if (!plan.secured) return;
  const unknownKey = `ak_${"Z".repeat(8)}${fc.sample(fc.stringMatching(/^[A-Za-z0-9]{24}$/), { seed: ctx.session.seed, numRuns: 1 })[0]}`;
  const variants: [string, Record<string, string>][] = [
    ["no key", {}],
    ["malformed Bearer key", { Authorization: "Bearer ak_short" }],
    ["empty Bearer", { Authorization: "Bearer " }],
    ["Basic credentials", { Authorization: "Basic dXNlcjpwYXNz" }],
    ["malformed X-API-Key", { "X-API-Key": "not-a-key" }],
  ];
  if (ctx.target.kind === "mock") {
    ctx.session.skip("ignored_auth", "mock: a mock knows no keys (unknown and revoked well-formed keys are accepted)");
  } else {
    variants.push(
      ["unknown Bearer key", { Authorization: `Bearer ${unknownKey}` }],
      ["unknown X-API-Key", { "X-API-Key": unknownKey }],
    );
    if (ctx.target.keys.revoked) variants.push(["revoked key", { Authorization: `Bearer ${ctx.target.keys.revoked}` }]);
    else ctx.session.skip("ignored_auth", "revoked-key case needs AETHER_API_KEY_REVOKED");
  }
  const bodies = new Set<string>();
  const base = withoutCredentials(await ctx.prepare(ctx.authorize(sample(ctx, plan), plan)));
  for (const [label, headers] of variants) {
    const req = { ...base, headers: { ...base.headers, ...headers } };
    const { exchange } = await ctx.session.send(req);
    const json = exchange.json as { error?: { code?: unknown; message?: unknown } } | undefined;
    const problems: string[] = [];
    if (exchange.status !== 401) problems.push(`answered ${exchange.status}`);
    if (!exchange.headers.get("www-authenticate")) problems.push("no WWW-Authenticate header");
    if (req.method !== "HEAD" && json?.error?.code !== "unauthorized") problems.push(`code ${String(json?.error?.code)} instead of unauthorized`);
    if (req.method !== "HEAD") bodies.add(JSON.stringify({ ...json, error: { ...json?.error, requestId: undefined } }));
    ctx.session.record("ignored_auth", problems.length === 0, {
      operationId: plan.operationId,
      message: `${label}: ${problems.join(", ")}`,
      request: req,
    });
  }
  if (bodies.size > 1) {
    ctx.session.record("ignored_auth", false, {
      operationId: plan.operationId,
      message: `401 bodies differ between missing, malformed, unknown and revoked keys: ${[...bodies].join(" | ")}`,
      request: base,
    });
  }
}

/** Required headers: declared required header parameters, and Content-Type for a required body. */
export async function missingRequiredHeader(ctx: RunContext, plan: OperationPlan): Promise<void> {
  const required = plan.op.parameters.filter((p) => p.in === "header" && p.required === true).map((p) => String(p.name));
  const body = (plan.op.operation.requestBody as { required?: boolean } | undefined)?.required === true;
  if (required.length === 0 && !body) return;
  const base = await ctx.prepare(ctx.authorize(sample(ctx, plan), plan));
  const cases: [string, RequestSpec][] = required.map((name) => [
    name,
    { ...base, headers: Object.fromEntries(Object.entries(base.headers ?? {}).filter(([k]) => k.toLowerCase() !== name.toLowerCase())) },
  ]);
  if (body && base.body) {
    const text = base.body.kind === "json" ? JSON.stringify(base.body.value) : base.body.kind === "raw" ? base.body.text : "file=x";
    cases.push(["Content-Type", { ...base, body: { kind: "raw", text } }]);
  }
  for (const [label, req] of cases) {
    const { exchange } = await ctx.session.send(req);
    const ok = exchange.status >= 400 && exchange.status < 500;
    ctx.session.record("missing_required_header", ok, {
      operationId: plan.operationId,
      message: `without ${label}: answered ${exchange.status} (expected 4xx)`,
      request: req,
    });
  }
}

/** A key without the operation's scope gets 403 `forbidden`. */
export async function scopes(ctx: RunContext, plan: OperationPlan): Promise<void> {
  if (!plan.secured || plan.scopes.length === 0) return;
  if (ctx.target.kind === "mock") {
    ctx.session.skip("scopes", "mock: Prism does not evaluate scopes");
    return;
  }
  const limited = Object.entries(ctx.target.keys.limited).filter(([held]) => !plan.scopes.every((s) => held.split(",").includes(s)));
  if (Object.keys(ctx.target.keys.limited).length === 0) {
    ctx.session.skip("scopes", "needs a key with fewer scopes (AETHER_API_KEY_READONLY)");
    return;
  }
  for (const [held, key] of limited) {
    const req = await ctx.prepare(ctx.authorize(sample(ctx, plan), plan, key));
    const { exchange } = await ctx.session.send(req);
    const code = (exchange.json as { error?: { code?: unknown } } | undefined)?.error?.code;
    const ok = exchange.status === 403 && (req.method === "HEAD" || code === "forbidden");
    ctx.session.record("scopes", ok, {
      operationId: plan.operationId,
      message: `key with only ${held} (operation needs ${plan.scopes.join(",")}): answered ${exchange.status} ${String(code ?? "")}`,
      request: req,
    });
  }
}
