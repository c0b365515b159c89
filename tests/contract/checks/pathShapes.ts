/**
 * `path_shapes`: no other spelling of an operation's path reaches a handler with weaker checks.
 *
 * For every operation, each refusal its canonical path gives — no key (401), a key without the
 * operation's scope (403), an invalid body with a full key (400) — is sent again on path-shape
 * variants (pathVariants.ts): a deterministic list (every transform family at every place it
 * applies) and fast-check mixes of two to four transforms. A variant passes when it answers the
 * canonical refusal, 404 or 405, in the error envelope; 2xx (a guard was skipped), 5xx (a handler
 * saw unvalidated input) or any other status fails. Requests are raw (node:http), so dot segments
 * and `%2e` reach the target as written; each failure's curl line uses `--path-as-is`.
 *
 * The no-key and wrong-key requests carry a valid body, so a variant that slips past the guard
 * shows as a 2xx. Operations that change a resource named in the path are aimed at throwaway
 * resources this check creates (a new one after any 2xx), so a hole deletes or renames only those.
 * Operations without security and without a body (getHealth) have nothing to refuse.
 */
import fc from "fast-check";
import type { Schema } from "../../support/openapi-oracle.js";
import { validParam } from "../arbitraries.js";
import type { BodySpec, Exchange, RequestSpec } from "../exchange.js";
import { FRESH, idKind, type OperationPlan } from "../plans.js";
import { runProperty } from "../property.js";
import { deterministicVariants, describe, fillPath, mixArbitrary, pathModel, render, type PathModel } from "../pathVariants.js";
import type { RunContext } from "../runner.js";
import { isEnvelope } from "./data.js";

const C = "path_shapes";
/** Statuses a variant may answer besides the canonical refusal: "no such path" and "no such method here". */
const ALSO_ALLOWED = [404, 405];
/** Other variants listed in one failure's message (the rest are counted). */
const LISTED = 6;

/** One refusal of the canonical path, replayed on its variants. */
interface Refusal {
  /** `no key`, `key without scope` or `invalid body`. */
  label: string;
  expected: number;
  /** Credentials, rotated over the requests (`undefined`: none). */
  keys: ({ note: string; key: string } | undefined)[];
  body: BodySpec | undefined;
}

type Kind = "file" | "folder";

/** Throwaway files and folders for operations that change what the path names. */
class Throwaways {
  private readonly ids = new Map<Kind, string>();
  constructor(private readonly ctx: RunContext) {}

  async get(kind: Kind): Promise<string> {
    const current = this.ids.get(kind);
    if (current !== undefined) return current;
    const created = decodeURIComponent((await this.ctx.prepare({ method: "GET", path: FRESH[kind] })).path);
    this.ids.set(kind, created);
    return created;
  }

  /** The resource may be gone or changed: the next request gets a new one. */
  spend(kind: Kind): void {
    this.ids.delete(kind);
  }
}

/** One operation's path, its parameters and how to fill them. */
class OperationPaths {
  readonly model: PathModel;
  readonly mutates: boolean;
  private readonly params: { name: string; kind?: Kind; fixed: string }[];

  constructor(
    private readonly ctx: RunContext,
    readonly plan: OperationPlan,
    private readonly pool: Throwaways,
  ) {
    this.model = pathModel(plan.op.path);
    this.mutates = !["get", "head"].includes(plan.op.method);
    this.params = plan.op.parameters
      .filter((p) => p.in === "path")
      .map((p) => {
        const kind = idKind(ctx.oracle, p.schema as Schema);
        const known = kind === "file" ? ctx.known.files[0] : kind === "folder" ? ctx.known.folders[0] : undefined;
        const fixed = known ?? String(fc.sample(validParam(ctx.oracle, p.schema as Schema), { seed: ctx.session.seed, numRuns: 1 })[0] ?? "x");
        return { name: String(p.name), ...(kind && { kind }), fixed };
      });
  }

