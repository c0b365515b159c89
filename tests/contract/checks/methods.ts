/** `unsupported_method` and `allow_header_conformance`: every path refuses undeclared methods with 405 + Allow. */
import type { RunContext } from "../runner.js";

const PROBED = ["GET", "PUT", "POST", "DELETE", "PATCH"] as const;

/** Probes every path of the spec with each method it does not declare. */
export async function unsupportedMethods(ctx: RunContext): Promise<void> {
  const byPath = new Map<string, Set<string>>();
  for (const op of ctx.oracle.operations()) {
    byPath.set(op.path, (byPath.get(op.path) ?? new Set()).add(op.method.toUpperCase()));
  }
  for (const [template, declared] of byPath) {
    const path = template.replace(/\{[^}]+\}/g, (m: string) => encodeURIComponent(template.includes("/folders/") ? ctx.known.folders[0] ?? m : ctx.known.files[0] ?? m));
    for (const method of PROBED.filter((m) => !declared.has(m))) {
      const req = { method, path, headers: { Authorization: `Bearer ${ctx.target.keys.main}` } };
      const { exchange } = await ctx.session.send(req);
      const operationId = `${method} ${template}`;
      ctx.session.record("unsupported_method", exchange.status === 405, {
        operationId,
        message: `answered ${exchange.status} (expected 405)`,
        request: req,
      });
      if (exchange.status !== 405) continue;
      const allow = new Set((exchange.headers.get("allow") ?? "").split(",").map((m) => m.trim().toUpperCase()).filter(Boolean));
      const same = allow.size === declared.size && [...declared].every((m) => allow.has(m));
      ctx.session.record("allow_header_conformance", same, {
        operationId,
        message: `Allow "${exchange.headers.get("allow") ?? ""}" but the spec declares ${[...declared].join(", ")}`,
        request: req,
      });
    }
  }
}
