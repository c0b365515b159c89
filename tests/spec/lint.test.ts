// `npm run lint:spec`: `redocly lint` with the project's redocly.yaml and `spectral lint` with
// .spectral.yaml (spectral:oas + OWASP API Security) must both report zero errors AND zero warnings;
// Spectral must also still say no when the spec breaks an OWASP rule.
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { REPO_ROOT } from "../support/openapi-oracle.js";
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

const SPECTRAL_BIN = path.join(REPO_ROOT, "node_modules", "@stoplight", "spectral-cli", "dist", "index.js");
const SPECTRAL_RULESET = path.join(REPO_ROOT, ".spectral.yaml");

interface SpectralProblem {
  code: string;
  severity: number;
  message: string;
  path: string[];
  range: { start: { line: number } };
}

/** `spectral lint <file> --ruleset .spectral.yaml -f json`: the problems, by severity (0 error, 1 warning). */
async function spectral(file: string): Promise<SpectralProblem[]> {
  const r = await runNode([SPECTRAL_BIN, "lint", file, "--ruleset", SPECTRAL_RULESET, "-f", "json", "-q", "--fail-severity", "warn"]);
  try {
    return JSON.parse(r.stdout) as SpectralProblem[];
  } catch {
    throw new Error(`spectral lint did not print a JSON report (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
}

const show = (p: SpectralProblem) => `${["error", "warning", "info", "hint"][p.severity]} ${p.code} at openapi.yaml:${p.range.start.line + 1} ${p.path.join("/")}: ${p.message}`;

describe("spectral lint (spectral:oas + OWASP API Security Top 10)", () => {
  it(".spectral.yaml extends both rulesets, and says why for each rule it switches off", () => {
    const text = readFileSync(SPECTRAL_RULESET, "utf8");
    const ruleset = parse(text) as { extends: string[]; rules?: Record<string, unknown>; overrides?: { rules: Record<string, unknown> }[] };
    expect(ruleset.extends).toEqual(["spectral:oas", "@stoplight/spectral-owasp-ruleset"]);
    // Each rule switched off at the top level, and each override block, comes right after its reason (a comment).
    const lines = text.split("\n");
    const unexplained = lines.flatMap((line, i) =>
      (/^ {2}[\w:.-]+:\s*off\s*$/.test(line) || /^\s*- files:/.test(line)) && !/^\s*#\s*\S/.test(lines[i - 1] ?? "") ? [line.trim()] : [],
    );
    expect(Object.values(ruleset.rules ?? {}).filter((v) => v === "off").length + (ruleset.overrides?.length ?? 0)).toBeGreaterThan(0);
    expect(unexplained, "rules switched off without a reason").toEqual([]);
  });

  it("openapi.yaml: zero errors, zero warnings", { timeout: 120_000 }, async () => {
    const problems = await spectral(SPEC_FILE);
    expect(problems.map(show)).toEqual([]);
  });

  it("still reports an OWASP error when a string loses its bound (the rules are live)", { timeout: 120_000 }, async () => {
    const spec = parse(readFileSync(SPEC_FILE, "utf8")) as { components: { schemas: { Cursor: Record<string, unknown> } } };
    delete spec.components.schemas.Cursor.maxLength;
    const dir = await mkdtemp(path.join(tmpdir(), "aether-spectral-"));
    try {
      const file = path.join(dir, "openapi.yaml");
      await writeFile(file, stringify(spec));
      const problems = await spectral(file);
      expect(problems.filter((p) => p.severity === 0).map((p) => `${p.code} ${p.path.join("/")}`)).toContain(
        "owasp:api4:2023-string-limit components/schemas/Cursor",
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
