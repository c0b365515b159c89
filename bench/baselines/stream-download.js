// Baseline for download throughput: a plain Node server doing fs.createReadStream(file).pipe(res)
// with default stream settings (64 KiB reads), for any GET. Env: FILE (required).
// Prints "listening <port>" on stdout once ready.
import { createReadStream, statSync } from "node:fs";
import http from "node:http";

const file = process.env.FILE;
if (!file) throw new Error("FILE is required");
const size = statSync(file).size;

const server = http.createServer((req, res) => {
  if (req.method !== "GET") {
    res.writeHead(405).end();
    return;
  }
  res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": size });
  const body = createReadStream(file);
  body.on("error", (err) => res.destroy(err));
  res.on("close", () => body.destroy());
  body.pipe(res);
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on("SIGTERM", () => process.exit(0));
