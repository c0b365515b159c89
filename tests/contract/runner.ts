/**
 * `runConformance(target)`: the whole suite as a function (so a test can run it against a
 * deliberately broken server and assert what it finds). Every check is derived from openapi.yaml;
 * every response is judged by the independent oracle. On a stateful target everything the run
 * creates goes into one folder of its own and is deleted at the end, whatever happens
 * (workspace.ts): the report says what was deleted and what could not be.
 */
import { OpenApiOracle } from "../support/openapi-oracle.js";
import { ignoredAuth, missingRequiredHeader, scopes } from "./checks/auth.js";
import { negativeDataRejection, oversizedUpload, positiveDataAcceptance } from "./checks/data.js";
import { unsupportedMethods } from "./checks/methods.js";
import { pathShapes } from "./checks/pathShapes.js";
import { conflictOnNonEmptyFolder, ensureResourceAvailability, tenantIsolation, useAfterFree } from "./checks/stateful.js";
import type { RequestSpec } from "./exchange.js";
import { FRESH, planFor, type KnownIds, type OperationPlan } from "./plans.js";
import { CHECKS, Session, type CheckName, type CheckResult, type Failure } from "./session.js";
import { codesOutOfReach, operationSkip, pairSkip, skipReason } from "./skips.js";
import type { Target } from "./target.js";
import { Workspace, type CleanupReport } from "./workspace.js";

/** Options of a run. */
export interface RunOptions {
  /** fast-check runs per property (default `CONFORMANCE_RUNS` or 25). */
  runs?: number;
  /** fast-check seed (default `CONFORMANCE_SEED` or random; always printed). */
  seed?: number;
  /** Only these checks (the response-level checks always run). */
  only?: CheckName[];
  /**
   * Stops the run (Ctrl-C): no request is sent after it fires; what was created is deleted, then
   * `runConformance` rejects with `RunAborted`.
   */
  signal?: AbortSignal;
  /** Called with the clean-up's outcome, also when the run fails or is aborted. */
  onCleanup?: (cleanup: CleanupReport) => void;
  /** False: leave what the run created (for a test that inspects it afterwards). Default true. */
  cleanUp?: boolean;
}

/** What a run found. */
export interface Report {
  target: string;
  kind: Target["kind"];
  seed: number;
  runs: number;
  requests: number;
  durationMs: number;
  results: CheckResult[];
  failures: Failure[];
  /** Requests per operationId. */
  exercised: Record<string, number>;
  /** Error codes seen in envelopes. */
  codesSeen: string[];
  /** Error codes of the spec this run could not be expected to reach, with the reason. */
  codesOutOfReach: Record<string, string>;
  /** The fixtures the run created (or the spec's example ids on a stateless target). */
  fixtures: KnownIds;
  /** What clean-up deleted and left (stateful targets). */
  cleanup?: CleanupReport;
}

/** Shared state handed to every check. */
export interface RunContext {
  session: Session;
  oracle: OpenApiOracle;
  target: Target;
  known: KnownIds;
  /** Adds credentials (main key unless `key`), alternating Bearer and X-API-Key. */
  authorize(req: RequestSpec, plan: OperationPlan, key?: string): RequestSpec;
  /** True when the operation is exercised on this target (see skips.ts). */
  covers(operationId: string): boolean;
  /** Replaces fresh-resource placeholders by resources created for this request. */
  prepare(req: RequestSpec): Promise<RequestSpec>;
}

function exampleIds(oracle: OpenApiOracle): KnownIds {
  const known: KnownIds = { files: [], folders: [] };
  for (const op of oracle.operations()) {
    for (const p of op.parameters) {
      const ex = typeof p.example === "string" ? p.example : undefined;
      if (ex?.startsWith("file_") && !known.files.includes(ex)) known.files.push(ex);
      if (ex?.startsWith("fld_") && !known.folders.includes(ex)) known.folders.push(ex);
      if (ex !== undefined && "x-value-from" in p) (known.cursors ??= []).push(ex);
    }
  }
  return known;
}

