/**
 * The conformance suite as a test: against the target the environment names (AETHER_BASE_URL +
 * AETHER_API_KEY, the other keys optional), else the reference server in-process.
 * `npm run conformance` runs this file alone (through scripts/conformance.js) and prints the
 * report table (also written to `CONFORMANCE_REPORT`, as JSON when the name ends in `.json`, else
 * as text). It never imports server/: only HTTP crosses.
 *
 * Everything the run creates lives in one folder of its own and is deleted at the end, also when
 * the run fails, times out or is interrupted: on SIGINT/SIGTERM this worker stops sending, deletes
 * what it created and exits (vitest's own process exits at once; scripts/conformance.js waits for
 * this one).
 */
import { writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatCleanup, formatReport } from "./report.js";
import { runConformance, type Report } from "./runner.js";
import { environmentTarget, referenceTarget, type Target } from "./target.js";
import type { CleanupReport } from "./workspace.js";

let target: Target | undefined;
let report: Report;
let running: Promise<Report> | undefined;
const controller = new AbortController();

/** Where scripts/conformance.js wants the clean-up's outcome (it prints it after an interrupt). */
function saveCleanup(cleanup: CleanupReport): void {
  const file = process.env.CONFORMANCE_CLEANUP_FILE?.trim();
  if (file) writeFileSync(file, `${JSON.stringify(cleanup)}\n`);
}

let stopping = false;
/**
 * Ctrl-C (or SIGTERM): stop sending, delete what the run created, close the target, exit. A
 * repeated signal (npm passes Ctrl-C on as well) must not kill the clean-up: it is ignored.
 */
async function interrupted(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  // Vitest's main process is gone by now: writing to its pipes must not crash this worker.
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);
  controller.abort();
  await running?.catch(() => undefined);
  await target?.close().catch(() => undefined);
  process.exit(signal === "SIGINT" ? 130 : 143);
}
const onSignal = (signal: NodeJS.Signals) => void interrupted(signal);

beforeAll(async () => {
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  target = environmentTarget() ?? (await referenceTarget());
  running = runConformance(target, { signal: controller.signal, onCleanup: saveCleanup });
  report = await running;
  process.stdout.write(`\n${formatReport(report)}\n\n`);
  const file = process.env.CONFORMANCE_REPORT?.trim();
  if (file) await writeFile(file, file.endsWith(".json") ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
}, 900_000);

afterAll(async () => {
  // After a timeout of beforeAll the run is still going: stop it and wait for its clean-up.
  controller.abort();
  const late = await running?.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (late && !report) process.stderr.write(`conformance run stopped: ${String(late)}\n`);
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  await target?.close();
}, 600_000);

describe(`conformance to openapi.yaml`, () => {
  it("finds no failure in any check", () => {
    expect(report.failures.map((f) => `${f.check} — ${f.operationId}: ${f.message}\n  ${f.curl}`)).toEqual([]);
    expect(report.results.filter((r) => r.failed > 0)).toEqual([]);
  });

  it("sends at least 1,000 generated requests at the default size", () => {
    if (process.env.CONFORMANCE_RUNS) return;
    expect(report.requests).toBeGreaterThanOrEqual(1000);
  });

  it("exercises every operation of the spec", async () => {
    const { OpenApiOracle } = await import("../support/openapi-oracle.js");
    const oracle = await OpenApiOracle.load();
    const missing = oracle.operations().map((o) => o.operationId).filter((id) => !id || !(report.exercised[id] ?? 0));
    expect(missing).toEqual([]);
  });

  it("reaches every error code of the spec that its inputs can reach (the others are listed with the reason)", async () => {
    const { OpenApiOracle } = await import("../support/openapi-oracle.js");
    const oracle = await OpenApiOracle.load();
    const codes = (oracle.derefSchema({ $ref: "urn:aethercdn:openapi:schema:ErrorCode" }) as { enum?: string[] } | undefined)?.enum;
    const enumCodes = codes ?? [];
    expect(enumCodes.length).toBeGreaterThan(0);
    const unreached = enumCodes.filter((c) => !report.codesSeen.includes(c) && !(c in report.codesOutOfReach));
    expect(unreached).toEqual([]);
    // Every excused code is a code of the spec (a renamed code cannot hide here).
    expect(Object.keys(report.codesOutOfReach).filter((c) => !enumCodes.includes(c))).toEqual([]);
  });

  it("ran every check that applies to this target", () => {
    const idle = report.results.filter((r) => r.cases === 0 && !r.skipped).map((r) => r.check);
    expect(idle).toEqual([]);
  });

  it("deletes everything it created (one folder of its own)", () => {
    expect(report.cleanup, "a stateful target gets a run folder and a clean-up").toBeDefined();
    expect(report.cleanup?.left, report.cleanup && formatCleanup(report.cleanup)).toEqual([]);
    expect(report.cleanup?.deletedFolders).toBeGreaterThan(0);
    expect(report.cleanup?.deletedFiles).toBeGreaterThan(0);
  });
});
