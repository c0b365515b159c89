// docs/index.html renders every operation in a real (headless) Chromium, offline: every request
// other than the page itself is aborted and recorded, and there must be none; the console must
// stay free of errors. A full-page screenshot goes to test-artifacts/docs.png.
//
// Needs /usr/bin/chromium (`apt-get install -y chromium`; never `playwright install`). Without it
// the test is skipped, except under CI=true, where a missing browser fails the run.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { CHROMIUM, chromiumInstalled, launchChromium } from "../support/chromium.js";
import { afterAll, describe, expect, it } from "vitest";
import { OpenApiOracle, REPO_ROOT } from "../support/openapi-oracle.js";
import { DOCS_DIR } from "../support/processes.js";

const ARTIFACTS = path.join(REPO_ROOT, "test-artifacts");
const PAGE_URL = pathToFileURL(path.join(DOCS_DIR, "index.html")).href;
const haveChromium = chromiumInstalled();
const inCI = process.env.CI === "true";

let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
});

describe("docs/index.html in Chromium", () => {
  if (!haveChromium) {
    if (inCI) {
      it("Chromium is installed (CI=true)", () => {
        throw new Error(`${CHROMIUM} is missing: run \`apt-get install -y chromium\` (the .ci/run script does)`);
      });
    } else {
      console.warn(`docs-browser.test.ts: skipped, ${CHROMIUM} is missing (apt-get install -y chromium)`);
      it.skip(`skipped: ${CHROMIUM} is missing — install it with \`apt-get install -y chromium\``, () => {});
    }
    return;
  }

  it("renders every operation offline, without console errors or outgoing requests", { timeout: 120_000 }, async () => {
    const oracle = await OpenApiOracle.load();
    const ops = oracle.operations();
    expect(ops.length).toBeGreaterThan(0);

    // chromium.launch() starts from a fresh, temporary user data dir every time.
    browser = await launchChromium();
    const context = await browser.newContext({ serviceWorkers: "block", viewport: { width: 1400, height: 900 } });
    const blocked: string[] = [];
    await context.route("**/*", async (route) => {
      const url = route.request().url();
      if (url.split("#")[0] === PAGE_URL) return route.continue();
      blocked.push(`${route.request().method()} ${url}`);
      return route.abort("blockedbyclient");
    });
    const consoleErrors: string[] = [];
    const page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "assert") consoleErrors.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => consoleErrors.push(`uncaught: ${e.message}`));
    page.on("websocket", (ws) => blocked.push(`WEBSOCKET ${ws.url()}`));
    // Belt and braces: anything the page requests that routing might not see (e.g. beacons).
    page.on("request", (r) => {
      const url = r.url();
      if (!url.startsWith("data:") && !url.startsWith("blob:") && url.split("#")[0] !== PAGE_URL) blocked.push(`${r.method()} ${url}`);
    });

    await page.goto(PAGE_URL, { waitUntil: "load" });
    await page.getByText("AetherCDN Developer API").first().waitFor({ state: "visible", timeout: 30_000 });
    expect(await page.title()).toBe("AetherCDN Developer API");

    // The description links the bundled spec files, relatively.
    for (const file of ["openapi.yaml", "openapi.json"])
      expect(await page.locator(`a[href="${file}"], a[href="./${file}"]`).count(), `link to ${file}`).toBeGreaterThan(0);

    // Redoc renders operations on demand: open each tag in the sidebar, click each operation's
    // summary and wait for its heading and its rendered request/response sections.
    const menu = page.locator(".menu-content");
    await menu.waitFor({ state: "visible", timeout: 30_000 });
    const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const missing: string[] = [];
    for (const op of ops) {
      const id = op.operationId ?? "";
      const summary = String(op.operation.summary ?? "");
      const tag = String((op.operation.tags as string[] | undefined)?.[0] ?? "");
      const item = menu.getByText(summary, { exact: true }).first();
      try {
        if (!(await item.isVisible())) await menu.getByText(tag, { exact: true }).first().click();
        await item.click({ timeout: 10_000 });
        await page.locator(`[id$="/${id.toLowerCase()}/responses"]`).first().waitFor({ state: "attached", timeout: 10_000 });
        await page
          .locator("h1, h2, h3", { hasText: new RegExp(`^\\s*${escape(summary)}\\s*$`) })
          .first()
          .waitFor({ state: "visible", timeout: 10_000 });
      } catch (err) {
        missing.push(`${id}: not rendered after clicking "${tag}" › "${summary}" in the sidebar (${(err as Error).message.split("\n")[0]})`);
        continue;
      }
      const text = await page.evaluate(() => document.body.innerText);
      if (!text.includes(op.path)) missing.push(`${id}: path ${op.path} not shown`);
    }

    await page.goto(PAGE_URL, { waitUntil: "load" });
    await page.getByText("AetherCDN Developer API").first().waitFor({ state: "visible" });
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, "docs.png"), fullPage: true });

    expect([...new Set(blocked)], "requests that tried to leave the page").toEqual([]);
    expect(consoleErrors, "console errors").toEqual([]);
    expect(missing, "operations not rendered").toEqual([]);
    await context.close();
  });
});
