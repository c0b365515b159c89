/**
 * A conformance run: sends requests to the target, judges every response with the independent
 * oracle (tests/support/openapi-oracle.ts, which reads openapi.yaml itself), and tallies each
 * check's cases. The response-level checks are applied to every exchange of every other check.
 */
import { OpenApiOracle, type OperationInfo, type Violation } from "../support/openapi-oracle.js";
import { send, toCurl, type Exchange, type RequestSpec } from "./exchange.js";
import type { KnownIds } from "./plans.js";
import type { Target } from "./target.js";
import type { Workspace } from "./workspace.js";

/** Every check of the suite, as named in the report. */
export const CHECKS = [
  "not_a_server_error",
  "status_code_conformance",
  "content_type_conformance",
  "response_schema_conformance",
  "response_headers_conformance",
  "positive_data_acceptance",
  "negative_data_rejection",
  "ignored_auth",
  "missing_required_header",
  "scopes",
  "unsupported_method",
  "allow_header_conformance",
  "ensure_resource_availability",
  "use_after_free",
  "tenant_isolation",
  "conflict_on_non_empty_folder",
  "path_shapes",
  "prism_proxy_violations",
] as const;
/** One of {@link CHECKS}. */
export type CheckName = (typeof CHECKS)[number];

/** A failed case, ready to reproduce. */
export interface Failure {
  check: CheckName;
  operationId: string;
  message: string;
  curl: string;
  /** fast-check seed and path when the case came from a property (shrunk). */
  seed?: string;
}

/** The tally of one check. */
export interface CheckResult {
  check: CheckName;
  cases: number;
  passed: number;
  failed: number;
  /** Reason the check (or some of its cases) did not run. */
  skipped?: string;
}

const RESPONSE_CHECK_OF: Partial<Record<Violation["code"], CheckName>> = {
  "undeclared-status": "status_code_conformance",
  "missing-content-type": "content_type_conformance",
  "undeclared-content-type": "content_type_conformance",
  "unexpected-body": "content_type_conformance",
  "missing-body": "response_schema_conformance",
  "invalid-json": "response_schema_conformance",
  "body-schema": "response_schema_conformance",
};
const RESPONSE_CHECKS: CheckName[] = [
  "not_a_server_error",
  "status_code_conformance",
  "content_type_conformance",
  "response_schema_conformance",
  "response_headers_conformance",
];

/** Thrown by {@link Session.send} once the run was aborted (Ctrl-C): the run stops and cleans up. */
export class RunAborted extends Error {
  constructor() {
    super("the conformance run was interrupted");
    this.name = "RunAborted";
  }
}

/** Shared state of one run. */
export class Session {
  readonly results = new Map<CheckName, CheckResult>();
  readonly failures: Failure[] = [];
  /** Requests sent, by operationId (`?` for paths outside the spec). */
  readonly exercised = new Map<string, number>();
  /** Error codes seen in envelopes. */
  readonly codesSeen = new Set<string>();
  requests = 0;
  /**
   * The run's folder and record of creations (stateful targets, once created): requests are
   * placed in it and creations recorded, so that clean-up can delete them.
   */
  workspace: Workspace | undefined;
  /** The fixtures (ids the checks may use), once created. */
  known: KnownIds = { files: [], folders: [] };
  private readonly failureKeys = new Set<string>();

  constructor(
    readonly target: Target,
    readonly oracle: OpenApiOracle,
    readonly seed: number,
    /** fast-check runs per property. */
    readonly runs: number,
    /** Aborts the run: the next {@link send} throws {@link RunAborted}. */
    readonly signal?: AbortSignal,
  ) {
    for (const check of CHECKS) this.results.set(check, { check, cases: 0, passed: 0, failed: 0 });
  }

  /** Throws {@link RunAborted} once the run's signal has fired. */
  throwIfAborted(): void {
    if (this.signal?.aborted) throw new RunAborted();
  }

