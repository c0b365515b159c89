/**
 * A throwaway single-node Ceph cluster with a RADOS Gateway: a real S3 implementation for tests
 * and benchmarks, from Debian's `radosgw`, `ceph-mon` and `ceph-osd` packages.
 *
 * `startGateway()` writes one ceph.conf under a fresh temp dir (every daemon's data, socket, log
 * and pid file inside it; monitor and gateway on free ports of 127.0.0.1; authentication off
 * between daemons, `crc` wire mode), then: monmap → monitor → OSD (memstore by default, or
 * bluestore on a sparse file for benchmarks) → gateway → an S3 user with a fixed key pair →
 * polls until the gateway answers. Measured here: 1–2 s with memstore. Pools are created with one
 * placement group and a size of one, so nothing waits on replication or autoscaling.
 * `stop()`/`start()` stop and restart the gateway alone (the store "unreachable while serving");
 * `close()` stops every daemon by the pids in its own pid files and deletes the dir.
 *
 * Without the binaries, test files skip with {@link CEPH_INSTALL_HINT}; under `CI=true` they fail.
 */
import { execFile, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { createS3Client } from "../../server/storage/s3/client.js";
import type { S3Client } from "@aws-sdk/client-s3";
import { freePort, postgresInstalled } from "./postgres.js";

/** The binaries the harness runs. */
const BINARIES = ["/usr/bin/ceph-mon", "/usr/bin/ceph-osd", "/usr/bin/radosgw", "/usr/bin/radosgw-admin", "/usr/bin/monmaptool", "/usr/bin/ceph"];
/** How to get them. */
export const CEPH_INSTALL_HINT = "apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd";

/** True when every Ceph binary the harness needs is installed. */
export function cephInstalled(): boolean {
  return BINARIES.every((path) => existsSync(path));
}

/** Access key pair of the gateway's S3 user (a throwaway cluster on loopback). */
export const GATEWAY_CREDENTIALS = { accessKeyId: "AETHERTESTACCESSKEY0", secretAccessKey: "aethercdn-test-secret-key-0000000000000000" };

/** A running gateway. */
export interface Gateway {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** The temp dir of the cluster. */
  readonly dir: string;
  /** A client with the test user's credentials. */
  readonly client: S3Client;
  /** Environment that points the server at this gateway (without `S3_BUCKET`). */
  env(): Record<string, string>;
  /** Creates a bucket (idempotent) and returns its name. */
  createBucket(name: string): Promise<string>;
  /** Stops the gateway only (the store becomes unreachable; data stays). */
  stop(): Promise<void>;
  /** Starts the gateway again on the same port and waits until it answers. */
  start(): Promise<void>;
  /** Stops every daemon and deletes the temp dir. */
  close(): Promise<void>;
}

/** Options of {@link startGateway}. */
export interface GatewayOptions {
  /** `memstore` (default: objects in the OSD's memory) or `bluestore` (a sparse file on disk). */
  objectStore?: "memstore" | "bluestore";
  /** Capacity of the OSD in bytes (default 2 GiB for memstore, 16 GiB for bluestore). */
  deviceBytes?: number;
}

function run(command: string, args: string[], timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { encoding: "utf8", timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(" ")} failed: ${error.message}\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Starts a daemon that forks into the background, and waits for the parent to exit. */
function daemon(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${stderr}`))));
  });
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, logs: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} did not come up within ${timeoutMs} ms\n${await logs()}`);
}

async function killByPidFile(path: string): Promise<void> {
  const pid = Number((await readFile(path, "utf8").catch(() => "")).trim());
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // gone meanwhile
  }
}

