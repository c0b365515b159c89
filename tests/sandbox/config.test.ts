// The sandbox's settings (server/sandbox/config.ts): open CORS, no rate limit and no free-space
// reserve by default; `npm start`'s limit variables apply when set; the variables that would point
// it at real data or another address (DATA_DIR, DATABASE_URL, PUBLIC_URL, PORT, HOST) are ignored.
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { loadSandboxConfig } from "../../server/sandbox/config.js";
import { startSandbox } from "../../server/sandbox/start.js";
import { SANDBOX_KEYS } from "../../server/sandbox/tenants.js";
import { bearer, expectError, json, type ApiFile } from "../support/http.js";

describe("sandbox settings", () => {
  it("defaults: 127.0.0.1:4011, CORS for any origin, no rate limit, no free-space reserve", () => {
    const config = loadSandboxConfig({}, "/tmp/x");
    expect(config).toMatchObject({ host: "127.0.0.1", port: 4011, dataDir: "/tmp/x", corsOrigins: ["*"], minFreeBytes: 0, databaseUrl: undefined });
    expect(config.rateLimitPerMinute).toBe(1_000_000_000);
    expect(config.rateLimitUnauthenticatedPerMinute).toBe(1_000_000_000);
  });

  it("ignores DATA_DIR, DATABASE_URL, PUBLIC_URL, PORT, HOST and CORS_ORIGINS", () => {
    const config = loadSandboxConfig(
      { DATA_DIR: "/srv/data", DATABASE_URL: "postgres://db/prod", PUBLIC_URL: "https://cdn.example", PORT: "80", HOST: "0.0.0.0", CORS_ORIGINS: "https://app.example" },
      "/tmp/x",
    );
    expect(config).toMatchObject({ host: "127.0.0.1", port: 4011, dataDir: "/tmp/x", publicUrl: "http://127.0.0.1:4011", corsOrigins: ["*"], databaseUrl: undefined });
  });

  it("SANDBOX_PORT and SANDBOX_HOST move it; a bad SANDBOX_PORT is named", () => {
    expect(loadSandboxConfig({ SANDBOX_PORT: "5000", SANDBOX_HOST: "::1" }, "/tmp/x")).toMatchObject({ port: 5000, host: "::1" });
    expect(() => loadSandboxConfig({ SANDBOX_PORT: "70000" }, "/tmp/x")).toThrow('SANDBOX_PORT must be an integer from 0 to 65535, got "70000"');
  });

  it("RATE_LIMIT_PER_MINUTE applies when set: real 429s", async () => {
    const sandbox = await startSandbox({
      env: { SANDBOX_PORT: "0", LOG_LEVEL: "silent", RATE_LIMIT_PER_MINUTE: "2", DATA_DIR: "/nonexistent/dir", DATABASE_URL: "postgres://127.0.0.1:1/none" },
    });
    try {
      expect(sandbox.root.startsWith(tmpdir())).toBe(true);
      const get = () => fetch(`${sandbox.baseUrl}/api/v1/files`, { headers: bearer(SANDBOX_KEYS.full) });
      const { files } = await json<{ files: ApiFile[] }>(await get());
      expect(files[0]!.url.startsWith(`${sandbox.baseUrl}/`)).toBe(true);
      expect((await get()).status).toBe(200);
      const third = await get();
      expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
      await expectError(third, 429, "rate_limited", "GET");
    } finally {
      await sandbox.close();
    }
  });
});