/** Fixtures in the run's folder: two folders and three files (one in the first folder). */
async function createFixtures(session: Session, oracle: OpenApiOracle, key: string, home: string): Promise<KnownIds> {
  const auth = { Authorization: `Bearer ${key}` };
  const folderOp = oracle.operationById("createFolder");
  const uploadOp = oracle.operationById("uploadFile");
  const known: KnownIds = { files: [], folders: [] };
  for (const name of ["conformance A", "conformance B"]) {
    const { exchange } = await session.send({
      method: folderOp.method.toUpperCase(),
      path: folderOp.path,
      headers: auth,
      body: { kind: "json", value: { name, parentId: home } },
    });
    const id = (exchange.json as { folder?: { id?: string } } | undefined)?.folder?.id;
    if (id) known.folders.push(id);
  }
  for (const [i, folderId] of [home, known.folders[0], home].entries()) {
    const { exchange } = await session.send({
      method: uploadOp.method.toUpperCase(),
      path: uploadOp.path,
      headers: auth,
      body: {
        kind: "multipart",
        fields: folderId ? [["folderId", folderId]] : [],
        file: { field: "file", name: `fixture-${i}.txt`, type: "text/plain", bytes: new TextEncoder().encode(`fixture ${i}\n`) },
      },
    });
    const id = (exchange.json as { file?: { id?: string } } | undefined)?.file?.id;
    if (id) known.files.push(id);
  }
  if (known.files.length === 0 || known.folders.length === 0) {
    throw new Error(`could not create fixtures on ${session.target.baseUrl} (upload or createFolder failed): is the key right?`);
  }
  // A cursor the target issued (its first page of one file), for parameters marked x-value-from.
  const listOp = oracle.operationById("listFiles");
  const { exchange } = await session.send({ method: listOp.method.toUpperCase(), path: `${listOp.path}?limit=1`, headers: auth });
  const cursor = (exchange.json as { pagination?: { nextCursor?: unknown } } | undefined)?.pagination?.nextCursor;
  if (typeof cursor === "string") known.cursors = [cursor];
  return known;
}

/**
 * Runs every check against `target`. On a stateful target it first makes the run's folder, and
 * always ends by deleting what it created (also when a check throws or `signal` fires).
 */
export async function runConformance(target: Target, options: RunOptions = {}): Promise<Report> {
  const started = Date.now();
  const oracle = await OpenApiOracle.load();
  const seed = options.seed ?? (Number(process.env.CONFORMANCE_SEED) || Math.floor(Math.random() * 2 ** 31));
  const runs = options.runs ?? (Number(process.env.CONFORMANCE_RUNS) || 25);
  const session = new Session(target, oracle, seed, runs, options.signal);
  let cleanup: CleanupReport | undefined;
  try {
    if (target.stateful) {
      session.workspace = await Workspace.open(oracle, target.baseUrl, target.keys.main, async (req) => (await session.send(req)).exchange);
    }
    await runChecks(session, options);
  } finally {
    if (session.workspace && options.cleanUp !== false) {
      cleanup = await session.workspace.cleanUp();
      options.onCleanup?.(cleanup);
    }
  }
  return {
    target: target.name,
    kind: target.kind,
    seed,
    runs,
    requests: session.requests,
    durationMs: Date.now() - started,
    results: [...session.results.values()],
    failures: session.failures,
    exercised: Object.fromEntries(session.exercised),
    codesSeen: [...session.codesSeen].sort(),
    codesOutOfReach: codesOutOfReach(target),
    fixtures: session.known,
    ...(cleanup && { cleanup }),
  };
}