/** Starts a throwaway monitor + OSD + gateway and an S3 user; see the file comment. */
export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const objectStore = options.objectStore ?? "memstore";
  const deviceBytes = options.deviceBytes ?? (objectStore === "memstore" ? 2 : 16) * 1024 ** 3;
  const dir = await mkdtemp(join(tmpdir(), "aether-ceph-"));
  const [monV2, monV1, rgwPort] = [await freePort(), await freePort(), await freePort()];
  const fsid = randomUUID();
  const conf = join(dir, "ceph.conf");
  for (const sub of ["run", "log", "mon/a", "osd/0", "rgw"]) await mkdir(join(dir, sub), { recursive: true });
  const objectStoreLines =
    objectStore === "memstore"
      ? ["osd objectstore = memstore", `memstore device bytes = ${deviceBytes}`]
      : ["osd objectstore = bluestore", `bluestore block path = ${dir}/bluestore.block`, `bluestore block size = ${deviceBytes}`, "bluestore block create = true"];
  await writeFile(
    conf,
    [
      "[global]",
      `fsid = ${fsid}`,
      `mon host = [v2:127.0.0.1:${monV2},v1:127.0.0.1:${monV1}]`,
      "mon initial members = a",
      "auth cluster required = none",
      "auth service required = none",
      "auth client required = none",
      "auth allow insecure global id reclaim = true",
      ...["mon client", "mon service", "mon cluster", "client", "service", "cluster"].map((m) => `ms ${m} mode = crc`),
      "ms bind ipv6 = false",
      "public addr = 127.0.0.1",
      `run dir = ${dir}/run`,
      `admin socket = ${dir}/run/$name.asok`,
      `log file = ${dir}/log/$name.log`,
      `pid file = ${dir}/run/$name.pid`,
      `keyring = ${dir}/keyring`,
      "osd pool default size = 1",
      "osd pool default min size = 1",
      "mon allow pool size one = true",
      "mon warn on pool no redundancy = false",
      "osd crush chooseleaf type = 0",
      "osd pool default pg num = 1",
      "osd pool default pgp num = 1",
      "osd pool default pg autoscale mode = off",
      "paxos propose interval = 0.01",
      "paxos min wait = 0.01",
      "mon data avail crit = 0",
      "mon data avail warn = 0",
      "osd max object name len = 460",
      "osd max object namespace len = 64",
      "[mon.a]",
      `mon data = ${dir}/mon/a`,
      "[osd.0]",
      `osd data = ${dir}/osd/0`,
      ...objectStoreLines,
      "[client.rgw]",
      `rgw frontends = beast endpoint=127.0.0.1:${rgwPort}`,
      "rgw dns name = localhost",
      `rgw data = ${dir}/rgw`,
      "",
    ].join("\n"),
  );
  const c = ["-c", conf];
  const logs = async (): Promise<string> => {
    const names = ["mon.a", "osd.0", "client.rgw"];
    const tails = await Promise.all(names.map(async (n) => `--- ${n}\n${(await readFile(join(dir, "log", `${n}.log`), "utf8").catch(() => "")).slice(-3000)}`));
    return tails.join("\n");
  };
  const pidFiles = ["client.rgw", "osd.0", "mon.a"].map((n) => join(dir, "run", `${n}.pid`));
  const stopAll = async (): Promise<void> => {
    for (const file of pidFiles) await killByPidFile(file);
  };
  // A gateway that does not answer in time (a loaded machine) is killed and started once more.
  const startRgw = async (): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      await daemon("/usr/bin/radosgw", [...c, "-n", "client.rgw"]);
      try {
        await waitFor("the RADOS gateway", () => portAnswers(rgwPort), 45_000, logs);
        return;
      } catch (error) {
        await killByPidFile(join(dir, "run", "client.rgw.pid"));
        if (attempt === 2) throw error;
      }
    }
  };

  try {
    await run("/usr/bin/monmaptool", ["--create", "--fsid", fsid, "--addv", "a", `[v2:127.0.0.1:${monV2},v1:127.0.0.1:${monV1}]`, join(dir, "monmap")]);
    await run("/usr/bin/ceph-mon", [...c, "--mkfs", "-i", "a", "--monmap", join(dir, "monmap")]);
    await daemon("/usr/bin/ceph-mon", [...c, "-i", "a"]);
    const osdUuid = randomUUID();
    const osdId = (await run("/usr/bin/ceph", [...c, "osd", "new", osdUuid], 30_000)).trim();
    if (osdId !== "0") throw new Error(`expected OSD id 0, got ${osdId}`);
    await run("/usr/bin/ceph-osd", [...c, "-i", "0", "--mkfs", "--osd-uuid", osdUuid]);
    await daemon("/usr/bin/ceph-osd", [...c, "-i", "0"]);
    await startRgw();
    await run("/usr/bin/radosgw-admin", [...c, "user", "create", "--uid=aether", "--display-name=aether",
      `--access-key=${GATEWAY_CREDENTIALS.accessKeyId}`, `--secret=${GATEWAY_CREDENTIALS.secretAccessKey}`]);
  } catch (error) {
    await stopAll();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  const endpoint = `http://127.0.0.1:${rgwPort}`;
  const client = createS3Client({ endpoint, forcePathStyle: true, credentials: GATEWAY_CREDENTIALS });
  // The user's first request can race the gateway's user cache: retry until a bucket call works.
  await waitFor("the gateway's S3 user", async () => {
    try {
      await client.send(new CreateBucketCommand({ Bucket: "aether-probe" }));
      return true;
    } catch {
      return false;
    }
  }, 20_000, logs);

  return {
    endpoint,
    dir,
    client,
    env: () => ({
      S3_ENDPOINT: endpoint,
      S3_REGION: "us-east-1",
      S3_FORCE_PATH_STYLE: "true",
      AWS_ACCESS_KEY_ID: GATEWAY_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: GATEWAY_CREDENTIALS.secretAccessKey,
    }),
    async createBucket(name: string) {
      try {
        await client.send(new CreateBucketCommand({ Bucket: name }));
      } catch (error) {
        if ((error as { name?: string }).name !== "BucketAlreadyOwnedByYou") throw error;
      }
      return name;
    },
    stop: () => killByPidFile(join(dir, "run", "client.rgw.pid")),
    start: startRgw,
    async close() {
      client.destroy();
      await stopAll();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The engine descriptor for `describeWithEngine`. */
export const CEPH = { name: "Ceph RADOS Gateway", installed: cephInstalled, hint: CEPH_INSTALL_HINT };

/** Both engines of a scaled-out deployment (PostgreSQL metadata + a Ceph RGW bucket), for `describeWithEngine`. */
export const POSTGRES_AND_CEPH = {
  name: "PostgreSQL 15 and Ceph RADOS Gateway",
  installed: () => postgresInstalled() && cephInstalled(),
  hint: "apt-get install -y --no-install-recommends postgresql radosgw ceph-mon ceph-osd",
};
