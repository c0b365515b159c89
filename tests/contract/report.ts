/** The report table `npm run conformance` ends with. */
import type { Report } from "./runner.js";

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
  if (report.failures.length > 0) {
    out.push("", `${report.failures.length} failure(s):`);
    for (const f of report.failures) out.push("", `✗ ${f.check} — ${f.operationId}: ${f.message}`, `  ${f.curl}`);
  }
  return out.join("\n");
}
