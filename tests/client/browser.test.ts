// The browser entry of aethercdn/client (client/index.ts, the `default` export condition) has no
// Node-only imports: esbuild bundles it for `platform: "browser"` and the test fails on any
// `node:` or Node builtin import. The bundle then runs in a real headless Chromium, from a page
// served by a tiny local HTTP server, against the reference server started with CORS_ORIGINS set
// to the page's origin: upload a Blob, list, download, and an error as AetherApiError.
//
// Needs /usr/bin/chromium (`apt-get install -y chromium`; never `playwright install`). Without it
// the browser part is skipped, except under CI=true, where a missing browser fails the run.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Browser } from "playwright-core";
import { bundleForBrowser } from "../support/browserBundle.js";
import { CHROMIUM_ENGINE, launchChromium } from "../support/chromium.js";
import { describeWithEngine } from "../support/engines.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/openapi-oracle.js";
import { startServer, type TestServer } from "../support/server.js";


describe("the browser entry bundles without Node imports", () => {
  it("client/index.ts: no node: or builtin imports, for platform browser", async () => {
    const { code, nodeImports } = await bundleForBrowser(path.join(REPO_ROOT, "client", "index.ts"));
    expect(nodeImports).toEqual([]);
    expect(code).toContain("createAetherClient");
    expect(code).not.toMatch(/\bfrom\s*["']node:/);
  });

  it("the check bites: client/node.ts (the Node entry) is reported", async () => {
    const { nodeImports } = await bundleForBrowser(path.join(REPO_ROOT, "client", "node.ts"));
    expect(nodeImports.some((i) => i.startsWith("node:fs"))).toBe(true);
  });
});

describeWithEngine("the client in Chromium against the real server (CORS)", CHROMIUM_ENGINE, () => {
  let page_server: Server;
  let origin = "";
  let api: TestServer;
  let browser: Browser | undefined;

  beforeAll(async () => {
    const { code } = await bundleForBrowser(path.join(REPO_ROOT, "client", "index.ts"));
    const html = `<!doctype html><meta charset="utf-8"><title>aethercdn client</title>
<script type="module">
  import * as aether from "/client.js";
  window.aether = aether;
  window.ready = true;
</script>`;
    page_server = createServer((req, res) => {
      if (req.url === "/") {
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(html);
      } else if (req.url === "/client.js") {
        res.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8" }).end(code);
      } else if (req.url === "/favicon.ico") {
        res.writeHead(204).end();
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => page_server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(page_server.address() as AddressInfo).port}`;
    api = await startServer({ corsOrigins: [origin] });
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    if (page_server?.listening) {
      page_server.closeAllConnections();
      await new Promise<void>((resolve) => page_server.close(() => resolve()));
    }
  });

  it("uploads a Blob, lists, downloads, and gets AetherApiError from the page", { timeout: 90_000 }, async () => {
    const context = await browser!.newContext({ serviceWorkers: "block" });
    const page = await context.newPage();
    const problems: string[] = [];
    let streamedUploadsRefused = 0;
    page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
    page.on("requestfailed", (r) => {
      if (r.failure()?.errorText === "net::ERR_ALPN_NEGOTIATION_FAILED") streamedUploadsRefused++;
      else problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ""}`);
    });
    page.on("console", (m) => {
      // Chromium logs every non-2xx answer; the 404 of the deliberately missing file is expected.
      // So does the refused streamed upload (counted by the requestfailed handler).
      const expected = m.location().url.includes("file_DoesNotExist") || m.text().includes("ERR_ALPN_NEGOTIATION_FAILED");
      if (m.type() === "error" && !expected) problems.push(`console.error: ${m.text()} (${m.location().url})`);
    });
    await page.goto(origin, { waitUntil: "load" });
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, undefined, { timeout: 15_000 });

    const result = await page
      .evaluate(
      async ({ baseUrl, apiKey }) => {
        type Mod = typeof import("../../client/index.js");
        const { createAetherClient, AetherApiError } = (window as unknown as { aether: Mod }).aether;
        const client = createAetherClient({ baseUrl, apiKey });
        const text = "hello from Chromium ✓\n".repeat(1000);
        const progress: { loaded: number; total: number | undefined }[] = [];
        const file = await client.uploadFile({
          file: new File([text], "from-browser.txt", { type: "text/plain" }),
          tags: ["browser"],
          description: "uploaded by Chromium",
          onProgress: (p) => progress.push(p),
        });
        const page1 = await client.listFiles({ limit: 10 });
        const raw = await client.GET("/api/v1/files", { params: { query: { limit: 10 } } });
        const down = await client.downloadFile(file.id, { range: { start: 0, end: 4 } });
        const downText = await new Response(down.body).text();
        const full = await client.downloadFile(file.id);
        const fullText = await new Response(full.body).text();
        let error: { isApiError: boolean; status?: number; code?: string; requestId?: string } | undefined;
        try {
          await client.getFile("file_DoesNotExist000000");
        } catch (e) {
          error = {
            isApiError: e instanceof AetherApiError,
            status: (e as InstanceType<typeof AetherApiError>).status,
            code: (e as InstanceType<typeof AetherApiError>).code,
            requestId: (e as InstanceType<typeof AetherApiError>).requestId,
          };
        }
        // A web ReadableStream has to be streamed, which Chromium does only over HTTP/2: against
        // this HTTP/1.1 server it must fail as a network error, not hang or throw something else.
        let streamFailure: string | undefined;
        try {
          await client.uploadFile({ file: new Blob(["streamed"]).stream(), name: "streamed.txt" });
          streamFailure = "uploaded";
        } catch (e) {
          streamFailure = (e as Error).name;
        }
        const x = createAetherClient({ baseUrl, apiKey, authHeader: "x-api-key" });
        const stats = await x.getUserStats();
        await client.deleteFile(file.id);
        return {
          file,
          textBytes: new TextEncoder().encode(text).length,
          lastProgress: progress.at(-1),
          listed: page1.files.map((f) => f.id),
          rawStatus: raw.response.status,
          rawIds: raw.data?.files.map((f) => f.id),
          range: { status: down.status, size: down.size, totalSize: down.totalSize, text: downText },
          full: { name: full.name, etag: full.etag, size: full.size, same: fullText === text },
          error,
          statsFiles: stats.totalFiles,
          streamFailure,
        };
      },
      { baseUrl: api.baseUrl, apiKey: api.keys.full },
      )
      .catch((err: Error) => {
        throw new Error(`${err.message}\n${problems.join("\n")}`);
      });

    expect(problems).toEqual([]);
    expect(result.file).toMatchObject({ name: "from-browser.txt", size: result.textBytes, mimeType: "text/plain", tags: ["browser"], description: "uploaded by Chromium" });
    expect(result.lastProgress).toEqual({ loaded: result.textBytes, total: result.textBytes });
    expect(result.listed).toContain(result.file.id);
    expect(result.rawStatus).toBe(200);
    expect(result.rawIds).toContain(result.file.id);
    // Range, Content-Range, Content-Disposition and ETag cross CORS (exposed headers).
    expect(result.range).toEqual({ status: 206, size: 5, totalSize: result.textBytes, text: "hello" });
    expect(result.full).toEqual({ name: "from-browser.txt", etag: `"${result.file.sha256}"`, size: result.textBytes, same: true });
    expect(result.error).toMatchObject({ isApiError: true, status: 404, code: "not_found" });
    expect(result.error?.requestId).toMatch(/\S/);
    expect(result.statsFiles).toBeGreaterThanOrEqual(1);
    expect(result.streamFailure).toBe("AetherNetworkError");
    expect(streamedUploadsRefused).toBe(1);
    await context.close();
  });
});