  /** `req` as it will be sent: top-level placement pointed at the run's folder (see workspace.ts). */
  place(req: RequestSpec): RequestSpec {
    return this.workspace ? this.workspace.place(req, this.operationOf(req)) : req;
  }

  /** The spec's operation for a request. */
  operationOf(req: RequestSpec): OperationInfo | undefined {
    return this.oracle.findOperation(req.method.toLowerCase(), req.path.split("?")[0] ?? req.path);
  }

  /** Records one case of `check`. */
  record(check: CheckName, ok: boolean, failure?: { operationId: string; message: string; request: RequestSpec; seed?: string }): void {
    const r = this.results.get(check);
    if (!r) throw new Error(`unknown check ${check}`);
    r.cases++;
    if (ok) {
      r.passed++;
      return;
    }
    r.failed++;
    if (!failure) return;
    const key = `${check}|${failure.operationId}|${failure.message}`;
    if (this.failureKeys.has(key)) return;
    this.failureKeys.add(key);
    this.failures.push({
      check,
      operationId: failure.operationId,
      message: failure.message,
      curl: toCurl(this.target.baseUrl, failure.request),
      ...(failure.seed !== undefined && { seed: failure.seed }),
    });
  }

  /** Marks a check (or part of it) as skipped, with the reason. */
  skip(check: CheckName, reason: string): void {
    const r = this.results.get(check);
    if (r && !r.skipped?.includes(reason)) r.skipped = r.skipped ? `${r.skipped}; ${reason}` : reason;
  }

  /**
   * Sends `request` (placed, see {@link place}) and applies the response-level checks. Returns the
   * exchange (its `request` is what was sent) and the list of response-level problems (so
   * properties can fail on them too and get shrunk). Throws {@link RunAborted} once aborted.
   */
  async send(request: RequestSpec): Promise<{ exchange: Exchange; problems: string[] }> {
    this.throwIfAborted();
    const req = this.place(request);
    const exchange = await send(this.target.baseUrl, req);
    this.workspace?.track(req, exchange);
    this.requests++;
    const op = this.operationOf(req);
    const operationId = op?.operationId ?? `${req.method} ${req.path}`;
    this.exercised.set(operationId, (this.exercised.get(operationId) ?? 0) + 1);
    const code = (exchange.json as { error?: { code?: unknown } } | undefined)?.error?.code;
    if (typeof code === "string") this.codesSeen.add(code);

    const problems: string[] = [];
    const byCheck = new Map<CheckName, string[]>();
    const add = (check: CheckName, message: string) => {
      byCheck.set(check, [...(byCheck.get(check) ?? []), message]);
      problems.push(`${check}: ${message}`);
    };
    if (exchange.status >= 500) add("not_a_server_error", `${req.method} ${req.path} answered ${exchange.status}: ${exchange.text.slice(0, 200)}`);
    if (op) {
      const violations = this.oracle.checkResponse({
        method: req.method,
        path: req.path,
        status: exchange.status,
        headers: exchange.headers,
        body: req.method === "HEAD" ? undefined : exchange.bytes.byteLength > 0 ? exchange.bytes : undefined,
      } as Parameters<OpenApiOracle["checkResponse"]>[0]);
      for (const v of violations) add(RESPONSE_CHECK_OF[v.code] ?? "response_headers_conformance", `${exchange.status}: ${v.message}`);
    }
    if (this.target.kind === "proxy") {
      const header = exchange.headers.get("sl-violations");
      this.record("prism_proxy_violations", header === null, {
        operationId,
        message: `Prism proxy reported violations: ${header}`,
        request: req,
      });
    }
    const responseChecks = op ? RESPONSE_CHECKS : (["not_a_server_error"] as CheckName[]);
    for (const check of responseChecks) {
      const messages = byCheck.get(check);
      this.record(check, !messages, messages ? { operationId, message: messages.join("; "), request: req } : undefined);
    }
    return { exchange, problems };
  }
}