  /** Sends `refusal`'s i-th request on `path` (placeholders kept), judged by the response checks. */
  async send(refusal: Refusal, path: string, i: number): Promise<{ sent: RequestSpec; exchange: Exchange; problems: string[] }> {
    const values: Record<string, string> = {};
    const spendable: Kind[] = [];
    for (const p of this.params) {
      if (p.kind && this.mutates) {
        values[p.name] = await this.pool.get(p.kind);
        spendable.push(p.kind);
      } else values[p.name] = p.fixed;
    }
    const base: RequestSpec = {
      method: this.plan.op.method.toUpperCase(),
      path: fillPath(path, values),
      headers: {},
      raw: true,
      ...(refusal.body && { body: refusal.body }),
    };
    const credentials = refusal.keys[i % refusal.keys.length];
    const sent = credentials ? this.ctx.authorize(base, this.plan, credentials.key) : base;
    const { exchange, problems } = await this.ctx.session.send(sent);
    if (exchange.status >= 200 && exchange.status < 300) for (const kind of spendable) this.pool.spend(kind);
    return { sent, exchange, problems };
  }
}

/** Why a variant's answer is a hole, or undefined when it is a refusal. */
function judge(refusal: Refusal, sent: RequestSpec, exchange: Exchange): string | undefined {
  const allowedStatus = exchange.status === refusal.expected || ALSO_ALLOWED.includes(exchange.status);
  const envelope = sent.method === "HEAD" || isEnvelope(exchange.json);
  if (allowedStatus && envelope) return undefined;
  const code = (exchange.json as { error?: { code?: unknown } } | undefined)?.error?.code;
  const body = sent.method === "HEAD" ? "" : `: ${exchange.text.slice(0, 120)}`;
  return `answered ${exchange.status}${typeof code === "string" ? ` ${code}` : ""}${envelope ? "" : " without the error envelope"}${body}`;
}

/** A body the operation's schema refuses: a wrong-typed property (`{"name": 12345}`) or no file part. */
function invalidBody(ctx: RunContext, plan: OperationPlan): BodySpec | undefined {
  const body = plan.op.operation.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined;
  const [mediaType, media] = Object.entries(body?.content ?? {})[0] ?? [];
  if (mediaType === "multipart/form-data" && plan.binaryField) return { kind: "multipart", fields: [] };
  if (mediaType !== "application/json" || !media?.schema) return undefined;
  const schema = media.schema;
  const { properties, required } = ctx.oracle.shape(schema);
  for (const name of [...required, ...Object.keys(properties)]) {
    const sub = ctx.oracle.derefSchema(properties[name]);
    const type = typeof sub === "object" && sub !== null ? sub.type : undefined;
    const types = Array.isArray(type) ? type : [type];
    const value = { [name]: types.includes("string") ? 12345 : "not-a-number" };
    if (ctx.oracle.validate(schema, value) !== undefined) return { kind: "json", value };
  }
  return ctx.oracle.validate(schema, []) !== undefined ? { kind: "json", value: [] } : undefined;
}

function validBody(ctx: RunContext, plan: OperationPlan): BodySpec | undefined {
  return (fc.sample(plan.positive, { seed: ctx.session.seed, numRuns: 1 })[0] as RequestSpec | undefined)?.body;
}

/** The refusals of one operation on this target; records skips for the ones it cannot build. */
function refusalsOf(ctx: RunContext, plan: OperationPlan, noLimitedKey: string[]): Refusal[] {
  const out: Refusal[] = [];
  const valid = validBody(ctx, plan);
  if (plan.secured) {
    out.push({ label: "no key", expected: 401, keys: [undefined], body: valid });
    if (plan.scopes.length > 0) {
      const lacking = Object.entries(ctx.target.keys.limited).filter(([held]) => !plan.scopes.every((s) => held.split(",").includes(s)));
      if (lacking.length > 0) {
        out.push({
          label: "key without scope",
          expected: 403,
          keys: lacking.map(([held, key]) => ({ note: `only ${held}, needs ${plan.scopes.join(",")}`, key })),
          body: valid,
        });
      } else noLimitedKey.push(plan.operationId);
    }
  }
  if (plan.op.operation.requestBody !== undefined) {
    const body = invalidBody(ctx, plan);
    if (body) out.push({ label: "invalid body", expected: 400, keys: [{ note: "every scope", key: ctx.target.keys.main }], body });
    else ctx.session.skip(C, `${plan.operationId}: no invalid body can be derived from its schema`);
  }
  return out;
}

interface Finding {
  message: string;
  request: RequestSpec;
  more: string[];
}

