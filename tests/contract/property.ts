/**
 * Runs one fast-check property over generated requests and records its verdict. A property
 * fails on its own criterion or on any response-level problem; fast-check then shrinks the
 * request, and the smallest failing one is recorded with its curl command and the seed/path that
 * replays it.
 */
import fc from "fast-check";
import type { RequestSpec } from "./exchange.js";
import type { CheckName, Session } from "./session.js";

/** The verdict on one request: the check's own failure (if any) and response-level problems. */
export interface Verdict {
  own?: string;
  response: string[];
  /** The request actually sent (after fresh ids were filled in). */
  sent: RequestSpec;
}

/**
 * Runs `judge` over `requests`, recording `check` for `operationId`. `seed` defaults to the
 * session's (a check running many alike properties may offset it, so they do not all draw the
 * same values; the replay line always names the seed used).
 */
export async function runProperty(
  session: Session,
  check: CheckName,
  operationId: string,
  requests: fc.Arbitrary<RequestSpec>,
  judge: (req: RequestSpec) => Promise<Verdict>,
  numRuns = session.runs,
  seed = session.seed,
): Promise<void> {
  const details = await fc.check(
    fc.asyncProperty(requests, async (req) => {
      const verdict = await judge(req);
      return verdict.own === undefined && verdict.response.length === 0;
    }),
    { seed, numRuns, endOnFailure: false, markInterruptAsFailure: false },
  );
  // An aborted run stops here: its requests failed only because they were never sent.
  session.throwIfAborted();
  const r = session.results.get(check);
  if (!r) return;
  if (!details.failed) {
    r.cases += details.numRuns;
    r.passed += details.numRuns;
    return;
  }
  r.cases += details.numRuns - 1;
  r.passed += details.numRuns - 1;
  const counterexample = details.counterexample?.[0];
  const replay = `seed ${details.seed}, path "${details.counterexamplePath ?? ""}"`;
  if (!counterexample) {
    session.record(check, false, { operationId, message: `property errored: ${String(details.errorInstance)}`, request: { method: "GET", path: "/" } });
    return;
  }
  let verdict: Verdict;
  try {
    verdict = await judge(counterexample);
  } catch (err) {
    session.record(check, false, { operationId, message: `request could not be sent: ${String(err)} (${replay})`, request: counterexample, seed: replay });
    return;
  }
  if (verdict.own !== undefined) {
    session.record(check, false, { operationId, message: `${verdict.own} (shrunk; ${replay})`, request: verdict.sent, seed: replay });
  } else {
    r.cases++;
    r.passed++;
    for (const problem of verdict.response) {
      const [name, ...rest] = problem.split(": ");
      session.record(name as CheckName, false, {
        operationId,
        message: `${rest.join(": ")} (shrunk from ${check}; ${replay})`,
        request: verdict.sent,
        seed: replay,
      });
    }
  }
}
