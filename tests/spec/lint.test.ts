// `redocly lint` with the project's redocly.yaml must report zero errors AND zero warnings.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { REDOCLY_BIN, REDOCLY_CONFIG, runNode, SPEC_FILE, withoutBanner } from "../support/processes.js";

interface LintProblem {
  ruleId: string;
  severity: "error" | "warn";
  message: string;
  location?: { pointer?: string; start?: { line: number; col: number } }[];
}
interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: LintProblem[];
}

describe("redocly lint", () => {
  it("redocly.yaml exists next to openapi.yaml", () => {
    expect(existsSync(SPEC_FILE), "openapi.yaml is missing").toBe(true);
    expect(existsSync(REDOCLY_CONFIG), "redocly.yaml is missing").toBe(true);
  });

  it("openapi.yaml lints clean: exit 0, zero errors, zero warnings", { timeout: 60_000 }, async () => {
    const r = await runNode([REDOCLY_BIN, "lint", SPEC_FILE, "--config", REDOCLY_CONFIG, "--format=json"]);
    let report: LintReport;
    try {
      report = JSON.parse(r.stdout) as LintReport;
    } catch {
      throw new Error(`redocly lint did not print a JSON report (exit ${r.code}):\n${withoutBanner(r.stdout + "\n" + r.stderr)}`);
    }
    const problems = report.problems.map((p) => {
      const loc = p.location?.[0];
      const where = loc?.start ? `openapi.yaml:${loc.start.line}:${loc.start.col}` : "openapi.yaml";
      return `${p.severity} ${p.ruleId} at ${where} ${loc?.pointer ?? ""}: ${p.message}`;
    });
    expect(problems, "lint problems").toEqual([]);
    expect(report.totals.errors).toBe(0);
    expect(report.totals.warnings).toBe(0);
    expect(r.code, withoutBanner(r.stderr)).toBe(0);
  });

  it("redocly.yaml itself is valid (check-config)", { timeout: 60_000 }, async () => {
    const r = await runNode([REDOCLY_BIN, "check-config", "--config", REDOCLY_CONFIG]);
    expect(r.code, withoutBanner(r.stdout + "\n" + r.stderr)).toBe(0);
  });
});
