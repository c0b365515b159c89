/**
 * Error codes a conformance run cannot reach on its own, with the reason; every other code of the
 * spec's enum must be seen in some response (tests/contract/conformance.test.ts and the runs
 * against other targets, e.g. tests/sandbox/conformance.test.ts).
 */
export const RESERVED_CODES: Record<string, string> = {
  server_error: "only on an unexpected failure; proven by faults.test.ts, which injects one",
  rate_limited: "the suite stays under the rate limit on purpose; tests/server covers 429",
  range_not_satisfiable: "generated Range headers are arbitrary strings, which the server ignores; tests/server covers 416",
  insufficient_storage: "only when the server's disk is nearly full; tests/server/fullDisk.test.ts fills a real one",
};
