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

/**
 * Error codes no run reaches on its own, with the reason; every other code of the spec's enum
 * must be seen in some response, unless {@link codesOutOfReach} says why not.
 */
export const RESERVED_CODES: Record<string, string> = {
  server_error: "only on an unexpected failure; proven by faults.test.ts, which injects one",
  rate_limited: "the suite stays under the rate limit on purpose (it waits out any 429); tests/server covers 429",
  range_not_satisfiable: "generated Range headers are arbitrary strings, which the server ignores; tests/server covers 416",
  insufficient_storage: "only when the server's disk is nearly full; tests/server/fullDisk.test.ts fills a real one",
};

/** Largest upload limit the oversized-upload case sends one byte over. */
export const MAX_OVERSIZED_UPLOAD = 64 * 1024 * 1024;

/**
 * Error codes this target cannot be expected to answer, with the reason: the reserved ones, and
 * those that need an optional input the run was not given (a key with fewer scopes for
 * `forbidden`, a small enough upload limit for `payload_too_large`).
 */
export function codesOutOfReach(target: Target): Record<string, string> {
  const out: Record<string, string> = { ...RESERVED_CODES };
  if (target.kind === "mock") out.forbidden = "mock: Prism does not evaluate scopes";
  else if (Object.keys(target.keys.limited).length === 0) out.forbidden = "needs a key with fewer scopes (AETHER_API_KEY_READONLY)";
  const limit = target.maxUploadBytes;
  if (limit === undefined) out.payload_too_large = "needs the target's upload limit (AETHER_MAX_UPLOAD_BYTES)";
  else if (limit > MAX_OVERSIZED_UPLOAD) out.payload_too_large = `the upload limit (${limit} bytes) is over ${MAX_OVERSIZED_UPLOAD} bytes, too large to send in a test`;
  if (!target.stateful) out.conflict = "stateless mock: nothing is stored, so no folder is ever non-empty";
  return out;
}
