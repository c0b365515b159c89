// A frontend against the sandbox, in Debian's Chromium: a small page (fixtures/files.html and
// fixtures/filesPage.ts, bundled from the browser entry of aethercdn/client) served from another
// origin than the sandbox. The user picks a file (setInputFiles), the page uploads it and lists it;
// the test downloads it (same bytes), renames it and deletes it through the page; then the error
// scenarios a frontend would try: `Prefer` sent per call across CORS, a 429 without retries, an
// aborted slow call, and a seeded JPEG decoded by the browser.
//
// Needs /usr/bin/chromium (`apt-get install -y chromium`; never `playwright install`). Without it
// the browser part is skipped, except under CI=true, where a missing browser fails the run.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startSandbox, type RunningSandbox } from "../../server/sandbox/start.js";
import { bundleForBrowser } from "../support/browserBundle.js";
import { CHROMIUM_ENGINE, launchChromium } from "../support/chromium.js";
import { describeWithEngine } from "../support/engines.js";

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), "fixtures");

type App = {
  download(id: string): Promise<{ name?: string; type?: string; size: number; sha256: string }>;
  decode(id: string): Promise<{ width: number; height: number }>;
  rename(id: string, name: string): Promise<string>;
  remove(id: string): Promise<void>;
  getFile(id: string, headers?: Record<string, string>): Promise<{ file?: { id: string; name: string }; error?: { name: string; status?: number; code?: string; message: string } }>;
  rateLimited(): Promise<{ ms: number; error?: { name: string; status?: number; code?: string } }>;
  abortedSlowList(delayMs: number, abortAfterMs: number): Promise<{ ms: number; aborted: boolean }>;
};

describeWithEngine("a page on another origin uses the sandbox through aethercdn/client (Chromium)", CHROMIUM_ENGINE, () => {
  let pages: Server;
  let origin = "";
  let sandbox: RunningSandbox;
  let browser: Browser | undefined;

  beforeAll(async () => {
    const { code, nodeImports } = await bundleForBrowser(path.join(FIXTURES, "filesPage.ts"));
    expect(nodeImports).toEqual([]);
    const html = await readFile(path.join(FIXTURES, "files.html"), "utf8");
    pages = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://page");
      if (url.pathname === "/") res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(html);
      else if (url.pathname === "/filesPage.js") res.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8" }).end(code);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => pages.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
    sandbox = await startSandbox({ env: { SANDBOX_PORT: "0", LOG_LEVEL: "silent" } });
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
    if (pages?.listening) {
      pages.closeAllConnections();
      await new Promise<void>((resolve) => pages.close(() => resolve()));
    }
  });

  it("picks a file, uploads it, lists, downloads (same bytes), renames and deletes it", { timeout: 90_000 }, async () => {
    const started = performance.now();
    const context = await browser!.newContext({ serviceWorkers: "block" });
    const page: Page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
    let abortedRequests = 0;
    page.on("requestfailed", (r) => {
      if (r.failure()?.errorText === "net::ERR_ABORTED" && r.url() === `${sandbox.baseUrl}/api/v1/files`) abortedRequests++;
      else problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ""}`);
    });
    page.on("console", (m) => {
      // Chromium logs every non-2xx answer: the deliberate errors below are expected.
      if (m.type() === "error" && !/status of (404|429)/.test(m.text()) && !m.text().includes("ERR_ABORTED")) problems.push(`console.error: ${m.text()}`);
    });
    expect(new URL(sandbox.baseUrl).origin).not.toBe(origin);
    await page.goto(`${origin}/?api=${encodeURIComponent(sandbox.baseUrl)}&key=${sandbox.keys.full}`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 15_000 });
    const seeded = await page.locator("#files li").count();
    expect(seeded).toBe(sandbox.plan.files.length);

    // Pick a file: the page uploads it and lists it.
    const content = Buffer.from(`a frontend's file ✓\n`.repeat(2_000));
    await page.setInputFiles("#picker", { name: "picked.txt", mimeType: "text/plain", buffer: content });
    const item = page.locator('#files li[data-name="picked.txt"]');
    await item.waitFor({ timeout: 15_000 });
    const id = (await item.getAttribute("data-id"))!;
    expect(await page.locator("#status").getAttribute("data-uploaded")).toBe(id);
    expect(await item.textContent()).toBe(`picked.txt (${content.length} bytes, text/plain)`);
    expect(await page.locator("#files li").count()).toBe(seeded + 1);

    const app = <T,>(fn: (app: App) => Promise<T>): Promise<T> => page.evaluate(`(${fn.toString()})(window.app)`) as Promise<T>;
    const down = await page.evaluate((fileId) => (window as unknown as { app: App }).app.download(fileId), id);
    expect(down).toEqual({ name: "picked.txt", type: "text/plain", size: content.length, sha256: createHash("sha256").update(content).digest("hex") });

    expect(await page.evaluate((fileId) => (window as unknown as { app: App }).app.rename(fileId, "renamed.txt"), id)).toBe("renamed.txt");
    await page.locator('#files li[data-name="renamed.txt"]').waitFor();
    expect(await page.locator('#files li[data-name="picked.txt"]').count()).toBe(0);

    await page.evaluate((fileId) => (window as unknown as { app: App }).app.remove(fileId), id);
    expect(await page.locator(`#files li[data-id="${id}"]`).count()).toBe(0);
    expect(await page.locator("#files li").count()).toBe(seeded);
    const gone = await page.evaluate((fileId) => (window as unknown as { app: App }).app.getFile(fileId), id);
    expect(gone.error).toMatchObject({ name: "AetherApiError", status: 404, code: "not_found" });

    // Error scenarios from the page: Prefer per call crosses CORS; 429 without retries is immediate.
    const seededId = sandbox.plan.files.at(-1)!.id;
    const forced = await page.evaluate((fileId) => (window as unknown as { app: App }).app.getFile(fileId, { Prefer: "code=404" }), seededId);
    expect(forced.error).toMatchObject({ name: "AetherApiError", status: 404, code: "not_found" });
    expect((await page.evaluate((fileId) => (window as unknown as { app: App }).app.getFile(fileId), seededId)).file?.id).toBe(seededId);
    const limited = await app((a) => a.rateLimited());
    expect(limited.error).toMatchObject({ name: "AetherApiError", status: 429, code: "rate_limited" });
    expect(limited.ms).toBeLessThan(900); // Retry-After is 1 s: no retry happened
    const aborted = await app((a) => a.abortedSlowList(5_000, 300));
    expect(aborted.aborted).toBe(true);
    expect(aborted.ms).toBeLessThan(3_000);
    await expect.poll(() => abortedRequests, { timeout: 5_000 }).toBe(1);

    // A seeded JPEG (padded to the example's size) is a picture the browser decodes.
    const jpeg = sandbox.plan.files.find((f) => f.mimeType === "image/jpeg")!;
    expect(await page.evaluate((fileId) => (window as unknown as { app: App }).app.decode(fileId), jpeg.id)).toEqual({ width: 32, height: 32 });

    expect(problems).toEqual([]);
    await context.close();
    process.stdout.write(`browser flow against the sandbox: ${Math.round(performance.now() - started)} ms\n`);
  });
});
