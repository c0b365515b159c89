/**
 * In-process reference server for the HTTP tests: `createApp` on 127.0.0.1, an ephemeral port and
 * a fresh temp DATA_DIR, with a silent logger and response validation on. Every call gets its own
 * users and keys:
 *
 *   const srv = await startServer({ maxUploadBytes: 1024 * 1024 });
 *   await fetch(`${srv.baseUrl}/api/v1/files`, { headers: bearer(srv.keys.full) });
 *   await srv.close(); // server, database and temp dir
 *
 * The app is attached to the HTTP server after it listens, so `publicUrl` (each file's `url`)
 * carries the real port.
 */
import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { pino } from "pino";
import { createApp } from "../../server/app.js";
import { issueApiKey, SCOPES, type Scope } from "../../server/auth/apiKeys.js";
import { loadConfig, type ServerConfig } from "../../server/config.js";
import { createHttpServer } from "../../server/http/httpServer.js";
import { UsageRecorder } from "../../server/http/usage.js";
import { openEmbeddedStorage, type BlobStore, type MetadataStore, type Storage } from "../../server/storage/index.js";
import { blobFiles } from "./http.js";

/** The keys every test server is seeded with. */
export interface TestKeys {
  /** user A, every scope. */
  full: string;
  /** user A, `files:read` only. */
  readOnly: string;
  /** user A, `files:write` only. */
  writeOnly: string;
  /** user A, `user:read` only. */
  statsOnly: string;
  /** user B (another tenant), every scope. */
  otherTenant: string;
}

/** A running test server. */
export interface TestServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  baseUrl: string;
  /** The temp DATA_DIR (database + blobs). */
  dataDir: string;
  /** The PostgreSQL database holding the metadata, when not SQLite in `dataDir`. */
  databaseUrl?: string;
  /** The configuration the app runs with. */
  config: ServerConfig;
  /** The storage the app uses (same process: tests may read it directly). */
  storage: Storage;
  keys: TestKeys;
  /** A key of user A with every scope, revoked before the server started. */
  revokedKey: string;
  /** Ids of the two users. */
  users: { main: string; other: string };
  /**
   * What the blob store holds right now, listed from the backend itself: finished blobs and
   * leftovers of unfinished writes (temp files on disk; incomplete multipart uploads on S3).
   */
  blobFiles(): Promise<{ temp: string[]; blobs: string[]; all: string[] }>;
  /** Which blob store the server runs on (`AETHER_TEST_BLOBS`). */
  blobBackend: "disk" | "s3";
  /** Issues one more key (e.g. a fresh rate-limit budget). */
  issueKey(scopes?: readonly Scope[], user?: "main" | "other"): Promise<string>;
  /** Creates one more user (a clean account on the same server) and returns a full-scope key. */
  addUser(name: string): Promise<string>;
  /** Stops the server, closes the database and removes the temp dir. Idempotent. */
  close(): Promise<void>;
}

/** Extra knobs beyond the configuration. */
export interface StartOptions {
  /** Clock of the metadata store (e.g. a frozen one, to make `createdAt` ties). */
  now?: () => Date;
  /**
   * Another metadata store to run on (e.g. PostgreSQL; empty, and closed by `close()`); blobs
   * stay in the temp dir. Default: SQLite in the temp dir.
   */
  metadata?: MetadataStore;
}

let databases = 0;

/**
 * With `AETHER_TEST_METADATA=postgres` (and the cluster of tests/support/globalPostgres.ts), a
 * fresh PostgreSQL database for one test server; otherwise undefined (SQLite).
 */
