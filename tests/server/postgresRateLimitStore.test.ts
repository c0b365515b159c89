/**
 * The shared rate-limit store on a real PostgreSQL: concurrent increments from two pools (two
 * instances) are all counted, windows restart once expired, decrement and reset work.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Options } from "express-rate-limit";
import { PostgresRateLimitStore } from "../../server/http/postgresRateLimitStore.js";
import { PostgresMetadataStore } from "../../server/storage/postgres/index.js";
import { POSTGRES_INSTALL_HINT, postgresInstalled, startPostgres, type PostgresCluster } from "../support/postgres.js";

const inCI = process.env.CI === "true";
let cluster: PostgresCluster;
let stores: PostgresMetadataStore[] = [];

if (!postgresInstalled()) {
  describe("PostgresRateLimitStore", () => {
    if (inCI) it("PostgreSQL 15 is installed (CI=true)", () => expect.fail(`missing: ${POSTGRES_INSTALL_HINT}`));
    else it.skip(`skipped: PostgreSQL 15 is missing — install it with \`${POSTGRES_INSTALL_HINT}\``, () => {});
  });
} else {
  beforeAll(async () => {
    cluster = await startPostgres();
    const url = await cluster.createDatabase("limits");
    stores = [await PostgresMetadataStore.open(url), await PostgresMetadataStore.open(url)];
  }, 60_000);
  afterAll(async () => {
    for (const s of stores) await s.close();
    await cluster?.close();
  });

  const limiter = (i: number, windowMs: number) => {
    const store = new PostgresRateLimitStore(stores[i]!.sql, "test:");
    store.init({ windowMs } as Options);
    return store;
  };

  describe("PostgresRateLimitStore", () => {
    it("counts 400 concurrent hits from two instances exactly, with one reset time", async () => {
      const [x, y] = [limiter(0, 60_000), limiter(1, 60_000)];
      const results = await Promise.all(Array.from({ length: 400 }, (_, i) => (i % 2 ? x : y).increment("k1")));
      expect(results.map((r) => r.totalHits).sort((p, q) => p - q)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
      expect(new Set(results.map((r) => r.resetTime?.getTime())).size).toBe(1);
      expect((await x.get("k1"))?.totalHits).toBe(400);
    });

    it("starts a new window once the old one has expired", async () => {
      const s = limiter(0, 200);
      expect((await s.increment("k2")).totalHits).toBe(1);
      expect((await s.increment("k2")).totalHits).toBe(2);
      await new Promise((r) => setTimeout(r, 300));
      expect((await s.increment("k2")).totalHits).toBe(1);
    });

    it("decrements (never below zero) and resets a key", async () => {
      const s = limiter(1, 60_000);
      await s.increment("k3");
      await s.decrement("k3");
      await s.decrement("k3");
      expect((await s.get("k3"))?.totalHits).toBe(0);
      await s.increment("k3");
      await s.resetKey("k3");
      expect(await s.get("k3")).toBeUndefined();
    });
  });
}