/** The deterministic variants of one refusal of one operation; findings grouped by family and status. */
async function deterministic(ctx: RunContext, target: OperationPaths, refusal: Refusal): Promise<void> {
  const { plan, model } = target;
  const canonical = render(model, []);
  for (let k = 0; k < refusal.keys.length; k++) {
    const { sent, exchange } = await target.send(refusal, canonical, k);
    const envelope = sent.method === "HEAD" || isEnvelope(exchange.json);
    ctx.session.record(C, exchange.status === refusal.expected && envelope, {
      operationId: plan.operationId,
      message: `${refusal.label}${noteOf(refusal, k)}: the canonical path answered ${exchange.status}${envelope ? "" : " without the error envelope"} (expected ${refusal.expected}); its variants are judged against ${refusal.expected} all the same`,
      request: sent,
    });
  }
  const groups = new Map<string, Finding>();
  const variants = deterministicVariants(model);
  for (const [i, variant] of variants.entries()) {
    const { sent, exchange } = await target.send(refusal, variant.path, i);
    const hole = judge(refusal, sent, exchange);
    if (hole === undefined) {
      ctx.session.record(C, true);
      continue;
    }
    const key = `${variant.family}|${exchange.status}`;
    const group = groups.get(key);
    if (group) {
      group.more.push(sent.path);
      ctx.session.record(C, false);
      continue;
    }
    groups.set(key, {
      message: `${refusal.label}${noteOf(refusal, i)}: ${variant.family} variant ${sent.path} ${hole} — ${sent.method} ${canonical} answers ${refusal.expected}`,
      request: sent,
      more: [],
    });
  }
  for (const g of groups.values()) {
    const listed = g.more.slice(0, LISTED).join(", ");
    const rest = g.more.length > LISTED ? ` and ${g.more.length - LISTED} more` : "";
    ctx.session.record(C, false, {
      operationId: plan.operationId,
      message: g.more.length > 0 ? `${g.message} (alike: ${listed}${rest})` : g.message,
      request: g.request,
    });
  }
}

function noteOf(refusal: Refusal, i: number): string {
  const note = refusal.keys[i % refusal.keys.length]?.note;
  return note && refusal.label !== "invalid body" ? ` (${note})` : "";
}

/** fast-check mixes of transforms for one refusal of one operation (shrunk to a smallest mix). */
async function mixes(ctx: RunContext, target: OperationPaths, refusal: Refusal, salt: number): Promise<void> {
  const { plan, model } = target;
  const names = new Map<string, string>();
  const requests = mixArbitrary(model).map((transforms): RequestSpec => {
    const path = render(model, transforms);
    names.set(path, describe(transforms));
    return { method: plan.op.method.toUpperCase(), path, raw: true };
  });
  let turn = 0;
  await runProperty(
    ctx.session,
    C,
    plan.operationId,
    requests,
    async (req) => {
      const { sent, exchange, problems } = await target.send(refusal, req.path, turn++);
      const hole = judge(refusal, sent, exchange);
      return {
        sent,
        response: problems,
        ...(hole !== undefined && { own: `${refusal.label}: mix ${names.get(req.path) ?? "?"} → ${sent.path} ${hole} — ${sent.method} ${render(model, [])} answers ${refusal.expected}` }),
      };
    },
    Math.max(2, Math.ceil(ctx.session.runs / 3)),
    (ctx.session.seed + salt * 7919) | 0,
  );
}

/** Runs `path_shapes` over every operation of `plans`. */
export async function pathShapes(ctx: RunContext, plans: OperationPlan[]): Promise<void> {
  const pool = new Throwaways(ctx);
  const noLimitedKey: string[] = [];
  let salt = 0;
  if (Object.keys(ctx.target.keys.limited).length === 0) {
    ctx.session.skip(C, "key-without-scope variants need a key with fewer scopes (AETHER_API_KEY_READONLY)");
  }
  for (const plan of plans) {
    const target = new OperationPaths(ctx, plan, pool);
    for (const refusal of refusalsOf(ctx, plan, noLimitedKey)) {
      await deterministic(ctx, target, refusal);
      await mixes(ctx, target, refusal, ++salt);
    }
  }
  const limited = Object.keys(ctx.target.keys.limited);
  if (limited.length > 0 && noLimitedKey.length > 0) {
    ctx.session.skip(C, `key-without-scope variants of ${noLimitedKey.join(", ")}: every limited key of the target (${limited.join("; ")}) holds their scopes`);
  }
}
