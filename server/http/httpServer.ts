/**
 * The Node HTTP server the app runs on, with every connection-level limit set (main.ts and the
 * tests use this, so both run with the same limits):
 * - `headersTimeout`: the request line and headers must arrive within `HEADERS_TIMEOUT_SECONDS`
 *   (checked every second, not Node's default 30 s sweep);
 * - an idle timeout of `REQUEST_IDLE_TIMEOUT_SECONDS`: a socket that moves no byte either way
 *   for that long is destroyed — a stalled upload body (multer then fails and its temp file is
 *   removed) or a download the client stopped reading; no overall request timeout, since a
 *   large upload on a slow line may take hours while it keeps moving;
 * - `keepAliveTimeout` for idle keep-alive connections;
 * - at most `MAX_CONNECTIONS_PER_ADDRESS` open connections per client address: one more gets a
 *   raw 429 envelope and is closed before its request is read;
 * - malformed requests, oversized headers and the headers timeout get the JSON envelope too.
 */
import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
import type { ServerConfig } from "../config.js";

type ConnectionLimits = Pick<
  ServerConfig,
  "requestIdleTimeoutSeconds" | "headersTimeoutSeconds" | "keepAliveTimeoutSeconds" | "maxConnectionsPerAddress"
>;

function refusal(max: number): string {
  const body = JSON.stringify({
    success: false,
    error: { code: "rate_limited", message: `Too many connections from this address (at most ${max}); retry later` },
  });
  return [
    "HTTP/1.1 429 Too Many Requests",
    "Content-Type: application/json; charset=utf-8",
    `Content-Length: ${Buffer.byteLength(body)}`,
    "Retry-After: 1",
    "Cache-Control: no-store",
    "Connection: close",
    "",
    body,
  ].join("\r\n");
}

/** Node's own refusals (malformed request, headers too large, headers timeout) as envelopes. */
function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable || socket.destroyed) return;
  const [status, reason, message] =
    err.code === "HPE_HEADER_OVERFLOW"
      ? [431, "Request Header Fields Too Large", "The request headers are too large"]
      : err.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "Request Timeout", "The request headers did not arrive in time"]
        : [400, "Bad Request", "Malformed HTTP request"];
  const body = JSON.stringify({ success: false, error: { code: "bad_request", message } });
  socket.end(
    [`HTTP/1.1 ${status} ${reason}`, "Content-Type: application/json; charset=utf-8", `Content-Length: ${Buffer.byteLength(body)}`, "Connection: close", "", body].join("\r\n"),
  );
}

/** Caps open connections per remote address on `server`. */
export function limitConnectionsPerAddress(server: Server, max: number): void {
  const open = new Map<string, number>();
  server.on("connection", (socket: Socket) => {
    const address = socket.remoteAddress ?? "unknown";
    const n = open.get(address) ?? 0;
    if (n >= max) {
      socket.on("error", () => undefined);
      socket.end(refusal(max));
      socket.setTimeout(1_000, () => socket.destroy());
      return;
    }
    open.set(address, n + 1);
    socket.once("close", () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
}

/** Applies the idle, header and keep-alive timeouts and the per-address cap to `server`. */
export function applyConnectionLimits(server: Server, limits: ConnectionLimits): Server {
  server.requestTimeout = 0;
  server.headersTimeout = limits.headersTimeoutSeconds * 1000;
  server.keepAliveTimeout = limits.keepAliveTimeoutSeconds * 1000;
  // A socket idle for `server.timeout` ms emits "timeout"; Node destroys it only when nobody
  // listens (on the request, the response or the server), so destroy it here whatever else listens.
  server.timeout = limits.requestIdleTimeoutSeconds * 1000;
  // A reset, not a FIN: a closed socket with unsent data would linger in the kernel (FIN-WAIT-1,
  // its send queue pinned) for as long as the stalled client keeps answering window probes.
  server.on("timeout", (socket: Socket) => socket.resetAndDestroy());
  server.on("clientError", answerClientError);
  // Expect: 100-continue is answered by the app once the request is authorised (app.ts), not by
  // Node before anything is checked.
  server.on("checkContinue", (req, res) => server.emit("request", req, res));
  limitConnectionsPerAddress(server, limits.maxConnectionsPerAddress);
  return server;
}

/** A new HTTP server (not listening) with every limit of `config` applied. */
export function createHttpServer(config: ConnectionLimits): Server {
  return applyConnectionLimits(createServer({ connectionsCheckingInterval: 1_000 }), config);
}
