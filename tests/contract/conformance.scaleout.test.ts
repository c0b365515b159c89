/**
 * The conformance kit against a scaled-out deployment: two server processes on one PostgreSQL
 * database and one S3 bucket (a real Ceph RADOS Gateway), behind a round-robin HTTP balancer
 * that sends each request to the next instance (so a file is often uploaded through one and
 * read, renamed or deleted through the other). Same checks, same verdict as one process on
 * SQLite. Skipped with the reason when PostgreSQL or Ceph is missing, failed under CI=true.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { issueApiKey } from "../../server/auth/apiKeys.js";
import { loadConfig } from "../../server/config.js";
import { createHttpServer } from "../../server/http/httpServer.js";
import { PostgresMetadataStore } from "../../server/storage/postgres/index.js";
import { POSTGRES_AND_CEPH, startGateway, type Gateway } from "../support/ceph.js";
import { describeWithEngine } from "../support/engines.js";
import { startPostgres, type PostgresCluster } from "../support/postgres.js";
import { printedKeys, spawnServer, type ServerProcess } from "../support/serverProcess.js";
import { formatReport } from "./report.js";
import { runConformance, type Report } from "./runner.js";
import { REFERENCE_MAX_UPLOAD, type Target } from "./target.js";

/**
 * A balancer in front of `backends`: each request goes to the next one, byte for byte (the
 * request-target as sent, headers as sent, bodies streamed both ways). It runs on the reference
 * server's own connection handling, so a request Node's parser refuses gets the same envelope.
 */
function roundRobin(backends: string[]): { server: Server; served: number[] } {
  const served: number[] = [];
  let next = 0;
  const server = createHttpServer(loadConfig({}));
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const index = next++ % backends.length;
    served[index] = (served[index] ?? 0) + 1;
    const { port } = new URL(backends[index]!);
    const headers: string[] = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    const upstream = request({ host: "127.0.0.1", port, method: req.method, path: req.url, headers, setHost: false }, (answer) => {
      const raw: string[] = [];
      for (let i = 0; i < answer.rawHeaders.length; i += 2) raw.push(answer.rawHeaders[i]!, answer.rawHeaders[i + 1]!);
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, raw);
      answer.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  return { server, served };
}

let cluster: PostgresCluster;
let gateway: Gateway;
const dirs: string[] = [];
const instances: ServerProcess[] = [];
let balancer: ReturnType<typeof roundRobin>;
let report: Report;

describeWithEngine("conformance on two instances on PostgreSQL + S3 (Ceph RGW)", POSTGRES_AND_CEPH, () => {
  beforeAll(async () => {
    const backends: string[] = [];
    balancer = roundRobin(backends);
    await new Promise<void>((resolve) => balancer.server.listen(0, "127.0.0.1", resolve));
    const baseUrl = `http://127.0.0.1:${(balancer.server.address() as AddressInfo).port}`;
    [cluster, gateway] = await Promise.all([startPostgres(), startGateway()]);
    const databaseUrl = await cluster.createDatabase("conformance_s3");
    await gateway.createBucket("aether-conformance");
    const env = {
      ...gateway.env(),
      S3_BUCKET: "aether-conformance",
      DATABASE_URL: databaseUrl,
      MAX_UPLOAD_BYTES: String(REFERENCE_MAX_UPLOAD),
      RATE_LIMIT_PER_MINUTE: "1000000",
      RATE_LIMIT_UNAUTHENTICATED_PER_MINUTE: "1000000",
      LOG_LEVEL: "warn",
      // Behind a balancer every instance must name the public origin in each file's `url`
      // (without it, each names its own port and getFile answers differ between instances).
      PUBLIC_URL: baseUrl,
    };
    for (let i = 0; i < 2; i++) {
      const dir = await mkdtemp(join(tmpdir(), "aether-conf-s3-"));
      dirs.push(dir);
      instances.push(await spawnServer(dir, env));
    }
    backends.push(...instances.map((s) => s.baseUrl));
    const main = printedKeys(instances[0]!.stdout())[0]!;

    const metadata = await PostgresMetadataStore.open(databaseUrl);
    const owner = (await metadata.getUserByName("default"))!;
    const other = await metadata.createUser("second-tenant");
    const key = async (userId: string, scopes: string[]) => (await issueApiKey(metadata, userId, scopes as never, "conformance")).secret;
    const revoked = await issueApiKey(metadata, owner.id, ["files:read", "files:write", "user:read"], "revoked");
    await metadata.revokeApiKey(revoked.record.id);
    const keys = {
      main,
      second: await key(other.id, ["files:read", "files:write", "user:read"]),
      limited: { "files:read": await key(owner.id, ["files:read"]), "files:write": await key(owner.id, ["files:write"]), "user:read": await key(owner.id, ["user:read"]) },
      revoked: revoked.secret,
    };
    await metadata.close();

    const target: Target = { name: `two instances on PostgreSQL + Ceph RGW behind ${baseUrl}`, kind: "remote", baseUrl, keys, stateful: true, maxUploadBytes: REFERENCE_MAX_UPLOAD, close: async () => undefined };
    report = await runConformance(target, { runs: 15 });
    process.stdout.write(`\n${formatReport(report)}\n\n`);
  }, 600_000);

  afterAll(async () => {
    balancer?.server.closeAllConnections();
    balancer?.server.close();
    for (const s of instances) {
      s.child.kill("SIGTERM");
      await s.exited;
    }
    await gateway?.close();
    await cluster?.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("finds no failure in any check", () => {
    expect(report.failures.map((f) => `${f.check} — ${f.operationId}: ${f.message}\n  ${f.curl}`)).toEqual([]);
    expect(report.results.filter((r) => r.failed > 0)).toEqual([]);
    expect(report.requests).toBeGreaterThan(500);
  });

  it("both instances answered a fair share of the requests", () => {
    const total = balancer.served.reduce((n, c) => n + c, 0);
    for (const count of balancer.served) expect(count).toBeGreaterThan(total * 0.4);
  });
});
