// generated/ and docs/ are up to date with openapi.yaml, the docs build is deterministic, and
// docs/ is a self-contained static folder.
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { DOCS_DIR, runNode, withoutBanner } from "../support/processes.js";

const generateJs = path.join("scripts", "generate.js");
const buildDocsJs = path.join("scripts", "build-docs.js");

describe("generated/ and docs/ are fresh", () => {
  it("node scripts/generate.js --check", { timeout: 60_000 }, async () => {
    const r = await runNode([generateJs, "--check"]);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  });

  it("node scripts/build-docs.js --check", { timeout: 120_000 }, async () => {
    const r = await runNode([buildDocsJs, "--check"]);
    expect(r.code, withoutBanner(`${r.stdout}\n${r.stderr}`)).toBe(0);
  });

  it("the docs build is deterministic (two builds are byte-identical)", { timeout: 180_000 }, async () => {
    const a = await mkdtemp(path.join(os.tmpdir(), "aethercdn-docs-a-"));
    const b = await mkdtemp(path.join(os.tmpdir(), "aethercdn-docs-b-"));
    try {
      const [ra, rb] = await Promise.all([runNode([buildDocsJs, "--out", a]), runNode([buildDocsJs, "--out", b])]);
      expect(ra.code, withoutBanner(ra.stderr)).toBe(0);
      expect(rb.code, withoutBanner(rb.stderr)).toBe(0);
      const names = (await readdir(a)).sort();
      expect((await readdir(b)).sort()).toEqual(names);
      for (const n of names) {
        const [x, y] = await Promise.all([readFile(path.join(a, n)), readFile(path.join(b, n))]);
        expect(x.equals(y), `${n} differs between two builds`).toBe(true);
      }
    } finally {
      await rm(a, { recursive: true, force: true });
      await rm(b, { recursive: true, force: true });
    }
  });
});

describe("docs/ is a self-contained static folder", () => {
  it("holds only index.html, openapi.yaml, openapi.json (and .nojekyll)", async () => {
    const names = (await readdir(DOCS_DIR)).sort();
    expect(names.filter((n) => n !== ".nojekyll")).toEqual(["index.html", "openapi.json", "openapi.yaml"]);
  });

  it("index.html loads nothing remote and sends no telemetry", async () => {
    const html = await readFile(path.join(DOCS_DIR, "index.html"), "utf8");
    expect(html).toContain("<title>AetherCDN Developer API</title>");
    expect(html).not.toContain('<script src="http');
    expect(html).not.toMatch(/<script[^>]+src\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/<link[^>]+href\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/<img[^>]+src\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/@import\s+(url\()?["']?(https?:)?\/\//i);
    // The Redoc bundle's own code mentions its telemetry collector (otel.cloud.redocly.com) and
    // icon CDNs, but the page is built with telemetry disabled; docs-browser.test.ts proves that
    // nothing leaves the page at run time.
    // The page's Redoc options: built with REDOCLY_TELEMETRY=off.
    expect(html).toMatch(/const __redoc_options = \{[^;]*"disableTelemetry":true/);
    // The Redocly logo is inlined by scripts/build-docs.js, not loaded from the CDN.
    expect(html).not.toContain("https://cdn.redoc.ly/redoc/logo");
  });

  it("index.html links to openapi.yaml and openapi.json relatively", async () => {
    const html = await readFile(path.join(DOCS_DIR, "index.html"), "utf8");
    expect(html).toMatch(/href=\\?"(\.\/)?openapi\.yaml\\?"/);
    expect(html).toMatch(/href=\\?"(\.\/)?openapi\.json\\?"/);
  });

  it("openapi.json parses and equals openapi.yaml", async () => {
    const [jsonText, yamlText] = await Promise.all([
      readFile(path.join(DOCS_DIR, "openapi.json"), "utf8"),
      readFile(path.join(DOCS_DIR, "openapi.yaml"), "utf8"),
    ]);
    expect(jsonText.endsWith("}\n")).toBe(true);
    expect(JSON.parse(jsonText)).toEqual(YAML.parse(yamlText));
  });
});
