/** The report table `npm run conformance` ends with. */
import type { Report } from "./runner.js";
import type { CleanupReport } from "./workspace.js";

function pad(s: string, n: number): string {
  return s + " ".repeat(Math.max(0, n - s.length));
}

/** Renders the per-check table, the failures with their curl commands, and the run's figures. */
export function formatReport(report: Report): string {
  const rows = report.results.map((r) => [r.check, String(r.cases), String(r.passed), String(r.failed), r.skipped ?? ""]);
  const head = ["check", "cases", "passed", "failed", "skipped (reason)"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i] ?? 0))).join(" | ");
  const out = [
    `Conformance of ${report.target} to openapi.yaml`,
    `seed ${report.seed} (CONFORMANCE_SEED), ${report.runs} runs per property (CONFORMANCE_RUNS), ${report.requests} requests in ${(report.durationMs / 1000).toFixed(1)} s`,
    "",
    line(head),
    widths.map((w) => "-".repeat(w)).join("-|-"),
    ...rows.map(line),
  ];
  out.push("", `error codes seen: ${report.codesSeen.join(", ") || "none"}`);
  const outOfReach = Object.entries(report.codesOutOfReach);
  if (outOfReach.length > 0) {
    out.push("error codes not expected on this run:");
    for (const [code, reason] of outOfReach) out.push(`  ${code}: ${reason}`);
  }
  if (report.cleanup) out.push("", formatCleanup(report.cleanup));
  if (report.failures.length > 0) {
    out.push("", `${report.failures.length} failure(s):`);
    for (const f of report.failures) out.push("", `✗ ${f.check} — ${f.operationId}: ${f.message}`, `  ${f.curl}`);
  }
  return out.join("\n");
}

/** One paragraph: the run's folder, what clean-up deleted, and anything it could not. */
export function formatCleanup(cleanup: CleanupReport): string {
  const head = `clean-up of the run's folder "${cleanup.folder.name}" (${cleanup.folder.id}): deleted ${cleanup.deletedFiles} file(s) and ${cleanup.deletedFolders} folder(s)`;
  if (cleanup.left.length === 0) return `${head}; nothing left behind`;
  return [`${head}; LEFT BEHIND (delete by hand):`, ...cleanup.left.map((l) => `  ${l}`)].join("\n");
}
