// Baseline for upload throughput: the bare pipeline the reference server is measured against.
// node:http + busboy → fs.createWriteStream on a temp file, fsync, rename, then respond.
// No hashing, no auth, no validation, no database. BASELINE_HASH=1 adds a SHA-256 of the bytes
// (computed on the main thread like the server does) to show what hashing alone costs.
// Env: UPLOAD_DIR (required). Prints "listening <port>" on stdout once ready.
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import http from "node:http";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import busboy from "busboy";

const dir = process.env.UPLOAD_DIR;
if (!dir) throw new Error("UPLOAD_DIR is required");
const withHash = process.env.BASELINE_HASH === "1";
await mkdir(dir, { recursive: true });

async function storeFile(stream) {
  const name = randomBytes(8).toString("hex");
  const temp = join(dir, `${name}.part`);
  const handle = await open(temp, "wx");
  let size = 0;
  const hash = withHash ? createHash("sha256") : undefined;
  const counter = new Transform({
    transform(chunk, _enc, cb) {
      size += chunk.length;
      hash?.update(chunk);
      cb(null, chunk);
    },
  });
  try {
    // The numeric fd: a FileHandle given to a stream with autoClose false stays referenced by it,
    // and handle.close() would wait forever.
    await pipeline(stream, counter, createWriteStream(null, { fd: handle.fd, autoClose: false }));
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => {});
    await rm(temp, { force: true });
    throw err;
  }
  await handle.close();
  await rename(temp, join(dir, name));
  return { name, size, sha256: hash?.digest("hex") };
}

const server = http.createServer((req, res) => {
  if (req.method !== "POST") {
    res.writeHead(405).end();
    return;
  }
  let bb;
  try {
    bb = busboy({ headers: req.headers });
  } catch (err) {
    res.writeHead(400).end(String(err));
    return;
  }
  const stored = [];
  const fail = (err) => {
    if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" }).end(String(err));
    req.resume();
  };
  bb.on("file", (_field, stream) => stored.push(storeFile(stream)));
  bb.on("error", fail);
  // Respond only after every file is durable: busboy's 'close' comes before the writes finish.
  bb.on("close", () => {
    Promise.all(stored).then(
      (files) => {
        res.writeHead(201, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ files }));
      },
      fail,
    );
  });
  req.pipe(bb);
});
server.requestTimeout = 0;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on("SIGTERM", () => process.exit(0));
