/**
 * `aether migrate`: copies an embedded DATA_DIR (SQLite + blobs on disk) into PostgreSQL + an S3
 * bucket, so the same users, keys, folders and files are served by any number of instances.
 * Read-only on the source; idempotent and resumable (rerun after an interruption and only what is
 * missing is copied); each blob read back and checked against its SHA-256. A progress bar on a
 * terminal, a line every few seconds otherwise, a summary at the end. The work itself is in
 * server/storage/migrate/.
 */
import { SingleBar } from "cli-progress";
import { Command } from "commander";
import { ConfigError, loadConfig } from "../config.js";

interface MigrateOptions {
  dataDir: string;
  toDatabase: string;
  toS3Bucket: string;
  toS3Endpoint?: string;
  toS3Region?: string;
  toS3Prefix?: string;
  toS3ForcePathStyle?: boolean;
  merge?: boolean;
  concurrency: string;
}

function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

async function run(opts: MigrateOptions): Promise<void> {
  // The target goes through the server's own configuration checks (bucket name, endpoint, prefix).
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: opts.toDatabase,
    S3_BUCKET: opts.toS3Bucket,
    S3_ENDPOINT: opts.toS3Endpoint ?? "",
    S3_REGION: opts.toS3Region ?? process.env.AWS_REGION ?? "",
    S3_PREFIX: opts.toS3Prefix ?? "",
    S3_FORCE_PATH_STYLE: opts.toS3ForcePathStyle === undefined ? "" : String(opts.toS3ForcePathStyle),
  });
  const s3 = config.s3!;
  const concurrency = Number(opts.concurrency);
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new ConfigError("--concurrency must be an integer from 1 to 64");

  const { EmbeddedSource } = await import("../storage/migrate/embeddedSource.js");
  const { migrateEmbedded } = await import("../storage/migrate/migrate.js");
  const { PostgresImporter } = await import("../storage/postgres/importer.js");
  const { S3BlobStore, createS3Client, describeS3Failure } = await import("../storage/s3/index.js");

  const source = await EmbeddedSource.open(opts.dataDir);
  const client = createS3Client({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: s3.forcePathStyle });
  const blobs = new S3BlobStore({ client, bucket: s3.bucket, prefix: s3.prefix, partSize: s3.partSizeBytes });
  let db: Awaited<ReturnType<typeof PostgresImporter.open>> | undefined;
  try {
    await blobs.ping().catch((err: unknown) => {
      throw new ConfigError(describeS3Failure(err, s3.bucket, s3.endpoint));
    });
    db = await PostgresImporter.open(opts.toDatabase);
    const where = `PostgreSQL ${db.target} + s3://${s3.bucket}/${s3.prefix}${s3.endpoint ? ` at ${s3.endpoint}` : ""}`;
    process.stderr.write(`Migrating ${source.dataDir} → ${where}\n`);

    const tty = process.stderr.isTTY === true;
    const bar = tty ? new SingleBar({ format: "  files {value}/{total} |{bar}| {bytes} of {totalBytes}", hideCursor: true }) : undefined;
    let done = 0;
    let bytes = 0;
    let totalBytes = 0;
    let lastLine = Date.now();
    const summary = await migrateEmbedded(source, db, blobs, {
      merge: opts.merge === true,
      concurrency,
      progress: {
        start(files, size) {
          totalBytes = size;
          bar?.start(files, 0, { bytes: formatBytes(0), totalBytes: formatBytes(size) });
        },
        file(file) {
          done++;
          bytes += file.size;
          bar?.update(done, { bytes: formatBytes(bytes), totalBytes: formatBytes(totalBytes) });
          if (!tty && Date.now() - lastLine >= 5_000) {
            lastLine = Date.now();
            process.stderr.write(`  ${done} files, ${formatBytes(bytes)} of ${formatBytes(totalBytes)}\n`);
          }
        },
      },
    });
    bar?.stop();
    const s = summary;
    process.stdout.write(
      [
        `Migrated ${source.dataDir} → ${where} in ${(s.elapsedMs / 1000).toFixed(1)} s`,
        `  users    ${s.users.total} (${s.users.added} added)`,
        `  keys     ${s.keys.total} (${s.keys.added} added)`,
        `  folders  ${s.folders.total} (${s.folders.added} added)`,
        `  files    ${s.files.total} (${s.files.added} added, ${s.files.alreadyThere} already there)`,
        `  copied   ${formatBytes(s.bytesCopied)}; ${s.blobsVerified} blobs read back and verified (SHA-256)`,
        "",
        `Start the servers with DATABASE_URL and S3_BUCKET=${s3.bucket}${s3.prefix ? ` S3_PREFIX=${s3.prefix}` : ""}${s3.endpoint ? ` S3_ENDPOINT=${s3.endpoint}` : ""}; every existing key works.`,
        "",
      ].join("\n"),
    );
  } finally {
    source.close();
    client.destroy();
    await db?.close();
  }
}

/** The `migrate` command. */
export function migrateCommand(): Command {
  return new Command("migrate")
    .description("copy an embedded data dir (SQLite + files on disk) into PostgreSQL + an S3 bucket; read-only on the source, resumable")
    .option("--data-dir <dir>", "the data dir to copy (env DATA_DIR)", process.env.DATA_DIR?.trim() || "./data")
    .requiredOption("--to-database <url>", "target PostgreSQL URL, postgres://user:password@host:port/db")
    .requiredOption("--to-s3-bucket <name>", "target bucket (must exist); credentials from the AWS SDK chain (AWS_ACCESS_KEY_ID, …)")
    .option("--to-s3-endpoint <url>", "S3-compatible endpoint (MinIO, R2, Ceph RGW…); omit for AWS")
    .option("--to-s3-region <region>", "region (default AWS_REGION or us-east-1)")
    .option("--to-s3-prefix <prefix>", "prefix of every object name, as S3_PREFIX")
    .option("--to-s3-force-path-style", "path-style URLs (default with --to-s3-endpoint)")
    .option("--merge", "add to a target that already holds other users or objects")
    .option("--concurrency <n>", "files copied at once", "4")
    .action(run);
}
