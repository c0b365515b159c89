/**
 * A throwaway PostgreSQL 15 cluster for tests, from Debian's `postgresql` package (binaries in
 * /usr/lib/postgresql/15/bin). The system cluster is never touched.
 *
 * `startPostgres()` runs `initdb` in a fresh temp dir and starts the server on a free port,
 * listening on 127.0.0.1 only (its socket also in the temp dir), with trust authentication and
 * durability off (`fsync`, `synchronous_commit`, `full_page_writes`): tests only, never a
 * benchmark. `initdb` refuses to run as root, so as root every server command runs as the
 * `postgres` user (`runuser`). The cluster's default collation is ICU `en-US` (where "a" < "B"),
 * so tests prove the store's own `COLLATE "C"` ordering instead of inheriting it by luck.
 * Each test file starts its own cluster (vitest runs files in parallel: distinct dirs and ports).
 *
 * Without the binaries, test files skip with {@link POSTGRES_INSTALL_HINT}; under `CI=true` they
 * fail instead (see tests/storage/postgres.test.ts).
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chown, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

/** Where Debian's `postgresql-15` package puts the server binaries. */
export const POSTGRES_BIN = "/usr/lib/postgresql/15/bin";
/** How to get them. */
export const POSTGRES_INSTALL_HINT = "apt-get install -y --no-install-recommends postgresql";

/** True when `initdb` and `pg_ctl` are installed. */
export function postgresInstalled(): boolean {
  return existsSync(join(POSTGRES_BIN, "initdb")) && existsSync(join(POSTGRES_BIN, "pg_ctl"));
}

/** A running throwaway cluster. */
export interface PostgresCluster {
  /** The TCP port on 127.0.0.1. */
  readonly port: number;
  /** The temp dir holding the data dir, the socket and `pg.log`. */
  readonly dir: string;
  /** URL of database `dbName` as the superuser `postgres` (no password: trust auth). */
  url(dbName: string): string;
  /** Creates a database as a copy of `template` (default `template1`: empty) and returns its URL. */
  createDatabase(name: string, template?: string): Promise<string>;
  /** Drops a database, disconnecting anyone still on it. */
  dropDatabase(name: string): Promise<void>;
  /** Runs SQL as the superuser on database `dbName` (default `postgres`). */
  sql<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[], dbName?: string): Promise<R[]>;
  /** Stops the server (`pg_ctl stop -m fast`): connections are cut, data stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** Stops the server (if running) and deletes the temp dir. */
  close(): Promise<void>;
}

const DB_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const asRoot = process.getuid?.() === 0;

/** The command line that runs a server binary, as `postgres` when we are root. */
function commandLine(binary: string, args: string[]): [string, string[]] {
  const path = join(POSTGRES_BIN, binary);
  return asRoot ? ["runuser", ["-u", "postgres", "--", path, ...args]] : [path, args];
}

/** Runs a server binary (see {@link commandLine}); rejects with its output on failure. */
function run(binary: string, args: string[]): Promise<string> {
  const [command, argv] = commandLine(binary, args);
  return new Promise((resolve, reject) => {
    execFile(command, argv, { encoding: "utf8", timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${binary} failed: ${error.message}\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago (nothing listens on it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** initdb + start in a new temp dir; see the file comment. */
export async function startPostgres(): Promise<PostgresCluster> {
  const dir = await mkdtemp(join(tmpdir(), "aether-pg-"));
  const data = join(dir, "data");
  const log = join(dir, "pg.log");
  if (asRoot) await chown(dir, postgresUid(), postgresGid());
  await run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--locale-provider=icu", "--icu-locale=en-US", "--no-sync"]);

  let port = 0;
  let running = false;
  const start = async (): Promise<void> => {
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    await run("pg_ctl", ["-D", data, "-l", log, "-w", "-t", "30", "-o", options, "start"]);
    running = true;
  };
  const stop = async (): Promise<void> => {
    await run("pg_ctl", ["-D", data, "-w", "-m", "fast", "stop"]);
    running = false;
  };
  // Another process may grab the port between freePort() and the server's bind: try a few.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await start();
      break;
    } catch (error) {
      if (attempt === 3) {
        const tail = await readFile(log, "utf8").catch(() => "");
        await rm(dir, { recursive: true, force: true });
        throw new Error(`${(error as Error).message}\n${tail.split("\n").slice(-20).join("\n")}`);
      }
    }
  }
  // If the test process dies without close(), do not leave a server behind.
  const onExit = (): void => {
    if (running) spawnSync(...commandLine("pg_ctl", ["-D", data, "-m", "immediate", "stop"]));
  };
  process.once("exit", onExit);

  const url = (dbName: string): string => `postgresql://postgres@127.0.0.1:${port}/${dbName}`;
  // One superuser connection per database, kept open between calls (connecting costs more than
  // most statements); a connection that died (server stopped) is replaced on the next call.
  const admins = new Map<string, Promise<pg.Client>>();
  const admin = (dbName: string): Promise<pg.Client> => {
    const existing = admins.get(dbName);
    if (existing) return existing;
    const client = new pg.Client({ connectionString: url(dbName) });
    const connecting = client.connect().then(() => client);
    const forget = (): void => {
      if (admins.get(dbName) === connecting) admins.delete(dbName);
    };
    client.on("error", forget);
    client.on("end", forget);
    connecting.catch(forget);
    admins.set(dbName, connecting);
    return connecting;
  };
  const sql = async <R extends pg.QueryResultRow = Record<string, unknown>>(text: string, values: unknown[] = [], dbName = "postgres"): Promise<R[]> =>
    (await (await admin(dbName)).query<R>(text, values)).rows;
  const endAdmin = async (dbName: string): Promise<void> => {
    const connecting = admins.get(dbName);
    admins.delete(dbName);
    await connecting?.then((client) => client.end()).catch(() => undefined);
  };
  const endAdmins = async (): Promise<void> => {
    for (const dbName of [...admins.keys()]) await endAdmin(dbName);
  };
  return {
    port,
    dir,
    url,
    sql,
    async createDatabase(name, template = "template1") {
      if (!DB_NAME.test(name) || !DB_NAME.test(template)) throw new Error(`bad database name ${name} or ${template}`);
      await endAdmin(template); // a template must have no other connection
      // FILE_COPY copies the files (15 ms here) where PostgreSQL 15's default WAL_LOG writes every
      // page through the WAL (~100 ms); with fsync off its checkpoints cost nothing.
      await sql(`CREATE DATABASE ${name} TEMPLATE ${template} STRATEGY FILE_COPY`);
      return url(name);
    },
    async dropDatabase(name) {
      if (!DB_NAME.test(name)) throw new Error(`bad database name ${name}`);
      await endAdmin(name);
      await sql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
    async stop() {
      await endAdmins();
      await stop();
    },
    start,
    async close() {
      process.removeListener("exit", onExit);
      await endAdmins();
      if (running) await stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function postgresId(flag: "-u" | "-g"): number {
  const result = spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
  const id = Number(result.stdout.trim());
  if (result.status !== 0 || !Number.isInteger(id)) {
    throw new Error("running as root, but there is no `postgres` user to run the cluster as (the postgresql package creates it)");
  }
  return id;
}

/** uid of the `postgres` user. */
export function postgresUid(): number {
  return postgresId("-u");
}

/** gid of the `postgres` user. */
export function postgresGid(): number {
  return postgresId("-g");
}
