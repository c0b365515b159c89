// docs/index.html renders every operation in a real (headless) Chromium, offline: every request
// other than the page itself is aborted and recorded, and there must be none; the console must
// stay free of errors. A full-page screenshot goes to test-artifacts/docs.png. And it reads well
// at 1400 px: no code in a description's table breaks mid-word, a binary body or part reads
// `string, (binary)` without a schema name after it, and no text shows a literal backtick
// (markdown that was not rendered, as in a server's description).
//
// Needs /usr/bin/chromium (`apt-get install -y chromium`; never `playwright install`). Without it
// the test is skipped, except under CI=true, where a missing browser fails the run.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { CHROMIUM_ENGINE, launchChromium } from "../support/chromium.js";
import { describeWithEngine } from "../support/engines.js";
import { afterAll, expect, it } from "vitest";
import { OpenApiOracle, REPO_ROOT } from "../support/openapi-oracle.js";
import { DOCS_DIR } from "../support/processes.js";

const ARTIFACTS = path.join(REPO_ROOT, "test-artifacts");
const PAGE_URL = pathToFileURL(path.join(DOCS_DIR, "index.html")).href;

let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
});

describeWithEngine("docs/index.html in Chromium", CHROMIUM_ENGINE, () => {
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

  it("reads well at 1400 px: table codes on one line, binary bodies without a schema name, no literal backticks", { timeout: 120_000 }, async () => {
    browser ??= await launchChromium();
    const context = await browser.newContext({ serviceWorkers: "block", viewport: { width: 1400, height: 900 } });
    await context.route("**/*", (route) => (route.request().url().split("#")[0] === PAGE_URL ? route.continue() : route.abort("blockedbyclient")));
    const page = await context.newPage();
    await page.goto(PAGE_URL, { waitUntil: "load" });
    await page.getByText("AetherCDN Developer API").first().waitFor({ state: "visible", timeout: 30_000 });

    // Codes in the description's tables (scopes, errors): each on one line box.
    const codes = await page.evaluate(() =>
      [...document.querySelectorAll("table.md code")].map((c) => ({ text: c.textContent ?? "", lines: c.getClientRects().length })),
    );
    expect(codes.map((c) => c.text), "the Errors table's codes are rendered").toEqual(expect.arrayContaining(["unauthorized", "payload_too_large", "insufficient_storage", "files:write"]));
    expect(codes.filter((c) => c.lines !== 1), "table codes broken over lines").toEqual([]);

    // The upload's file part and the download's body: `string, (binary)`, nothing after it.
    for (const [tag, summary, operationId] of [["Files", "Upload a file", "uploadfile"], ["Files", "Download a file", "downloadfile"]] as const) {
      const menu = page.locator(".menu-content");
      const item = menu.getByText(summary, { exact: true }).first();
      if (!(await item.isVisible())) await menu.getByText(tag, { exact: true }).first().click();
      await item.click({ timeout: 10_000 });
      const section = page.locator(`[id$="/${operationId}"]`).first();
      await section.waitFor({ state: "attached", timeout: 10_000 });
      const text = await section.innerText();
      expect(text, `${summary}: the binary schema's type`).toMatch(/string, \(binary\)\n/);
      expect(text, `${summary}: a schema name after the type`).not.toMatch(/\(binary\)\s*\(\w+\)/);
    }

    // Every text the page holds, shown or not (the servers' descriptions sit in a closed drop-down).
    const texts = await page.evaluate(() =>
      [...document.body.querySelectorAll("*")]
        .filter((e) => !["SCRIPT", "STYLE", "NOSCRIPT"].includes(e.tagName))
        .flatMap((e) => [...e.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? "")),
    );
    expect(texts.some((t) => t.includes("Local reference server (npm start)")), "the local server's description").toBe(true);
    expect(texts.filter((t) => t.includes("`")), "literal backticks in the rendered page").toEqual([]);
    await context.close();
  });
});
