/**
 * What does not apply to a target kind, with the reason — all in one place (hono-style):
 * whole checks, operations, and families of negative cases.
 */
import type { CheckName } from "./session.js";
import type { Target } from "./target.js";

/** One skip: the checks, operations or negative-case labels it covers, and why. */
export interface Skip {
  checks?: CheckName[];
  operations?: string[];
  negatives?: string[];
  reason: string;
}

const PROXY_ONLY: Skip = { checks: ["prism_proxy_violations"], reason: "only runs through `prism proxy --errors`" };
const PRISM_MULTIPART: Skip = {
  checks: ["positive_data_acceptance"],
  operations: ["uploadFile"],
  reason: "Prism percent-decodes multipart text fields, so generated values such as `%00` are judged invalid (uploads are still exercised by the stateful checks)",
};

/** Skips by target kind. */
export const SKIPS: Record<Target["kind"], Skip[]> = {
  reference: [PROXY_ONLY],
  remote: [PROXY_ONLY],
  proxy: [
    PRISM_MULTIPART,
    {
      checks: ["path_shapes"],
      reason: "prism proxy answers every path outside the spec itself (404 problem+json): no variant reaches the server behind it",
    },
    {
      operations: ["downloadFileHead"],
      reason: "prism proxy answers every HEAD with its own 500 (it tries to validate the absent body)",
    },
  ],
  mock: [
    {
      checks: ["ensure_resource_availability", "use_after_free", "tenant_isolation", "conflict_on_non_empty_folder"],
      reason: "stateless mock: nothing is stored, every id answers its example",
    },
    { checks: ["unsupported_method", "allow_header_conformance"], reason: "Prism answers undeclared methods with its own 405 problem+json, not the envelope" },
    {
      checks: ["path_shapes"],
      reason: "Prism answers paths outside the spec with its own 404 problem+json (not the envelope) and evaluates no scopes",
    },
    { checks: ["missing_required_header"], reason: "Prism answers a body without Content-Type with 415 problem+json unless the spec declares it" },
    PRISM_MULTIPART,
    { negatives: ["unknown query parameter"], reason: "Prism ignores query parameters the spec does not declare" },
    {
      negatives: ["invalid query folderId", "invalid query limit", "invalid query offset", "invalid query cursor"],
      reason: "Prism coerces query strings leniently (`0x10`, `1e3`, empty values pass as numbers or absent)",
    },
    { negatives: ["malformed JSON"], reason: "Prism answers malformed JSON with its own {error:{code:invalid_json}}" },
    { negatives: ["file sent as a text field"], reason: "Prism cannot tell a text part from a file part" },
    PROXY_ONLY,
  ],
};

/** The reason `check` is skipped on `kind` (for every operation), if it is. */
export function skipReason(kind: Target["kind"], check: CheckName): string | undefined {
  return SKIPS[kind].find((s) => !s.operations && s.checks?.includes(check))?.reason;
}

/** The reason an operation is not exercised on `kind` at all, if it is not. */
export function operationSkip(kind: Target["kind"], operationId: string): string | undefined {
  return SKIPS[kind].find((s) => !s.checks && s.operations?.includes(operationId))?.reason;
}

/** The reason `check` is skipped for this one operation on `kind`, if it is. */
export function pairSkip(kind: Target["kind"], check: CheckName, operationId: string): string | undefined {
  return SKIPS[kind].find((s) => s.checks?.includes(check) && s.operations?.includes(operationId))?.reason;
}

/** The reason a family of negative cases does not apply on `kind`, if it does not. */
export function negativeSkip(kind: Target["kind"], label: string): string | undefined {
  return SKIPS[kind].find((s) => s.negatives?.includes(label))?.reason;
}