async function postgresMetadata(now: (() => Date) | undefined): Promise<{ metadata: MetadataStore; url: string } | undefined> {
  const url = process.env.AETHER_TEST_PG_URL;
  if (process.env.AETHER_TEST_METADATA !== "postgres") return undefined;
  if (!url) throw new Error("AETHER_TEST_METADATA=postgres needs the global setup's cluster (AETHER_TEST_PG_URL)");
  const name = `t${process.pid}_${++databases}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const { PostgresMetadataStore } = await import("../../server/storage/postgres/index.js");
  const target = new URL(url);
  target.pathname = `/${name}`;
  return { metadata: await PostgresMetadataStore.open(target.toString(), { poolMax: 4, ...(now && { now }) }), url: target.toString() };
}

let prefixes = 0;

/** The blob store of one test server and how to list it. */
interface TestBlobs {
  blobs: BlobStore;
  list(): Promise<{ temp: string[]; blobs: string[]; all: string[] }>;
  close(): Promise<void>;
}

/**
 * With `AETHER_TEST_BLOBS=s3` (and the gateway of tests/support/globalGateway.ts), an S3 blob store
 * under a prefix no other test server uses; otherwise the disk store in `dataDir`.
 */
async function testBlobs(diskBlobs: BlobStore, dataDir: string): Promise<TestBlobs> {
  if (process.env.AETHER_TEST_BLOBS !== "s3") {
    return { blobs: diskBlobs, list: () => blobFiles(dataDir), close: async () => undefined };
  }
  const endpoint = process.env.AETHER_TEST_S3_ENDPOINT;
  const bucket = process.env.AETHER_TEST_S3_BUCKET;
  if (!endpoint || !bucket) throw new Error("AETHER_TEST_BLOBS=s3 needs the global setup's gateway (AETHER_TEST_S3_ENDPOINT)");
  const { S3BlobStore, createS3Client } = await import("../../server/storage/s3/index.js");
  const { ListMultipartUploadsCommand, ListObjectsV2Command } = await import("@aws-sdk/client-s3");
  const { GATEWAY_CREDENTIALS } = await import("./ceph.js");
  const client = createS3Client({ endpoint, forcePathStyle: true, credentials: GATEWAY_CREDENTIALS });
  const prefix = `srv-${process.pid}-${++prefixes}-${Date.now()}/`;
  const store = new S3BlobStore({ client, bucket, prefix });
  return {
    blobs: store,
    async list() {
      const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix }));
      const objects = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
      const temp = (uploads.Uploads ?? []).map((u) => `tmp/${(u.Key ?? "").slice(prefix.length)}`);
      const blobs = (objects.Contents ?? []).map((o) => (o.Key ?? "").slice(prefix.length));
      return { temp, blobs, all: [...temp, ...blobs] };
    },
    close: () => store.close(),
  };
}

/** Starts a server; see the module comment. */
export async function startServer(overrides: Partial<ServerConfig> = {}, options: StartOptions = {}): Promise<TestServer> {
  let databaseUrl: string | undefined;
  if (!options.metadata) {
    const pgStore = await postgresMetadata(options.now);
    if (pgStore) {
      options = { ...options, metadata: pgStore.metadata };
      databaseUrl = pgStore.url;
    }
  }
  const dataDir = await mkdtemp(join(tmpdir(), "aether-http-"));
  const embedded = await openEmbeddedStorage(dataDir, options.now ? { now: options.now } : {});
  if (options.metadata) await embedded.metadata.close();
  const testBlobStore = await testBlobs(embedded.blobs, dataDir);
  const storage: Storage = { metadata: options.metadata ?? embedded.metadata, blobs: testBlobStore.blobs };
  const base = loadConfig({ LOG_LEVEL: "silent" });
  const http: Server = createHttpServer({ ...base, ...overrides });
  let closed = false;
  let usage: UsageRecorder | undefined;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    if (http.listening) {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
    await usage?.close().catch(() => undefined);
    await storage.metadata.close().catch(() => undefined);
    await testBlobStore.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const main = await storage.metadata.createUser("alice");
    const other = await storage.metadata.createUser("bob");
    const issueKey = async (scopes: readonly Scope[] = SCOPES, user: "main" | "other" = "main"): Promise<string> =>
      (await issueApiKey(storage.metadata, user === "main" ? main.id : other.id, scopes, "test")).secret;
    const keys: TestKeys = {
      full: await issueKey(SCOPES),
      readOnly: await issueKey(["files:read"]),
      writeOnly: await issueKey(["files:write"]),
      statsOnly: await issueKey(["user:read"]),
      otherTenant: await issueKey(SCOPES, "other"),
    };
    const revoked = await issueApiKey(storage.metadata, main.id, SCOPES, "revoked");
    await storage.metadata.revokeApiKey(revoked.record.id);

    await new Promise<void>((resolve, reject) => {
      http.once("error", reject);
      http.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = http.address() as AddressInfo;
    const baseUrl = `http://127.0.0.1:${port}`;
    const config: ServerConfig = {
      ...loadConfig({ DATA_DIR: dataDir, HOST: "127.0.0.1", PORT: String(port), LOG_LEVEL: "silent" }),
      publicUrl: baseUrl,
      validateResponses: true,
      // Tests send many keyless requests and write to whatever disk the machine has; the limits
      // themselves are tested where they are the subject (limits.test.ts, hardening tests).
      rateLimitUnauthenticatedPerMinute: 100_000,
      minFreeBytes: 0,
      ...overrides,
    };
    // Flushed often, so tests that read bandwidth or lastUsedAt wait little.
    usage = new UsageRecorder(storage.metadata, { flushMs: 50 });
    const app = createApp(config, storage, { logger: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }), usage });
    http.on("request", app);
    return {
      baseUrl,
      dataDir,
      ...(databaseUrl && { databaseUrl }),
      config,
      storage,
      keys,
      revokedKey: revoked.secret,
      blobFiles: () => testBlobStore.list(),
      blobBackend: process.env.AETHER_TEST_BLOBS === "s3" ? "s3" : "disk",
      users: { main: main.id, other: other.id },
      issueKey,
      addUser: async (name: string) => {
        const user = await storage.metadata.createUser(name);
        return (await issueApiKey(storage.metadata, user.id, SCOPES, "test")).secret;
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
