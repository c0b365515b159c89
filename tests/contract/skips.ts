/**
 * Checks that do not apply to a target kind, with the reason — all in one place (hono-style).
 */
import type { CheckName } from "./session.js";
import type { Target } from "./target.js";

/** Skips by target kind. */
export const SKIPS: Record<Target["kind"], { checks: CheckName[]; reason: string }[]> = {
  reference: [{ checks: ["prism_proxy_violations"], reason: "only runs through `prism proxy --errors`" }],
  remote: [{ checks: ["prism_proxy_violations"], reason: "only runs through `prism proxy --errors`" }],
  proxy: [],
  mock: [
    {
      checks: ["ensure_resource_availability", "use_after_free", "tenant_isolation", "conflict_on_non_empty_folder"],
      reason: "stateless mock: nothing is stored, every id answers its example",
    },
    { checks: ["unsupported_method", "allow_header_conformance"], reason: "Prism answers undeclared methods with its own 405 problem+json, not the envelope" },
    { checks: ["missing_required_header"], reason: "Prism answers a body without Content-Type with 415 problem+json unless the spec declares it" },
    { checks: ["prism_proxy_violations"], reason: "only runs through `prism proxy --errors`" },
  ],
};

/** The skip reason of `check` on `kind`, if any. */
export function skipReason(kind: Target["kind"], check: CheckName): string | undefined {
  return SKIPS[kind].find((s) => s.checks.includes(check))?.reason;
}