/** The checks, in order; the session's workspace (if any) is already open. */
async function runChecks(session: Session, options: RunOptions): Promise<void> {
  const { target, oracle } = session;
  const home = session.workspace?.folder.id;
  const known = home ? await createFixtures(session, oracle, target.keys.main, home) : exampleIds(oracle);
  session.known = known;
  let turn = 0;
  const ctx: RunContext = {
    session,
    oracle,
    target,
    known,
    covers: (operationId) => operationSkip(target.kind, operationId) === undefined,
    authorize(req, plan, key = target.keys.main) {
      if (!plan.secured) return req;
      const header: Record<string, string> = turn++ % 2 === 0 ? { Authorization: `Bearer ${key}` } : { "X-API-Key": key };
      return { ...req, headers: { ...req.headers, ...header } };
    },
    async prepare(req) {
      if (!req.path.includes(FRESH.file) && !req.path.includes(FRESH.folder)) return session.place(req);
      if (!target.stateful) {
        return { ...req, path: req.path.replace(FRESH.file, known.files[0] ?? "").replace(FRESH.folder, known.folders[0] ?? "") };
      }
      let path = req.path;
      const auth = { Authorization: `Bearer ${target.keys.main}` };
      // Fresh resources land in the run's folder (session.send places them).
      if (path.includes(FRESH.file)) {
        const { exchange } = await session.send({
          method: "POST",
          path: oracle.operationById("uploadFile").path,
          headers: auth,
          body: { kind: "multipart", fields: [], file: { field: "file", name: "fresh.txt", type: "text/plain", bytes: new Uint8Array([102]) } },
        });
        path = path.replace(FRESH.file, encodeURIComponent((exchange.json as { file?: { id?: string } } | undefined)?.file?.id ?? "file_missing"));
      }
      if (path.includes(FRESH.folder)) {
        const { exchange } = await session.send({ method: "POST", path: oracle.operationById("createFolder").path, headers: auth, body: { kind: "json", value: { name: "fresh" } } });
        path = path.replace(FRESH.folder, encodeURIComponent((exchange.json as { folder?: { id?: string } } | undefined)?.folder?.id ?? "fld_missing"));
      }
      return session.place({ ...req, path });
    },
  };
  for (const check of CHECKS) {
    const reason = skipReason(target.kind, check);
    if (reason) session.skip(check, reason);
  }
  const wanted = (check: CheckName) => {
    session.throwIfAborted();
    const reason = skipReason(target.kind, check);
    if (reason) {
      session.skip(check, reason);
      return false;
    }
    return !options.only || options.only.includes(check);
  };
  const plans = oracle.operations().flatMap((op) => {
    const reason = operationSkip(target.kind, op.operationId ?? "");
    if (reason) session.skip("positive_data_acceptance", `${op.operationId}: ${reason}`);
    return reason ? [] : [planFor(oracle, op, known)];
  });
  for (const plan of plans) {
    const pair = pairSkip(target.kind, "positive_data_acceptance", plan.operationId);
    if (pair) session.skip("positive_data_acceptance", `${plan.operationId}: ${pair}`);
    if (wanted("positive_data_acceptance") && !pair) await positiveDataAcceptance(ctx, plan);
    if (wanted("negative_data_rejection")) {
      await negativeDataRejection(ctx, plan);
      await oversizedUpload(ctx, plan);
    }
    if (wanted("ignored_auth")) await ignoredAuth(ctx, plan);
    if (wanted("missing_required_header")) await missingRequiredHeader(ctx, plan);
    if (wanted("scopes")) await scopes(ctx, plan);
  }
  if (wanted("unsupported_method")) await unsupportedMethods(ctx);
  if (wanted("ensure_resource_availability")) await ensureResourceAvailability(ctx);
  if (wanted("use_after_free")) await useAfterFree(ctx);
  if (wanted("tenant_isolation")) await tenantIsolation(ctx);
  if (wanted("conflict_on_non_empty_folder")) await conflictOnNonEmptyFolder(ctx);
  // Last: a hole it finds may create or change resources (never the fixtures).
  if (wanted("path_shapes")) await pathShapes(ctx, plans);
  session.throwIfAborted();
  if (options.only) for (const check of CHECKS) if (!options.only.includes(check) && !session.results.get(check)?.skipped) session.skip(check, "not selected");
}
