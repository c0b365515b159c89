/** `positive_data_acceptance` and `negative_data_rejection`, for every operation. */
import type { RequestSpec } from "../exchange.js";
import type { OperationPlan } from "../plans.js";
import { runProperty } from "../property.js";
import type { RunContext } from "../runner.js";
import { MAX_OVERSIZED_UPLOAD, negativeSkip } from "../skips.js";

/** True for the error envelope `{success: false, error: {code, message}}`. */
export function isEnvelope(json: unknown): boolean {
  const e = json as { success?: unknown; error?: { code?: unknown; message?: unknown } } | undefined;
  return e?.success === false && typeof e.error?.code === "string" && typeof e.error.message === "string";
}

/** Valid requests must be accepted (2xx; 304/206/416 only where conditional or range headers were sent). */
export async function positiveDataAcceptance(ctx: RunContext, plan: OperationPlan): Promise<void> {
  await runProperty(ctx.session, "positive_data_acceptance", plan.operationId, plan.positive, async (req) => {
    const sent = await ctx.prepare(ctx.authorize(req, plan));
    const { exchange, problems } = await ctx.session.send(sent);
    const h = Object.keys(sent.headers ?? {}).map((k) => k.toLowerCase());
    const accepted =
      (exchange.status >= 200 && exchange.status < 300) ||
      (exchange.status === 304 && (h.includes("if-none-match") || h.includes("if-modified-since"))) ||
      (exchange.status === 416 && h.includes("range"));
    return {
      sent,
      response: problems,
      ...(!accepted && { own: `valid request refused with ${exchange.status}: ${exchange.text.slice(0, 200)}` }),
    };
  });
}

/** Invalid requests must be refused with 4xx in the error envelope. */
export async function negativeDataRejection(ctx: RunContext, plan: OperationPlan): Promise<void> {
  const runs = Math.max(3, Math.ceil(ctx.session.runs / Math.max(1, plan.negatives.length)) * 2);
  for (const negative of plan.negatives) {
    const skipped = negativeSkip(ctx.target.kind, negative.label);
    if (skipped) {
      ctx.session.skip("negative_data_rejection", `${negative.label}: ${skipped}`);
      continue;
    }
    await runProperty(
      ctx.session,
      "negative_data_rejection",
      plan.operationId,
      negative.requests,
      async (req: RequestSpec) => {
        const sent = await ctx.prepare(ctx.authorize(req, plan));
        const { exchange, problems } = await ctx.session.send(sent);
        const refused = exchange.status >= 400 && exchange.status < 500;
        const envelope = sent.method === "HEAD" || exchange.status === 304 || isEnvelope(exchange.json);
        const own = !refused
          ? `${negative.label}: accepted with ${exchange.status} (expected 4xx)`
          : !envelope
            ? `${negative.label}: ${exchange.status} without the error envelope: ${exchange.text.slice(0, 200)}`
            : undefined;
        return { sent, response: problems, ...(own !== undefined && { own }) };
      },
      runs,
    );
  }
}

/** An upload one byte over the target's limit gets 413 `payload_too_large` (needs the limit: AETHER_MAX_UPLOAD_BYTES). */
export async function oversizedUpload(ctx: RunContext, plan: OperationPlan): Promise<void> {
  if (!plan.binaryField) return;
  const limit = ctx.target.maxUploadBytes;
  if (limit === undefined) {
    ctx.session.skip("negative_data_rejection", "oversized upload needs the target's limit (AETHER_MAX_UPLOAD_BYTES)");
    return;
  }
  if (limit > MAX_OVERSIZED_UPLOAD) {
    ctx.session.skip("negative_data_rejection", `oversized upload skipped: the limit (${limit} bytes) is too large to send in a test`);
    return;
  }
  const req = ctx.authorize(
    {
      method: plan.op.method.toUpperCase(),
      path: plan.op.path,
      body: { kind: "multipart", fields: [], file: { field: plan.binaryField, name: "too-big.bin", type: "application/octet-stream", bytes: new Uint8Array(limit + 1) } },
    },
    plan,
  );
  const { exchange } = await ctx.session.send(req);
  const code = (exchange.json as { error?: { code?: unknown } } | undefined)?.error?.code;
  ctx.session.record("negative_data_rejection", exchange.status === 413 && code === "payload_too_large", {
    operationId: plan.operationId,
    message: `a file of ${limit + 1} bytes (limit ${limit}) answered ${exchange.status} ${String(code)}`,
    request: { ...req, body: { kind: "raw", text: `<${limit + 1} bytes>` } },
  });
}
